"""Write use cases of incidents: intake, merging a duplicate intake, 续报 updates, timeline entries,
and loading the incident type table.

Every function takes the acting user keyword-only, runs in one transaction, validates with
``full_clean``, writes the audit record and the timeline entry in that transaction, and starts
side effects (desk events, notifications, Huey timers) only after commit.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.core.dates import past_time_error
from yingji.apps.incidents import clocks, deadlines, escalation, selectors, tasks
from yingji.apps.incidents.errors import EditConflict, PossibleDuplicate
from yingji.apps.incidents.models import (
    CASUALTY_FIELDS,
    FACT_FIELDS,
    Incident,
    IncidentCategory,
    IncidentStatus,
    IncidentType,
    IncidentUpdate,
    LogKind,
)
from yingji.apps.incidents.models.incident import FUTURE_TOLERANCE
from yingji.apps.incidents.models.timeline import MANUAL_KINDS
from yingji.apps.incidents.presenters import grade_change_headline, reasons_prose
from yingji.apps.incidents.timeline import append_entry
from yingji.apps.notifications.services import notify_user, publish_desk_event
from yingji.engines.incidents import Grading, compare_gradings, parse_category
from yingji.engines.refdata import data_path

SUBTYPES_CSV = Path(__file__).resolve().parent / "data" / "incident_subtypes.csv"

#: Intake fields a caller may set (everything else is computed).
INTAKE_FIELDS = (
    "title",
    "source",
    "occurred_at",
    "reported_at",
    "division",
    "lon",
    "lat",
    "address",
    "description",
    *CASUALTY_FIELDS,
    "direct_loss_cny",
    "hazmat_involved",
    "hazmat_description",
    "reporter_name",
    "reporter_phone",
    "reporter_org",
    "is_demo",
)


def require_scope(actor: Any, perm: str, division: Any) -> None:
    """Refuse unless ``actor`` holds ``perm`` in a scope covering ``division`` (None = system).

    Raises:
        PermissionDenied: missing permission or a scope that does not cover the division.
    """
    if actor is None:
        return
    if not actor.has_perm(perm):
        raise PermissionDenied(f"missing permission {perm}")
    scopes = actor.permission_scopes(perm)
    if scopes is None:
        return
    if not any(org is None and division.code.startswith(prefix) for prefix, org in scopes):
        raise PermissionDenied("the division is outside your scope")


def _url(incident: Incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _schedule(timers: list[tuple[int, datetime]]) -> None:
    if timers:
        transaction.on_commit(lambda: tasks.schedule_deadline_timers(timers))


def _apply_grading(incident: Incident, grading: Grading) -> None:
    incident.grade = grading.grade
    incident.grade_reasons = list(grading.reasons)
    incident.grade_source = grading.source[:200]


def _grade_label(grade: int | None) -> str:
    return {1: "特别重大", 2: "重大", 3: "较大", 4: "一般"}.get(grade or 0, "未定级")


def create_incident(
    *, actor: Any, incident_type: IncidentType, allow_duplicate: bool = False, **fields: Any
) -> Incident:
    """Take in a new incident (接报): validate, grade, start its report clocks, announce it.

    Args:
        actor: the officer (None = system).
        incident_type: an active ``IncidentType``; the category follows from it.
        allow_duplicate: create even when ``PossibleDuplicate`` would be raised.
        fields: ``INTAKE_FIELDS`` (``reported_at`` defaults to now; counts in persons,
            ``direct_loss_cny`` in CNY, ``lon``/``lat`` WGS84 inside the county).

    Returns:
        The saved incident with its number, grade and deadlines.

    Raises:
        ValidationError: bad or missing fields (negative counts, future time, point outside
            the county, unknown type...), nothing saved.
        PermissionDenied: the division is outside the actor's ``incidents.add_incident`` scope.
        PossibleDuplicate: an open incident of the same type nearby in time and space.
    """
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise ValidationError({name: "unknown field" for name in sorted(unknown)})
    if incident_type is None or not incident_type.is_active:
        raise ValidationError({"incident_type": "未知的事件类型。"})
    fields.setdefault("reported_at", timezone.now())
    incident = Incident(
        incident_type=incident_type, category=incident_type.category, created_by=_user(actor), **fields
    )
    incident.full_clean(exclude=["number"])
    require_scope(actor, "incidents.add_incident", incident.division)
    if not allow_duplicate:
        candidates = (
            selectors.possible_duplicates(
                actor,
                incident_type=incident_type,
                occurred_at=incident.occurred_at,
                division=incident.division,
                lon=incident.lon,
                lat=incident.lat,
            )
            if actor is not None
            else []
        )
        if candidates:
            raise PossibleDuplicate(candidates)
    grading = clocks.grade_of(incident)
    _apply_grading(incident, grading)
    with transaction.atomic():
        incident.save()
        incident.number = f"{timezone.localtime(incident.reported_at):%Y%m%d}-{incident.pk:05d}"
        incident.save(update_fields=["number"])
        append_entry(
            incident,
            kind=LogKind.INTAKE,
            actor=actor,
            at=incident.reported_at,
            summary=f"接报（{incident.get_source_display()}）：{incident.title}",
            payload={"casualties": incident.casualties(), "direct_loss_cny": str(incident.direct_loss_cny)},
        )
        change = compare_gradings(None, grading)
        append_entry(
            incident, kind=LogKind.GRADE_CHANGE, actor=actor, summary=change.summary, payload=change.to_dict()
        )
        timers = deadlines.sync_deadlines(incident)
        record_change(incident, "create", None, actor=actor)
        title = f"新接报：{incident.title}（{_grade_label(incident.grade)}）"
        publish_desk_event(
            kind="incident.created",
            title=title,
            url=_url(incident),
            severity="critical" if incident.grade and incident.grade <= 3 else "warning",
            division=incident.division,
        )
        if incident.grade and incident.grade <= 3:
            for leader in escalation.duty_leaders_for(incident.division):
                notify_user(
                    leader,
                    subject=title,
                    body="；".join(
                        reasons_prose(incident.grade_reasons, accident=incident.category == "accident")
                    ),
                    url=_url(incident),
                    severity="critical",
                    dedupe_key=f"incidents.incident:{incident.pk}:created:user{leader.pk}",
                    channels=("in_app",),
                )
        _schedule(timers)
    return incident


# Incident types for intakes opened from a monitoring alarm (GB 6441-2025 where one applies).
ALARM_TYPE_FIRE = "accident.01.WSA10009"  # 火灾
ALARM_TYPE_DEFAULT = "accident.01"  # 工矿商贸等企业的各类安全事故


def intake_incident(
    *,
    actor: Any,
    title: str,
    description: str,
    source: str,
    division: Any,
    organization: Any = None,
    lon: float | None = None,
    lat: float | None = None,
    source_ref: str = "",
    type_code: str = ALARM_TYPE_DEFAULT,
    occurred_at: datetime | None = None,
) -> Incident:
    """Open an incident from another subsystem's event (a monitoring alarm's one-click intake).

    Args:
        type_code: ``IncidentType.code``; defaults to an enterprise production-safety accident
            (the officer refines the type in a 续报).
        occurred_at: when it happened (defaults to now); ``source_ref`` is recorded in the
            description so the incident links back to the alarm.

    Returns:
        The created incident (graded, clocks started), even when a similar incident is open
        (an alarm-driven intake is deliberate, the duplicate offer happens on the desk).

    Raises:
        ValidationError: unknown type or bad fields; PermissionDenied: outside the actor's scope.
    """
    incident_type = IncidentType.objects.filter(code=type_code, is_active=True).first()
    if incident_type is None:
        raise ValidationError({"incident_type": f"未知的事件类型 {type_code}。"})
    details = description if not source_ref else f"{description}\n[{source_ref}]"
    fields: dict[str, Any] = {
        "title": title[:200],
        "source": source,
        "division": division,
        "lon": lon,
        "lat": lat,
        "description": details,
        "occurred_at": occurred_at or timezone.now(),
    }
    if organization is not None:
        fields["reporter_org"] = str(organization)[:100]
    return create_incident(actor=actor, incident_type=incident_type, allow_duplicate=True, **fields)


def _user(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _coerce(name: str, value: Any) -> Any:
    if name == "direct_loss_cny" and value is not None and not isinstance(value, Decimal):
        return Decimal(str(value))
    return value


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def record_incident_update(
    incident: Incident,
    *,
    actor: Any,
    expected_version: int,
    received_at: datetime | None = None,
    source: str = "",
    note: str = "",
    stabilized: bool = False,
    merged_intake: bool = False,
    **changes: Any,
) -> IncidentUpdate:
    """Record a 续报 of facts: apply the changes, re-grade, log, re-sync the report clocks.

    Args:
        incident: the incident (re-read and locked here).
        actor: the officer.
        expected_version: the ``Incident.version`` the caller's form was built from.
        received_at: when the desk learned it (default now; not in the future, not before the
            incident occurred).
        source, note: where the update came from, free text.
        stabilized: natural disasters: the situation has stabilized (ends daily reports).
        merged_intake: this update is a merged duplicate intake.
        changes: new values of ``FACT_FIELDS`` (counts in persons, loss in CNY).

    Returns:
        The ``IncidentUpdate`` (numbered per incident).

    Raises:
        EditConflict: the incident changed since ``expected_version``.
        ValidationError: unknown/invalid fields, nothing changed, incident closed.
        PermissionDenied: outside the actor's ``incidents.add_incidentupdate`` scope.
    """
    unknown = set(changes) - set(FACT_FIELDS)
    if unknown:
        raise ValidationError({name: "unknown field" for name in sorted(unknown)})
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"received_at": "获悉时间不能晚于当前时间。"})
    if early := past_time_error(received_at, skew=FUTURE_TOLERANCE):
        raise ValidationError({"received_at": early})
    with transaction.atomic():
        current = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("incident_type__parent__parent", "division")
            .get(pk=incident.pk)
        )
        require_scope(actor, "incidents.add_incidentupdate", current.division)
        if current.version != expected_version:
            raise EditConflict(current.version)
        if current.status != IncidentStatus.OPEN:
            raise ValidationError({"__all__": "事件已终报办结，不能再续报。"})
        if received_at < current.occurred_at:
            raise ValidationError(
                {"received_at": _("获悉时间不能早于事件发生时间 (received before the incident occurred)")}
            )
        before = snapshot(current)
        old_grading = clocks.grade_of(current)
        diff: dict[str, list[Any]] = {}
        for name, value in changes.items():
            value = _coerce(name, value)
            if value is None or getattr(current, name) == value:
                continue
            diff[name] = [_plain(getattr(current, name)), _plain(value)]
            setattr(current, name, value)
        if stabilized and current.category == IncidentCategory.NATURAL_DISASTER and not current.stabilized_at:
            current.stabilized_at = received_at
            diff["stabilized_at"] = [None, received_at.isoformat()]
        if not diff and not note.strip():
            raise ValidationError({"__all__": "没有需要续报的变化。"})
        current.full_clean(exclude=["number"])
        new_grading = clocks.grade_of(current)
        _apply_grading(current, new_grading)
        current.version += 1
        current.save()
        casualties_changed = any(name in CASUALTY_FIELDS for name in diff)
        update = IncidentUpdate(
            incident=current,
            sequence=IncidentUpdate.objects.filter(incident=current).count() + 1,
            received_at=received_at,
            source=source,
            note=note,
            changes=diff,
            casualties_changed=casualties_changed,
            merged_intake=merged_intake,
            created_by=_user(actor),
        )
        update.full_clean(exclude=["incident"])
        update.save()
        words = "；".join(
            f"{FACT_FIELDS.get(k, k)} {v[0]}→{v[1]}" for k, v in diff.items() if k != "description"
        )
        append_entry(
            current,
            kind=LogKind.MERGE if merged_intake else LogKind.UPDATE,
            actor=actor,
            at=received_at,
            summary=("合并重复接报" if merged_intake else f"续报信息#{update.sequence}")
            + (f"：{words}" if words else "")
            + (f"（{note.strip()[:200]}）" if note.strip() else ""),
            payload={"update": update.sequence, "changes": diff},
        )
        change = compare_gradings(old_grading, new_grading)
        if change.changed:
            append_entry(
                current,
                kind=LogKind.GRADE_CHANGE,
                actor=actor,
                summary=change.summary,
                payload=change.to_dict(),
            )
        timers = deadlines.sync_deadlines(current)
        record_change(current, "update", before, actor=actor)
        publish_desk_event(
            kind="incident.updated",
            title=f"续报：{current.title}"
            + (f"（{grade_change_headline(change.to_dict())}）" if change.changed else ""),
            url=_url(current),
            severity="warning" if change.changed else "info",
            division=current.division,
        )
        _schedule(timers)
    incident.refresh_from_db()
    return update


def merge_intake(
    incident: Incident, *, actor: Any, expected_version: int, source: str = "", **fields: Any
) -> IncidentUpdate:
    """Merge a duplicate intake into ``incident`` as an update (the officer chose to merge).

    Casualty counts and the loss take the larger of the two reports (a second caller
    rarely knows less than the desk; a decrease needs an explicit 续报); the second
    report's description and reporter are kept in the update note.

    Raises:
        EditConflict, ValidationError, PermissionDenied: as ``record_incident_update``.
    """
    changes: dict[str, Any] = {}
    for name in CASUALTY_FIELDS:
        new = fields.get(name)
        if new is not None and int(new) > getattr(incident, name):
            changes[name] = int(new)
    loss = fields.get("direct_loss_cny")
    if loss is not None and Decimal(str(loss)) > incident.direct_loss_cny:
        changes["direct_loss_cny"] = Decimal(str(loss))
    reporter = " ".join(str(fields.get(k) or "") for k in ("reporter_name", "reporter_phone", "reporter_org"))
    what = fields.get("description") or fields.get("title") or ""
    note = f"重复接报（{reporter.strip() or '报告人不详'}）：{what}"
    return record_incident_update(
        incident,
        actor=actor,
        expected_version=expected_version,
        source=source,
        note=note.strip(),
        merged_intake=True,
        **changes,
    )


def add_log_entry(
    incident: Incident, *, actor: Any, kind: str, summary: str, at: datetime | None = None
) -> Any:
    """Add a hand-written timeline entry: 批示 (instruction), call, dispatch or note.

    Raises:
        ValidationError: another kind, empty summary, a time in the future or before the
            incident occurred.
        PermissionDenied: outside the actor's ``incidents.add_incidentlogentry`` scope.
    """
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": "只能添加批示、电话、调度或备注。"})
    if not summary.strip():
        raise ValidationError({"summary": "内容不能为空。"})
    if at is not None and at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"at": "时间不能晚于当前时间。"})
    with transaction.atomic():
        current = (
            Incident.objects.select_for_update(of=("self",)).select_related("division").get(pk=incident.pk)
        )
        require_scope(actor, "incidents.add_incidentlogentry", current.division)
        if at is not None and at < current.occurred_at:
            raise ValidationError({"at": _("时间不能早于事件发生时间 (before the incident occurred)")})
        entry = append_entry(current, kind=kind, actor=actor, at=at, summary=summary.strip())
        record_change(entry, "create", None, actor=actor)
        if kind == LogKind.INSTRUCTION:
            publish_desk_event(
                kind="incident.instruction",
                title=f"批示：{current.title} · {summary.strip()[:80]}",
                url=_url(current),
                severity="warning",
                division=current.division,
            )
    return entry


def sync_incident_types(*, actor: Any = None) -> dict[str, int]:
    """Load or refresh the incident type table (idempotent; see ``IncidentType``).

    Reads ``data/standards/event_classification.csv`` (levels 1-3), the GB 6441-2025
    basic types of ``accident_types_gb6441.csv`` (placed under 工矿商贸等企业的各类安全事故)
    and ``incidents/data/incident_subtypes.csv`` (extra subtypes, GB 6441 mapping and
    deadline subtypes). Existing rows are updated in place; nothing is deleted.

    Returns:
        ``{"created": n, "updated": n, "unchanged": n}``.

    Raises:
        FileNotFoundError: a source file is missing. ValueError: a row names an unknown parent.
    """
    rows: list[dict[str, str]] = []
    with data_path("standards", "event_classification.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(
                {
                    "level": r["level"].strip(),
                    "name": r["name_zh"].strip(),
                    "parent": r["parent_zh"].strip(),
                    "source": "event_classification.csv " + r["source_keys"].strip(),
                }
            )
    with data_path("standards", "accident_types_gb6441.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["standard"].strip() == "GB 6441-2025" and r["code"].strip():
                rows.append(
                    {
                        "level": "3",
                        "name": r["name_zh"].strip(),
                        "parent": "工矿商贸等企业的各类安全事故",
                        "gb6441": r["code"].strip(),
                        "gb6441_name": r["name_zh"].strip(),
                        "source": "GB 6441-2025",
                    }
                )
    with SUBTYPES_CSV.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows.append(
                {
                    "level": "3",
                    "name": r["name_zh"].strip(),
                    "parent": r["parent_zh"].strip(),
                    "gb6441": r["gb6441_code"].strip(),
                    "deadline_subtype": r["deadline_subtype"].strip(),
                    "source": "incident_subtypes.csv",
                    "merge": "1",
                }
            )
    base_keys = {(r["name"], r["parent"]): r for r in rows if not r.get("merge")}
    for extra in [r for r in rows if r.get("merge")]:
        target = base_keys.get((extra["name"], extra["parent"]))
        if target is not None:  # an override of an existing node: GB 6441 code / deadline subtype
            target["gb6441"] = extra["gb6441"] or target.get("gb6441", "")
            target["deadline_subtype"] = extra["deadline_subtype"]
            rows.remove(extra)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    gb_names = {r.get("gb6441"): r["name"] for r in rows if r.get("source") == "GB 6441-2025"}
    with transaction.atomic():
        by_name: dict[tuple[str, str], IncidentType] = {}
        children: dict[str, int] = {}
        for order, row in enumerate(rows):
            parent = (
                next((t for (n, _), t in by_name.items() if n == row["parent"]), None)
                if row["parent"]
                else None
            )
            if row["parent"] and parent is None:
                raise ValueError(f"incident type {row['name']!r}: unknown parent {row['parent']!r}")
            key = (row["name"], row["parent"])
            if parent is None:
                code = parse_category(row["name"]).value
                category = code
            else:
                children[parent.code] = children.get(parent.code, 0) + 1
                suffix = (
                    row.get("gb6441")
                    if row.get("source") == "GB 6441-2025"
                    else f"{children[parent.code]:02d}"
                )
                code = f"{parent.code}.{suffix}"
                category = parent.category
            values = {
                "name_zh": row["name"],
                "category": category,
                "parent": parent,
                "level": int(row["level"]),
                "gb6441_code": row.get("gb6441", ""),
                "gb6441_name": gb_names.get(row.get("gb6441"), "") if row.get("gb6441") else "",
                "deadline_subtype": row.get("deadline_subtype", ""),
                "source": row["source"][:120],
                "sort_order": order,
            }
            by_name[key] = _upsert_type(code, values, counts, actor)
    return counts


def _upsert_type(code: str, values: dict[str, Any], counts: dict[str, int], actor: Any) -> IncidentType:
    obj = IncidentType.objects.filter(code=code).first()
    if obj is None:
        obj = IncidentType(code=code, **values)
        obj.full_clean(validate_unique=False)
        obj.save()
        record_change(obj, "create", None, actor=actor)
        counts["created"] += 1
        return obj
    before = snapshot(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    if snapshot(obj) == before:
        counts["unchanged"] += 1
        return obj
    obj.full_clean(validate_unique=False)
    obj.save()
    record_change(obj, "update", before, actor=actor)
    counts["updated"] += 1
    return obj
