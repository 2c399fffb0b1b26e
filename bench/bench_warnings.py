"""Benchmark of the CAP engine (yingji.engines.warnings) against capparselib 0.6.6.

Measures validation throughput (messages per second on one core, single process)
over every file in data/cap/samples/, and the same for capparselib's CAPParser,
run in its own virtual environment (/work/main/var/bench-capparselib) because it
pins lxml==4.6.3, which conflicts with our venv (and does not build on Python 3.11).
Prints both verdict tables side by side and writes bench/results/warnings.json.

Run: ``.venv/bin/python bench/bench_warnings.py`` (well under 2 minutes; the first
run also creates the capparselib venv).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yingji.engines.warnings.parse import parse_alert  # noqa: E402
from yingji.engines.warnings.validate import validate_bytes  # noqa: E402

SAMPLES = ROOT / "data" / "cap" / "samples"
RESULTS = ROOT / "bench" / "results" / "warnings.json"
VENV = ROOT / "var" / "bench-capparselib"
STATUS = VENV / "bench-status.json"
PIN = "capparselib==0.6.6"
MIN_SECONDS = 3.0

CHILD = r"""
import json, sys, time, traceback
from pathlib import Path
from capparselib.parsers import CAPParser
import lxml.etree
samples = sorted(Path(sys.argv[1]).glob("*.xml"))
min_seconds = float(sys.argv[2])
def text(p):
    raw = p.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
texts = [(p.name, text(p)) for p in samples]
verdicts = {}
for name, t in texts:
    try:
        alerts = CAPParser(t).as_dict()
        verdicts[name] = "parsed: %d alert(s)" % len(alerts)
    except Exception as exc:
        verdicts[name] = "error: %s" % (str(exc).splitlines() or [type(exc).__name__])[0][:60]
rounds = 0
start = time.perf_counter()
while True:
    for name, t in texts:
        try:
            CAPParser(t).as_dict()
        except Exception:
            pass
    rounds += 1
    elapsed = time.perf_counter() - start
    if elapsed >= min_seconds:
        break
print(json.dumps({"verdicts": verdicts, "messages": rounds * len(texts), "seconds": elapsed,
                  "lxml": lxml.etree.__version__}))
"""


def _pip(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ensure_capparselib() -> dict[str, object]:
    """Create the capparselib venv if missing; return how capparselib was installed."""
    if STATUS.exists():
        return dict(json.loads(STATUS.read_text(encoding="utf-8")))
    status: dict[str, object] = {"python": platform.python_version(), "requested": PIN}
    try:
        if not (VENV / "bin" / "python").exists():
            VENV.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["python3", "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=120)
        pinned = _pip(PIN)
        if pinned.returncode == 0:
            status.update(installed=True, mode="pinned", note="capparselib 0.6.6 with its own lxml pin")
        else:
            tail = [line.strip() for line in (pinned.stderr or "").splitlines() if line.strip()][-3:]
            reason = "lxml 4.6.3 (pinned by capparselib 0.6.6) does not build on Python 3.11"
            stderr_lines = (pinned.stderr or "").splitlines()
            if not any("longintrepr" in line or "lxml" in line for line in stderr_lines):
                reason = "pip install failed"
            status["pinned_install_error"] = f"{reason}: {' | '.join(tail)[:300]}"
            # Fallback: the pure-Python package itself, with a current lxml instead of its pin.
            loose = _pip("--no-deps", PIN)
            deps = _pip("lxml", "python-dateutil")
            if loose.returncode == 0 and deps.returncode == 0:
                status.update(
                    installed=True,
                    mode="no-deps",
                    note="capparselib 0.6.6 cannot be installed as pinned on Python 3.11; "
                    "measured with --no-deps and a current lxml",
                )
            else:
                note = "capparselib could not be installed on Python 3.11"
                status.update(installed=False, mode="none", note=note)
    except (OSError, subprocess.SubprocessError) as exc:
        status.update(installed=False, mode="none", note=f"venv/pip failed: {exc}")
    if (VENV / "bin" / "python").exists():
        STATUS.write_text(json.dumps(status, indent=2), encoding="utf-8")
    return status


def run_capparselib(status: dict[str, object]) -> dict[str, object]:
    """Run capparselib over the samples in its venv; adds verdicts and throughput to ``status``."""
    if not status.get("installed"):
        return status
    proc = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", CHILD, str(SAMPLES), str(MIN_SECONDS)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if proc.returncode != 0:
        status.update(installed=False, note=f"capparselib run failed: {proc.stderr.strip()[-300:]}")
        return status
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    status.update(
        verdicts=data["verdicts"],
        messages=data["messages"],
        seconds=round(data["seconds"], 3),
        messages_per_s_per_core=round(data["messages"] / data["seconds"], 1),
        lxml=data["lxml"],
    )
    return status


def run_ours(files: list[Path]) -> dict[str, object]:
    """Validate (full layers incl. signatures) and parse every sample repeatedly; one core."""
    blobs = [(p.name, p.read_bytes()) for p in files]
    verdicts = {}
    for name, data in blobs:
        r = validate_bytes(data, name=name)
        verdicts[name] = {
            "valid": r.valid,
            "schema_valid": r.schema_valid,
            "signature": r.signature,
            "errors": len(r.errors),
            "rules": sorted(r.rules),
        }
    out: dict[str, object] = {"verdicts": verdicts}
    for label, fn in (("validate", validate_bytes), ("parse", parse_alert)):
        rounds = 0
        start = time.perf_counter()
        while True:
            for _, data in blobs:
                try:
                    fn(data)
                except ValueError:
                    pass
            rounds += 1
            elapsed = time.perf_counter() - start
            if elapsed >= MIN_SECONDS:
                break
        out[f"{label}_messages"] = rounds * len(blobs)
        out[f"{label}_seconds"] = round(elapsed, 3)
        out[f"{label}_messages_per_s_per_core"] = round(rounds * len(blobs) / elapsed, 1)
    return out


def main() -> int:
    files = sorted(SAMPLES.glob("*.xml"))
    ours = run_ours(files)
    theirs = run_capparselib(ensure_capparselib())
    ours_v = ours["verdicts"]
    theirs_v = theirs.get("verdicts", {})
    assert isinstance(ours_v, dict) and isinstance(theirs_v, dict)
    print(f"CAP samples: {len(files)} files, {sum(p.stat().st_size for p in files)} bytes")
    print(f"{'file':<50} {'yingji (valid/sig/errors)':<28} capparselib 0.6.6")
    for p in files:
        o = ours_v[p.name]
        mine = f"{'valid' if o['valid'] else 'INVALID'}/{o['signature']}/{o['errors']}"
        print(f"{p.name[:50]:<50} {mine:<28} {theirs_v.get(p.name, 'n/a')}")
    print()
    print(
        f"yingji validate: {ours['validate_messages_per_s_per_core']} messages/s/core "
        "(all layers incl. XSD and signatures); "
        f"parse only: {ours['parse_messages_per_s_per_core']} messages/s/core"
    )
    if theirs.get("installed"):
        rate = theirs["messages_per_s_per_core"]
        print(f"capparselib CAPParser: {rate} messages/s/core (lxml {theirs['lxml']})")
    print(f"capparselib: {theirs.get('note')}")
    if theirs.get("pinned_install_error"):
        print(f"  pinned install error: {theirs['pinned_install_error']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "engine": "warnings",
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "samples": len(files),
        "yingji": ours,
        "capparselib": theirs,
    }
    RESULTS.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
