"""Chemical major hidden-danger checklist (安监总管三〔2017〕121号, data/standards/hidden_danger.md §5)."""

from __future__ import annotations

import pytest

from yingji.engines.risk._common import RiskInputError
from yingji.engines.risk.hidden_danger import checklist, propose_grade


def test_twenty_items_in_order() -> None:
    items = checklist()
    assert [i.id for i in items] == list(range(1, 21))
    assert items[1].text.startswith("Special-operation workers")  # item 2 per hidden_danger.md
    assert "特种作业人员" in items[1].text_zh
    assert "万向" in items[6].text_zh and "universal-joint" in items[6].text
    assert items[19].code == "CHEM20-20"


def test_checked_items_propose_major() -> None:
    p = propose_grade([7, "5", "chem20-07"])
    assert p.is_major and p.proposed_grade == "重大"
    assert [r.id for r in p.reasons] == [5, 7]
    assert p.to_dict()["reasons"][0]["code"] == "CHEM20-05"


def test_nothing_checked() -> None:
    p = propose_grade([])
    assert not p.is_major and p.proposed_grade is None and p.reasons == ()


@pytest.mark.parametrize("bad", [0, 21, "x", 2.0, True, "CHEM20-99"])
def test_bad_ids(bad: object) -> None:
    with pytest.raises(RiskInputError):
        propose_grade([bad])  # type: ignore[list-item]
