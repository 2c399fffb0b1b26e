"""Import target of the ``rescue-team-members`` kind (队员名册 → :class:`TeamMember`).

The engine checks ID numbers (GB 11643-1999), phones, sex and birth date against the ID;
here the 所属队伍 is resolved by name within the uploader's scope and the member is added
through ``services.add_team_member`` (audited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yingji.apps.audit.services import record_change
from yingji.apps.core.imports.registry import ImportRowError, RowChecks, register_import_kind, scope_allows
from yingji.apps.resources import services
from yingji.apps.resources.models import RescueTeam, TeamMember

MEMBER_KIND = "rescue-team-members"
MEMBER_PERMISSION = "resources.add_teammember"
MEMBER_TEMPLATE_COLUMNS = ("姓名", "身份证号", "性别", "出生日期", "联系电话", "所属队伍", "专业技能", "乡镇")
MEMBER_FIELD_COLUMN = {
    "name": "name",
    "id_number": "id_number",
    "sex": "sex",
    "birth_date": "birth_date",
    "phone": "phone",
}


def _member_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": values.get("name") or "",
        "id_number": values.get("id_number") or "",
        "sex": values.get("sex") or "",
        "birth_date": values.get("birth_date") or None,
        "phone": values.get("phone") or "",
        "skills": values.get("skills") or "",
        "is_demo": False,
    }


def member_existing_keys(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """ID numbers already registered: ``{(id_number,): "已登记的队员 姓名(队伍)"}``."""
    ids = {str(k[0]) for k in keys if k and k[0]}
    return {
        (idn,): f"已登记的队员 {name}({team})"
        for idn, name, team in TeamMember.objects.filter(id_number__in=ids).values_list(
            "id_number", "name", "team__name"
        )
    }


def _teams(rows: Sequence[Mapping[str, Any]]) -> dict[str, RescueTeam]:
    names = {str(r["values"].get("team") or "") for r in rows}
    return {t.name: t for t in RescueTeam.objects.select_related("division").filter(name__in=names)}


def member_check_rows(rows: Sequence[Mapping[str, Any]], *, actor: Any) -> RowChecks:
    """The 所属队伍 names a registered team within the uploader's scope; model validation passes."""
    checks = RowChecks()
    teams = _teams(rows)
    for entry in rows:
        row, values = int(entry["row"]), entry["values"]
        team = teams.get(str(values.get("team") or ""))
        if team is None:
            checks.error(row, "team", f"未登记的救援队伍“{values.get('team')}” (unknown team)")
            continue
        if not scope_allows(actor, MEMBER_PERMISSION, team.division.code):
            checks.error(row, "team", f"无权登记{team.name}的队员 (outside your scope)")
            continue
        try:
            TeamMember(team=team, **_member_fields(values)).full_clean(
                exclude=["team"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                checks.error(row, MEMBER_FIELD_COLUMN.get(field, field), " ".join(messages))
    return checks


def member_commit(rows: Sequence[Mapping[str, Any]], *, actor: Any, job: Any) -> dict[str, Any]:
    """Add one member per row via ``services.add_team_member`` (audited each).

    Raises:
        ImportRowError: unknown team or the model rejects the row (duplicate ID number...).
    """
    teams = _teams(rows)
    count = 0
    for entry in rows:
        row, values = int(entry["row"]), entry["values"]
        team = teams.get(str(values.get("team") or ""))
        if team is None:
            raise ImportRowError(row, {"team": ["未登记的救援队伍"]})
        try:
            services.add_team_member(actor=actor, team=team, **_member_fields(values))
        except ValidationError as exc:
            raise ImportRowError(
                row, {MEMBER_FIELD_COLUMN.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
        count += 1
    return {"created": count}


def register() -> None:
    """Register ``rescue-team-members`` with the core import registry."""
    register_import_kind(
        MEMBER_KIND,
        label=_("应急救援队伍人员"),
        permission=MEMBER_PERMISSION,
        commit=member_commit,
        existing_keys=member_existing_keys,
        template_columns=MEMBER_TEMPLATE_COLUMNS,
        record_change=record_change,
        check_rows=member_check_rows,
    )
