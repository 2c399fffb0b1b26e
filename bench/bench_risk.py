"""Benchmark of the risk engine: GB 18218-2018 unit assessments/s (20 substances) and
LEC / LS evaluations/s. Plain script: ``python bench/bench_risk.py``; writes
``bench/results/risk.json``. Runs in a few seconds."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from yingji.engines.risk import SubstanceInput, assess_unit, evaluate_lec, evaluate_ls, normalize_cas
from yingji.engines.risk.lec import lec_scores

UNIT = [
    SubstanceInput("氨", Decimal("2.5"), cas="7664-41-7"),
    SubstanceInput("氯", Decimal("0.5"), cas="7782-50-5"),
    SubstanceInput("二氧化硫", 1),
    SubstanceInput("硫化氢", Decimal("0.2")),
    SubstanceInput("甲醇", 20, hazard_class="W5.3"),
    SubstanceInput("乙醇", 30, cas="64-17-5", hazard_class="W5.3"),
    SubstanceInput("苯", 2, hazard_class="W5.1"),
    SubstanceInput("甲苯", 15, hazard_class="W5.3"),
    SubstanceInput("丙酮", 12, hazard_class="W5.3"),
    SubstanceInput("汽油", 8, hazard_class="W5.1"),
    SubstanceInput("液化石油气", 3, hazard_class="W2"),
    SubstanceInput("天然气", 1, hazard_class="W2"),
    SubstanceInput("氢气", Decimal("0.1"), hazard_class="W2"),
    SubstanceInput("环氧乙烷", Decimal("0.3")),
    SubstanceInput("乙酸乙酯", 25, hazard_class="W5.3"),
    SubstanceInput("正己烷", 10, hazard_class="W5.3"),
    SubstanceInput("某溶剂A", 40, hazard_class="W5.4"),
    SubstanceInput("某氧化剂", 5, hazard_class="W9.1"),
    SubstanceInput("某毒物", Decimal("0.4"), hazard_class="J2"),
    SubstanceInput("二甲醚", 2, cas="115-10-6", hazard_class="W2"),
]


def rate(fn: Callable[[], object], seconds: float = 2.0) -> tuple[float, int]:
    """Calls per second of ``fn`` measured over about ``seconds``."""
    fn()  # warm caches
    n, start = 0, time.perf_counter()
    while True:
        for _ in range(50):
            fn()
        n += 50
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed, n


def main() -> None:
    assert len(UNIT) == 20
    result = assess_unit(UNIT, 75)
    combos = [
        (lv.score, e.score, c.score)
        for lv in lec_scores()["L"]
        for e in lec_scores()["E"]
        for c in lec_scores()["C"]
    ]
    it = iter(range(10**12))

    def one_lec() -> object:
        lv, e, c = combos[next(it) % len(combos)]
        return evaluate_lec(lv, e, c)

    figures = {}
    figures["assess_20_substances_per_s"], _ = rate(lambda: assess_unit(UNIT, 75))
    figures["lec_evaluations_per_s"], _ = rate(one_lec)
    figures["lec_evaluations_text_input_per_s"], _ = rate(lambda: evaluate_lec("3", "6", "15"))
    figures["ls_evaluations_per_s"], _ = rate(lambda: evaluate_ls(4, 5))
    figures["cas_normalisations_per_s"], _ = rate(lambda: normalize_cas("7664-41-7"))
    out = {
        "engine": "risk",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "unit_S": str(result.S),
        "unit_R": str(result.R),
        "unit_level": result.level,
        **{k: round(v, 1) for k, v in figures.items()},
    }
    for key, value in figures.items():
        print(f"{key:40s} {value:12,.0f}")
    path = Path(__file__).resolve().parent / "results" / "risk.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
