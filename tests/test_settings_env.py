"""12-factor settings helpers: typed values, loud failures, secrets from files or generated once."""

from __future__ import annotations

import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from yingji.config import env


def test_env_bool(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    assert env.env_bool("X_BOOL", False) is True
    monkeypatch.setenv("X_BOOL", "off")
    assert env.env_bool("X_BOOL", True) is False
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env.env_bool("X_BOOL", True)
    monkeypatch.delenv("X_BOOL")
    assert env.env_bool("X_BOOL", True) is True


def test_env_int(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    assert env.env_int("X_INT", 1) == 12
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match=">= 1"):
        env.env_int("X_INT", 1, minimum=1)


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_LIST", "a, b,,c ")
    assert env.env_list("X_LIST", []) == ["a", "b", "c"]


def test_env_secret_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.delenv("X_SECRET_FILE", raising=False)
    target = tmp_path / "secret"
    first = env.env_secret("X_SECRET", target)
    assert len(first) >= 50 and env.env_secret("X_SECRET", target) == first
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    other = tmp_path / "from-file"
    other.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.setenv("X_SECRET_FILE", str(other))
    assert env.env_secret("X_SECRET", target) == "s3cr3t"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured):
        env.env_secret("X_SECRET", target)


def test_database_and_queue_defaults():
    from django.conf import settings

    assert settings.HUEY["huey_class"] in ("huey.SqliteHuey", "huey.RedisHuey")
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_env_example_lists_every_setting():
    """Every variable the settings read appears in .env.example."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    source = (root / "src" / "yingji" / "config" / "settings.py").read_text(encoding="utf-8")
    used = set(re.findall(r'env_(?:str|bool|int|list|secret)\("([A-Z_]+)"', source))
    example = (root / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.M))
    assert used and used <= listed, sorted(used - listed)
