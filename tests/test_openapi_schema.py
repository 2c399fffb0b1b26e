"""The committed OpenAPI schema (docs/openapi.yaml) matches the code: `make schema` regenerates it."""

from __future__ import annotations

import difflib
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_is_current(tmp_path):
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    committed = (ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8")
    generated = out.read_text(encoding="utf-8")
    if committed != generated:
        diff = "\n".join(
            difflib.unified_diff(committed.splitlines(), generated.splitlines(), lineterm="", n=1)
        )
        raise AssertionError("docs/openapi.yaml is stale; run `make schema`:\n" + diff[:4000])
