"""Write use cases of hidden-hazard investigation and rectification (事故隐患排查治理).

Lifecycle (原安监总局令第16号; data/standards/hidden_danger.md §3):
reported → graded → assigned → rectifying → rectified → verified → closed.
Each step is one function: it locks the hazard, checks the state and the actor's right,
writes a ``HiddenHazardEvent`` and a ``ChangeRecord`` in the same transaction.

Rights (checked here, not only in views):

* grading as 重大 needs ``risk.grade_hiddenhazard`` in a scope covering the enterprise and
  must not come from an enterprise-bound grant (enterprise safety managers may grade 一般);
* verification and closing need ``risk.verify_hiddenhazard`` likewise, and the verifier
  must differ from the person who completed the rectification;
* other steps need ``risk.change_hiddenhazard`` (or ``add_`` to report) in scope.
"""

from __future__ import annotations

import datetime
import struct
import warnings
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.core.dates import past_time_error, planned_date_error
from yingji.apps.core.querysets import permission_name
from yingji.apps.directory.models import Organization
from yingji.apps.risk.models import (
    HazardGrade,
    HazardStatus,
    HiddenHazard,
    HiddenHazardEvent,
    HiddenHazardPhoto,
    PhotoStage,
    ProductionUnit,
    RiskSettings,
)
from yingji.apps.risk.services import check_enterprise, check_unit_owner, ensure_scope
from yingji.engines.risk import RiskInputError, propose_grade

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_SUPERVISION_LEVEL = 3
#: Largest accepted photo in pixels (50 megapixels: any phone camera; a decompression bomb is larger).
MAX_PHOTO_PIXELS = 50_000_000
# Pillow format names of the accepted image types.
_PIL_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png"}
_IMAGE_EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
}
S = HazardStatus


def _officer_right(actor: Any, verb: str, hazard: HiddenHazard) -> bool:
    """Whether ``actor`` holds ``risk.<verb>_hiddenhazard`` through a grant not bound to an enterprise.

    ``actor=None`` (system) holds every right. Enterprise-bound grants (safety managers) never
    count, even if a wildcard pattern would give them the permission.
    """
    if actor is None:
        return True
    scopes = actor.permission_scopes(permission_name(HiddenHazard, verb))
    if scopes is None:
        return True
    code = hazard.enterprise.division.code
    return any(org_id is None and code.startswith(prefix or "") for prefix, org_id in scopes)


def _transition(
    hazard: HiddenHazard,
    *,
    actor: Any,
    allowed_from: tuple[str, ...],
    to_status: str | None,
    action: str,
    note: str = "",
    **changes: Any,
) -> HiddenHazard:
    """Lock, check the state, apply ``changes``, validate, save, write event + audit."""
    locked = (
        HiddenHazard.objects.select_for_update(of=("self",))
        .select_related("enterprise__division")
        .get(pk=hazard.pk)
    )
    if allowed_from and locked.status not in allowed_from:
        raise ValidationError(
            {"status": _("当前状态“%(s)s”下不能执行此操作。") % {"s": HazardStatus(locked.status).label}}
        )
    before = snapshot(locked)
    from_status = locked.status
    for key, value in changes.items():
        setattr(locked, key, value)
    if to_status:
        locked.status = to_status
    locked.full_clean()
    locked.save()
    _event(locked, actor, action, from_status, locked.status, note)
    record_change(locked, "update", before, actor=actor)
    return locked


def _event(
    hazard: HiddenHazard, actor: Any, action: str, from_status: str, to_status: str, note: str
) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = HiddenHazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=user,
        actor_label=user.get_username() if user is not None else "system",
        note=note,
    )
    record_change(event, "create", None, actor=actor)


def _proposal(checklist_items: list[Any]) -> tuple[list[int], str]:
    try:
        proposal = propose_grade(checklist_items)
    except RiskInputError as exc:
        raise ValidationError({"checklist_items": str(exc)}) from None
    ids = [item.id for item in proposal.reasons]
    return ids, HazardGrade.MAJOR if proposal.is_major else ""


def report_hidden_hazard(
    *,
    actor: Any,
    enterprise: Organization,
    title: str,
    category: str,
    source: str,
    description: str = "",
    unit: ProductionUnit | None = None,
    reporter_name: str = "",
    checklist_items: list[Any] | None = None,
    reported_at: datetime.datetime | None = None,
    is_demo: bool = False,
) -> HiddenHazard:
    """Register a hidden hazard found by inspection, self-check or public report.

    ``checklist_items`` (ids 1..20 of the chemical major-hazard criteria, 安监总管三〔2017〕121号)
    set ``proposed_grade`` = 重大 when any applies.

    ``reported_at`` (default now) may be earlier for a hazard found before it is registered,
    not before 2000 nor in the future.

    Raises:
        ValidationError: field errors. PermissionDenied: outside scope (``risk.add_hiddenhazard``).
    """
    check_enterprise(enterprise)
    ensure_scope(actor, HiddenHazard, "add", enterprise)
    if error := past_time_error(reported_at):
        raise ValidationError({"reported_at": error})
    check_unit_owner(unit, enterprise)
    ids, proposed = _proposal(checklist_items or [])
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        hazard = HiddenHazard(
            enterprise=enterprise,
            unit=unit,
            title=title,
            description=description,
            category=category,
            source=source,
            reporter_name=reporter_name,
            checklist_items=ids,
            proposed_grade=proposed,
            reported_by=user,
            reported_at=reported_at or timezone.now(),
            is_demo=is_demo,
        )
        hazard.full_clean()
        hazard.save()
        record_change(hazard, "create", None, actor=actor)
        _event(hazard, actor, "report", "", hazard.status, description[:500])
    return hazard


def grade_hidden_hazard(
    hazard: HiddenHazard,
    *,
    actor: Any,
    grade: str,
    checklist_items: list[Any] | None = None,
    note: str = "",
) -> HiddenHazard:
    """Grade a hazard 一般 or 重大 (re-grading allowed until verified).

    A 重大 grade needs an officer's ``risk.grade_hiddenhazard`` (never an enterprise-bound
    grant) and lists the hazard for supervision (挂牌督办, level 1) in the same transaction.

    Raises:
        PermissionDenied: not allowed to grade (重大 by an enterprise manager).
        ValidationError: unknown grade, or the hazard is already verified/closed.
    """
    if grade not in HazardGrade.values:
        raise ValidationError({"grade": _("隐患等级须为一般或重大。")})
    ensure_scope(actor, HiddenHazard, "change", hazard.enterprise)
    if grade == HazardGrade.MAJOR and not _officer_right(actor, "grade", hazard):
        raise PermissionDenied(_("只有执法人员可将隐患定为重大事故隐患。"))
    changes: dict[str, Any] = {"grade": grade, "graded_at": timezone.now()}
    changes["graded_by"] = actor if getattr(actor, "is_authenticated", False) else None
    if checklist_items is not None:
        changes["checklist_items"], changes["proposed_grade"] = _proposal(checklist_items)
    with transaction.atomic():
        to_status = S.GRADED if hazard.status == S.REPORTED else None
        graded = _transition(
            hazard,
            actor=actor,
            allowed_from=(S.REPORTED, S.GRADED, S.ASSIGNED, S.RECTIFYING, S.RECTIFIED),
            to_status=to_status,
            action="grade",
            note=f"{HazardGrade(grade).label} {note}".strip(),
            **changes,
        )
        if grade == HazardGrade.MAJOR and graded.supervision_level == 0:
            graded = _list(graded, actor=actor, reason=_("重大事故隐患"))
    return graded


def assign_hidden_hazard(
    hazard: HiddenHazard,
    *,
    actor: Any,
    responsible_person: str,
    deadline: datetime.date,
    funding_cny: Decimal | None = None,
    measures: str = "",
) -> HiddenHazard:
    """Assign rectification: responsible person, deadline (date) and funding (CNY, exact).

    Allowed after grading; re-assigning (new deadline) is allowed until rectified. A new
    deadline lies between today (local) and 5 years ahead: a deadline already past when it
    is set is a typo (an overdue hazard is one whose deadline passed *after* assignment);
    re-assigning with the deadline unchanged keeps it even once it has passed.

    Raises:
        ValidationError: missing person/deadline, a new deadline in the past or more than
            5 years ahead, negative funding, wrong state.
        PermissionDenied: outside scope.
    """
    ensure_scope(actor, HiddenHazard, "change", hazard.enterprise)
    errors = {}
    if not responsible_person.strip():
        errors["responsible_person"] = _("须填写整改责任人。")
    if deadline is None:
        errors["deadline"] = _("须填写整改期限。")
    elif deadline != hazard.deadline and (
        error := planned_date_error(deadline, not_before=timezone.localdate())
    ):
        errors["deadline"] = error
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _transition(
            hazard,
            actor=actor,
            allowed_from=(S.GRADED, S.ASSIGNED, S.RECTIFYING),
            to_status=S.ASSIGNED if hazard.status == S.GRADED else None,
            action="assign",
            note=f"{responsible_person} {deadline.isoformat()} {funding_cny or ''}".strip(),
            responsible_person=responsible_person.strip(),
            deadline=deadline,
            funding_cny=funding_cny,
            measures=measures,
            assigned_at=timezone.now(),
        )


def record_rectification_progress(hazard: HiddenHazard, *, actor: Any, progress: str) -> HiddenHazard:
    """Record rectification progress (text); moves an assigned hazard to rectifying.

    Raises:
        ValidationError: empty text or wrong state. PermissionDenied: outside scope.
    """
    ensure_scope(actor, HiddenHazard, "change", hazard.enterprise)
    if not progress.strip():
        raise ValidationError({"progress": _("须填写整改进展。")})
    with transaction.atomic():
        return _transition(
            hazard,
            actor=actor,
            allowed_from=(S.ASSIGNED, S.RECTIFYING),
            to_status=S.RECTIFYING,
            action="progress",
            note=progress,
            progress=progress,
        )


def complete_rectification(hazard: HiddenHazard, *, actor: Any, note: str = "") -> HiddenHazard:
    """Declare the rectification done (the actor becomes ``rectified_by``); awaits verification.

    Raises:
        ValidationError: wrong state. PermissionDenied: outside scope.
    """
    ensure_scope(actor, HiddenHazard, "change", hazard.enterprise)
    with transaction.atomic():
        return _transition(
            hazard,
            actor=actor,
            allowed_from=(S.ASSIGNED, S.RECTIFYING),
            to_status=S.RECTIFIED,
            action="complete",
            note=note,
            rectified_by=actor if getattr(actor, "is_authenticated", False) else None,
            rectified_at=timezone.now(),
        )


def verify_hidden_hazard(hazard: HiddenHazard, *, actor: Any, passed: bool, note: str = "") -> HiddenHazard:
    """Verify (验收) a rectification: passed → verified; failed → back to rectifying.

    Raises:
        PermissionDenied: no officer ``risk.verify_hiddenhazard`` right, or the actor is the
            person who completed the rectification.
        ValidationError: wrong state.
    """
    if not _officer_right(actor, "verify", hazard):
        raise PermissionDenied(_("只有执法人员可验收隐患整改。"))
    if actor is not None and hazard.rectified_by_id == actor.pk:
        raise PermissionDenied(_("验收人不能是整改完成人。"))
    with transaction.atomic():
        return _transition(
            hazard,
            actor=actor,
            allowed_from=(S.RECTIFIED,),
            to_status=S.VERIFIED if passed else S.RECTIFYING,
            action="verify" if passed else "reject",
            note=note,
            verification_note=note,
            verified_by=actor if passed and getattr(actor, "is_authenticated", False) else None,
            verified_at=timezone.now() if passed else None,
        )


def close_hidden_hazard(hazard: HiddenHazard, *, actor: Any, note: str = "") -> HiddenHazard:
    """Close (销号) a verified hazard; ends its listed supervision.

    Raises:
        PermissionDenied: no officer ``risk.verify_hiddenhazard`` right. ValidationError: not verified.
    """
    if not _officer_right(actor, "verify", hazard):
        raise PermissionDenied(_("只有执法人员可销号。"))
    with transaction.atomic():
        return _transition(
            hazard,
            actor=actor,
            allowed_from=(S.VERIFIED,),
            to_status=S.CLOSED,
            action="close",
            note=note,
            closed_at=timezone.now(),
        )


def _list(hazard: HiddenHazard, *, actor: Any, reason: str) -> HiddenHazard:
    return _transition(
        hazard,
        actor=actor,
        allowed_from=(),
        to_status=None,
        action="list",
        note=reason,
        supervision_level=1,
        listed_at=timezone.now(),
        listed_reason=reason[:120],
    )


def list_for_supervision(hazard: HiddenHazard, *, actor: Any, reason: str) -> HiddenHazard:
    """List an open hazard for supervision (挂牌督办) by hand; no-op when already listed.

    Raises:
        PermissionDenied: no officer ``risk.supervise_hiddenhazard`` right. ValidationError: closed.
    """
    if not _officer_right(actor, "supervise", hazard):
        raise PermissionDenied(_("只有执法人员可挂牌督办。"))
    with transaction.atomic():
        locked = HiddenHazard.objects.select_for_update().get(pk=hazard.pk)
        if locked.status == S.CLOSED:
            raise ValidationError({"status": _("已销号的隐患不能挂牌。")})
        if locked.supervision_level > 0:
            return locked
        return _list(locked, actor=actor, reason=reason or _("人工挂牌"))


def expected_supervision_level(hazard: HiddenHazard, today: datetime.date, escalate_after_days: int) -> int:
    """Supervision level an open hazard should have on ``today`` (0..3).

    1 when major or past its deadline; +1 for each full ``escalate_after_days`` past the
    deadline; at most ``MAX_SUPERVISION_LEVEL``. Closed hazards: their current level (never lowered).
    """
    if hazard.status == S.CLOSED:
        return hazard.supervision_level
    level = 1 if hazard.grade == HazardGrade.MAJOR else 0
    if hazard.deadline is not None and today > hazard.deadline and hazard.status != S.VERIFIED:
        overdue = (today - hazard.deadline).days
        level = max(level, 1) + overdue // max(escalate_after_days, 1)
    return min(max(level, hazard.supervision_level), MAX_SUPERVISION_LEVEL)


def escalate_hidden_hazard(hazard_id: int, *, today: datetime.date, actor: Any = None) -> HiddenHazard | None:
    """Bring one hazard's supervision to its expected level (idempotent: no change, no write).

    Called by the periodic task for every open hazard that is major or past its deadline.

    Returns:
        The hazard when it changed, else None.
    """
    risk_settings = RiskSettings.load()
    with transaction.atomic():
        locked = (
            HiddenHazard.objects.select_for_update(of=("self",))
            .select_related("enterprise__division")
            .get(pk=hazard_id)
        )
        target = expected_supervision_level(locked, today, risk_settings.escalate_after_days)
        if target <= locked.supervision_level:
            return None
        reason = (
            _("重大事故隐患")
            if locked.grade == HazardGrade.MAJOR and not (locked.deadline and today > locked.deadline)
            else _("逾期未整改(期限 %(d)s)") % {"d": locked.deadline}
        )
        changes: dict[str, Any] = {"supervision_level": target}
        if locked.supervision_level == 0:
            changes.update(listed_at=timezone.now(), listed_reason=str(reason)[:120])
        return _transition(
            locked,
            actor=actor,
            allowed_from=(),
            to_status=None,
            action="list" if locked.supervision_level == 0 else "escalate",
            note=f"{reason} → {target}",
            **changes,
        )


def _inspect_image(upload: UploadedFile) -> str:
    """Content type of an uploaded photo after Pillow has parsed and verified it.

    ``Image.open`` with only the JPEG/PNG/GIF/WebP decoders (the magic bytes are not trusted
    alone), the pixel count capped at ``MAX_PHOTO_PIXELS`` before anything is decoded (a
    decompression bomb: a small file declaring a huge canvas; Pillow's own
    ``DecompressionBombWarning``/``Error`` count as errors too), then ``verify()`` (structure
    and checksums: a truncated or corrupt file fails).

    Raises:
        ValidationError: ``{"image": ...}`` naming the problem.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(_PIL_TYPES)) as img:
                content_type = _PIL_TYPES[str(img.format)]
                width, height = img.size
                if width * height > MAX_PHOTO_PIXELS:
                    raise ValidationError({"image": _too_many_pixels(width, height)})
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError({"image": _("图片像素过多，疑似解压炸弹 (decompression bomb)")}) from exc
    except UnidentifiedImageError as exc:
        raise ValidationError({"image": _("只接受 JPEG、PNG、GIF 或 WebP 图片。")}) from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise ValidationError({"image": _("图片文件已损坏或不完整 (corrupt image)")}) from exc
    finally:
        upload.seek(0)
    return content_type


def _too_many_pixels(width: int, height: int) -> str:
    return _("图片像素过多(%(w)s×%(h)s，上限%(max)s万像素) (too many pixels)") % {
        "w": width,
        "h": height,
        "max": MAX_PHOTO_PIXELS // 10_000,
    }


def _declared_type_matches(declared: str | None, content_type: str) -> bool:
    """Whether the client's declared content type agrees with the detected one.

    No declaration or ``application/octet-stream`` (generic API clients) is accepted; common
    aliases (``image/jpg``, ``image/pjpeg``, ``image/x-png``) count as their type.
    """
    value = (declared or "").split(";")[0].strip().lower()
    if value in ("", "application/octet-stream"):
        return True
    return _TYPE_ALIASES.get(value, value) == content_type


def add_hidden_hazard_photo(
    hazard: HiddenHazard, *, actor: Any, stage: str, image: UploadedFile
) -> HiddenHazardPhoto:
    """Attach a photo before or after rectification (image types only, at most 5 MiB).

    The type is decided from the file's content, parsed and verified by Pillow (JPEG, PNG,
    GIF, WebP; at most ``MAX_PHOTO_PIXELS`` pixels), not from its name or declared type:
    the name's extension and the declared content type must agree with it. Stored under
    ``MEDIA_ROOT/risk/hazards/YYYY/MM/``.

    Raises:
        ValidationError: not an image, corrupt, too large (bytes or pixels), extension or
            declared type not matching, unknown stage, hazard closed.
        PermissionDenied: outside scope.
    """
    ensure_scope(actor, HiddenHazard, "change", hazard.enterprise)
    if stage not in PhotoStage.values:
        raise ValidationError({"stage": _("阶段须为整改前或整改后。")})
    if image.size is None or image.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("照片不能超过 5 MB。")})
    content_type = _inspect_image(image)
    name = (image.name or "").lower()
    if not name.endswith(_IMAGE_EXTENSIONS[content_type]):
        raise ValidationError({"image": _("文件扩展名与图片类型不符。")})
    declared = getattr(image, "content_type", None)
    if not _declared_type_matches(declared, content_type):
        raise ValidationError(
            {
                "image": _("声明的类型 %(declared)s 与图片实际类型 %(actual)s 不符 (content type mismatch)")
                % {"declared": declared, "actual": content_type}
            }
        )
    if hazard.status == S.CLOSED:
        raise ValidationError({"status": _("已销号的隐患不能再上传照片。")})
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        photo = HiddenHazardPhoto(hazard=hazard, stage=stage, image=image, content_type=content_type)
        photo.uploaded_by = user
        photo.full_clean()
        photo.save()
        # The audit snapshot cannot serialise a FileField: the photo is audited through its
        # timeline event (a ChangeRecord of the event names the stored file).
        _event(hazard, actor, "photo", hazard.status, hazard.status, f"{stage} {photo.image.name}")
    return photo
