"""``yingji monitoring ...`` commands.

``yingji monitoring replay --points POINTS.json --samples SAMPLES.csv [--until EPOCH_S] --json``
replays a sample file through the alarm rules and prints the events as a JSON list of
``{"point","ts","event","from","to"}`` sorted by ts then point (stable). Bad input exits 2
with one line on stderr naming the file, row and problem.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

from yingji.engines.monitoring.engine import advance, configs_from_mapping, sort_events
from yingji.engines.monitoring.model import ConfigError, MonitorState, PointConfig
from yingji.engines.monitoring.vectorised import process_coded

PROG = "yingji monitoring replay"


class InputError(Exception):
    """Bad user input; the message is the one line printed on stderr."""


def register(subparsers: Any) -> None:
    """Add the ``monitoring`` command and its ``replay`` sub-command to ``subparsers``."""
    parser = subparsers.add_parser("monitoring", help="sensor alarm rules (HH/H/L/LL, delays, offline)")
    sub = parser.add_subparsers(dest="monitoring_command", metavar="SUBCOMMAND", parser_class=type(parser))
    replay = sub.add_parser("replay", help="replay a samples CSV through the alarm rules")
    replay.add_argument("--points", required=True, metavar="POINTS.json", help="point id -> rules")
    replay.add_argument(
        "--samples", required=True, metavar="SAMPLES.csv", help="CSV with header ts,point,value"
    )
    replay.add_argument(
        "--until", type=float, default=None, metavar="EPOCH_S", help="judge offline up to this time"
    )
    replay.add_argument("--json", action="store_true", help="print the events as a JSON list")
    replay.set_defaults(handler=replay_command)


def load_points(path: str) -> dict[str, PointConfig]:
    """Read ``POINTS.json`` (point id -> rules).

    Raises:
        InputError: missing/unreadable file, invalid JSON, or invalid rules (message names it).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    try:
        return configs_from_mapping(raw)
    except ConfigError as exc:
        raise InputError(f"{path}: {exc}") from None


def _number(text: str, what: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}: bad {what} {text!r} (not a number)") from None
    if not math.isfinite(value):
        raise InputError(f"{where}: bad {what} {text!r} (not finite)")
    return value


def load_samples(
    path: str, configs: dict[str, PointConfig]
) -> tuple[list[str], list[int], list[float], list[float]]:
    """Read ``SAMPLES.csv`` (header ``ts,point,value``, columns in any order) in file order.

    Returns:
        ``(names, codes, ts, values)``: ``codes[i]`` indexes ``names``.

    Raises:
        InputError: missing file, bad header, wrong field count, bad number, unknown point;
            the message names the file, the data row (1 = first after the header) and line.
    """
    names: list[str] = list(configs)
    index = {p: i for i, p in enumerate(names)}
    codes: list[int] = []
    ts: list[float] = []
    values: list[float] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            names_in_header = [h.strip() for h in header] if header else []
            if sorted(names_in_header) != ["point", "ts", "value"]:
                raise InputError(f"{path}: line 1: header must be 'ts,point,value', got {header!r}")
            i_ts, i_point, i_value = (names_in_header.index(k) for k in ("ts", "point", "value"))
            row_no = 0
            for fields in reader:
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    continue
                row_no += 1
                where = f"{path}: row {row_no} (line {reader.line_num})"
                if len(fields) != 3:
                    raise InputError(f"{where}: expected 3 fields ts,point,value, got {len(fields)}")
                t = _number(fields[i_ts].strip(), "ts", where)
                point = fields[i_point].strip()
                v = _number(fields[i_value].strip(), "value", where)
                code = index.get(point)
                if code is None:
                    raise InputError(f"{where}: unknown point {point!r} (not in the points file)")
                codes.append(code)
                ts.append(t)
                values.append(v)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    return names, codes, ts, values


def replay_command(ns: argparse.Namespace) -> int:
    """Handler of ``monitoring replay``; returns the exit code (0 ok, 2 bad input)."""
    try:
        configs = load_points(ns.points)
        names, codes, ts, values = load_samples(ns.samples, configs)
        if ns.until is not None and not math.isfinite(ns.until):
            raise InputError(f"--until: bad number {ns.until!r}")
    except InputError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    state = MonitorState.new(configs)
    state, events = process_coded(
        state,
        names,
        np.asarray(codes, dtype=np.int64),
        np.asarray(ts, dtype=np.float64),
        np.asarray(values, dtype=np.float64),
    )
    until = ns.until if ns.until is not None else (max(ts) if ts else None)
    if until is not None:
        state, tail = advance(state, until)
        events.extend(tail)
    ordered = sort_events(events)
    if state.rejected:
        sys.stderr.write(f"{PROG}: rejected {state.rejected} out-of-order sample(s)\n")
    if ns.json:
        sys.stdout.write(json.dumps([e.to_dict() for e in ordered], ensure_ascii=False) + "\n")
    else:
        for e in ordered:
            d = e.to_dict()
            move = "" if e.from_level is None else f" {e.from_level}->{e.to_level}"
            sys.stdout.write(f"{d['ts']}\t{e.point}\t{e.event}{move}\n")
    return 0
