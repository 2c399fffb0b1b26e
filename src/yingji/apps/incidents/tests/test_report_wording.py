"""Report drafts read as official prose: reasons, citation, unknown loss, no repeated place names."""

from __future__ import annotations

from yingji.apps.incidents.documents import _loss_phrase, _place, reasons_zh, source_citation


def test_reasons_become_prose():
    assert reasons_zh(["deaths 3 ≥ 3 → 较大"]) == "死亡3人，达到较大事故标准（3人以上）"
    assert (
        reasons_zh(["serious injuries 10 ≥ 10 → 较大"])
        == "重伤（含急性工业中毒）10人，达到较大事故标准（10人以上）"
    )
    assert (
        reasons_zh(["direct loss 60000000 ≥ 50000000 → 重大"])
        == "直接经济损失6000万元，达到重大事故标准（5000万元以上）"
    )
    assert reasons_zh(["deaths 2 < 3 → 一般"]) == "死亡2人，未达到较大事故标准（3人）"
    assert reasons_zh(["no threshold in the county rules"]) == "no threshold in the county rules"


def test_citation_unknown_loss_and_place():
    assert source_citation("国务院令第493号 art.3 (accident_grading_493.csv)").startswith(
        "《生产安全事故报告和调查处理条例》"
    )
    assert source_citation("") == "有关规定"
    assert _loss_phrase("0") == "直接经济损失正在核实"
    assert _loss_phrase("25000") == "直接经济损失约2.5万元"
    assert _place({"division": "焉耆镇", "address": "焉耆镇工业园区"}) == "焉耆镇工业园区"
    assert _place({"division": "焉耆镇", "address": "工业园区"}) == "焉耆镇工业园区"
