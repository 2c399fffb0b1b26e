"""Write use cases of the enterprise safety ledger, units, inventories and risk points.

Every function validates with ``full_clean``, writes in one transaction and records a
``ChangeRecord`` in the same transaction. Inventory changes recompute their unit's
GB 18218-2018 assessment in that transaction too. Hidden hazards: ``hazard_services``.

``actor`` is the acting user (None for system callers: loaders, demo data, tasks). When
it is a user, writes are checked against the scope of their grant (an enterprise safety
manager may only write records of their own enterprise): ``PermissionDenied`` otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.apps.audit.services import record_change, snapshot
from yingji.apps.core.querysets import permission_name
from yingji.apps.directory import services as directory_services
from yingji.apps.directory.geo import coordinate_errors
from yingji.apps.directory.models import AdministrativeDivision, Organization, OrganizationKind
from yingji.apps.risk.models import (
    ChemicalInventory,
    EnterpriseProfile,
    Licence,
    ProductionUnit,
    RiskMethod,
    RiskPoint,
    RiskSettings,
    SafetyManager,
    SpecialEquipment,
)
from yingji.engines.normalize.ids import parse_uscc
from yingji.engines.risk import (
    AmbiguousSubstanceError,
    InvalidCASError,
    RiskInputError,
    SubstanceInput,
    UnknownSubstanceError,
    assess_unit,
    evaluate_lec,
    evaluate_ls,
    normalize_cas,
    resolve_threshold,
)

_SIX_PLACES = Decimal("0.000001")
# Ledger sub-records without domain rules of their own (create/update/delete through the helpers).
LEDGER_MODELS: tuple[type[models.Model], ...] = (SafetyManager, Licence, SpecialEquipment)


# --------------------------------------------------------------------------- scope


def ensure_scope(actor: Any, model: type[models.Model], action: str, enterprise: Organization) -> None:
    """Refuse unless ``actor`` holds ``risk.<action>_<model>`` in a scope covering ``enterprise``.

    A scope ``(division prefix, organisation id)`` covers the enterprise when its division
    code starts with the prefix and the organisation (if any) is the enterprise itself.
    ``actor=None`` (system) is always allowed.

    Raises:
        PermissionDenied: the actor lacks the permission or the enterprise is outside its scopes.
    """
    if actor is None:
        return
    scopes = actor.permission_scopes(permission_name(model, action))
    if scopes is None:
        return
    code = enterprise.division.code
    for prefix, org_id in scopes:
        if code.startswith(prefix or "") and (org_id is None or org_id == enterprise.pk):
            return
    raise PermissionDenied(_("无权操作该企业的记录。"))


def check_enterprise(enterprise: Any) -> None:
    """Raise ``ValidationError({"enterprise": ...})`` unless ``enterprise`` is an enterprise Organization."""
    if not isinstance(enterprise, Organization) or enterprise.kind != OrganizationKind.ENTERPRISE:
        raise ValidationError({"enterprise": _("须为企业。")})


def _decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_SIX_PLACES)


# --------------------------------------------------------------------------- enterprise ledger


def county_division() -> AdministrativeDivision | None:
    """The deployment's county (``settings.YINGJI_COUNTY_CODE``), newest edition, or None."""
    return (
        AdministrativeDivision.objects.filter(code=settings.YINGJI_COUNTY_CODE)
        .order_by("-edition_year")
        .first()
    )


def validate_location_in_county(lon: float | None, lat: float | None) -> None:
    """Check a WGS84 point: both coordinates or neither, in range, inside (or on) the county
    boundary (``directory.geo.coordinate_errors``; skipped when the county has no boundary).

    Raises:
        ValidationError: ``{"lon": ..., "lat": ...}`` out of range, half given, or outside the county.
    """
    if errors := coordinate_errors(lon, lat):
        raise ValidationError(errors)


def validate_uscc(value: str) -> str:
    """Normalise a unified social credit code and check its check character (GB 32100-2015).

    Returns:
        The 18-character code ("" for empty input).

    Raises:
        ValidationError: ``{"uscc": reason}`` (length, alphabet or check character).
    """
    if not value:
        return ""
    result = parse_uscc(value)
    if not result.valid or result.value is None:
        raise ValidationError({"uscc": result.error or _("统一社会信用代码无效。")})
    return result.value


_ORG_FIELDS = ("uscc", "address", "lon", "lat")
_PROFILE_FIELDS = (
    "industry_code",
    "industry_name",
    "legal_representative",
    "legal_representative_phone",
    "employees",
    "is_demo",
)


def save_enterprise_ledger(*, actor: Any, enterprise: Organization, **fields: Any) -> EnterpriseProfile:
    """Create or update an enterprise's ledger header; audited.

    Args:
        enterprise: the ``Organization`` (kind enterprise).
        fields: ledger fields (``industry_code`` GB/T 4754, ``industry_name``,
            ``legal_representative``, ``legal_representative_phone``, ``employees``, ``is_demo``)
            and registry fields kept on the organisation: ``uscc`` (GB 32100 check character
            verified), ``address``, ``lon``/``lat`` (WGS84, must lie inside the county).

    Raises:
        ValidationError: field errors (nothing written). PermissionDenied: outside the actor's scope.
        TypeError: an unknown field.
    """
    unknown = set(fields) - set(_ORG_FIELDS) - set(_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown ledger fields: {sorted(unknown)}")
    check_enterprise(enterprise)
    profile = EnterpriseProfile.objects.filter(enterprise=enterprise).first()
    ensure_scope(actor, EnterpriseProfile, "change" if profile else "add", enterprise)
    org_changes = {k: v for k, v in fields.items() if k in _ORG_FIELDS}
    errors: dict[str, list[str]] = {}
    if "uscc" in org_changes:
        try:
            org_changes["uscc"] = validate_uscc(org_changes["uscc"] or "")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "lon" in org_changes or "lat" in org_changes:
        try:
            validate_location_in_county(
                org_changes.get("lon", enterprise.lon), org_changes.get("lat", enterprise.lat)
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    with transaction.atomic():
        before = snapshot(profile) if profile else None
        if profile is None:
            profile = EnterpriseProfile(enterprise=enterprise)
        for key in _PROFILE_FIELDS:
            if key in fields:
                setattr(profile, key, fields[key])
        try:
            profile.full_clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        if org_changes and any(getattr(enterprise, k) != v for k, v in org_changes.items()):
            updated = directory_services.update_organization(enterprise, actor=actor, **org_changes)
            for key in org_changes:
                setattr(enterprise, key, getattr(updated, key))
        profile.save()
        record_change(profile, "update" if before else "create", before, actor=actor)
    return profile


def create_ledger_record(model: type[models.Model], *, actor: Any, **fields: Any) -> Any:
    """Add a safety manager, licence or special-equipment record to an enterprise; audited.

    Args:
        model: one of ``LEDGER_MODELS``. fields: its fields (``enterprise`` required).

    Raises:
        ValidationError: field errors. PermissionDenied: outside the actor's scope.
        ValueError: ``model`` not a ledger sub-record.
    """
    if model not in LEDGER_MODELS:
        raise ValueError(f"{model.__name__} is not a ledger sub-record")
    enterprise = fields.get("enterprise")
    check_enterprise(enterprise)
    ensure_scope(actor, model, "add", enterprise)  # type: ignore[arg-type]
    check_unit_owner(fields.get("unit"), enterprise)
    with transaction.atomic():
        obj = model(**fields)
        obj.full_clean()
        obj.save()
        record_change(obj, "create", None, actor=actor)
    return obj


def update_ledger_record(obj: Any, *, actor: Any, **fields: Any) -> Any:
    """Change a ledger sub-record (the enterprise cannot change); audited.

    Raises:
        ValidationError: field errors. PermissionDenied: outside the actor's scope.
    """
    if type(obj) not in LEDGER_MODELS:
        raise ValueError(f"{type(obj).__name__} is not a ledger sub-record")
    fields.pop("enterprise", None)
    ensure_scope(actor, type(obj), "change", obj.enterprise)
    check_unit_owner(fields.get("unit"), obj.enterprise)
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        before = snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked


def delete_ledger_record(obj: Any, *, actor: Any) -> None:
    """Remove a ledger sub-record; audited (the delete record keeps the before image).

    Raises:
        PermissionDenied: the actor lacks ``risk.delete_<model>`` for the enterprise.
    """
    if type(obj) not in LEDGER_MODELS:
        raise ValueError(f"{type(obj).__name__} is not a ledger sub-record")
    ensure_scope(actor, type(obj), "delete", obj.enterprise)
    with transaction.atomic():
        record_change(obj, "delete", snapshot(obj), actor=actor)
        obj.delete()


def check_unit_owner(unit: ProductionUnit | None, enterprise: Any) -> None:
    """Raise ``ValidationError({"unit": ...})`` unless ``unit`` is None or belongs to ``enterprise``."""
    if unit is not None and unit.enterprise_id != getattr(enterprise, "pk", None):
        raise ValidationError({"unit": _("单元不属于该企业。")})


# --------------------------------------------------------------------------- units and inventories


_UNIT_FIELDS = (
    "name",
    "kind",
    "description",
    "exposed_population",
    "exposed_population_source",
    "exposed_population_date",
    "is_demo",
)


def create_unit(*, actor: Any, enterprise: Organization, **fields: Any) -> ProductionUnit:
    """Add a production or storage unit to an enterprise; audited; assessed (S = 0 when empty).

    Args:
        fields: ``name``, ``kind`` (production/storage), ``description``, ``exposed_population``
            (persons within 500 m, GB 18218-2018 Table 5) with ``exposed_population_source``
            and ``exposed_population_date``, ``is_demo``.

    Raises:
        ValidationError: field errors (e.g. duplicate name). PermissionDenied: outside scope.
    """
    check_enterprise(enterprise)
    ensure_scope(actor, ProductionUnit, "add", enterprise)
    with transaction.atomic():
        unit = ProductionUnit(enterprise=enterprise, **{k: v for k, v in fields.items() if k in _UNIT_FIELDS})
        unit.full_clean()
        unit.save()
        record_change(unit, "create", None, actor=actor)
        recompute_unit(unit, actor=actor)
    return unit


def update_unit(unit: ProductionUnit, *, actor: Any, **fields: Any) -> ProductionUnit:
    """Change a unit's description or exposed population; audited; reassessed (α may change).

    Raises:
        ValidationError: field errors. PermissionDenied: outside scope.
    """
    ensure_scope(actor, ProductionUnit, "change", unit.enterprise)
    with transaction.atomic():
        locked = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
        before = snapshot(locked)
        for key, value in fields.items():
            if key in _UNIT_FIELDS:
                setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        if locked.name != before["name"]:
            locked.inventories.update(unit_name=locked.name)
        record_change(locked, "update", before, actor=actor)
        recompute_unit(locked, actor=actor)
    return locked


def recompute_unit(unit: ProductionUnit, *, actor: Any) -> ProductionUnit:
    """Recompute a unit's GB 18218-2018 identification and grading from its inventory lines.

    Calls ``engines.risk.assess_unit`` (S = Σq/Q, 4.2.1; R = α·Σβq/Q, 4.3.2; level, Table 6)
    with the unit's ``exposed_population``, and stores S, R, level and the engine's
    explanation dict on the unit. Run inside the caller's transaction; audited only when
    the result changed. An engine error (should not happen: lines are checked on entry)
    is stored in ``assessment_error`` with S/R cleared.

    Returns:
        The unit with its new assessment.
    """
    lines = list(ChemicalInventory.objects.filter(unit=unit).order_by("substance_name", "pk"))
    substances = [
        SubstanceInput(
            name=line.substance_name,
            quantity_t=line.quantity_t,
            cas=line.cas or None,
            hazard_class=line.hazard_class or None,
            table1_seq=line.table1_seq,
        )
        for line in lines
    ]
    before = snapshot(unit)
    try:
        result = assess_unit(substances, unit.exposed_population)
    except RiskInputError as exc:
        unit.is_major_hazard = False
        unit.identification_s = unit.grading_r = unit.major_hazard_level = None
        unit.assessment = {}
        unit.assessment_error = str(exc)[:300]
    else:
        unit.is_major_hazard = result.is_major_hazard
        unit.identification_s = _decimal(result.S)
        unit.grading_r = _decimal(result.R)
        unit.major_hazard_level = result.level
        unit.assessment = result.to_dict()
        unit.assessment_error = ""
    unit.assessed_at = timezone.now()
    keys = ("is_major_hazard", "identification_s", "grading_r", "major_hazard_level", "assessment")
    changed = any(snapshot(unit)[k] != before[k] for k in (*keys, "assessment_error"))
    unit.save(update_fields=[*keys, "assessment_error", "assessed_at", "updated_at"])
    if changed:
        record_change(unit, "update", before, actor=actor)
    return unit


def match_substance(name: str, cas: str, hazard_class: str) -> tuple[str, int | None, str]:
    """Check CAS (check digit) and match the substance to GB 18218-2018 Table 1 / Table 2.

    Returns:
        ``(normalised CAS, Table 1 row or None, note)``.

    Raises:
        ValidationError: bad CAS, ambiguous or unknown substance, unknown hazard class.
    """
    norm_cas = ""
    if cas:
        try:
            norm_cas = normalize_cas(cas)
        except InvalidCASError as exc:
            raise ValidationError({"cas": _("CAS号无效(校验位或格式错误):%(e)s") % {"e": exc}}) from None
    try:
        choice = resolve_threshold(name, norm_cas or None, hazard_class or None)
    except AmbiguousSubstanceError as exc:
        raise ValidationError(
            {"substance_name": _("名称对应GB 18218表1多行,请填写完整名称:%(e)s") % {"e": exc}}
        ) from None
    except UnknownSubstanceError:
        raise ValidationError(
            {"hazard_class": _("该物质不在GB 18218表1中,须填写危险性类别(表2符号,如W5.3)。")}
        ) from None
    except InvalidCASError as exc:
        raise ValidationError({"cas": str(exc)}) from None
    except RiskInputError as exc:
        raise ValidationError({"hazard_class": _("危险性类别无效:%(e)s") % {"e": exc}}) from None
    seq = int(choice.key) if choice.table == 1 else None
    where = f"表1第{choice.key}行 {choice.row_name}" if seq else f"表2 {choice.key}"
    note = f"{where}, Q={_decimal(choice.threshold_t)} t, {choice.matched_by}"
    if choice.notes:
        note += "; " + "; ".join(choice.notes)
    return norm_cas, seq, note[:300]


def record_inventory(
    *,
    actor: Any,
    enterprise: Organization,
    substance_name: str,
    quantity_t: Decimal,
    unit: ProductionUnit | None = None,
    unit_name: str = "",
    cas: str = "",
    hazard_class: str = "",
    is_demo: bool = False,
) -> ChemicalInventory:
    """Add one inventory line (design maximum quantity, t) to a unit and reassess the unit.

    The unit is ``unit`` or, for callers that pass only ``unit_name``, the enterprise's unit of
    that name (created as a storage unit when missing). The CAS number's check digit is
    verified and the substance matched to GB 18218-2018 Table 1 (CAS, name or alias) or, with
    ``hazard_class``, to Table 2. The unit's S/R/level are recomputed in the same transaction.

    Raises:
        ValidationError: field errors (``cas``, ``substance_name``, ``hazard_class``,
            ``quantity_t``, duplicates), nothing written. PermissionDenied: outside scope.
    """
    check_enterprise(enterprise)
    ensure_scope(actor, ChemicalInventory, "add", enterprise)
    if unit is not None:
        check_unit_owner(unit, enterprise)
    elif not unit_name.strip():
        raise ValidationError({"unit": _("须指定单元。")})
    norm_cas, seq, note = match_substance(substance_name.strip(), cas.strip(), hazard_class.strip())
    with transaction.atomic():
        if unit is None:
            unit = ProductionUnit.objects.filter(enterprise=enterprise, name=unit_name.strip()).first()
            if unit is None:
                unit = create_unit(
                    actor=actor, enterprise=enterprise, name=unit_name.strip(), is_demo=is_demo
                )
        item = ChemicalInventory(
            enterprise=enterprise,
            unit=unit,
            unit_name=unit.name,
            substance_name=substance_name.strip(),
            cas=norm_cas,
            hazard_class=hazard_class.strip(),
            quantity_t=quantity_t,
            table1_seq=seq,
            match_note=note,
            is_demo=is_demo,
        )
        item.full_clean()
        item.save()
        record_change(item, "create", None, actor=actor)
        recompute_unit(unit, actor=actor)
    return item


def update_inventory(item: ChemicalInventory, *, actor: Any, **fields: Any) -> ChemicalInventory:
    """Change an inventory line (substance, CAS, class, quantity, unit) and reassess its unit(s).

    Raises:
        ValidationError: field errors, nothing written. PermissionDenied: outside scope.
    """
    ensure_scope(actor, ChemicalInventory, "change", item.enterprise)
    new_unit = fields.get("unit")
    if new_unit is not None:
        check_unit_owner(new_unit, item.enterprise)
    with transaction.atomic():
        locked = ChemicalInventory.objects.select_for_update().get(pk=item.pk)
        before = snapshot(locked)
        old_unit = locked.unit
        for key in ("substance_name", "cas", "hazard_class", "quantity_t", "unit"):
            if key in fields:
                setattr(locked, key, fields[key])
        locked.unit_name = locked.unit.name
        locked.cas, locked.table1_seq, locked.match_note = match_substance(
            locked.substance_name, locked.cas, locked.hazard_class
        )
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
        recompute_unit(locked.unit, actor=actor)
        if old_unit.pk != locked.unit_id:
            recompute_unit(old_unit, actor=actor)
    return locked


def delete_inventory(item: ChemicalInventory, *, actor: Any) -> None:
    """Remove an inventory line and reassess its unit; audited.

    Raises:
        PermissionDenied: the actor lacks ``risk.delete_chemicalinventory`` for the enterprise.
    """
    ensure_scope(actor, ChemicalInventory, "delete", item.enterprise)
    with transaction.atomic():
        unit = item.unit
        record_change(item, "delete", snapshot(item), actor=actor)
        item.delete()
        recompute_unit(unit, actor=actor)


# --------------------------------------------------------------------------- risk points


def _evaluate(method: str, factors: dict[str, Any], risk_settings: RiskSettings) -> tuple[dict, dict]:
    """Run LEC or LS with the county settings; ``(inputs as text, result dict)``.

    Raises:
        ValidationError: a factor missing or not an allowed score.
    """
    keys = ("L", "E", "C") if method == RiskMethod.LEC else ("L", "S")
    missing = [k for k in keys if factors.get(k) in (None, "")]
    if missing:
        raise ValidationError({k: _("须填写。") for k in missing})
    inputs = {k: str(factors[k]) for k in keys}
    try:
        if method == RiskMethod.LEC:
            result = evaluate_lec(
                Decimal(inputs["L"]),
                Decimal(inputs["E"]),
                Decimal(inputs["C"]),
                boundary_rule=risk_settings.lec_boundary_rule,
            ).to_dict()
        else:
            result = evaluate_ls(
                Decimal(inputs["L"]), Decimal(inputs["S"]), variant=risk_settings.ls_variant
            ).to_dict()
    except (RiskInputError, ArithmeticError) as exc:
        raise ValidationError({"method": _("评价因子无效:%(e)s") % {"e": exc}}) from None
    return inputs, result


_POINT_FIELDS = ("unit", "name", "hazards", "controls", "responsible_person", "method", "is_demo")


def _apply_evaluation(point: RiskPoint, factors: dict[str, Any], residual: dict[str, Any] | None) -> None:
    risk_settings = RiskSettings.load()
    point.inputs, point.result = _evaluate(point.method, factors, risk_settings)
    point.grade, point.colour = point.result["grade"], point.result["colour"]
    if residual and any(v not in (None, "") for v in residual.values()):
        point.residual_inputs, point.residual_result = _evaluate(point.method, residual, risk_settings)
        point.residual_grade = point.residual_result["grade"]
        point.residual_colour = point.residual_result["colour"]
    else:
        point.residual_inputs, point.residual_result = {}, {}
        point.residual_grade, point.residual_colour = None, ""


def create_risk_point(
    *,
    actor: Any,
    enterprise: Organization,
    factors: dict[str, Any],
    residual: dict[str, Any] | None = None,
    **fields: Any,
) -> RiskPoint:
    """Add a risk point and grade it by LEC (D = L·E·C) or LS (R = L·S) with the county settings.

    Args:
        factors: ``{"L", "E", "C"}`` (LEC scores) or ``{"L", "S"}`` (LS 1..5), numbers or text.
        residual: the same factors after control measures (optional): residual risk.
        fields: ``name``, ``hazards``, ``controls``, ``responsible_person``, ``method``
            (lec/ls), ``unit``, ``is_demo``.

    Raises:
        ValidationError: field errors or a score not in the method's table.
        PermissionDenied: outside scope.
    """
    check_enterprise(enterprise)
    ensure_scope(actor, RiskPoint, "add", enterprise)
    check_unit_owner(fields.get("unit"), enterprise)
    point = RiskPoint(enterprise=enterprise, **{k: v for k, v in fields.items() if k in _POINT_FIELDS})
    if point.method not in RiskMethod.values:
        raise ValidationError({"method": _("评价方法须为 LEC 或 LS。")})
    _apply_evaluation(point, factors, residual)
    with transaction.atomic():
        point.full_clean()
        point.save()
        record_change(point, "create", None, actor=actor)
    return point


def update_risk_point(
    point: RiskPoint,
    *,
    actor: Any,
    factors: dict[str, Any] | None = None,
    residual: dict[str, Any] | None = None,
    **fields: Any,
) -> RiskPoint:
    """Change a risk point and re-grade it (factors default to the stored ones); audited.

    Raises:
        ValidationError: field errors. PermissionDenied: outside scope.
    """
    ensure_scope(actor, RiskPoint, "change", point.enterprise)
    check_unit_owner(fields.get("unit"), point.enterprise)
    with transaction.atomic():
        locked = RiskPoint.objects.select_for_update().get(pk=point.pk)
        before = snapshot(locked)
        for key, value in fields.items():
            if key in _POINT_FIELDS:
                setattr(locked, key, value)
        _apply_evaluation(
            locked,
            factors if factors is not None else dict(locked.inputs),
            residual if residual is not None else dict(locked.residual_inputs),
        )
        locked.full_clean()
        locked.save()
        record_change(locked, "update", before, actor=actor)
    return locked
