"""Normalising county registers: codes, dates, numbers, units, places, coordinates, tabular files.

Pure layer used by every registry import (the Django upload/preview UI sits on top).
Nothing here imports Django. Every normaliser returns a :class:`Result` and never
raises for bad user data; see ``docs/engines/normalize.md``.
"""

from yingji.engines.normalize.result import Result

__all__ = ["Result"]
