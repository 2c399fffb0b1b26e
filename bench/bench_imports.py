"""Benchmark: import of a large shelters register through the Django layer (preview + commit).

Plain script (not a test). Own throw-away SQLite database and media folder under var/bench/.
Builds a GBK CSV register of N shelters (title, merged two-row header 位置/经度/纬度, every 50th row
bad), then times, for N = 2,000 and 10,000:

* ``preview_upload`` (store the original, engine preview, duplicate check against the database,
  the target's row checks, store the preview, audit) — rows/s;
* ``commit_import`` (re-validate, then one transaction: ``create_shelter`` + audit per row) — rows/s.

Writes bench/results/imports.json. No target was set by the issue; the figures show where time goes:
preview ≈ the engine (coordinates + county-boundary check per row), commit ≈ the target service
(``create_shelter``: full_clean with uniqueness/constraint queries + one audit row per record).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
DB = BENCH / "imports.sqlite3"
MEDIA = BENCH / "imports-media"
SIZES = tuple(int(x) for x in os.environ.get("BENCH_SIZES", "2000,10000").split(","))
RESULTS = ROOT / "bench" / "results" / "imports.json"

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.config.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

TOWNSHIPS = ["焉耆镇", "七个星镇", "永宁镇", "四十里城子镇", "北大渠乡", "五号渠乡", "包尔海乡", "查汗采开乡"]


def register_csv(n: int, prefix: str) -> bytes:
    """A GBK CSV shelters register of ``n`` rows (every 50th has an estimate as capacity)."""
    lines = [
        "焉耆县应急避难场所登记表",
        "场所编码,场所名称,场所类型,乡镇,位置,,容纳人数,面积(亩)",
        ",,,,经度,纬度,,",
    ]
    for i in range(n):
        capacity = "很多" if i % 50 == 49 else str(100 + i % 900)
        kind = "室内场所" if i % 3 == 0 else "室外场地"
        lng, lat = 86.45 + (i % 100) * 0.002, 42.0 + (i // 100 % 100) * 0.001
        town = TOWNSHIPS[i % len(TOWNSHIPS)]
        lines.append(f"{prefix}{i:06d},避难场所{i},{kind},{town},{lng:.6f},{lat:.6f},{capacity},{1 + i % 7}")
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def main() -> int:
    BENCH.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(DB) + suffix).unlink(missing_ok=True)
    shutil.rmtree(MEDIA, ignore_errors=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = str(MEDIA)
    settings.YINGJI_IMPORT_ASYNC_BYTES = 1 << 40  # preview inline: time the work, not the queue

    from yingji.apps.accounts.services import create_user, grant_role
    from yingji.apps.core.imports import services
    from yingji.apps.directory.models import AdministrativeDivision
    from yingji.apps.directory.services import load_reference_data
    from yingji.apps.resources.models import Shelter

    call_command("migrate", verbosity=0)
    load_reference_data(ROOT / "data" / "yanqi" / "reference.json")
    county = AdministrativeDivision.objects.get(code=settings.YINGJI_COUNTY_CODE)
    admin = create_user(actor=None, username="bench-admin", password="bench-Secret-1")
    grant_role(admin, actor=None, role="admin", division=county)

    results = []
    for n in SIZES:
        data = register_csv(n, f"B{n}-")
        t0 = time.perf_counter()
        job = services.preview_upload(actor=admin, kind="shelters", data=data, filename=f"bench-{n}.csv")
        preview_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        job = services.commit_import(job, actor=admin)
        commit_s = time.perf_counter() - t0
        row = {
            "rows": n,
            "bytes": len(data),
            "valid_rows": job.valid_rows,
            "rejected_rows": job.rejected_rows,
            "preview_s": round(preview_s, 3),
            "preview_rows_per_s": round(n / preview_s),
            "commit_s": round(commit_s, 3),
            "commit_rows_per_s": round(job.imported_rows / commit_s),
        }
        results.append(row)
        print(
            f"{n:>6,} rows ({len(data) / 1024:,.0f} KiB): "
            f"preview {preview_s:6.2f} s ({row['preview_rows_per_s']:,}/s), "
            f"commit {job.imported_rows:,} in {commit_s:6.2f} s ({row['commit_rows_per_s']:,}/s)"
        )
    assert Shelter.objects.count() == sum(r["valid_rows"] for r in results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "imports",
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "database": "sqlite",
                "results": results,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
