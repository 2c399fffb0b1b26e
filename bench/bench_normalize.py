"""Benchmark: import preview throughput (rows/s) of the normalize engine.

Generates a 10,000-row rescue-team-members register as .xlsx (title row, merged two-row
header) and as a GBK CSV without BOM, then times ``preview()`` on each (best of 2).
Prints the figures and writes ``bench/results/normalize.json``.
Run: ``python bench/bench_normalize.py``.
"""

from __future__ import annotations

import io
import json
import platform
import random
import time
from pathlib import Path

import openpyxl

from yingji.engines.normalize.ids import id_check_char
from yingji.engines.normalize.schema import preview

N_ROWS = 10_000
TOWNS = ["焉耆镇", "七个星", "永宁镇", "四十里城子镇", "北大渠乡", "五号渠", "查汗采开乡", "包尔海乡"]
HEADER = ["姓名", "身份证号", "性别", "出生日期", "联系电话", "所属队伍", "专业技能", "乡镇"]


def _rows() -> list[list[str]]:
    rng = random.Random(7)
    out = []
    for i in range(N_ROWS):
        year, month, day = rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)
        seq = f"{i % 1000:03d}"
        body = f"652826{year}{month:02d}{day:02d}{seq}"
        idn = body + id_check_char(body)
        sex = "男" if int(seq[2]) % 2 else "女"
        out.append(
            [
                f"队员{i}",
                idn,
                sex,
                f"{year}年{month}月{day}日",
                f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}",
                f"救援{i % 20}队",
                "水域救援",
                rng.choice(TOWNS),
            ]
        )
    return out


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["焉耆县2024年度应急救援队伍人员登记表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _time(data: bytes) -> tuple[float, int]:
    best = float("inf")
    imported = 0
    for _ in range(2):
        t0 = time.perf_counter()
        result = preview("rescue-team-members", data)
        best = min(best, time.perf_counter() - t0)
        imported = len(result.imported)
    return best, imported


def main() -> None:
    rows = _rows()
    results: dict[str, object] = {"rows": N_ROWS, "python": platform.python_version()}
    for name, data in (("xlsx", _xlsx(rows)), ("csv_gbk", _csv(rows))):
        seconds, imported = _time(data)
        results[name] = {
            "seconds": round(seconds, 3),
            "rows_per_s": round(N_ROWS / seconds),
            "imported": imported,
            "bytes": len(data),
        }
        rate = N_ROWS / seconds
        print(f"{name:8s} {N_ROWS} rows  {seconds:6.2f} s  {rate:8.0f} rows/s  imported={imported}")
    out = Path(__file__).resolve().parent / "results" / "normalize.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
