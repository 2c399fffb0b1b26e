"""CAS check digits (CAS Registry Number check-digit rule) and normalisation."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yingji.engines.refdata import data_path
from yingji.engines.risk.cas import (
    InvalidCASError,
    cas_check_digit,
    find_cas_numbers,
    is_valid_cas,
    normalize_cas,
)


@pytest.mark.parametrize(
    "cas",
    ["7732-18-5", "7664-41-7", "7446-09-5", "64-17-5", "50-00-0", "7782-50-5", "9004-70-0", "68476-85-7"],
)
def test_known_valid(cas: str) -> None:
    # water, ammonia (Table 1 row 1), SO2, ethanol, formaldehyde, chlorine, nitrocellulose, LPG
    assert is_valid_cas(cas)
    assert normalize_cas(cas) == cas


@pytest.mark.parametrize("cas", ["7732-18-4", "7664-41-8", "7446-09-0", "64-17-6"])
def test_wrong_check_digit(cas: str) -> None:
    assert not is_valid_cas(cas)
    with pytest.raises(InvalidCASError, match="check digit"):
        normalize_cas(cas)


def test_water_check_digit_worked() -> None:
    # CAS rule: 8x1 + 1x2 + 2x3 + 3x4 + 7x5 + 7x6 = 105 -> 5
    assert cas_check_digit("7732-18") == 5
    assert cas_check_digit("766441") == 7


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("７７３２－１８－５", "7732-18-5"),
        (" 7732-18-5 ", "7732-18-5"),
        ("7732185", "7732-18-5"),
        ("CAS 7664-41-7", "7664-41-7"),
        ("0064-17-5", "64-17-5"),
        ("7732\u201318\u20135", "7732-18-5"),
    ],
)
def test_normalisation(raw: str, norm: str) -> None:
    assert normalize_cas(raw) == norm


@pytest.mark.parametrize("raw", ["", "abc", "7732-18", "1-23-4", "12345678-12-3", "7732-1-85", "0001-11-2"])
def test_malformed(raw: str) -> None:
    with pytest.raises(InvalidCASError):
        normalize_cas(raw)


def test_find_in_table_cells() -> None:
    assert find_cas_numbers("74-82-8(甲烷);8006-14-2(天然气)") == ("74-82-8", "8006-14-2")
    assert find_cas_numbers("") == ()


def test_every_table1_cas_valid() -> None:
    # gb18218_2018_table1.csv column cas_checksum_ok says every CAS passes (SOURCES.md)
    with data_path("standards", "gb18218_2018_table1.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            if rec["cas"]:
                assert find_cas_numbers(rec["cas"]), rec["seq"]


@given(st.integers(min_value=10, max_value=9_999_999), st.integers(min_value=0, max_value=99))
def test_computed_digit_roundtrip(first: int, second: int) -> None:
    body = f"{first}-{second:02d}"
    digit = cas_check_digit(body)
    assert is_valid_cas(f"{body}-{digit}")
    assert not is_valid_cas(f"{body}-{(digit + 1) % 10}")
