"""The supply classification used by the catalogue (应急物资分类).

**Provisional list.** The 13 class names below are the widely cited 13-class
scheme of emergency supplies (防护用品类 … 工程材料类) as reproduced in secondary
references (e.g. the encyclopaedia entry 应急物资 on newton.com.tw, which lists the
13 classes with example items). We have **not** verified them against the
primary official text, so every class is shipped with ``provisional=True`` and
``SOURCE`` says so; replace or confirm them when the official classification
(e.g. GB/T 38565-2020 应急物资分类及编码) is checked.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = (
    "暂定：通行的应急物资13类划分（二手资料转引，未经官方原文核对）"
    " / provisional: commonly cited 13-class scheme, not verified against the official text"
)


@dataclass(frozen=True)
class SupplyClassDef:
    """One class: two-digit code, Chinese name, English gloss, typical items."""

    code: str
    name: str
    english: str
    examples: str


CLASSES: tuple[SupplyClassDef, ...] = (
    SupplyClassDef("01", "防护用品类", "protective equipment", "防护服、防毒面具、安全帽"),
    SupplyClassDef("02", "生命救助类", "life rescue", "担架、保温毯、生命探测仪、救生衣"),
    SupplyClassDef("03", "生命支持类", "life support", "呼吸机、输液设备、急救药品"),
    SupplyClassDef("04", "救援运载类", "rescue transport", "救护车、救生艇"),
    SupplyClassDef("05", "临时食宿类", "temporary food and shelter", "帐篷、棉被、折叠床、饮用水、方便食品"),
    SupplyClassDef("06", "污染清理类", "decontamination and clean-up", "消毒剂、吸附材料、洗消设备"),
    SupplyClassDef("07", "动力燃料类", "power and fuel", "发电机、燃油、蓄电池"),
    SupplyClassDef("08", "工程设备类", "engineering equipment", "挖掘机、排水泵、破拆工具组"),
    SupplyClassDef("09", "器材工具类", "tools", "铁锹、绳索、切割工具"),
    SupplyClassDef("10", "照明设备类", "lighting", "应急照明灯、手电筒、照明车"),
    SupplyClassDef("11", "通讯广播类", "communication and broadcasting", "卫星电话、对讲机、应急广播"),
    SupplyClassDef("12", "交通运输类", "transport", "运输车辆、桥梁器材"),
    SupplyClassDef("13", "工程材料类", "engineering materials", "编织袋、砂石、钢材、篷布"),
)


def class_by_code(code: str) -> SupplyClassDef | None:
    """The class with two-digit ``code``, else None."""
    return next((c for c in CLASSES if c.code == code), None)
