"""Dates, Excel serials and the 1900 leap-year bug."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yingji.engines.normalize.dates import excel_serial_to_date, parse_date, year_from_title


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月5日",
        "2024.3.5",
        "2024/3/5",
        "2024-03-05",
        "20240305",
        "二〇二四年三月五日",
        "二零二四年三月五号",
        "2024年03月05日",
        "2024 年 3 月 5 日",
        "２０２４－０３－０５",
        "2024-03-05 00:00:00",
        "2024/3/5 0:00",
    ],
)
def test_forms(text: str) -> None:
    res = parse_date(text)
    assert res.valid, res.error
    assert res.value == "2024-03-05"
    assert res.warnings == ()


def test_chinese_numeral_month_day() -> None:
    assert parse_date("二〇二三年十二月三十一日").value == "2023-12-31"
    assert parse_date("一九九八年十月廿一日").value == "1998-10-21"


def test_excel_serial_oracles() -> None:
    # ECMA-376 §18.17.4.1: 1900 system; serial 60 is the fictitious 1900-02-29.
    assert excel_serial_to_date(1).value == "1900-01-01"
    assert excel_serial_to_date(59).value == "1900-02-28"
    res60 = excel_serial_to_date(60)
    assert not res60.valid and res60.error is not None and "1900-02-29" in res60.error
    assert excel_serial_to_date(61).value == "1900-03-01"
    # 2024-03-05 is 45356: days since 1899-12-30 (the epoch that absorbs the fake leap day)
    assert (date(2024, 3, 5) - date(1899, 12, 30)) == timedelta(days=45356)
    assert excel_serial_to_date(45356).value == "2024-03-05"
    assert excel_serial_to_date(2958465).value == "9999-12-31"
    assert not excel_serial_to_date(0).valid


def test_serial_as_text_warns_and_as_number_not() -> None:
    text = parse_date("45356")
    assert text.value == "2024-03-05" and text.warnings
    num = parse_date("45356", from_number=True)
    assert num.value == "2024-03-05" and num.warnings == ()
    assert parse_date("45356.75", from_number=True).warnings  # time dropped
    assert not parse_date("60").valid
    assert parse_date("61").value == "1900-03-01"


def test_two_digit_years_warn() -> None:
    res = parse_date("24.3.5")
    assert res.value == "2024-03-05" and res.warnings
    assert parse_date("85/3/5").value == "1985-03-05"
    assert parse_date("29-1-1").value == "2029-01-01"
    assert parse_date("30-1-1").value == "1930-01-01"


def test_no_year_needs_context() -> None:
    assert not parse_date("3月5日").valid
    res = parse_date("3月5日", context_year=2023)
    assert res.value == "2023-03-05" and res.warnings
    assert parse_date("03-05", context_year=2024).value == "2024-03-05"
    assert parse_date("三月五日", context_year=2022).value == "2022-03-05"


def test_day_month_order() -> None:
    assert parse_date("15/3/2024").value == "2024-03-15"
    assert parse_date("3/15/2024").value == "2024-03-15"
    assert not parse_date("5/3/2024").valid


@pytest.mark.parametrize(
    "text", ["2024-02-30", "2023年2月29日", "2024年3月", "2024", "abc", "", "2024-13-01", "1700-01-01"]
)
def test_invalid(text: str) -> None:
    res = parse_date(text)
    assert not res.valid and res.value is None and res.error


def test_leap_day() -> None:
    assert parse_date("2024年2月29日").value == "2024-02-29"


def test_time_dropped() -> None:
    res = parse_date("2024-03-05 10:30")
    assert res.value == "2024-03-05" and res.warnings


def test_year_from_title() -> None:
    assert year_from_title("焉耆县2024年度救援队伍登记表") == 2024
    assert year_from_title("二〇二三年应急物资统计") == 2023
    assert year_from_title("物资登记表") is None
