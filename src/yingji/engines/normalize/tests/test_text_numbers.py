"""Text clean-up, numbers, Chinese numerals and units."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from yingji.engines.normalize.numbers import chinese_to_decimal, format_decimal, parse_count, parse_number
from yingji.engines.normalize.text import (
    clean_text,
    code_number_problem,
    header_key,
    is_scientific,
    numeric_text,
)
from yingji.engines.normalize.units import AREA_PLACES, parse_area, parse_mass, parse_money, parse_quantity


def test_nfkc_and_whitespace() -> None:
    assert clean_text("\u3000张\u200b三  ") == "张三"
    assert clean_text("ＡＢＣ１２３") == "ABC123"
    assert clean_text("县城——北区") == "县城——北区"  # free text keeps its dashes


@pytest.mark.parametrize("dash", ["\u2212", "\u2013", "\u2014", "\uff0d", "\ufe63", "\u2010"])
def test_dash_variants_become_minus_in_numeric_fields(dash: str) -> None:
    assert numeric_text(f"{dash}5") == "-5"
    assert parse_number(f"{dash}5").value == "-5"


def test_numeric_text_keeps_chinese_one() -> None:
    assert numeric_text("一") == "一"


def test_header_key() -> None:
    assert header_key(" *姓 名\n：") == "姓名"
    assert header_key("面积（㎡）") == "面积(m2)"


@pytest.mark.parametrize("text", ["6.52826E+17", "1.38001e+10", "6.52826199001011e+17", "1E5"])
def test_scientific_detected(text: str) -> None:
    assert is_scientific(text)
    assert code_number_problem(text, from_number=False, what="x") is not None


def test_float_from_excel_cell_is_a_code_problem() -> None:
    assert code_number_problem("13800138000.5", from_number=True, what="x") is not None
    assert code_number_problem("13800138000", from_number=True, what="x") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三", "3"),
        ("十二", "12"),
        ("两千零五", "2005"),
        ("1.2万", "12000"),
        ("3亿", "300000000"),
        ("二〇二四", "2024"),
        ("一百零一", "101"),
        ("一千零十", "1010"),
        ("十", "10"),
        ("百", "100"),
        ("两千五", "2500"),
        ("一万五", "15000"),
        ("一亿二千万", "120000000"),
        ("12万3千", "123000"),
        ("壹佰贰拾", "120"),
        ("三点五", "3.5"),
        ("零点五", "0.5"),
        ("负三", "-3"),
        ("廿三", "23"),
        ("1,234,567.89", "1234567.89"),
        ("１２３", "123"),
        ("1 234", "1234"),
        ("0.10", "0.1"),
        ("3.5亿", "350000000"),
        ("零", "0"),
    ],
)
def test_numbers(text: str, expected: str) -> None:
    res = parse_number(text)
    assert res.valid, res.error
    assert res.value == expected
    assert Decimal(expected) == Decimal(res.value)


@pytest.mark.parametrize(
    "text", ["若干", "约100", "100多", "十余", "几十", "100左右", "上百", "", "abc", "1,23", "一二百"]
)
def test_non_numbers_rejected(text: str) -> None:
    res = parse_number(text)
    assert not res.valid and res.value is None and res.error


def test_scientific_number_warns() -> None:
    res = parse_number("1.5E+3")
    assert res.value == "1500" and res.warnings


def test_chinese_to_decimal_rejects_foreign() -> None:
    assert chinese_to_decimal("三x") is None
    assert chinese_to_decimal("") is None


def test_format_decimal_no_exponent() -> None:
    assert format_decimal(Decimal("2.50E+3")) == "2500"
    assert format_decimal(Decimal("-0.0")) == "0"


def test_count() -> None:
    assert parse_count("200人").value == 200
    assert not parse_count("2.5").valid
    assert not parse_count("-1").valid


def test_quantity() -> None:
    assert parse_quantity("1,200.50").value == "1200.5"
    assert not parse_quantity("-3").valid


@pytest.mark.parametrize(
    ("text", "m2"),
    [
        ("3亩", Fraction(2000)),
        ("15亩", Fraction(10000)),
        ("2公顷", Fraction(20000)),
        ("1.5km²", Fraction(1_500_000)),
        ("100㎡", Fraction(100)),
        ("1,000平方米", Fraction(1000)),
        ("0.5 ha", Fraction(5000)),
        ("1.2万平方米", Fraction(12000)),
        ("120", Fraction(120)),
    ],
)
def test_area_exact(text: str, m2: Fraction) -> None:
    res = parse_area(text)
    assert res.valid and res.value is not None
    assert Fraction(Decimal(res.value)) == m2
    assert res.warnings == ()


def test_mu_is_two_thousand_thirds_rounded_with_warning() -> None:
    res = parse_area("1亩")
    assert res.value is not None
    exact = Fraction(2000, 3)
    assert abs(Fraction(Decimal(res.value)) - exact) <= Fraction(1, 2 * 10**AREA_PLACES)
    assert res.value == "666.6667"
    assert any("2000/3" in w for w in res.warnings)


def test_area_default_unit_and_errors() -> None:
    assert parse_area("3", default_unit="亩").value == "2000"
    assert not parse_area("约3亩").valid
    assert not parse_area("-3亩").valid


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("1.2万元", "12000"),
        ("￥1,234.5", "1234.5"),
        ("3亿元", "300000000"),
        ("12", "12"),
        ("三万元", "30000"),
        ("0.35万", "3500"),
        ("-5元", "-5"),
    ],
)
def test_money(text: str, yuan: str) -> None:
    assert parse_money(text).value == yuan


def test_money_default_unit_wan() -> None:
    assert parse_money("1.25", default_unit="万元").value == "12500"


@pytest.mark.parametrize(
    ("text", "kg"), [("3斤", "1.5"), ("2t", "2000"), ("2吨", "2000"), ("5公斤", "5"), ("500g", "0.5")]
)
def test_mass(text: str, kg: str) -> None:
    assert parse_mass(text).value == kg


def test_absurd_magnitudes_are_errors_not_slow_computations():
    from yingji.engines.normalize.numbers import parse_decimal

    for text in ("1e999999999", "1e-999999999", "9" * 40):
        res = parse_decimal(text)
        assert not res.valid and "10^±24" in (res.error or "")
    assert parse_decimal("1e24").valid
