"""Chemical-industry major hidden-hazard checklist (化工重大隐患判定标准, 20 items).

Source: 《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准(试行)》, 原国家安全监管总局
安监总管三〔2017〕121号: any one of its 20 situations "应当判定为重大事故隐患". Item numbers
and English paraphrased titles are read from ``data/standards/hidden_danger.md`` section 5
(x2 there). ``text_zh`` is the item wording as reproduced in a public GitHub repository
(a seed list found by content search) and agrees item by item with those titles; check
it against the official text before citing it in a legal document.

Definitions (安全生产事故隐患排查治理暂行规定, 原安监总局令第16号, art. 3): a 重大事故隐患 is
high in harm and difficulty to remove. The checklist only *proposes* 重大; an inspector
confirms it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from yingji.engines.refdata import data_path

from ._common import RiskInputError

STANDARD = "安监总管三〔2017〕121号 化工和危险化学品生产经营单位重大生产安全事故隐患判定标准(试行)"

_TEXT_ZH: dict[int, str] = {
    1: "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。",
    2: "特种作业人员未持证上岗。",
    3: "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求。",
    4: (
        "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自"
        "动化控制系统、紧急停车系统未投入使用。"
    ),
    5: (
        "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气"
        "体、剧毒液体的一级、二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。"
    ),
    6: "全压力式液化烃储罐未按国家标准设置注水措施。",
    7: "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统。",
    8: "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区(包括化工园区、工业园区)外的公共区域。",
    9: "地区架空电力线路穿越生产区且不符合国家标准要求。",
    10: "在役化工装置未经正规设计且未进行安全设计诊断。",
    11: "使用淘汰落后安全技术工艺、设备目录列出的工艺、设备。",
    12: (
        "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国"
        "家标准安装使用防爆电气设备。"
    ),
    13: "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求。",
    14: "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源。",
    15: "安全阀、爆破片等安全附件未正常投用。",
    16: "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度。",
    17: "未制定操作规程和工艺控制指标。",
    18: "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行。",
    19: (
        "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次"
        "使用的化工工艺未经过省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生"
        "产方案投料开车；精细化工企业未按规范性文件要求开展反应安全风险评估。"
    ),
    20: "未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存。",
}


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist item: ``id`` 1..20 (the standard's numbering), ``text`` (paraphrased
    title from hidden_danger.md), ``text_zh`` (item wording), ``code`` (``"CHEM20-07"``)."""

    id: int
    text: str
    text_zh: str

    @property
    def code(self) -> str:
        """Stable code of the item, e.g. ``"CHEM20-07"``."""
        return f"CHEM20-{self.id:02d}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"id": self.id, "code": self.code, "text": self.text, "text_zh": self.text_zh}


@dataclass(frozen=True)
class HiddenDangerProposal:
    """Outcome of the checklist.

    Attributes:
        is_major: at least one item checked.
        proposed_grade: ``"重大"`` when ``is_major``, else None (the checklist does not
            decide between 一般 and no hazard).
        reasons: the checked items, ordered by id.
        basis: the standard applied.
    """

    is_major: bool
    proposed_grade: str | None
    reasons: tuple[ChecklistItem, ...]
    basis: str = STANDARD

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "is_major": self.is_major,
            "proposed_grade": self.proposed_grade,
            "reasons": [r.to_dict() for r in self.reasons],
            "basis": self.basis,
        }


@cache
def checklist() -> tuple[ChecklistItem, ...]:
    """The 20 items, parsed from ``hidden_danger.md`` section 5 (cached).

    Raises:
        RuntimeError: the data file does not hold exactly items 1..20.
    """
    text = data_path("standards", "hidden_danger.md").read_text(encoding="utf-8")
    start = text.index("## 5.")
    end = text.find("\n## ", start + 5)
    section = text[start : end if end != -1 else None]
    items: list[ChecklistItem] = []
    for m in re.finditer(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", section, flags=re.M):
        num = int(m.group(1))
        items.append(ChecklistItem(num, m.group(2), _TEXT_ZH[num]))
    if [i.id for i in items] != list(range(1, 21)):
        raise RuntimeError("hidden_danger.md section 5 must list items 1..20")
    return tuple(items)


def _parse_id(value: object) -> int:
    if isinstance(value, bool):
        raise RiskInputError(f"checklist item {value!r}: expected 1..20")
    if isinstance(value, int):
        num = value
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(?:CHEM20-)?0*(\d+)\s*", value, flags=re.I)
        if not m:
            raise RiskInputError(f"checklist item {value!r}: expected 1..20 or CHEM20-NN")
        num = int(m.group(1))
    else:
        raise RiskInputError(f"checklist item {value!r}: expected 1..20")
    if not 1 <= num <= 20:
        raise RiskInputError(f"checklist item {value!r}: expected 1..20")
    return num


def propose_grade(checked: Iterable[int | str]) -> HiddenDangerProposal:
    """Propose 重大 when any of the 20 items applies (安监总管三〔2017〕121号).

    Args:
        checked: ids of the items found to apply: ints 1..20, numeric text or
            ``"CHEM20-NN"``; duplicates ignored.

    Returns:
        ``HiddenDangerProposal`` with the matching items as reasons.

    Raises:
        RiskInputError: an id outside 1..20 or not a number.
    """
    ids = sorted({_parse_id(v) for v in checked})
    by_id = {i.id: i for i in checklist()}
    reasons = tuple(by_id[i] for i in ids)
    return HiddenDangerProposal(bool(reasons), "重大" if reasons else None, reasons)
