"""A deliberately naive, independent reading of the rule contract, used as a test oracle.

It keeps the whole history of accepted samples since the last (re)start of a point and
evaluates every rule literally ("there is a sample s0 such that every sample since s0 ...
and ts - ts(s0) >= delay") by scanning that history backwards. Quadratic, test-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

SIDE = {"H": 1, "HH": 1, "L": -1, "LL": -1}
SEV = {"N": 0, "H": 1, "HH": 2, "L": 1, "LL": 2}
LIMIT_KEY = {"H": "h", "HH": "hh", "L": "l", "LL": "ll"}


def raw_state(cfg: Mapping[str, Any], v: float) -> str:
    if cfg.get("hh") is not None and v >= cfg["hh"]:
        return "HH"
    if cfg.get("h") is not None and v >= cfg["h"]:
        return "H"
    if cfg.get("ll") is not None and v <= cfg["ll"]:
        return "LL"
    if cfg.get("l") is not None and v <= cfg["l"]:
        return "L"
    return "N"


def at_least(raw: str, level: str) -> bool:
    return raw != "N" and SIDE[raw] == SIDE[level] and SEV[raw] >= SEV[level]


def _qualifies(hist: list[tuple[float, float]], pred: Callable[[float], bool], delay: float) -> bool:
    ts_k = hist[-1][0]
    j = len(hist) - 1
    ok = False
    while j >= 0 and pred(hist[j][1]):
        if ts_k - hist[j][0] >= delay:
            ok = True
        j -= 1
    return ok


def oracle(
    configs: Mapping[str, Mapping[str, Any]], rows: Iterable[tuple[float, str, float]]
) -> tuple[list[tuple[Any, ...]], int]:
    """Events as ``(point, ts, event, from, to)`` tuples in generation order, and the rejected count."""
    level = {p: "N" for p in configs}
    hist: dict[str, list[tuple[float, float]]] = {p: [] for p in configs}
    last: dict[str, float | None] = {p: None for p in configs}
    roc_on = {p: False for p in configs}
    events: list[tuple[Any, ...]] = []
    rejected = 0
    for ts, p, v in rows:
        cfg = configs[p]
        db = cfg.get("deadband", 0) or 0
        on = cfg.get("on_delay_s", 0) or 0
        off = cfg.get("off_delay_s", 0) or 0
        lt = last[p]
        restarted = False
        if lt is not None:
            if ts < lt:
                rejected += 1
                continue
            if cfg.get("offline_s") is not None and ts - lt >= cfg["offline_s"]:
                events.append((p, lt + cfg["offline_s"], "offline", None, None))
                events.append((p, ts, "online", None, None))
                hist[p] = []
                restarted = True
        prev = hist[p][-1] if hist[p] else None
        hist[p].append((ts, v))
        h = hist[p]
        cur = level[p]
        # leave
        if cur != "N":
            lim = cfg[LIMIT_KEY[cur]]
            if SIDE[cur] > 0:
                pred = lambda x, lim=lim: x < lim - db  # noqa: E731
            else:
                pred = lambda x, lim=lim: x > lim + db  # noqa: E731
            if _qualifies(h, pred, off):
                new = "N"
                less = [lv for lv in ("HH", "H", "LL", "L") if SIDE[lv] == SIDE[cur] and SEV[lv] < SEV[cur]]
                for lv in less:
                    lim_y = cfg.get(LIMIT_KEY[lv])
                    if lim_y is None:
                        continue
                    if (SIDE[lv] > 0 and v >= lim_y - db) or (SIDE[lv] < 0 and v <= lim_y + db):
                        new = lv
                        break
                kind = "clear" if new == "N" else "deescalate"
                events.append((p, ts, kind, cur, new))
                cur = new
        # enter
        if cur == "N":
            cands = ["HH", "H", "LL", "L"]
        else:
            cands = [lv for lv in ("HH", "LL") if SIDE[lv] == SIDE[cur] and SEV[lv] > SEV[cur]]
        cands = [lv for lv in cands if cfg.get(LIMIT_KEY[lv]) is not None]
        for lv in cands:
            if _qualifies(h, lambda x, lv=lv: at_least(raw_state(cfg, x), lv), on):
                events.append((p, ts, "raise" if cur == "N" else "escalate", cur, lv))
                cur = lv
                break
        level[p] = cur
        # rate of change
        roc = cfg.get("roc_per_s")
        if roc is not None and prev is not None and not restarted and ts > prev[0]:
            exceed = abs(v - prev[1]) / (ts - prev[0]) > roc
            if exceed != roc_on[p]:
                roc_on[p] = exceed
                events.append((p, ts, "roc", "N" if exceed else "ROC", "ROC" if exceed else "N"))
        last[p] = ts
    return events, rejected
