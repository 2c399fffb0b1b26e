"""Township matching against the NBS 2023 division list (data/yanqi/admin)."""

from __future__ import annotations

import csv

import pytest

from yingji.engines.normalize.places import (
    Division,
    Divisions,
    default_divisions,
    load_divisions,
    match_township,
    township_name,
)
from yingji.engines.refdata import data_path


def test_default_list_has_ten_townships() -> None:
    # data/yanqi/SOURCES.md: 10 township-level units in the 2023 edition.
    assert len(default_divisions().townships) == 10
    assert default_divisions().edition == "2023"


def test_every_reference_name_matches_its_code_with_and_without_suffix() -> None:
    path = data_path("yanqi", "admin", "admin_divisions_652826_2023.csv")
    with open(path, encoding="utf-8") as fh:
        towns = [r for r in csv.DictReader(fh) if r["level"] == "township"]
    for row in towns:
        assert match_township(row["name"]).value == row["code12"]
        assert match_township(row["code12"][:9]).value == row["code12"]
        if row["name"][-1] in "镇乡":
            res = match_township(row["name"][:-1])
            assert res.value == row["code12"] and res.warnings == ()


@pytest.mark.parametrize(
    ("text", "code", "warns"),
    [
        ("七个星镇", "652826101000", False),
        ("七个星", "652826101000", False),
        ("七个星乡", "652826101000", True),
        ("焉耆县七个星镇", "652826101000", False),
        ("焉耆回族自治县永宁镇", "652826102000", False),
        ("四十里", "652826103000", True),
        ("王家庄", "652826400000", True),
        (" 包尔海乡 ", "652826204000", False),
    ],
)
def test_matches(text: str, code: str, warns: bool) -> None:
    res = match_township(text)
    assert res.value == code
    assert bool(res.warnings) is warns


def test_unknown_and_empty() -> None:
    assert not match_township("和静镇").valid
    assert not match_township("").valid
    assert not match_township("652826999").valid


def test_ambiguous_prefix_is_error() -> None:
    divs = Divisions(
        "test",
        (
            Division("652826000000", "焉耆回族自治县", "county", ""),
            Division("652826100000", "新城镇", "township", "652826000000"),
            Division("652826200000", "新华乡", "township", "652826000000"),
        ),
    )
    res = match_township("新", divs)
    assert not res.valid and res.error is not None and "新城镇" in res.error and "新华乡" in res.error
    assert match_township("新城", divs).value == "652826100000"


def test_other_edition_injectable() -> None:
    divs = load_divisions(data_path("yanqi", "admin", "admin_divisions_652826_2016_vonng.csv"), "2016")
    assert len(divs.townships) == 11  # the 2016 list has 11 township-level units
    assert match_township("七个星", divs).value == "652826101000"
    assert township_name("652826101000") == "七个星镇"
