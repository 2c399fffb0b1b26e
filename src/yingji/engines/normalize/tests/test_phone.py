"""Phone numbers (mobile and landline)."""

from __future__ import annotations

import pytest

from yingji.engines.normalize.phone import parse_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("0086-13800138000", "13800138000"),
        ("８６１３８００１３８０００", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("0996-6021234", "0996-6021234"),
        ("0996 6021234", "0996-6021234"),
        ("(0996)6021234", "0996-6021234"),
        ("（0996）6021234", "0996-6021234"),
        ("09966021234", "0996-6021234"),
        ("010-62345678", "010-62345678"),
        ("02162345678", "021-62345678"),
        ("0996－6021234", "0996-6021234"),
        ("+86 996 6021234", "0996-6021234"),
        ("0996-6021234转801", "0996-6021234-801"),
        ("0996-6021234-801", "0996-6021234-801"),
        ("0996-6021234 ext 12", "0996-6021234-12"),
        ("0996—6021234", "0996-6021234"),
    ],
)
def test_valid(text: str, expected: str) -> None:
    res = parse_phone(text)
    assert res.valid, res.error
    assert res.value == expected


@pytest.mark.parametrize(
    "text",
    [
        "12345678901",
        "1380013800",
        "138001380001",
        "13800138000/13900139000",
        "6021234",
        "0996-602",
        "1.38001E+10",
        "abc",
        "",
        "400-810-8888",
        "13800138000转1",
    ],
)
def test_invalid(text: str) -> None:
    res = parse_phone(text)
    assert not res.valid and res.value is None and res.error


def test_default_area_code() -> None:
    res = parse_phone("6021234", default_area_code="0996")
    assert res.value == "0996-6021234" and res.warnings


def test_number_cell_mobile_ok_but_float_not() -> None:
    assert parse_phone("13800138000", from_number=True).valid
    assert not parse_phone("13800138000.5", from_number=True).valid
