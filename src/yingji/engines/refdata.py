"""Locating the reference data shipped in the repository (``data/``).

Pure module: no Django import. The data folder is ``<repo>/data`` for a
source checkout (``pip install -e .``); the ``YINGJI_DATA_DIR`` environment
variable overrides it (for example for an installed wheel or a county that keeps
its own tables elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

_REPO_DATA = Path(__file__).resolve().parents[3] / "data"


def data_dir() -> Path:
    """Return the folder holding reference data.

    Returns:
        Absolute path of the data folder (``YINGJI_DATA_DIR`` if set, else
        ``<repo>/data``).

    Raises:
        FileNotFoundError: the folder does not exist.
    """
    path = Path(os.environ.get("YINGJI_DATA_DIR", str(_REPO_DATA)))
    if not path.is_dir():
        raise FileNotFoundError(f"reference data folder not found: {path} (set YINGJI_DATA_DIR)")
    return path


def data_path(*parts: str) -> Path:
    """Return the path of one reference file, e.g. ``data_path("standards", "lec.csv")``.

    Raises:
        FileNotFoundError: the file does not exist.
    """
    path = data_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"reference file not found: {path}")
    return path
