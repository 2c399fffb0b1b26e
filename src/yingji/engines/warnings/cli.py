"""``yingji cap ...``: validate, parse, assess CAP 1.2 messages; read feeds; resolve lineage.

Contracts (docs/engines/warnings.md):
* ``cap validate FILE... [--json]``: a JSON list, one object per file in argument
  order, ``{"file","well_formed","schema_valid","signature","valid","errors","warnings"}``;
  exit 0 when all are valid, 1 when any is invalid, 2 on usage errors (missing file...).
* ``cap parse FILE [--json]``: the message keyed by CAP element names.
* ``cap assess FILE [--json]``: affected divisions of the county and population.
* ``cap feed FILE [--json]``: entries of an Atom/RSS index with their CAP links.
* ``cap lineage FILE... [--as-of T] [--json]``: the active messages after Updates/Cancels.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import CapError
from .xmlsafe import DEFAULT_MAX_BYTES

Handler = Callable[[argparse.Namespace], int]


def _fail(ns: argparse.Namespace, message: str) -> int:
    sys.stderr.write(f"yingji cap {ns.cap_command}: error: {' '.join(message.split())}\n")
    return 2


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _files(ns: argparse.Namespace, names: list[str]) -> list[Path] | str:
    for name in names:
        p = Path(name)
        if not p.exists():
            return f"{name}: no such file"
        if not p.is_file():
            return f"{name}: not a regular file"
    return [Path(n) for n in names]


def _guard(fn: Handler) -> Handler:
    def run(ns: argparse.Namespace) -> int:
        try:
            return fn(ns)
        except CapError as exc:
            return _fail(ns, f"{getattr(ns, 'file', '')}: {exc}".lstrip(": "))
        except (OSError, ValueError) as exc:
            return _fail(ns, str(exc))
        except Exception as exc:  # never a traceback on the command line
            return _fail(ns, f"internal error: {type(exc).__name__}: {exc}")

    return run


def _validate(ns: argparse.Namespace) -> int:
    from .validate import validate_file

    files = _files(ns, ns.files)
    if isinstance(files, str):
        return _fail(ns, files)
    if ns.ca is not None and not Path(ns.ca).is_file():
        return _fail(ns, f"--ca {ns.ca}: no such file")
    reports = [validate_file(f, max_bytes=ns.max_bytes, ca_pem_file=ns.ca) for f in files]
    if ns.json:
        _dump([r.as_dict() for r in reports])
    else:
        for r in reports:
            verdict = "valid" if r.valid else "INVALID"
            sys.stdout.write(f"{r.file}: {verdict} (schema {'ok' if r.schema_valid else 'failed'}, ")
            sys.stdout.write(
                f"signature {r.signature}, {len(r.errors)} error(s), {len(r.warnings)} warning(s))\n"
            )
            for d in r.errors:
                sys.stdout.write(f"  error   {d.rule} {d.path}: {d.message}\n")
            for d in r.warnings:
                sys.stdout.write(f"  warning {d.rule} {d.path}: {d.message}\n")
    return 0 if all(r.valid for r in reports) else 1


def _load(ns: argparse.Namespace) -> Any:
    from .parse import parse_file

    files = _files(ns, [ns.file])
    if isinstance(files, str):
        raise OSError(files)
    return parse_file(files[0], strict=getattr(ns, "strict", False), max_bytes=ns.max_bytes)


def _parse(ns: argparse.Namespace) -> int:
    from .export import alert_to_dict

    alert = _load(ns)
    data = alert_to_dict(alert)
    if ns.json:
        _dump(data)
    else:
        sys.stdout.write(
            f"{alert.identifier} from {alert.sender} sent {alert.sent}: {alert.status} {alert.msg_type}, "
            f"{len(alert.infos)} info block(s), {len(alert.references)} reference(s)\n"
        )
        for info in alert.infos:
            sys.stdout.write(
                f"  [{info.language_or_default}] {info.event} ({info.severity}) {info.headline or ''}\n"
            )
    return 0


def _assess(ns: argparse.Namespace) -> int:
    from .assess import assess

    result = assess(_load(ns))
    if ns.json:
        _dump(result.as_dict())
    else:
        sys.stdout.write(
            f"{result.identifier}: {'reaches' if result.intersects_county else 'does not reach'} "
            f"{result.county_name}; population {result.population} ({result.population_basis})\n"
        )
        for a in result.affected:
            d = a.division
            sys.stdout.write(
                f"  {d.code} {d.name} {d.level} {a.coverage}: {d.population} ({d.population_year})\n"
            )
    return 0


def _feed(ns: argparse.Namespace) -> int:
    from .feeds import parse_feed
    from .xmlsafe import read_limited

    files = _files(ns, [ns.file])
    if isinstance(files, str):
        return _fail(ns, files)
    entries = parse_feed(read_limited(files[0], ns.max_bytes), recover=ns.recover, max_bytes=ns.max_bytes)
    if ns.json:
        _dump([{"id": e.id, "title": e.title, "updated": e.updated, "link": e.link} for e in entries])
    else:
        for e in entries:
            sys.stdout.write(f"{e.updated}\t{e.link}\t{e.title}\n")
    return 0


def _lineage(ns: argparse.Namespace) -> int:
    from .lineage import resolve_lineage
    from .model import parse_cap_datetime
    from .parse import parse_file

    files = _files(ns, ns.files)
    if isinstance(files, str):
        return _fail(ns, files)
    as_of = None
    if ns.as_of is not None:
        as_of = parse_cap_datetime(ns.as_of)
        if as_of is None:
            return _fail(ns, f"--as-of {ns.as_of!r} is not a date-time like 2024-07-12T21:00:00+08:00")
    alerts = []
    for f in files:
        try:
            alerts.append(parse_file(f, max_bytes=ns.max_bytes))
        except CapError as exc:
            return _fail(ns, f"{f}: {exc}")
    snap = resolve_lineage(alerts, as_of)
    data = {
        "as_of": ns.as_of,
        "active": [{"sender": a.sender, "identifier": a.identifier, "sent": a.sent} for a in snap.active],
        "retired": [
            {
                "sender": r.key[0],
                "identifier": r.key[1],
                "how": r.how,
                "by": {"sender": r.by[0], "identifier": r.by[1]},
            }
            for r in snap.retired
        ],
        "expired": [{"sender": a.sender, "identifier": a.identifier} for a in snap.expired],
        "notes": list(snap.notes),
    }
    if ns.json:
        _dump(data)
    else:
        for a in snap.active:
            sys.stdout.write(f"active\t{a.sender}\t{a.identifier}\t{a.sent}\n")
        for r in snap.retired:
            sys.stdout.write(f"{r.how}\t{r.key[0]}\t{r.key[1]}\tby {r.by[1]}\n")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``cap`` command and its sub-commands to the top-level ``yingji`` parser."""
    cap = subparsers.add_parser("cap", help="CAP 1.2 / GB/T 35965.1 warning messages")
    sub = cap.add_subparsers(dest="cap_command", metavar="SUBCOMMAND", parser_class=type(cap))

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print JSON")
        p.add_argument(
            "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="size limit per file (default 1 MiB)"
        )

    p = sub.add_parser("validate", help="validate messages (well-formed, XSD, rules, signature)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--ca", default=None, help="PEM file of trusted CA certificates for signatures")
    common(p)
    p.set_defaults(handler=_guard(_validate))

    p = sub.add_parser("parse", help="print a message keyed by CAP element names")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--strict", action="store_true", help="require CAP 1.2 and XSD validity")
    common(p)
    p.set_defaults(handler=_guard(_parse))

    p = sub.add_parser("assess", help="affected divisions and population in the county (Yanqi)")
    p.add_argument("file", metavar="FILE")
    common(p)
    p.set_defaults(handler=_guard(_assess))

    p = sub.add_parser("feed", help="entries of an Atom/RSS CAP index feed")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--recover", action="store_true", help="read feeds with bytes invalid in their encoding")
    common(p)
    p.set_defaults(handler=_guard(_feed))

    p = sub.add_parser("lineage", help="active messages after Updates and Cancels")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--as-of", default=None, help="CAP date-time, e.g. 2024-07-12T22:00:00+08:00")
    common(p)
    p.set_defaults(handler=_guard(_lineage))
