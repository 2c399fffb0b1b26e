"""Errors the incident services raise besides Django's ``ValidationError`` / ``PermissionDenied``."""

from __future__ import annotations

from typing import Any


class EditConflict(Exception):
    """The record changed since the caller read it (optimistic locking): reload and redo.

    ``current_version`` is the version now stored. The API answers 409, pages re-show the
    form with the conflict.
    """

    def __init__(self, current_version: int, message: str = "") -> None:
        super().__init__(message or f"已被他人修改（当前版本 {current_version}），请刷新后重试。")
        self.current_version = current_version


class PossibleDuplicate(Exception):
    """An intake looks like an incident already open (same type, near in space and time).

    ``candidates`` are the existing incidents; the caller offers merging or confirms a new
    incident (``allow_duplicate=True``). Never merged silently.
    """

    def __init__(self, candidates: list[Any]) -> None:
        super().__init__(f"{len(candidates)} possible duplicate(s)")
        self.candidates = candidates
