"""``yingji normalize ...`` and ``yingji geo convert ...``.

* ``yingji normalize id|uscc|phone|date|number|area|money VALUE [--json]
  [--context-year YEAR] [--unit UNIT]`` prints ``{"valid", "value", "warnings",
  "error"}``; exit 0 when valid, 1 when invalid, 2 on a usage error.
* ``yingji geo convert --from gcj02|bd09|wgs84 --to wgs84|gcj02|bd09 LNG LAT [--json]``
  prints ``{"lng", "lat"}`` rounded to 7 decimals; exit 0, or 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable
from typing import Any

from yingji.engines.normalize.coords import CRS_NAMES, convert
from yingji.engines.normalize.dates import MAX_YEAR, MIN_YEAR, parse_date
from yingji.engines.normalize.ids import parse_citizen_id, parse_uscc
from yingji.engines.normalize.numbers import parse_number
from yingji.engines.normalize.phone import parse_phone
from yingji.engines.normalize.result import Result
from yingji.engines.normalize.units import AREA_UNITS, MONEY_UNITS, parse_area, parse_money

_KINDS: dict[str, str] = {
    "id": "citizen ID number (GB 11643-1999) → 18 characters",
    "uscc": "unified social credit code (GB 32100-2015) → 18 characters",
    "phone": "phone number → 11-digit mobile or areacode-number",
    "date": "date → ISO YYYY-MM-DD",
    "number": "number → exact decimal string",
    "area": "area → m² (decimal string)",
    "money": "money → 元 (decimal string)",
}


def _usage(ns: argparse.Namespace, message: str) -> int:
    sys.stderr.write(f"yingji {ns.command}: error: {message}\n")
    return 2


def _run_normalize(ns: argparse.Namespace) -> int:
    kind: str = ns.kind
    value: str = ns.value
    year = getattr(ns, "context_year", None)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        return _usage(ns, f"--context-year {year} outside {MIN_YEAR}-{MAX_YEAR}")
    unit = getattr(ns, "unit", None)
    funcs: dict[str, Callable[[], Result[Any]]] = {
        "id": lambda: parse_citizen_id(value),
        "uscc": lambda: parse_uscc(value),
        "phone": lambda: parse_phone(value),
        "date": lambda: parse_date(value, context_year=year),
        "number": lambda: parse_number(value),
        "area": lambda: parse_area(value, default_unit=unit or "m²"),
        "money": lambda: parse_money(value, default_unit=unit or "元"),
    }
    result = funcs[kind]()
    if ns.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    elif result.valid:
        sys.stdout.write(f"{result.value}\n")
        for w in result.warnings:
            sys.stderr.write(f"warning: {w}\n")
    else:
        sys.stdout.write(f"invalid: {result.error}\n")
    return 0 if result.valid else 1


def _run_convert(ns: argparse.Namespace) -> int:
    lng, lat = ns.lng, ns.lat
    if not (math.isfinite(lng) and math.isfinite(lat)):
        return _usage(ns, "LNG and LAT must be finite numbers")
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        return _usage(ns, f"LNG {lng} / LAT {lat} out of range (lng ±180, lat ±90; order is LNG LAT)")
    x, y = convert(lng, lat, ns.src, ns.dst)
    out = {"lng": round(x, 7), "lat": round(y, 7)}
    if ns.json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(f"{out['lng']} {out['lat']}\n")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``normalize`` and ``geo`` top-level commands to ``subparsers``."""
    norm = subparsers.add_parser(
        "normalize",
        help="normalise one value as a registry import would",
        description="Normalise one value. Exit status: 0 valid, 1 invalid, 2 usage error.",
    )
    kinds = norm.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, text in _KINDS.items():
        p = kinds.add_parser(kind, help=text, description=f"{text}. Exit 0 valid, 1 invalid, 2 usage error.")
        p.add_argument("value", metavar="VALUE", help="the value as typed (quote it)")
        # A value may start with "-" (-1,234 or -1.5万): let argparse take any single-dash
        # word that is not a declared option as VALUE, not only plain negative numbers.
        p._negative_number_matcher = re.compile(r"^-(?!-)")
        p.add_argument("--json", action="store_true", help='print {"valid","value","warnings","error"}')
        if kind == "date":
            p.add_argument("--context-year", type=int, default=None, help="year for dates without one")
        if kind in ("area", "money"):
            units = AREA_UNITS if kind == "area" else MONEY_UNITS
            p.add_argument(
                "--unit", choices=sorted(units), default=None, help="unit of a bare number (default m² / 元)"
            )
        p.set_defaults(handler=_run_normalize)

    geo = subparsers.add_parser("geo", help="coordinate tools (WGS84 / GCJ-02 / BD-09)")
    geo_sub = geo.add_subparsers(dest="geo_command", metavar="COMMAND", required=True)
    conv = geo_sub.add_parser(
        "convert", help="convert a point between WGS84, GCJ-02 (AMap) and BD-09 (Baidu)"
    )
    conv.add_argument("--from", dest="src", choices=CRS_NAMES, required=True, help="source CRS")
    conv.add_argument("--to", dest="dst", choices=CRS_NAMES, required=True, help="target CRS")
    conv.add_argument("lng", metavar="LNG", type=float, help="longitude, decimal degrees")
    conv.add_argument("lat", metavar="LAT", type=float, help="latitude, decimal degrees")
    conv.add_argument("--json", action="store_true", help='print {"lng","lat"}')
    conv.set_defaults(handler=_run_convert)
