"""Parsing of incoming readings (MQTT/HTTP JSON, history CSV) into ``RawReading``s, with row errors.

JSON reading: ``{"point": "<code>", "ts": <epoch seconds> | "<ISO 8601 with offset>", "value": <number>}``
(``"v"`` is accepted for ``value``; ``point`` may come from the MQTT topic). A batch is a
JSON list of readings or ``{"readings": [...]}``. CSV: header ``ts,point,value`` (as the
engine's ``yingji monitoring replay``; also ``时间,测点,读数``), UTF-8 with or without BOM.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from typing import Any

from django.utils.dateparse import parse_datetime

from yingji.apps.monitoring.ingest import RawReading

MAX_BATCH = 10_000
_HEADER_ALIASES = {
    "ts": "ts",
    "time": "ts",
    "timestamp": "ts",
    "时间": "ts",
    "point": "point",
    "测点": "point",
    "测点编码": "point",
    "value": "value",
    "读数": "value",
    "值": "value",
}


class PayloadError(ValueError):
    """A reading or file is malformed; ``errors`` lists ``{"row"|"index", "field", "message"}``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(f"{e.get('row', e.get('index'))}: {e['field']}: {e['message']}" for e in errors[:5])
        )


def parse_ts(raw: Any) -> float:
    """Epoch seconds from a number or an ISO 8601 string carrying a UTC offset.

    Raises:
        ValueError: not a number/timestamp, non-finite, or a naive ISO time (offset required).
    """
    if isinstance(raw, bool):
        raise ValueError("ts must be epoch seconds or ISO 8601")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:
            raise ValueError("ts out of range") from None
    elif isinstance(raw, str):
        text = raw.strip()
        try:
            value = float(text)
        except ValueError:
            parsed = parse_datetime(text.replace(" ", "T", 1))
            if parsed is None:
                raise ValueError(f"bad timestamp {raw!r}") from None
            if parsed.tzinfo is None:
                raise ValueError(f"timestamp {raw!r} needs a UTC offset (e.g. +08:00)") from None
            value = parsed.timestamp()
    else:
        raise ValueError("ts must be epoch seconds or ISO 8601")
    if not math.isfinite(value):
        raise ValueError("ts must be finite")
    return value


def parse_value(raw: Any) -> float:
    """A finite float from a number or numeric string. Raises ValueError."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError("value must be a number")
    try:
        value = float(raw)
    except OverflowError:
        raise ValueError("value out of range") from None
    if not math.isfinite(value):
        raise ValueError("value must be finite")
    return value


def reading_from_mapping(item: Any, *, default_point: str | None = None) -> RawReading:
    """One ``RawReading`` from a JSON object. Raises ``ValueError`` naming the field (``"ts: ..."``)."""
    if not isinstance(item, Mapping):
        raise ValueError("reading: must be an object")
    point = item.get("point", default_point)
    if not isinstance(point, str) or not point.strip():
        raise ValueError("point: required")
    if "ts" not in item:
        raise ValueError("ts: required")
    raw_value = item.get("value", item.get("v"))
    if raw_value is None:
        raise ValueError("value: required")
    try:
        ts = parse_ts(item["ts"])
    except ValueError as exc:
        raise ValueError(f"ts: {exc}") from None
    try:
        value = parse_value(raw_value)
    except ValueError as exc:
        raise ValueError(f"value: {exc}") from None
    return RawReading(point.strip(), ts, value)


def readings_from_json(data: Any, *, default_point: str | None = None) -> list[RawReading]:
    """Readings from a decoded JSON payload (one object, a list, or ``{"readings": [...]}``).

    Raises:
        PayloadError: malformed items (all listed, by index) or more than ``MAX_BATCH``.
    """
    if isinstance(data, Mapping) and "readings" in data:
        items = data["readings"]
    elif isinstance(data, Mapping):
        items = [data]
    else:
        items = data
    if not isinstance(items, list):
        raise PayloadError([{"index": None, "field": "readings", "message": "must be a list"}])
    if len(items) > MAX_BATCH:
        raise PayloadError(
            [{"index": None, "field": "readings", "message": f"at most {MAX_BATCH} per batch"}]
        )
    out: list[RawReading] = []
    errors: list[dict[str, Any]] = []
    isfinite = math.isfinite
    for index, item in enumerate(items):
        # Fast path for the common shape (an object with a string point and float ts/value);
        # anything else goes through reading_from_mapping, which gives the same result or error.
        if type(item) is dict and "value" in item:
            point, ts, value = item.get("point", default_point), item.get("ts"), item["value"]
            if type(point) is str and type(ts) is float and type(value) is float:
                point = point.strip()
                if point and isfinite(ts) and isfinite(value):
                    out.append(RawReading(point, ts, value))
                    continue
        try:
            out.append(reading_from_mapping(item, default_point=default_point))
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            errors.append({"index": index, "field": field, "message": message or str(exc)})
    if errors:
        raise PayloadError(errors)
    return out


def readings_from_csv(content: bytes | str, *, max_rows: int = 1_000_000) -> list[RawReading]:
    """Readings from a history CSV (header ``ts,point,value``; extra columns ignored).

    Raises:
        PayloadError: bad encoding/header or bad rows (row = line number), nothing returned.
    """
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PayloadError([{"row": None, "field": "file", "message": "not UTF-8"}]) from None
    else:
        text = content.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise PayloadError([{"row": 1, "field": "header", "message": "empty file"}])
    columns = {_HEADER_ALIASES.get(h.strip().lower(), ""): i for i, h in enumerate(header)}
    missing = [c for c in ("ts", "point", "value") if c not in columns]
    if missing:
        raise PayloadError(
            [{"row": 1, "field": "header", "message": f"missing column(s): {', '.join(missing)}"}]
        )
    out: list[RawReading] = []
    errors: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(out) >= max_rows:
            errors.append({"row": line, "field": "file", "message": f"more than {max_rows} rows"})
            break
        try:
            item = {k: row[i] if i < len(row) else "" for k, i in columns.items() if k}
            if not item["value"].strip():
                raise ValueError("value: required")
            out.append(reading_from_mapping(item))
        except ValueError as exc:
            field, _, message = str(exc).partition(": ")
            errors.append({"row": line, "field": field, "message": message or str(exc)})
        if len(errors) >= 50:
            break
    if errors:
        raise PayloadError(errors)
    return out
