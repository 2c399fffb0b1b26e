"""Command line of the risk engine: ``yingji hazard ...`` and ``yingji risk ...``.

Commands (JSON to stdout with ``--json``, otherwise readable lines):

* ``yingji hazard assess FILE.json [--json] [--strict]`` - GB 18218-2018 identification
  and grading of one unit. FILE (``-`` = stdin)::

      {"exposed_population": 60,
       "substances": [{"name": "二氧化硫", "cas": "7446-09-5", "quantity_t": 200,
                       "hazard_class": "W5.3", "table1_seq": 4}]}

  (``cas``, ``hazard_class``, ``table1_seq`` optional) ->
  ``{"S", "is_major_hazard", "alpha", "R", "level", "level_zh", "terms": [{"name", "cas",
  "q", "Q", "beta", ...}], ...}``.
* ``yingji risk lec --l L --e E --c C [--boundary upper-inclusive|lower-inclusive] [--json]``
  -> ``{"D", "grade", "colour", "level_zh", ...}``.
* ``yingji risk ls --l L --s S [--variant A|B|C] [--json]`` -> ``{"R", "grade", "colour",
  "level_zh", ...}``.
* ``yingji risk cas NUMBER [--json]`` - CAS check digit.
* ``yingji risk hidden-danger [--items 1,5,...] [--json]`` - 20-item chemical checklist.

Invalid input: exit 2 with one line on stderr. ``grade`` is 1..4 with 1 the most severe.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ._common import RiskInputError
from .cas import normalize_cas
from .hidden_danger import checklist, propose_grade
from .lec import BOUNDARY_RULES, DEFAULT_BOUNDARY_RULE, evaluate_lec
from .ls_matrix import DEFAULT_VARIANT, VARIANTS, evaluate_ls
from .major_hazard import assess_unit, substance_from_mapping


def _fail(prog: str, message: str, code: int = 2) -> int:
    line = " ".join(str(message).split())
    sys.stderr.write(f"{prog}: error: {line}\n")
    return code


def _emit(obj: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")


def _guard(prog: str, fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def handler(ns: argparse.Namespace) -> int:
        try:
            return fn(ns)
        except RiskInputError as exc:
            return _fail(prog, str(exc))
        except Exception as exc:  # no traceback, ever: one line, exit 1
            return _fail(prog, f"internal error: {type(exc).__name__}: {exc}", 1)

    return handler


def _reject_constant(token: str) -> Any:
    raise ValueError(f"non-finite number {token} is not allowed")


def _load_unit(path: str) -> tuple[list[Any], int]:
    try:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as exc:
        raise RiskInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise RiskInputError(f"{path}: not UTF-8 text") from None
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise RiskInputError(
            f"malformed JSON in {path} at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise RiskInputError(f"malformed JSON in {path}: {exc}") from None
    if not isinstance(data, dict):
        raise RiskInputError(f"{path}: expected a JSON object with exposed_population and substances")
    if "exposed_population" not in data:
        raise RiskInputError(f"{path}: exposed_population missing")
    pop = data["exposed_population"]
    if isinstance(pop, Decimal) and pop == pop.to_integral_value():
        pop = int(pop)
    if isinstance(pop, bool) or not isinstance(pop, int) or pop < 0:
        raise RiskInputError(f"{path}: exposed_population must be an integer >= 0, got {pop!r}")
    subs = data.get("substances")
    if not isinstance(subs, list):
        raise RiskInputError(f"{path}: substances must be a list")
    return subs, pop


def _hazard_assess(ns: argparse.Namespace) -> int:
    raw, pop = _load_unit(ns.file)
    substances = [substance_from_mapping(item, i) for i, item in enumerate(raw)]
    result = assess_unit(substances, pop, strict=ns.strict)
    _emit(result.to_dict(), ns.json, list(result.explanation))
    return 0


def _risk_lec(ns: argparse.Namespace) -> int:
    result = evaluate_lec(ns.l, ns.e, ns.c, ns.boundary)
    out = result.to_dict()
    _emit(out, ns.json, [out["explanation"]])
    return 0


def _risk_ls(ns: argparse.Namespace) -> int:
    result = evaluate_ls(ns.l, ns.s, ns.variant)
    out = result.to_dict()
    _emit(out, ns.json, [out["explanation"]])
    return 0


def _risk_cas(ns: argparse.Namespace) -> int:
    cas = normalize_cas(ns.number)
    _emit({"input": ns.number, "cas": cas, "valid": True}, ns.json, [f"{cas} valid"])
    return 0


def _risk_hidden(ns: argparse.Namespace) -> int:
    if ns.items is None:
        items = [i.to_dict() for i in checklist()]
        _emit({"items": items}, ns.json, [f"{i['id']:>2} {i['text_zh']}" for i in items])
        return 0
    ids = [p for p in ns.items.replace("，", ",").split(",") if p.strip()]
    proposal = propose_grade(ids)
    lines = [f"proposed grade: {proposal.proposed_grade or '未判定为重大'}"]
    lines += [f"  {r.code} {r.text_zh}" for r in proposal.reasons]
    _emit(proposal.to_dict(), ns.json, lines)
    return 0


def register(subparsers: Any) -> None:
    """Add the ``hazard`` and ``risk`` top-level commands to the ``yingji`` parser."""
    hazard = subparsers.add_parser("hazard", help="GB 18218-2018 major-hazard identification and grading")
    hsub = hazard.add_subparsers(dest="hazard_command", metavar="SUBCOMMAND")
    p = hsub.add_parser(
        "assess",
        help="assess one unit from a JSON file",
        description=(
            "GB 18218-2018 identification and grading of one unit. FILE.json: "
            '{"exposed_population": int (persons within 500 m), "substances": [{"name": str, '
            '"cas": str (optional), "quantity_t": number (t), "hazard_class": "W5.3" (optional; '
            "needed for Table 2 substances and to choose beta)}]}"
        ),
    )
    p.add_argument("file", metavar="FILE.json", help="unit description (JSON); - for stdin")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--strict", action="store_true", help="exit 2 if a major hazard cannot be graded")
    p.set_defaults(handler=_guard("yingji hazard assess", _hazard_assess))

    risk = subparsers.add_parser("risk", help="LEC and LS risk grading, CAS check, hidden-danger checklist")
    rsub = risk.add_subparsers(dest="risk_command", metavar="SUBCOMMAND")
    p = rsub.add_parser("lec", help="LEC: D = L x E x C")
    p.add_argument("--l", required=True, metavar="L", help="likelihood score (10, 6, 3, 1, 0.5, 0.2, 0.1)")
    p.add_argument("--e", required=True, metavar="E", help="exposure score (10, 6, 3, 2, 1, 0.5)")
    p.add_argument("--c", required=True, metavar="C", help="consequence score (100, 40, 15, 7, 3, 1)")
    p.add_argument(
        "--boundary",
        choices=BOUNDARY_RULES,
        default=DEFAULT_BOUNDARY_RULE,
        help=f"band boundary rule (default {DEFAULT_BOUNDARY_RULE}: D=70 is 蓝/低风险)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guard("yingji risk lec", _risk_lec))

    p = rsub.add_parser("ls", help="LS matrix: R = L x S")
    p.add_argument("--l", required=True, metavar="L", help="likelihood 1-5")
    p.add_argument("--s", required=True, metavar="S", help="severity 1-5")
    p.add_argument(
        "--variant",
        type=str.upper,
        choices=VARIANTS,
        default=DEFAULT_VARIANT,
        help=f"threshold variant (default {DEFAULT_VARIANT})",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guard("yingji risk ls", _risk_ls))

    p = rsub.add_parser("cas", help="check and normalise a CAS number")
    p.add_argument("number", help="CAS number, e.g. 7732-18-5")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guard("yingji risk cas", _risk_cas))

    p = rsub.add_parser("hidden-danger", help="chemical major hidden-danger checklist (20 items)")
    p.add_argument("--items", help="checked item ids, comma-separated (omit to list the items)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guard("yingji risk hidden-danger", _risk_hidden))
