"""Hand-computed scenario covering every rule; shared by the API and CLI tests.

Each expected event carries the reasoning that produced it (computed by hand from the rule
contract in docs/engines/monitoring.md, not by running the engine).
"""

from __future__ import annotations

from typing import Any

POINTS: dict[str, dict[str, Any]] = {
    # Full rule set: hh 100, h 80, l 20, ll 10; deadband 2 -> leave HH below 98, H below 78,
    # L above 22, LL above 12; on_delay 10 s, off_delay 5 s, offline after 60 s of silence.
    "A": {
        "hh": 100,
        "h": 80,
        "l": 20,
        "ll": 10,
        "deadband": 2,
        "on_delay_s": 10,
        "off_delay_s": 5,
        "offline_s": 60,
    },
    # Subset: only h; no delays, no deadband, no offline detection.
    "B": {"h": 50},
    # Cross-side move with off_delay > on_delay: the L timer runs while still in H.
    "C": {"h": 10, "l": 0, "on_delay_s": 2, "off_delay_s": 6},
    # Cross-side move with off_delay 0: the sample leaving H starts the L timer.
    "D": {"h": 10, "l": 0, "on_delay_s": 5},
    # Subset: only the outer limits hh and ll.
    "E": {"hh": 100, "ll": -5},
    # No limits at all (only keeps the clock going).
    "F": {},
}

# (ts, point, value) in file (arrival) order.
ROWS: list[tuple[float, str, float]] = [
    (0, "A", 50),
    (0, "B", 40),
    (0, "C", 12),
    (0, "D", 12),
    (0, "E", -10),
    (1, "E", 0),
    (2, "C", 12),
    (2, "E", 150),
    (3, "C", -1),
    (5, "B", 50),
    (5, "B", 49),  # equal ts: processed, not rejected
    (4, "B", 0),  # older than B's last (5): rejected
    (5, "D", 12),
    (6.5, "D", -1),
    (9, "C", -1),
    (10, "A", 85),
    (10, "B", 1000),
    (11.5, "D", -1),
    (12, "B", -1000),
    (15, "A", 105),
    (20, "A", 105),
    (25, "A", 105),
    (30, "A", 97),
    (33, "A", 99),
    (35, "A", 97),
    (40, "A", 97),
    (45, "A", 79),
    (50, "A", 60),
    (55, "A", 60),
    (60, "A", 105),
    (70, "A", 105),
    (75, "A", 50),
    (80, "A", 50),
    (85, "A", 90),
    (200, "A", 85),
    (205, "A", 85),
    (203, "A", 85),  # older than A's last (205): rejected
    (210, "A", 85),
    (215, "A", 15),
    (220, "A", 15),
    (225, "A", 15),
    (230, "A", 5),
    (240, "A", 5),
    (245, "A", 11),
    (250, "A", 13),
    (255, "A", 13),
    (260, "A", 30),
    (265, "A", 30),
    (400, "F", 0),
]

REJECTED = 2

# Expected events, (point, ts, event, from, to), in processing (generation) order.
EXPECTED_STREAM: list[tuple[str, float, str, str | None, str | None]] = [
    ("E", 0, "raise", "N", "LL"),  # -10 <= ll, no delay; only ll/hh configured
    ("E", 1, "clear", "LL", "N"),  # 0 > ll + 0, off_delay 0
    ("C", 2, "raise", "N", "H"),  # raw H since 0, 2 - 0 >= on_delay 2
    ("E", 2, "raise", "N", "HH"),  # 150 >= hh: straight to HH (no h configured)
    ("B", 5, "raise", "N", "H"),  # 50 >= h (>=, not >)
    ("B", 5, "clear", "H", "N"),  # same ts 49 < 50: processed, leaves H
    ("D", 5, "raise", "N", "H"),  # raw H since 0, 5 - 0 >= 5
    ("D", 6.5, "clear", "H", "N"),  # -1 < h, off_delay 0; this sample also starts the L timer
    ("C", 9, "clear", "H", "N"),  # below h since 3, 9 - 3 >= off_delay 6
    ("C", 9, "raise", "N", "L"),  # raw L since 3 (while still H), 9 - 3 >= on_delay 2
    ("B", 10, "raise", "N", "H"),  # 1000: H (no hh configured)
    ("D", 11.5, "raise", "N", "L"),  # L timer from 6.5, 11.5 - 6.5 >= 5
    ("B", 12, "clear", "H", "N"),  # -1000: no low limits, just clears H
    ("A", 20, "raise", "N", "H"),  # raw>=H since 10 (20-10>=10); HH since 15 only 5 s
    ("A", 25, "escalate", "H", "HH"),  # HH since 15, 25 - 15 >= 10
    ("A", 40, "deescalate", "HH", "H"),  # <98 since 35 (33: 99 broke the run), 97 >= 78 -> H
    ("A", 55, "clear", "H", "N"),  # 79 at 45 is inside the deadband; <78 since 50
    ("A", 70, "raise", "N", "HH"),  # H and HH both qualify (since 60): most severe wins
    ("A", 80, "clear", "HH", "N"),  # <98 since 75 and 50 < 78: HH straight to N
    ("A", 145, "offline", None, None),  # last sample 85 + 60 s
    ("A", 200, "online", None, None),  # the H run started at 85 restarts at 200
    ("A", 210, "raise", "N", "H"),  # 210 - 200 >= 10 (203 rejected, changes nothing)
    ("A", 220, "clear", "H", "N"),  # <78 since 215, 220 - 215 >= 5; L timer runs since 215
    ("A", 225, "raise", "N", "L"),  # raw <= L since 215, 225 - 215 >= 10
    ("A", 240, "escalate", "L", "LL"),  # raw LL since 230
    ("A", 255, "deescalate", "LL", "L"),  # 11 at 245 inside deadband; >12 since 250; 13 <= 22 -> L
    ("A", 265, "clear", "L", "N"),  # >22 since 260
]

# Events appended by advance(until=400) (the last ts in the file): A silent since 265.
EXPECTED_TAIL: list[tuple[str, float, str, str | None, str | None]] = [
    ("A", 325, "offline", None, None),
]


def expected_cli(tail: bool = True) -> list[dict[str, Any]]:
    """The CLI's JSON list: events sorted by ts then point (stable)."""
    events = EXPECTED_STREAM + (EXPECTED_TAIL if tail else [])
    ordered = sorted(events, key=lambda e: (e[1], e[0]))
    return [
        {"point": p, "ts": int(t) if float(t).is_integer() else t, "event": k, "from": f, "to": to}
        for p, t, k, f, to in ordered
    ]


def csv_text() -> str:
    lines = ["ts,point,value"]
    for t, p, v in ROWS:
        lines.append(f"{t},{p},{v}")
    return "\n".join(lines) + "\n"
