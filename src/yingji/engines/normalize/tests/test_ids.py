"""Citizen IDs (GB 11643-1999) and credit codes (GB 32100-2015)."""

from __future__ import annotations

from datetime import date

import pytest

from yingji.engines.normalize.ids import (
    USCC_ALPHABET,
    citizen_id_facts,
    compare_citizen_id,
    id_check_char,
    org_code_check_char,
    parse_citizen_id,
    parse_sex,
    parse_uscc,
    uscc_check_char,
)


def test_gb11643_annex_worked_example() -> None:
    # GB 11643-1999 annex A: 11010519491231002X, S = 167, 167 mod 11 = 2 -> X.
    digits = "11010519491231002"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    assert weights == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(d) * w for d, w in zip(digits, weights))
    assert s == 167 and s % 11 == 2
    assert id_check_char(digits) == "X"
    assert parse_citizen_id("11010519491231002X").value == "11010519491231002X"


def test_second_standard_example_and_facts() -> None:
    # GB 11643-1999 annex A second example: 440524188001010014 (born 1880-01-01, male).
    res = parse_citizen_id("440524188001010014")
    assert res.valid
    facts = citizen_id_facts("440524188001010014")
    assert facts.birth_date == date(1880, 1, 1) and facts.sex == "男" and facts.region_code == "440524"
    assert citizen_id_facts("11010519491231002X").sex == "女"


def test_lowercase_x_stored_upper() -> None:
    res = parse_citizen_id("11010519491231002x")
    assert res.value == "11010519491231002X" and res.warnings == ()


def test_fifteen_digit_upgrade() -> None:
    res = parse_citizen_id("110105491231002")
    assert res.valid and res.value == "11010519491231002X"
    assert res.warnings and "18" in res.warnings[0]


def test_fullwidth_and_spaces() -> None:
    assert parse_citizen_id("１１０１０５ １９４９１２３１ ００２Ｘ").value == "11010519491231002X"


@pytest.mark.parametrize(
    "bad",
    [
        "110105194912310021",  # wrong check character
        "11010519491331002X",  # month 13
        "11010519490230002X",  # Feb 30 (check recomputed below is irrelevant: date fails first)
        "1101051949123100",  # 16 characters
        "11010519491231002Y",
        "6.52826E+17",
        "",
        "11010549123100A",  # 15 with a letter
    ],
)
def test_bad_ids(bad: str) -> None:
    res = parse_citizen_id(bad)
    assert not res.valid and res.value is None and res.error


def test_scientific_message_tells_clerk_to_use_text() -> None:
    res = parse_citizen_id("6.52826E+17")
    assert res.error is not None and "文本" in res.error and "Text" in res.error


def test_compare_with_columns() -> None:
    assert compare_citizen_id("11010519491231002X", birth_date="1949-12-31", sex="女") == ()
    problems = compare_citizen_id("11010519491231002X", birth_date="1949-12-30", sex="男")
    assert len(problems) == 2
    with pytest.raises(ValueError):
        compare_citizen_id("110105194912310021")


@pytest.mark.parametrize(
    ("text", "sex"), [("男", "男"), ("女性", "女"), ("1", "男"), ("2", "女"), ("F", "女")]
)
def test_sex(text: str, sex: str) -> None:
    assert parse_sex(text).value == sex


def test_sex_unknown() -> None:
    assert not parse_sex("9").valid


def test_uscc_published_example_step_by_step() -> None:
    # 91350100M000100Y43: weights 3^(i-1) mod 31, C18 = 31 - (sum mod 31) (GB 32100-2015 annex B).
    code = "91350100M000100Y43"
    weights = [pow(3, i, 31) for i in range(17)]
    assert weights == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    values = [USCC_ALPHABET.index(c) for c in code[:17]]
    s = sum(v * w for v, w in zip(values, weights))
    assert USCC_ALPHABET[(31 - s % 31) % 31] == "3" == uscc_check_char(code[:17])
    res = parse_uscc(code)
    assert res.valid and res.value == code and res.warnings == ()
    # positions 9-17 are a GB 11714 organisation code with its own check digit
    assert org_code_check_char("M000100Y") == "4"


def test_uscc_alphabet_is_31_chars_without_ioszv() -> None:
    assert len(USCC_ALPHABET) == 31
    assert not set("IOZSV") & set(USCC_ALPHABET)


def test_uscc_wrong_check_is_overridable() -> None:
    res = parse_uscc("91350100M000100Y44")
    assert not res.valid and res.overridable and res.error is not None and "3" in res.error


@pytest.mark.parametrize(
    "bad", ["91350100M000100Y4", "91350100M000100YI3", "9135010OM000100Y43", "91350100M000100Y433", ""]
)
def test_uscc_structural_errors_not_overridable(bad: str) -> None:
    res = parse_uscc(bad)
    assert not res.valid and not res.overridable


def test_uscc_lowercase_and_spaces() -> None:
    res = parse_uscc(" 91350100m000100y43 ")
    assert res.value == "91350100M000100Y43" and res.warnings


def test_uscc_every_single_substitution_fails() -> None:
    code = "91350100M000100Y43"
    for i in range(17):
        for ch in "0A":
            if code[i] != ch:
                mutated = code[:i] + ch + code[i + 1 :]
                assert not parse_uscc(mutated).valid
