"""Kind of the monitoring registry: monitoring points (监测点台账) with their alarm configuration.

A row is one point (测点): its code (位号), name, enterprise (credit code or name), where it sits
(装置 / 尾矿库 / 建筑, or 部位类型 + 部位名称), what it measures (监测项目 → a quantity code), the unit,
the sampling period, the alarm limits 高高报/高报/低报/低低报 (HH/H/L/LL), deadband, delays, the
offline time, a rate-of-change limit, the device/gateway codes and the coordinates.

The alarm rules are checked by the monitoring engine itself
(:class:`yingji.engines.monitoring.model.PointConfig`: ``ll < l < h < hh`` for the limits present,
deadband and delays ≥ 0, offline time and rate-of-change limit > 0), so an imported point is
exactly what the engine accepts. Quantity codes are the monitoring app's ``Quantity`` values.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from typing import Any

from yingji.engines.monitoring.model import CONFIG_KEYS, ConfigError, PointConfig
from yingji.engines.normalize.columns import (
    Column,
    FieldContext,
    RegistrySpec,
    RowContext,
    RowIssues,
    n_code,
    n_crs,
    n_degrees,
    n_text,
    n_uscc,
)
from yingji.engines.normalize.kinds.common import CRS, LAT, LNG, check_point
from yingji.engines.normalize.numbers import parse_decimal
from yingji.engines.normalize.result import Result, fail, ok
from yingji.engines.normalize.text import numeric_text

# ---- quantities and units ----------------------------------------------------------------

#: Quantity code (the monitoring app's ``Quantity`` values) → Chinese label.
QUANTITY_LABELS: dict[str, str] = {
    "temperature": "温度",
    "pressure": "压力",
    "level": "液位",
    "flammable_gas": "可燃气体浓度",
    "toxic_gas": "有毒气体浓度",
    "flow": "流量",
    "phreatic_line": "浸润线埋深",
    "displacement": "位移",
    "rainfall": "降雨量",
    "water_level": "库水位",
    "dry_beach": "干滩长度",
    "fire": "火灾报警",
    "other": "其他",
}

# Keywords looked for in the 监测项目 cell, most specific first (the first hit wins):
# 感温/感烟 detectors are fire alarms, not temperatures; 库水位 before 水位; 可燃 before 气体.
_QUANTITY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dry_beach", ("干滩",)),
    ("phreatic_line", ("浸润线",)),
    ("water_level", ("库水位", "库区水位", "水位")),
    ("rainfall", ("降雨", "雨量", "降水")),
    ("displacement", ("位移", "沉降", "变形", "倾斜")),
    ("fire", ("火灾", "火警", "烟感", "感烟", "感温", "火焰", "消防报警")),
    ("flammable_gas", ("可燃", "lel", "甲烷", "天然气浓度", "液化气浓度")),
    (
        "toxic_gas",
        (
            "有毒",
            "有害气体",
            "硫化氢",
            "氨气",
            "氯气",
            "一氧化碳",
            "二氧化硫",
            "氰化氢",
            "光气",
            "苯浓度",
            "h2s",
            "nh3",
        ),
    ),
    ("level", ("液位", "料位", "物位")),
    ("temperature", ("温度",)),
    ("pressure", ("压力", "压强")),
    ("flow", ("流量",)),
    ("other", ("其他", "其它")),
)

# Unit key (NFKC, lower case, no spaces) → how it is stored.
_UNIT_DISPLAY: dict[str, str] = {
    "°c": "℃", "℃": "℃", "c": "℃", "摄氏度": "℃", "度": "℃",
    "mpa": "MPa", "kpa": "kPa", "pa": "Pa", "bar": "bar", "mbar": "mbar",
    "m": "m", "米": "m", "mm": "mm", "毫米": "mm", "cm": "cm", "厘米": "cm", "%": "%",
    "%lel": "%LEL", "lel%": "%LEL", "lel": "%LEL", "%vol": "%VOL", "vol%": "%VOL", "ppm": "ppm",
    "mg/m3": "mg/m³", "μmol/mol": "μmol/mol",
    "m3/h": "m³/h", "nm3/h": "Nm³/h", "t/h": "t/h", "kg/h": "kg/h", "l/s": "L/s", "l/min": "L/min",
    "m3/s": "m³/s", "mm/h": "mm/h", "mm/d": "mm/d",
}  # fmt: skip

#: Quantity code → (default unit, accepted units as stored). ``other`` accepts any unit.
QUANTITY_UNITS: dict[str, tuple[str, frozenset[str]]] = {
    "temperature": ("℃", frozenset({"℃"})),
    "pressure": ("MPa", frozenset({"MPa", "kPa", "Pa", "bar", "mbar"})),
    "level": ("m", frozenset({"m", "mm", "cm", "%"})),
    "flammable_gas": ("%LEL", frozenset({"%LEL", "%VOL", "%", "ppm"})),
    "toxic_gas": ("ppm", frozenset({"ppm", "mg/m³", "μmol/mol", "%VOL"})),
    "flow": ("m³/h", frozenset({"m³/h", "Nm³/h", "t/h", "kg/h", "L/s", "L/min", "m³/s"})),
    "phreatic_line": ("m", frozenset({"m"})),
    "displacement": ("mm", frozenset({"mm", "cm", "m"})),
    "rainfall": ("mm", frozenset({"mm", "mm/h", "mm/d"})),
    "water_level": ("m", frozenset({"m"})),
    "dry_beach": ("m", frozenset({"m"})),
    "fire": ("", frozenset({""})),
}

#: Quantities measured only at a tailings dam (a blank 部位类型 is taken as 尾矿库).
DAM_QUANTITIES = frozenset({"phreatic_line", "water_level", "dry_beach"})

#: Site kind code (the monitoring app's ``SiteKind`` values) → Chinese label.
SITE_LABELS: dict[str, str] = {
    "installation": "生产装置/储存设施",
    "dam": "尾矿库/坝体",
    "building": "建筑物",
    "other": "其他",
}
_SITE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dam", ("尾矿", "库坝", "坝", "dam")),
    ("building", ("建筑", "楼", "厂房", "building")),
    ("installation", ("装置", "设施", "储罐", "罐区", "库区", "仓库", "管道", "installation")),
    ("other", ("其他", "其它", "other")),
)

_LEVELS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_SECONDS: dict[str, float] = {
    "s": 1.0, "sec": 1.0, "秒": 1.0, "ms": 0.001, "毫秒": 0.001,
    "min": 60.0, "分": 60.0, "分钟": 60.0, "h": 3600.0, "小时": 3600.0, "时": 3600.0,
}  # fmt: skip
_PER_TIME: tuple[tuple[tuple[str, ...], float], ...] = (
    (("/s", "/秒", "每秒", "/sec"), 1.0),
    (("/min", "/分钟", "/分", "每分钟", "每分"), 60.0),
    (("/h", "/小时", "每小时", "/时"), 3600.0),
)
_NUMBER_SUFFIX = re.compile(r"^([+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+))\s*([^\d\s.,].*)$")


def unit_key(text: str) -> str:
    """A unit as compared: NFKC (``㎥`` → ``m3``, ``℃`` → ``°C``), lower case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def canonical_unit(text: str) -> str | None:
    """The stored form of a unit (``"mpa"`` → ``"MPa"``, ``"°C"`` → ``"℃"``), None if unknown."""
    return _UNIT_DISPLAY.get(unit_key(text))


def _split_suffix(text: str) -> tuple[str, str | None]:
    m = _NUMBER_SUFFIX.match(text)
    return (m.group(1), m.group(2).strip()) if m else (text, None)


# ---- normalisers -------------------------------------------------------------------------


def n_quantity_kind(text: str, ctx: FieldContext) -> Result[str]:
    """监测项目 → quantity code (``液位`` → ``level``, ``可燃气体浓度`` → ``flammable_gas``,
    ``硫化氢浓度`` → ``toxic_gas``, ``坝体表面位移`` → ``displacement``, ``干滩长度`` →
    ``dry_beach``); the codes themselves are accepted. Unknown text is an error listing the
    accepted items."""
    key = unit_key(text)
    if not key:
        return fail("空值 (empty)")
    for code, label in QUANTITY_LABELS.items():
        if key in (code, unit_key(label)):
            return ok(code)
    for code, words in _QUANTITY_WORDS:
        if any(w in key for w in words):
            return ok(code)
    return fail(
        f"无法识别的监测项目“{text.strip()}”,可填: {'、'.join(QUANTITY_LABELS.values())} (unknown quantity)"
    )


def n_site_kind(text: str, ctx: FieldContext) -> Result[str]:
    """部位类型 → ``installation`` (装置/设施/储罐…), ``dam`` (尾矿库/坝), ``building`` (建筑),
    ``other``; unknown text is an error."""
    key = unit_key(text)
    if not key:
        return fail("空值 (empty)")
    for code, words in _SITE_WORDS:
        if key == code or any(w in key for w in words):
            return ok(code)
    return fail(
        f"无法识别的部位类型“{text.strip()}”,可填: {'、'.join(SITE_LABELS.values())} (unknown site kind)"
    )


def n_hazard_level(text: str, ctx: FieldContext) -> Result[int]:
    """重大危险源等级 (GB 18218-2018): ``一级``..``四级`` or 1..4 → 1..4; ``否``/``无`` is an error
    (leave the cell blank for points not at a major hazard)."""
    key = numeric_text(text).replace(" ", "").removeprefix("重大危险源").removesuffix("级")
    if key in _LEVELS:
        return ok(_LEVELS[key])
    return fail(f"重大危险源等级须为一级至四级(或留空),不是“{text.strip()}” (level 1-4)")


def n_limit(text: str, ctx: FieldContext) -> Result[float]:
    """An alarm limit in the point's unit (negative allowed, e.g. −20 ℃). A unit written after
    the number (``25%LEL``, ``80℃``) is dropped with a warning; estimates (``约80``) are errors."""
    res = parse_decimal(text)
    if res.valid and res.value is not None:
        return ok(float(res.value), res.warnings)
    number, suffix = _split_suffix(numeric_text(text))
    if suffix is not None and canonical_unit(suffix) is not None:
        inner = parse_decimal(number)
        if inner.valid and inner.value is not None:
            return ok(
                float(inner.value), (*inner.warnings, f"已去掉数值后的单位“{suffix}” (unit text dropped)")
            )
    return Result(False, None, res.warnings, res.error)


def _seconds(text: str, ctx: FieldContext, what: str) -> Result[float]:
    number, suffix = _split_suffix(numeric_text(text))
    unit = suffix if suffix is not None else (ctx.unit_hint or "s")
    factor = _SECONDS.get(unit.lower())
    if factor is None:
        return fail(f"{what}的时间单位“{unit}”无法识别,请用秒(s)、分钟(min)或小时(h) (unknown time unit)")
    res = parse_decimal(number)
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    if res.value < 0:
        return fail(f"{what}不能为负 (negative {what})")
    return ok(float(res.value) * factor, res.warnings)


def n_seconds(text: str, ctx: FieldContext) -> Result[float]:
    """A delay/timeout in seconds, ≥ 0: unit from the cell (``30s``, ``5分钟``), else from the
    header brackets (``报警延时(min)``), else seconds."""
    return _seconds(text, ctx, "时长")


def n_period(text: str, ctx: FieldContext) -> Result[int]:
    """Sampling period in whole seconds, > 0 (units as :func:`n_seconds`)."""
    res = _seconds(text, ctx, "采样周期")
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    if res.value <= 0 or res.value != int(res.value):
        return fail(f"采样周期须为正的整数秒,不是“{text.strip()}” (whole seconds > 0)")
    return ok(int(res.value), res.warnings)


def n_rate(text: str, ctx: FieldContext) -> Result[float]:
    """Rate-of-change limit converted to unit per second: ``0.5`` under ``变化率限(℃/min)`` →
    0.008333…; a per-time suffix in the cell (``2/min``) wins; no time unit = per second."""
    number, suffix = _split_suffix(numeric_text(text))
    res = parse_decimal(number)
    if not res.valid or res.value is None:
        return Result(False, None, res.warnings, res.error)
    unit = unit_key(suffix or ctx.unit_hint or "")
    per = 1.0
    for endings, seconds in _PER_TIME:
        if unit.endswith(endings):
            per = seconds
            break
    else:
        if suffix is not None:
            return fail(f"变化率的单位“{suffix}”无法识别,请写成“值/s”“值/min”或“值/h” (unknown rate unit)")
    return ok(float(res.value) / per, res.warnings)


# ---- row check ---------------------------------------------------------------------------

LIMIT_LABELS = {"hh": "高高报", "h": "高报", "l": "低报", "ll": "低低报"}
_SITE_COLUMNS = (("installation", "装置"), ("dam", "尾矿库"), ("building", "建筑"))


def _config_column(message: str) -> str:
    """The column a ``ConfigError`` message is about (the later limit of an out-of-order pair)."""
    m = re.search(r">= (\w+)=", message) or re.search(r"(\w+) must", message)
    if m and m.group(1) in CONFIG_KEYS:
        return m.group(1)
    return "hh"


def _check_site(values: dict[str, Any]) -> RowIssues:
    given = [(col, label, values.get(col)) for col, label in _SITE_COLUMNS if values.get(col)]
    kind, name = values.get("site_kind"), values.get("site_name")
    if len(given) > 1:
        both = "、".join(label for _c, label, _v in given)
        return RowIssues(errors=((given[1][0], f"{both}只能填写一项 (one site per point)"),))
    updates: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    if given:
        col, label, site = given[0]
        if kind and kind != col:
            errors.append(("site_kind", f"部位类型“{SITE_LABELS[kind]}”与{label}列不一致"))
        if name and name != site:
            errors.append(("site_name", f"部位名称“{name}”与{label}列“{site}”不一致"))
        updates.update(site_kind=col, site_name=site)
    elif not kind:
        inferred = "dam" if values.get("quantity") in DAM_QUANTITIES else "installation"
        if inferred == "dam":
            warnings.append(("site_kind", "未填部位类型,按尾矿库/坝体登记 (tailings-dam quantity)"))
        updates.update(site_kind=inferred, site_name=name or "")
    else:
        updates["site_name"] = name or ""
    return RowIssues(updates, tuple(errors), tuple(warnings))


def _check_unit(values: dict[str, Any]) -> RowIssues:
    quantity = values.get("quantity")
    unit = values.get("unit")
    if quantity not in QUANTITY_UNITS:
        return RowIssues({"unit": canonical_unit(unit) or unit} if unit else {"unit": ""})
    default, accepted = QUANTITY_UNITS[quantity]
    label = QUANTITY_LABELS[quantity]
    if not unit:
        if not default:
            return RowIssues({"unit": ""})
        return RowIssues({"unit": default}, (), (("unit", f"未填单位,按{label}的常用单位{default}登记"),))
    stored = canonical_unit(unit)
    if stored in accepted:
        return RowIssues({"unit": stored})
    if stored is not None or not default:
        choices = "、".join(sorted(u for u in accepted if u)) or "无单位"
        return RowIssues(
            errors=(("unit", f"单位“{unit}”与监测项目“{label}”不符,可用: {choices} (unit does not fit)"),)
        )
    return RowIssues(warnings=(("unit", f"未识别的单位“{unit}”,请核对 (unknown unit)"),))


_OUT_OF_ORDER = re.compile(r"got (\w+)=(\S+) >= (\w+)=(\S+)")
#: Other alarm-rule columns in words (for :func:`config_error_zh`).
_CONFIG_LABELS = {
    **LIMIT_LABELS,
    "deadband": "死区",
    "on_delay_s": "报警延时",
    "off_delay_s": "消警延时",
    "offline_s": "离线判定时间",
    "roc_per_s": "变化率限",
}


def _num(text: str) -> str:
    try:
        return f"{float(text):g}"
    except ValueError:
        return text


def config_error_zh(message: str, present: Any = ("ll", "l", "h", "hh")) -> str:
    """A ``ConfigError`` message of the monitoring engine as one Chinese sentence, the engine's
    own words in parentheses: ``报警限值须满足 高报 < 高高报,而高报 5 不小于高高报 1
    (limits out of order: need h < hh, got h=5.0 >= hh=1.0)``.

    Args:
        message: ``str(ConfigError)``; a leading ``where: `` is dropped.
        present: the limit keys that are set (the order the sentence asks for).
    """
    text = re.sub(r"^[^:]*: (?=limits out of order|\w+ must|unknown key)", "", message)
    match = _OUT_OF_ORDER.search(text)
    if "out of order" in text:
        order = " < ".join(LIMIT_LABELS[k] for k in ("ll", "l", "h", "hh") if k in present)
        if match:
            k1, v1, k2, v2 = match.groups()
            got = f",而{LIMIT_LABELS.get(k1, k1)} {_num(v1)} 不小于{LIMIT_LABELS.get(k2, k2)} {_num(v2)}"
        else:
            got = ""
        return f"报警限值须满足 {order}{got} ({text})"
    key = _config_column(text) if " must " in text else ""
    if key in _CONFIG_LABELS and ">= 0" in text:
        return f"{_CONFIG_LABELS[key]}不能为负数 ({text})"
    if key in _CONFIG_LABELS and "> 0" in text:
        return f"{_CONFIG_LABELS[key]}须大于 0 ({text})"
    if key in _CONFIG_LABELS:
        return f"{_CONFIG_LABELS[key]}须为有限数值 ({text})"
    return f"报警配置无效 ({text})"


def _check_alarm(values: dict[str, Any]) -> RowIssues:
    raw = {k: values[k] for k in CONFIG_KEYS if values.get(k) is not None}
    try:
        cfg = PointConfig.from_dict(raw, where="测点")
    except ConfigError as exc:
        text = str(exc)
        return RowIssues(errors=((_config_column(text), config_error_zh(text, raw)),))
    warnings: list[tuple[str, str]] = []
    limits = [v for v in (cfg.ll, cfg.l, cfg.h, cfg.hh) if v is not None]
    gaps = [b - a for a, b in itertools.pairwise(limits)]
    if cfg.deadband and gaps and cfg.deadband >= min(gaps):
        warnings.append(
            (
                "deadband",
                f"死区{cfg.deadband:g}不小于相邻报警限之差{min(gaps):g},退出报警时会跨过下一级限值"
                " (deadband wider than the gap between limits)",
            )
        )
    period = values.get("sampling_period_s")
    if cfg.offline_s is not None and period and cfg.offline_s <= period:
        warnings.append(
            ("offline_s", f"离线判定{cfg.offline_s:g}秒不大于采样周期{period}秒,测点会频繁判为离线")
        )
    if not limits and cfg.roc_per_s is None and values.get("quantity") != "fire":
        warnings.append(("hh", "未设置任何报警限值,该测点只记录数据 (no alarm limits)"))
    return RowIssues(warnings=tuple(warnings))


def check_monitoring_point(values: dict[str, Any], ctx: RowContext) -> RowIssues:
    """Cross-field checks of a monitoring-point row.

    * the enterprise is named (credit code or name);
    * the site: at most one of 装置/尾矿库/建筑, agreeing with 部位类型/部位名称 when given; sets
      ``site_kind`` (blank: ``installation``, or ``dam`` for 浸润线/库水位/干滩长度) and ``site_name``;
    * the unit fits the quantity (another quantity's unit is an error, an unknown one a warning,
      a blank one takes the usual unit with a warning); stored in canonical form (``℃``, ``MPa``);
    * the alarm rules pass the monitoring engine's :class:`PointConfig` (``ll < l < h < hh``,
      deadband/delays ≥ 0, offline/ROC > 0); a deadband not smaller than the gap between two
      limits, an offline time not above the sampling period, or no limit at all are warnings;
    * coordinates as :func:`~yingji.engines.normalize.kinds.common.check_point`.
    """
    errors: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    updates: dict[str, Any] = {}
    if not values.get("uscc") and not values.get("enterprise"):
        errors.append(("uscc", "须填写企业统一社会信用代码或企业名称 (enterprise required)"))
    for part in (_check_site(values), _check_unit(values), _check_alarm(values), check_point(values, ctx)):
        updates.update(part.updates)
        errors.extend(part.errors)
        warnings.extend(part.warnings)
    return RowIssues(updates, tuple(errors), tuple(warnings))


def _seconds_column(name: str, label: str, synonyms: tuple[str, ...]) -> Column:
    return Column(name, label, synonyms, n_seconds, required=False)


MONITORING_POINTS = RegistrySpec(
    "monitoring-points",
    "监测点",
    (
        Column(
            "code",
            "测点编码",
            ("测点编码", "测点编号", "位号", "测点位号", "测点代码", "监测点编码", "监测点编号", "点位编码"),
            n_code,
            code=True,
        ),
        Column("name", "测点名称", ("测点名称", "监测点名称", "点位名称", "名称"), n_text),
        Column(
            "uscc",
            "统一社会信用代码",
            ("企业统一社会信用代码", "统一社会信用代码", "社会信用代码", "信用代码"),
            n_uscc,
            required=False,
            code=True,
        ),
        Column(
            "enterprise",
            "企业名称",
            ("企业名称", "所属企业", "单位名称", "企业(单位)名称"),
            n_text,
            required=False,
        ),
        Column(
            "site_kind", "部位类型", ("部位类型", "监测部位类型", "部位类别"), n_site_kind, required=False
        ),
        Column(
            "site_name", "部位名称", ("部位名称", "监测部位", "安装部位", "所在部位"), n_text, required=False
        ),
        Column(
            "installation",
            "装置",
            ("装置", "装置名称", "生产装置", "装置/设施", "储存设施", "所属装置", "所在装置"),
            n_text,
            required=False,
        ),
        Column("dam", "尾矿库", ("尾矿库", "尾矿库名称", "库坝", "坝体"), n_text, required=False),
        Column("building", "建筑", ("建筑", "建筑物", "建筑名称", "所在建筑"), n_text, required=False),
        Column(
            "major_hazard_level",
            "重大危险源等级",
            ("重大危险源等级", "危险源等级", "重大危险源级别"),
            n_hazard_level,
            required=False,
        ),
        Column(
            "quantity",
            "监测项目",
            ("监测项目", "监测参数", "监测量", "监测类型", "监测指标", "参数类型", "测点类型"),
            n_quantity_kind,
        ),
        Column("unit", "单位", ("单位", "计量单位", "工程单位", "量程单位"), n_text, required=False),
        Column(
            "sampling_period_s",
            "采样周期(s)",
            ("采样周期", "采样周期(s)", "采集周期", "采样间隔", "上报周期", "采集频率"),
            n_period,
            required=False,
        ),
        Column(
            "hh",
            "高高报",
            ("高高报", "高高限", "高高报警值", "高高报警", "HH", "hh"),
            n_limit,
            required=False,
        ),
        Column(
            "h",
            "高报",
            ("高报", "高限", "高报警值", "高报警", "一级报警值", "H", "h"),
            n_limit,
            required=False,
        ),
        Column("l", "低报", ("低报", "低限", "低报警值", "低报警", "L", "l"), n_limit, required=False),
        Column(
            "ll",
            "低低报",
            ("低低报", "低低限", "低低报警值", "低低报警", "LL", "ll"),
            n_limit,
            required=False,
        ),
        Column("deadband", "死区", ("死区", "回差", "报警死区", "回滞", "滞环"), n_limit, required=False),
        _seconds_column("on_delay_s", "报警延时(s)", ("报警延时", "报警延时(s)", "报警延迟", "延时报警")),
        _seconds_column("off_delay_s", "消警延时(s)", ("消警延时", "消警延时(s)", "消警延迟", "复位延时")),
        _seconds_column(
            "offline_s", "离线判定(s)", ("离线判定", "离线判定(s)", "离线时间", "离线超时", "通讯超时")
        ),
        Column(
            "roc_per_s",
            "变化率限(每秒)",
            ("变化率限", "变化率限(每秒)", "变化速率", "变化率报警值", "速率限"),
            n_rate,
            required=False,
        ),
        Column(
            "device_code",
            "设备编码",
            ("设备编码", "设备编号", "传感器编码", "探测器编号"),
            n_code,
            required=False,
        ),
        Column("gateway_code", "网关编码", ("网关编码", "网关编号", "采集网关"), n_code, required=False),
        Column("lng", "经度", LNG, n_degrees, required=False),
        Column("lat", "纬度", LAT, n_degrees, required=False),
        Column("crs", "坐标系", CRS, n_crs, required=False),
    ),
    ("code",),
    check_monitoring_point,
)
