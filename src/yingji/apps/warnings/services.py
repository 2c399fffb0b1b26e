"""Write use cases of county warnings: draft, propose, edit, submit, approve, reject, release, update, cancel.

Every function takes the acting user keyword-only (``actor``; ``None`` = the system), runs in one
transaction, writes a ``WarningLogEntry`` (the warning's own timeline) and a ``ChangeRecord``
(audit), and queues side effects (dissemination) with ``transaction.on_commit``.

Two-person rule (专栏4 content approval; WMO CAP Composer practice): the person who drafted or
submitted a warning cannot approve it. Approval needs ``warnings.approve_warning``, release
``warnings.release_warning``; both are checked here, not only in views.
Ingest (feeds, folders, pushes) is in ``ingest.py``; dissemination in ``dissemination.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings import cap, delivery_tasks
from yingji.apps.warnings.models import (
    EDITABLE_STATES,
    LogAction,
    MsgType,
    Recipient,
    ResponseType,
    Severity,
    TriggerKind,
    TriggerRule,
    Urgency,
    Warning,
    WarningLogEntry,
    WarningState,
    WarningTemplate,
)
from yingji.engines.warnings import assess, write_alert
from yingji.engines.warnings.colour import level_for_severity
from yingji.engines.warnings.errors import CapError
from yingji.engines.warnings.geometry import GeometryError, parse_polygon

# Fields an author may set (everything else is workflow state).
EDITABLE_FIELDS = (
    "status",
    "category",
    "event",
    "event_en",
    "severity",
    "urgency",
    "certainty",
    "response_type",
    "onset",
    "expires",
    "headline",
    "description",
    "instruction",
    "second_language",
    "headline_2",
    "description_2",
    "instruction_2",
    "polygon",
    "sms_text",
    "broadcast_text",
    "loudspeaker_text",
    "blocked_channels",
    "note",
    "template",
)


class TwoPersonRuleError(PermissionDenied):
    """The approver drafted or submitted the warning (two-person rule)."""


def _log(warning: Warning, action: str, *, actor: Any, note: str = "", details: dict | None = None) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    WarningLogEntry.objects.create(
        warning=warning,
        action=action,
        actor=user,
        actor_label=user.get_username() if user is not None else "system",
        note=note[:500],
        details=details or {},
    )


def _require(actor: Any, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(f"需要权限 {perm}")


def county_division() -> AdministrativeDivision:
    """The deployment's county division (newest edition)."""
    return AdministrativeDivision.objects.filter(code=settings.YINGJI_COUNTY_CODE).latest("edition_year")


def _clean_areas(
    warning: Warning, areas: Iterable[AdministrativeDivision] | None
) -> list[AdministrativeDivision]:
    chosen = list(areas or [])
    county_code = county_division().code[:6]
    errors: dict[str, list[str]] = {}
    if any(not a.code.startswith(county_code) for a in chosen):
        errors["areas"] = ["预警区域须在本县范围内"]
    if warning.polygon.strip():
        try:
            parse_polygon(warning.polygon)
        except GeometryError as exc:
            errors["polygon"] = [f"绘制区域无效：{exc}"]
    if not chosen and not warning.polygon.strip() and "polygon" not in errors:
        errors["areas"] = ["请至少选择一个区域或在地图上绘制区域"]
    if errors:
        raise ValidationError(errors)
    return chosen


def _check_times(warning: Warning, now: datetime) -> None:
    errors = {}
    if warning.expires and warning.expires <= now:
        errors["expires"] = ["失效时间须晚于当前时间"]
    if warning.onset and warning.expires and warning.expires <= warning.onset:
        errors["expires"] = ["失效时间须晚于开始时间"]
    if errors:
        raise ValidationError(errors)


def template_fields(
    template: WarningTemplate, severity: str, *, area_names: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """Draft field values from a hazard template at ``severity`` (placeholders filled; no write).

    Placeholders: ``{colour}`` 黄色, ``{colour_en}`` yellow, ``{level}`` Ⅲ级, ``{county}``, ``{areas}``.
    ``expires`` = now + ``template.expires_hours``.
    """
    now = now or timezone.now()
    level = level_for_severity(severity)
    county = county_division()
    values = {
        "colour": level.colour_zh if level else "",
        "colour_en": level.colour_en if level else "",
        "level": level.level if level else "",
        "county": county.name,
        "areas": area_names or county.name,
    }

    def fill(text: str) -> str:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text

    return {
        "template": template,
        "category": template.category,
        "event": template.event_zh,
        "event_en": template.event_en,
        "severity": severity,
        "headline": fill(template.headline_zh)[:160],
        "description": fill(template.description_zh),
        "instruction": fill(template.instruction_zh),
        "headline_2": fill(template.headline_en)[:300],
        "description_2": fill(template.description_en),
        "instruction_2": fill(template.instruction_en),
        "loudspeaker_text": fill(template.loudspeaker_zh),
        "expires": now + timedelta(hours=template.expires_hours),
    }


def create_warning(
    *, actor: Any, areas: Iterable[AdministrativeDivision] | None = None, **fields: Any
) -> Warning:
    """Create a draft county warning (msgType Alert unless given).

    Args:
        actor: the author (``None`` for a system proposal; the first editor then becomes author).
        areas: divisions of the warning area (county and/or townships/villages of this county).
        fields: ``Warning`` fields (see ``EDITABLE_FIELDS``; also ``upstream``, ``trigger_kind``,
            ``trigger_ref``, ``is_demo``).

    Raises:
        ValidationError: field errors (``message_dict``), nothing written.
    """
    with transaction.atomic():
        warning = Warning(**fields)
        if getattr(actor, "is_authenticated", False):
            warning.author = actor
        warning.state = WarningState.DRAFT
        warning.full_clean()
        chosen = _clean_areas(warning, areas)
        warning.save()
        warning.areas.set(chosen)
        _log(
            warning,
            LogAction.PROPOSED if warning.trigger_kind else LogAction.CREATED,
            actor=actor,
            details={"areas": [a.code for a in chosen]},
        )
        record_change(warning, "create", None, actor=actor)
    return warning


def edit_warning(
    warning: Warning, *, actor: Any, areas: Iterable[AdministrativeDivision] | None = None, **fields: Any
) -> Warning:
    """Change a draft or returned warning; the diff goes to its timeline.

    Raises:
        ValidationError: not editable in its state, or field errors (nothing written).
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = Warning.objects.select_for_update().get(pk=warning.pk)
        if locked.state not in EDITABLE_STATES:
            raise ValidationError({"state": [f"状态为“{locked.get_state_display()}”的预警不能修改"]})
        before = snapshot(locked)
        old_areas = sorted(locked.areas.values_list("code", flat=True))
        for key, value in fields.items():
            setattr(locked, key, value)
        if locked.author_id is None and getattr(actor, "is_authenticated", False):
            locked.author = actor
        locked.full_clean()
        chosen = _clean_areas(locked, areas if areas is not None else locked.areas.all())
        locked.save()
        locked.areas.set(chosen)
        after = snapshot(locked)
        diff = {k: [before[k], after[k]] for k in after if before.get(k) != after[k] and k != "updated_at"}
        new_areas = sorted(a.code for a in chosen)
        if new_areas != old_areas:
            diff["areas"] = [old_areas, new_areas]
        _log(locked, LogAction.EDITED, actor=actor, details=diff)
        record_change(locked, "update", before, actor=actor)
    return locked


def _render(warning: Warning, *, identifier: str, sent: datetime) -> bytes:
    alert = cap.build_alert(
        warning, identifier=identifier, sent=sent, divisions=warning.areas.order_by("code")
    )
    try:
        return write_alert(alert, default_namespace=True)
    except CapError as exc:
        raise ValidationError({"__all__": [f"无法生成合规的 CAP 报文：{exc}"]}) from exc


def _transition(
    warning: Warning, expected: Iterable[str], new_state: str, *, actor: Any
) -> tuple[Warning, dict]:
    locked = Warning.objects.select_for_update().get(pk=warning.pk)
    if locked.state not in tuple(expected):
        raise ValidationError({"state": [f"状态为“{locked.get_state_display()}”的预警不能执行此操作"]})
    before = snapshot(locked)
    locked.state = new_state
    return locked, before


def submit_warning(warning: Warning, *, actor: Any) -> Warning:
    """Send a draft (or returned) warning for approval; checks that it renders as valid CAP first.

    Raises:
        ValidationError: wrong state, times in the past, or the CAP output would be invalid.
    """
    _require(actor, "warnings.change_warning")
    with transaction.atomic():
        locked, before = _transition(warning, EDITABLE_STATES, WarningState.PENDING, actor=actor)
        now = timezone.now()
        _check_times(locked, now)
        _render(locked, identifier=cap.base_identifier(now), sent=now)
        locked.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        if locked.author_id is None:
            locked.author = locked.submitted_by
        locked.save()
        _log(locked, LogAction.SUBMITTED, actor=actor)
        record_change(locked, "update", before, actor=actor)
    return locked


def approve_warning(warning: Warning, *, actor: Any, note: str = "") -> Warning:
    """Approve a pending warning (content approval, 审核). The approver must be a second person.

    Raises:
        PermissionDenied: the actor lacks ``warnings.approve_warning``.
        TwoPersonRuleError: the actor drafted or submitted this warning.
        ValidationError: the warning is not pending.
    """
    _require(actor, "warnings.approve_warning")
    if actor is None:
        raise PermissionDenied("审核须由人员完成")
    with transaction.atomic():
        locked, before = _transition(warning, (WarningState.PENDING,), WarningState.APPROVED, actor=actor)
        if actor.pk in (locked.author_id, locked.submitted_by_id):
            raise TwoPersonRuleError("双人复核：起草或提交人不能审核自己的预警")
        locked.approved_by = actor
        locked.save()
        _log(locked, LogAction.APPROVED, actor=actor, note=note)
        record_change(locked, "update", before, actor=actor)
    return locked


def reject_warning(warning: Warning, *, actor: Any, reason: str) -> Warning:
    """Return a pending (or approved, not yet released) warning to its author with a reason.

    Raises:
        PermissionDenied: the actor lacks ``warnings.approve_warning``.
        ValidationError: empty reason, or wrong state.
    """
    _require(actor, "warnings.approve_warning")
    if not reason.strip():
        raise ValidationError({"reason": ["请填写退回原因"]})
    with transaction.atomic():
        locked, before = _transition(
            warning, (WarningState.PENDING, WarningState.APPROVED), WarningState.REJECTED, actor=actor
        )
        locked.approved_by = None
        locked.save()
        _log(locked, LogAction.REJECTED, actor=actor, note=reason, details={"reason": reason})
        record_change(locked, "update", before, actor=actor)
    return locked


def _unique_identifier(sent: datetime) -> str:
    base = cap.base_identifier(sent)
    identifier, n = base, 1
    while Warning.objects.filter(identifier=identifier).exists():
        n += 1
        identifier = f"{base}_{n}"
    return identifier


def release_warning(warning: Warning, *, actor: Any) -> Warning:
    """Release an approved warning: fix identifier and sent time, store the CAP XML, assess reach,
    retire the message it updates or cancels, and queue dissemination (after commit).

    Raises:
        PermissionDenied: the actor lacks ``warnings.release_warning``.
        ValidationError: not approved, expired, or the CAP output would be invalid.
    """
    _require(actor, "warnings.release_warning")
    with transaction.atomic():
        locked, before = _transition(warning, (WarningState.APPROVED,), WarningState.RELEASED, actor=actor)
        now = timezone.now().replace(microsecond=0)
        _check_times(locked, now)
        locked.sent = now
        locked.identifier = _unique_identifier(now)
        xml = _render(locked, identifier=locked.identifier, sent=now)
        locked.cap_xml = xml.decode("utf-8")
        alert = cap.build_alert(locked, identifier=locked.identifier, sent=now, divisions=locked.areas.all())
        result = assess(alert)
        locked.reach = result.population
        locked.reach_basis = result.population_basis[:300]
        locked.released_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save()
        _log(locked, LogAction.RELEASED, actor=actor, details={"identifier": locked.identifier})
        record_change(locked, "update", before, actor=actor)
        if locked.replaces_id is not None:
            _retire(locked, actor=actor)
        transaction.on_commit(lambda: delivery_tasks.fan_out_warning_task(locked.pk))
    return locked


def _retire(new: Warning, *, actor: Any) -> None:
    earlier = Warning.objects.select_for_update().get(pk=new.replaces_id)
    if earlier.state != WarningState.RELEASED:
        return
    before = snapshot(earlier)
    cancelled = new.msg_type == MsgType.CANCEL
    earlier.state = WarningState.CANCELLED if cancelled else WarningState.SUPERSEDED
    earlier.save(update_fields=["state", "updated_at"])
    _log(
        earlier,
        LogAction.CANCELLED if cancelled else LogAction.SUPERSEDED,
        actor=actor,
        details={"by": new.identifier},
    )
    record_change(earlier, "update", before, actor=actor)


def _follow_up(warning: Warning, msg_type: str, *, actor: Any) -> Warning:
    with transaction.atomic():
        locked = Warning.objects.select_for_update().get(pk=warning.pk)
        if locked.state != WarningState.RELEASED:
            raise ValidationError({"state": ["只有已发布且有效的预警可以更新或解除"]})
        if (
            locked.followers.exclude(state__in=[WarningState.REJECTED])
            .filter(state__in=[WarningState.DRAFT, WarningState.PENDING, WarningState.APPROVED])
            .exists()
        ):
            raise ValidationError({"state": ["该预警已有待处理的更新或解除"]})
        fields = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
        fields.update(msg_type=msg_type, replaces=locked, upstream=locked.upstream, is_demo=locked.is_demo)
        if msg_type == MsgType.CANCEL:
            fields.update(
                headline=f"解除{locked.headline}"[:160],
                description=f"{cap.sender_name()}解除{locked.headline}（{locked.identifier}）。",
                instruction="",
                headline_2=f"Cancelled: {locked.headline_2}"[:300] if locked.headline_2 else "",
                description_2=f"{locked.headline_2} is cancelled." if locked.headline_2 else "",
                instruction_2="",
                response_type=ResponseType.ALLCLEAR,
                urgency=Urgency.PAST,
                sms_text="",
                broadcast_text="",
                loudspeaker_text="",
            )
        new = create_warning(actor=actor, areas=locked.areas.all(), **fields)
    return new


def start_update(warning: Warning, *, actor: Any) -> Warning:
    """One click: a draft Update of a released warning (fields copied, ``references`` = its chain).

    Raises:
        ValidationError: the warning is not released, or a follow-up is already open.
    """
    _require(actor, "warnings.add_warning")
    return _follow_up(warning, MsgType.UPDATE, actor=actor)


def start_cancel(warning: Warning, *, actor: Any) -> Warning:
    """One click: a Cancel of a released warning, submitted for approval straight away.

    Raises:
        ValidationError: the warning is not released, or a follow-up is already open.
    """
    _require(actor, "warnings.add_warning")
    with transaction.atomic():
        new = _follow_up(warning, MsgType.CANCEL, actor=actor)
        return submit_warning(new, actor=actor)


def expire_warnings(*, now: datetime | None = None) -> int:
    """Mark released warnings whose ``expires`` has passed as expired (system action). Returns the count."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for w in Warning.objects.select_for_update().filter(state=WarningState.RELEASED, expires__lte=now):
            before = snapshot(w)
            w.state = WarningState.EXPIRED
            w.save(update_fields=["state", "updated_at"])
            _log(w, LogAction.EXPIRED, actor=None)
            record_change(w, "update", before, actor=None)
            count += 1
    return count


def _severity_or_default(severity: str) -> str:
    return severity if severity in Severity.values else Severity.MODERATE


def propose_warning_from_event(
    kind: str,
    ref: str,
    title: str,
    severity: str,
    division: AdministrativeDivision | str | None,
    *,
    actor: Any,
    upstream: Any = None,
) -> Warning | None:
    """Entry point for other apps: an upstream warning, monitoring alarm or incident calls for a
    county warning. The first enabled ``TriggerRule`` of ``kind`` matching ``title`` and ``severity``
    proposes a draft from its template (never released without approval).

    Args:
        kind: ``"upstream"``, ``"alarm"`` or ``"incident"`` (``TriggerKind``).
        ref: the caller's stable reference (``"alarm:42"``); one open proposal per (kind, ref).
        title: event / alarm / incident title, matched against ``event_contains``.
        severity: CAP severity (Minor/Moderate/Severe/Extreme); unknown values count as Moderate.
        division: the affected division (instance or 12-digit code); ``None`` = the whole county.
        actor: who triggered it (``None`` = system).
        upstream: the ``UpstreamAlert`` behind an ``upstream`` trigger (linked to the draft).

    Returns:
        The proposed draft (or the already open one for this ref), or ``None`` when no rule matches.

    Raises:
        ValueError: unknown ``kind``.
    """
    if kind not in TriggerKind.values:
        raise ValueError(f"unknown trigger kind {kind!r}")
    sev = _severity_or_default(severity)
    existing = Warning.objects.filter(
        trigger_kind=kind,
        trigger_ref=ref[:100],
        state__in=[WarningState.DRAFT, WarningState.PENDING, WarningState.APPROVED, WarningState.REJECTED],
    ).first()
    if existing is not None:
        return existing
    rule = next(
        (
            r
            for r in TriggerRule.objects.filter(kind=kind, enabled=True).select_related("template")
            if r.matches(title, sev)
        ),
        None,
    )
    if rule is None:
        return None
    if isinstance(division, str):
        area = AdministrativeDivision.objects.filter(code=division).order_by("-edition_year").first()
    else:
        area = division
    area = area or county_division()
    fields = template_fields(rule.template, sev, area_names=area.name)
    fields.update(upstream=upstream, is_demo=bool(getattr(upstream, "is_demo", False)))
    fields.update(trigger_kind=kind, trigger_ref=ref[:100], note=f"规则“{rule.name}”建议：{title}"[:300])
    return create_warning(actor=actor, areas=[area], **fields)


def _create(model: Any, *, actor: Any, **fields: Any) -> Any:
    with transaction.atomic():
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        record_change(obj, "create", None, actor=actor)
    return obj


def _update(obj: Any, *, actor: Any, **fields: Any) -> Any:
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked


def create_template(*, actor: Any, **fields: Any) -> WarningTemplate:
    """Create a hazard template (audited). Raises ``ValidationError`` on field errors."""
    return _create(WarningTemplate, actor=actor, **fields)


def update_template(template: WarningTemplate, *, actor: Any, **fields: Any) -> WarningTemplate:
    """Change a hazard template (audited). Raises ``ValidationError`` on field errors."""
    return _update(template, actor=actor, **fields)


def create_rule(*, actor: Any, **fields: Any) -> TriggerRule:
    """Create a trigger rule (audited). Raises ``ValidationError`` on field errors."""
    return _create(TriggerRule, actor=actor, **fields)


def update_rule(rule: TriggerRule, *, actor: Any, **fields: Any) -> TriggerRule:
    """Change a trigger rule, e.g. disable it (audited). Raises ``ValidationError`` on field errors."""
    return _update(rule, actor=actor, **fields)


def create_recipient(*, actor: Any, **fields: Any) -> Recipient:
    """Register a recipient in a division (audited).

    Raises:
        ValidationError: field errors, an address already registered for that channel and division.
    """
    return _create(Recipient, actor=actor, **fields)


def update_recipient(recipient: Recipient, *, actor: Any, **fields: Any) -> Recipient:
    """Change a recipient, e.g. deactivate it (audited). Raises ``ValidationError`` on field errors."""
    return _update(recipient, actor=actor, **fields)
