"""Registry of import targets: which app stores the rows of each engine kind, and how.

Core is the lowest app layer and imports no other app. An app that owns the target
model of an engine kind (``yingji.engines.normalize.schema.KINDS``) calls
:func:`register_import_kind` from its ``AppConfig.ready()``. A kind the engine declares
but no app registered yet can still be previewed (``yingji import preview``) but not
uploaded or imported: :func:`get_import_kind` raises :class:`NoImportTarget`
("kind X has no import target yet").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yingji.apps.core.querysets import organisation_bound
from yingji.engines.normalize.schema import KINDS

# seeing the import pages and one's own jobs (re-exported by services)
VIEW_PERMISSION = "core.view_importjob"

# A row handed to hooks: {"row": Excel row number, "values": {engine column: normalised value}}.
Row = Mapping[str, Any]
Key = tuple[str, ...]


class UnknownImportKind(ValueError):
    """The kind is not declared by the normalize engine (message lists the known kinds)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"未知的导入类型“{kind}”;可用: {', '.join(sorted(KINDS))} (unknown kind)")
        self.kind = kind


class NoImportTarget(ValueError):
    """The engine declares the kind but no app has registered where its rows go."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"“{kind}”尚无导入目标,只能预览 (kind {kind} has no import target yet)")
        self.kind = kind


class ImportRowError(Exception):
    """Raised by a kind's ``commit`` when one row cannot be stored.

    Attributes:
        row: Excel row number of the offending row.
        messages: ``{engine column or "__all__": [message, ...]}``.
    """

    def __init__(self, row: int, messages: Mapping[str, Sequence[str]]) -> None:
        self.row = row
        self.messages = {k: list(v) for k, v in messages.items()}
        text = "; ".join(f"{k}: {' '.join(v)}" for k, v in self.messages.items())
        super().__init__(f"第{row}行: {text}")


@dataclass
class RowChecks:
    """What a kind's ``check_rows`` found beyond the engine (database-backed checks).

    Attributes:
        errors: ``{row: [(column, reason), ...]}`` → the row is rejected.
        duplicates: ``{row: same_as}`` (an earlier row number or a reference to a stored
            record) → the row is listed as a duplicate and not imported.
        warnings: ``{row: [(column, message), ...]}``.
        notes: file-level remarks (e.g. columns read but not stored by this target).
    """

    errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    duplicates: dict[int, int | str] = field(default_factory=dict)
    warnings: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def error(self, row: int, column: str, reason: str) -> None:
        """Add a rejection of ``row`` on ``column``."""
        self.errors.setdefault(row, []).append((column, reason))

    def warn(self, row: int, column: str, message: str) -> None:
        """Add a warning on ``row``/``column``."""
        self.warnings.setdefault(row, []).append((column, message))


CommitFn = Callable[..., Mapping[str, Any]]
ExistingKeysFn = Callable[[Sequence[Key]], Mapping[Key, str]]
CheckRowsFn = Callable[..., RowChecks]
RecordChangeFn = Callable[..., Any]
# display(column, value) -> the clerk's label of a stored value, or None for the default
DisplayFn = Callable[[str, Any], "str | None"]


@dataclass(frozen=True)
class ImportKind:
    """An engine kind bound to its target.

    Attributes:
        kind: engine kind name (``"shelters"``).
        label: what the clerk sees (``"应急避难场所"``; a lazy translation, shown in the
            current language).
        permission: the permission needed to import (``"resources.add_shelter"``), on top
            of ``core.add_importjob``.
        commit: ``commit(rows, *, actor, job) -> {"created": int, ...}``: store every row
            (called inside the import's transaction; raise :class:`ImportRowError` or
            ``ValidationError``/``DatabaseError`` to roll everything back).
        existing_keys: ``existing_keys(keys) -> {key: reference}`` for engine duplicate keys
            already stored (the engine lists them as duplicates).
        template_columns: header labels of the downloadable template, in order.
        record_change: the audit writer (``audit.services.record_change``), injected because
            core may not import the audit app.
        check_rows: optional ``check_rows(rows, *, actor) -> RowChecks`` run after the engine
            at preview and again at commit (``actor`` None from the CLI: no scope checks).
            At preview it also runs on the rows the engine rejected (``partial`` rows: the
            values of the columns that failed are None); only its errors on columns that
            parsed are listed for them.
        display: optional ``display(column, value) -> str | None``: the label the preview
            page shows for a stored value (``bureau`` → ``县应急管理局``); None falls back
            to :func:`display_value`'s default. Stored values stay the codes.
    """

    kind: str
    label: Any
    permission: str
    commit: CommitFn
    existing_keys: ExistingKeysFn
    template_columns: tuple[str, ...]
    record_change: RecordChangeFn
    check_rows: CheckRowsFn | None = None
    display: DisplayFn | None = None


_REGISTRY: dict[str, ImportKind] = {}


def register_import_kind(
    kind: str,
    *,
    label: Any,
    permission: str,
    commit: CommitFn,
    existing_keys: ExistingKeysFn,
    template_columns: Sequence[str],
    record_change: RecordChangeFn,
    check_rows: CheckRowsFn | None = None,
    display: DisplayFn | None = None,
) -> ImportKind:
    """Register the import target of engine kind ``kind`` (call from ``AppConfig.ready()``).

    Registering the same kind again replaces the earlier entry (``ready()`` may run twice
    in tests).

    Returns:
        The :class:`ImportKind`.

    Raises:
        UnknownImportKind: ``kind`` is not declared by the engine.
        ValueError: empty ``template_columns`` or a malformed ``permission``.
    """
    if kind not in KINDS:
        raise UnknownImportKind(kind)
    if not template_columns:
        raise ValueError("template_columns must name at least one column")
    if "." not in permission:
        raise ValueError(f"permission {permission!r} must look like 'app.codename'")
    entry = ImportKind(
        kind=kind,
        label=label,
        permission=permission,
        commit=commit,
        existing_keys=existing_keys,
        template_columns=tuple(template_columns),
        record_change=record_change,
        check_rows=check_rows,
        display=display,
    )
    _REGISTRY[kind] = entry
    return entry


def unregister_import_kind(kind: str) -> None:
    """Remove a registration (tests only); unknown kinds are ignored."""
    _REGISTRY.pop(kind, None)


def get_import_kind(kind: str) -> ImportKind:
    """The registered target of ``kind``.

    Raises:
        UnknownImportKind: the engine does not declare ``kind``.
        NoImportTarget: declared by the engine, registered by no app.
    """
    if kind not in KINDS:
        raise UnknownImportKind(kind)
    entry = _REGISTRY.get(kind)
    if entry is None:
        raise NoImportTarget(kind)
    return entry


def registered_kind(kind: str) -> ImportKind | None:
    """The registered target of ``kind`` or None (no error for unknown kinds)."""
    return _REGISTRY.get(kind)


def all_kinds() -> list[dict[str, Any]]:
    """Every engine kind with its registration: ``[{"kind", "label", "registered",
    "permission"}]`` in engine order (label from the app, else from the engine)."""
    out = []
    for name, spec in KINDS.items():
        entry = _REGISTRY.get(name)
        out.append(
            {
                "kind": name,
                "label": str(entry.label) if entry else spec.title,
                "registered": entry is not None,
                "permission": entry.permission if entry else None,
            }
        )
    return out


def column_labels(kind: str) -> dict[str, str]:
    """``{engine column name: label}`` of ``kind`` (``{}`` for unknown kinds)."""
    spec = KINDS.get(kind)
    return {c.name: c.label for c in spec.columns} if spec else {}


def display_value(kind: str, column: str, value: Any) -> str:
    """What the preview page shows for the stored ``value`` of ``column`` of ``kind``.

    The registered ``display`` hook first (None from it: the default); by default None is
    ``""``, booleans are 是/否 (translated) and anything else is ``str(value)``.
    """
    if value is None:
        return ""
    entry = _REGISTRY.get(kind)
    if entry is not None and entry.display is not None:
        shown = entry.display(column, value)
        if shown is not None:
            return str(shown)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def template_header(kind: str) -> tuple[str, ...]:
    """Header labels of the template of ``kind``: the registered ``template_columns``,
    else the engine's column labels.

    Raises:
        UnknownImportKind: the engine does not declare ``kind``.
    """
    if kind not in KINDS:
        raise UnknownImportKind(kind)
    entry = _REGISTRY.get(kind)
    if entry is not None:
        return entry.template_columns
    return tuple(c.label for c in KINDS[kind].columns)


def scope_allows(actor: Any, permission: str, division_code: str, organization_id: int | None = None) -> bool:
    """Whether ``actor`` holds ``permission`` for a record in division ``division_code``
    (12 digits) that belongs to organisation ``organization_id`` (None: to no organisation).

    Uses the user's ``permission_scopes(perm)`` (``None`` = unrestricted, else
    ``[(code prefix, organisation id or None)]``). A scope covers the record when the
    division code starts with its prefix and it is either a division grant (organisation
    None) or a grant bound to that very organisation: an enterprise safety manager may
    write their own enterprise's records, never a whole division's nor another
    enterprise's. ``actor`` None (system, e.g. the CLI) is allowed.
    """
    if actor is None:
        return True
    if not actor.has_perm(permission):
        return False
    scopes_of = getattr(actor, "permission_scopes", None)
    if scopes_of is None:
        return True
    scopes = scopes_of(permission)
    if scopes is None:
        return True
    return any(
        division_code.startswith(prefix)
        and (org is None or (organization_id is not None and org == organization_id))
        for prefix, org in scopes
    )


def kinds_for(user: Any) -> list[dict[str, Any]]:
    """The kinds ``user`` is shown, shaped like :func:`all_kinds`: the registered kinds whose
    permission the user holds (an enterprise safety manager: ``enterprise-inventory`` and
    ``monitoring-points``, never shelters or members) and, for users not bound to one
    organisation, the kinds without a target (previewable on the command line only)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    bound = organisation_bound(user, VIEW_PERMISSION)
    return [
        k
        for k in all_kinds()
        if (k["registered"] and user.has_perm(k["permission"])) or (not k["registered"] and not bound)
    ]


def kind_visible_to(user: Any, kind: str) -> bool:
    """Whether :func:`kinds_for` lists ``kind`` for ``user``."""
    return any(k["kind"] == kind for k in kinds_for(user))
