"""``yingji import preview KIND FILE [--json]``: the import dry run on the command line.

Prints what an upload of FILE as KIND would import; writes nothing. When the platform
database is reachable and an app registered the kind's target, duplicates are also
checked against the stored records (and the target's row checks run); otherwise only
within the file. Exit 0 when the file was read (even with rejected rows), 2 for a usage
error, an unknown kind, an empty, unreadable or non-regular file (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from yingji.cli import setup_django
from yingji.engines.normalize.schema import KINDS, preview

CONTRACT_KEYS = (
    "encoding",
    "sheet",
    "ignored_sheets",
    "header",
    "imported",
    "rejected",
    "warnings",
    "duplicates",
)


def register(sub: Any) -> None:
    """Add the ``import`` command (subcommand ``preview``)."""
    imp = sub.add_parser("import", help="数据导入 registry imports (preview: dry run)")
    isub = imp.add_subparsers(dest="import_command", metavar="SUBCOMMAND", parser_class=type(imp))
    pv = isub.add_parser(
        "preview",
        help="preview importing FILE as KIND; nothing is written",
        description=f"KIND: {', '.join(KINDS)}. Exit 0 file read; 2 usage error, unknown kind, bad file.",
    )
    pv.add_argument("kind", metavar="KIND", help=", ".join(KINDS))
    pv.add_argument("file", metavar="FILE", type=Path, help=".xlsx / .xls / HTML-xls / CSV / TSV")
    pv.add_argument("--json", action="store_true", help="print the preview as JSON")
    pv.add_argument("--crs", default=None, help="CRS of lng/lat without a 坐标系 column (wgs84|gcj02|bd09)")
    pv.add_argument("--context-year", type=int, default=None, help="year for dates written without one")
    pv.add_argument("--no-db", action="store_true", help="do not check duplicates against the database")
    pv.set_defaults(handler=preview_command)


def _fail(message: str) -> int:
    sys.stderr.write(f"yingji import preview: error: {message}\n")
    return 2


def _database_target(kind: str) -> Any:
    """The registered target of ``kind`` when Django and its database are usable, else None."""
    try:
        setup_django()
        from django.db import DatabaseError, connection

        from yingji.apps.core.imports.registry import registered_kind
    except Exception:
        return None
    target = registered_kind(kind)
    if target is None:
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if (
        connection.vendor == "sqlite"
        and name != ":memory:"
        and not name.startswith("file:")
        and not Path(name).exists()
    ):
        return None  # never create an empty SQLite file: nothing is written
    try:
        connection.ensure_connection()
    except DatabaseError:
        return None
    return target


def contract(result: dict[str, Any]) -> dict[str, Any]:
    """The CLI JSON contract from a preview dict: ``{"encoding", "sheet", "ignored_sheets",
    "header", "imported": [{"row", "values"}], "rejected": [{"row", "column", "value",
    "reason"}], "warnings": [{"row", "column", "message"}], "duplicates": [{"row", "same_as"}]}``."""
    out = {key: result.get(key) for key in CONTRACT_KEYS}
    out["rejected"] = [
        {"row": r["row"], "column": r["column"], "value": r["value"], "reason": r["reason"]}
        for r in result.get("rejected", [])
    ]
    return out


def preview_command(ns: argparse.Namespace) -> int:
    """Handler of ``yingji import preview``; returns the exit code."""
    kind = ns.kind
    if kind not in KINDS:
        return _fail(f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}")
    path: Path = ns.file
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            return _fail(f"cannot read {path}: not a regular file")  # a FIFO or /dev/zero never ends
        data = path.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    if not data:
        return _fail(f"{path}: 文件为空 (empty file)")
    target = None if ns.no_db else _database_target(kind)
    result = _preview(kind, data, ns, target)
    rejected = result.get("rejected", [])
    if not result.get("header") and any(r["row"] is None and r["column"] is None for r in rejected):
        return _fail(f"{path}: {rejected[0]['reason']}")
    out = contract(result)
    if ns.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    _print_text(out, path, checked_db=target is not None)
    return 0


def _preview(kind: str, data: bytes, ns: argparse.Namespace, target: Any) -> dict[str, Any]:
    options = {"crs": ns.crs, "context_year": ns.context_year}
    if target is None:
        return preview(kind, data, crs=options["crs"], context_year=options["context_year"]).to_dict()
    from django.db import DatabaseError

    from yingji.apps.core.imports.previews import compute_preview

    try:
        return compute_preview(kind, data, options=options, target=target, actor=None)
    except DatabaseError as exc:
        sys.stderr.write(f"database not usable ({exc}); duplicates checked within the file only\n")
        return compute_preview(kind, data, options=options, target=None)


def _print_text(out: dict[str, Any], path: Path, *, checked_db: bool) -> None:
    print(f"{path}: encoding {out['encoding'] or '-'}, sheet {out['sheet'] or '-'}")
    if out["ignored_sheets"]:
        print(f"ignored hidden sheets: {', '.join(out['ignored_sheets'])}")
    print(f"header: {' | '.join(out['header'])}")
    print(
        f"{len(out['imported'])} to import, {len({r['row'] for r in out['rejected']})} rejected rows, "
        f"{len(out['duplicates'])} duplicates, {len(out['warnings'])} warnings"
        + ("" if checked_db else " (duplicates checked within the file only)")
    )
    for r in out["rejected"]:
        print(f"  rejected row {r['row'] or '-'} {r['column'] or '-'} {r['value'] or ''!r}: {r['reason']}")
    for d in out["duplicates"]:
        print(f"  duplicate row {d['row']} same as {d['same_as']}")
    for w in out["warnings"]:
        print(f"  warning row {w['row'] or '-'} {w['column'] or '-'}: {w['message']}")
