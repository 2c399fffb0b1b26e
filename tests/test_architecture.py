"""Architecture rules: pure engines, layered apps, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "yingji"

# Higher layers may import lower ones, never the reverse (docs/architecture.md).
LAYERS = [
    {"dashboards", "exercises"},
    {"monitoring", "enforcement", "disasters"},
    {"incidents"},
    {"warnings", "plans", "resources", "duty", "risk"},
    {"directory", "accounts", "notifications"},
    {"audit"},
    {"core"},
]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer(app: str) -> int:
    for i, layer in enumerate(LAYERS):
        if app in layer:
            return i
    raise AssertionError(f"app {app} is in no layer")


def test_engines_never_import_django_or_apps():
    offenders = []
    for path in (SRC / "engines").rglob("*.py"):
        for name in _imports(path):
            if name.split(".")[0] == "django" or name.startswith(("yingji.apps", "rest_framework")):
                offenders.append(f"{path.relative_to(SRC)}: {name}")
    assert not offenders, offenders


def test_apps_respect_layers():
    offenders = []
    for path in (SRC / "apps").rglob("*.py"):
        rel = path.relative_to(SRC / "apps")
        app = rel.parts[0]
        if len(rel.parts) == 1 or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        own = _layer(app)
        for name in _imports(path):
            if not name.startswith("yingji.apps."):
                continue
            other = name.split(".")[2]
            if other != app and _layer(other) <= own and not (_layer(other) == own and other == app):
                offenders.append(f"{rel}: imports {name} (layer {_layer(other)} ≤ {own})")
    assert not offenders, "\n".join(offenders)


def test_modules_stay_small():
    big = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > 800:
            big.append(f"{path.relative_to(SRC)}: {lines} lines")
    assert not big, big
