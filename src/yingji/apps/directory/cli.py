"""``yingji divisions list`` and ``yingji load-reference``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from yingji.cli import setup_django


def register(sub: Any) -> None:
    """Add the ``divisions`` and ``load-reference`` commands."""
    divisions = sub.add_parser("divisions", help="行政区划 administrative divisions")
    dsub = divisions.add_subparsers(
        dest="divisions_command", metavar="SUBCOMMAND", parser_class=type(divisions)
    )
    lst = dsub.add_parser("list", help="list divisions: code, name, level, parent code, population")
    lst.add_argument("--level", choices=["county", "township", "village"])
    lst.add_argument("--json", action="store_true", help="print a JSON list")
    lst.set_defaults(handler=_divisions_list)

    load = sub.add_parser("load-reference", help="load the county's reference data (idempotent)")
    load.add_argument("--manifest", type=Path, default=None, help="data/<county>/reference.json")
    load.add_argument("--quiet", action="store_true", help="no progress bar")
    load.set_defaults(handler=_load_reference)


def _divisions_list(ns: argparse.Namespace) -> int:
    setup_django()
    from yingji.apps.directory.selectors import all_divisions_unrestricted

    qs = all_divisions_unrestricted()
    if ns.level:
        qs = qs.filter(level=ns.level)
    rows = [
        {
            "code": d.code,
            "name": d.name,
            "level": d.level,
            "parent_code": d.parent_code or None,
            "population": d.population,
            "population_year": d.population_year,
        }
        for d in qs
    ]
    if ns.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            pop = "" if r["population"] is None else f"{r['population']} ({r['population_year']})"
            print(f"{r['code']}\t{r['name']}\t{r['level']}\t{r['parent_code'] or ''}\t{pop}")
    if not rows:
        print("no divisions loaded: run `yingji load-reference`", file=sys.stderr)
    return 0


def _load_reference(ns: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from tqdm import tqdm

    from yingji.apps.directory.reference import ReferenceDataError
    from yingji.apps.directory.services import load_reference_data

    manifest = ns.manifest or Path(settings.YINGJI_DATA_DIR) / "yanqi" / "reference.json"
    bar = tqdm(desc="load-reference", unit="row", disable=ns.quiet or not sys.stderr.isatty())
    try:
        counts = load_reference_data(manifest, progress=bar.update)
    except ReferenceDataError as exc:
        bar.close()
        print(f"load-reference: {exc}", file=sys.stderr)
        return 1
    bar.close()
    for table, c in sorted(counts.counts.items()):
        print(f"{table}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged")
    return 0
