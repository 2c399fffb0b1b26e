"""Kinds of the resources registries: depot stock (库存表), shelters (避难场所登记表), depots
(储备库名录), rescue teams (救援队伍名录), experts (专家库), equipment (应急装备台账) and the
supply catalogue (应急物资目录).

Enumerated columns (储备主体, 队伍类型, 战备状态, 可调用, 装备类别, 装备状态) are declared as
:class:`~yingji.engines.normalize.columns.Choice` tuples, in the platform's order, whose values
are the platform's stored values (``bureau``, ``specialised``...; a test checks they equal the
model choices); unknown text is a row error listing the labels.
"""

from __future__ import annotations

from yingji.engines.normalize.columns import (
    Choice,
    Column,
    RegistrySpec,
    n_area,
    n_choice,
    n_code,
    n_count,
    n_crs,
    n_date,
    n_degrees,
    n_division,
    n_phone,
    n_pieces,
    n_quantity,
    n_shelf_life_days,
    n_supply_class,
    n_text,
    n_township,
)
from yingji.engines.normalize.kinds.common import (
    ADDRESS,
    CRS,
    DIVISION,
    LAT,
    LNG,
    ORGANIZATION,
    PHONE,
    TOWNSHIP,
    check_point,
    check_stock,
)

DEPOT_STOCK = RegistrySpec(
    "depot-stock",
    "应急物资库存",
    (
        Column(
            "depot_code",
            "仓库编码",
            ("仓库编码", "库点编码", "仓库代码", "储备库编码", "仓库编号"),
            n_code,
            code=True,
        ),
        Column(
            "item_code",
            "物资编码",
            ("物资编码", "物资代码", "品目编码", "物资编号"),
            n_code,
            code=True,
        ),
        Column("item_name", "物资名称", ("物资名称", "品名", "物资品名", "名称"), n_text),
        Column("unit", "计量单位", ("计量单位", "单位"), n_text),
        Column("quantity", "数量", ("数量", "库存数量", "储备数量", "实存数量", "库存"), n_quantity),
        Column("batch", "批次", ("批次", "批号", "生产批号", "批次号"), n_code, required=False),
        Column("production_date", "生产日期", ("生产日期", "出厂日期"), n_date, required=False),
        Column(
            "expiry_date",
            "有效期至",
            ("有效期至", "失效日期", "有效期", "过期日期", "保质期至", "有效日期"),
            n_date,
            required=False,
        ),
    ),
    ("depot_code", "item_code", "batch"),
    check_stock,
)

SHELTERS = RegistrySpec(
    "shelters",
    "应急避难场所",
    (
        Column(
            "code",
            "场所编码",
            ("避难场所编码", "场所编码", "编码", "编号", "场所编号"),
            n_code,
            code=True,
        ),
        Column("name", "场所名称", ("避难场所名称", "场所名称", "名称"), n_text),
        Column("type", "场所类型", ("类型", "场所类型", "避难场所类型", "类别"), n_text, required=False),
        Column("township", "乡镇", TOWNSHIP, n_township),
        Column("address", "地址", ("地址", "详细地址", "位置", "场所地址"), n_text, required=False),
        Column("lng", "经度", LNG, n_degrees),
        Column("lat", "纬度", LAT, n_degrees),
        Column("crs", "坐标系", CRS, n_crs, required=False),
        Column(
            "capacity",
            "容纳人数",
            ("容纳人数", "可容纳人数", "容量", "可容纳人数(人)", "设计容量"),
            n_count,
        ),
        Column(
            "area_m2",
            "面积",
            ("面积", "占地面积", "有效面积", "有效避难面积", "场所面积"),
            n_area,
            required=False,
        ),
    ),
    ("code",),
    check_point,
)


def _located(*, phone: bool = True) -> tuple[Column, ...]:
    """Division (township or county; blank = the county), address, point, CRS and phone."""
    cols: tuple[Column, ...] = (
        Column("township", "所在区划", DIVISION, n_division, required=False),
        Column("address", "地址", ADDRESS, n_text, required=False),
        Column("lng", "经度", LNG, n_degrees, required=False),
        Column("lat", "纬度", LAT, n_degrees, required=False),
        Column("crs", "坐标系", CRS, n_crs, required=False),
    )
    if phone:
        cols += (Column("phone", "联系电话", PHONE, n_phone, required=False, code=True),)
    return cols


DEPOT_OWNERS: tuple[Choice, ...] = (
    Choice("bureau", "应急管理局", ("应急局", "县应急管理局", "局本级", "县级", "应急管理部门")),
    Choice("department", "部门", ("行业部门", "县直部门", "职能部门", "局", "委", "办")),
    Choice("township", "乡镇", ("乡镇政府", "乡镇人民政府", "街道", "乡", "镇")),
    Choice("enterprise", "企业", ("企业自储", "公司", "厂", "企业储备")),
    Choice("agreement", "协议储备", ("协议", "协议企业", "协议供应商", "代储", "社会化储备", "合同储备")),
)

DEPOTS = RegistrySpec(
    "depots",
    "应急物资储备库",
    (
        Column(
            "code",
            "储备库编码",
            ("储备库编码", "储备库编号", "库点编码", "库点编号", "仓库编码", "仓库编号", "编号", "编码"),
            n_code,
            code=True,
        ),
        Column(
            "name",
            "储备库名称",
            ("储备库名称", "库点名称", "仓库名称", "储备点名称", "名称"),
            n_text,
        ),
        Column(
            "owner_kind",
            "储备主体",
            ("储备主体", "储备类型", "储备方式", "主体类型", "所属类型", "储备单位类型"),
            n_choice("储备主体", DEPOT_OWNERS),
        ),
        Column(
            "floor_area_m2",
            "面积",
            ("面积", "库房面积", "建筑面积", "仓储面积", "占地面积"),
            n_area,
            required=False,
        ),
        Column("organization", "所属单位", ORGANIZATION, n_text, required=False),
        *_located(),
    ),
    ("code",),
    check_point,
)

TEAM_KINDS: tuple[Choice, ...] = (
    Choice("comprehensive", "综合性", ("综合", "综合性救援队伍", "综合性消防救援", "消防救援")),
    Choice("specialised", "专业", ("专业队", "专业救援队伍", "专业救援", "专职")),
    Choice("volunteer", "社会", ("社会力量", "社会应急力量", "社会救援队伍", "志愿者", "志愿", "民间")),
)
READINESS: tuple[Choice, ...] = (
    Choice("ready", "待命", ("备勤", "在岗", "值守", "正常", "可用", "战备")),
    Choice("deployed", "出动", ("已出动", "执行任务", "任务中", "救援中", "外出救援")),
    Choice("unavailable", "不可用", ("停用", "休整", "整训", "撤销", "解散", "暂停", "不在岗")),
)

RESCUE_TEAMS = RegistrySpec(
    "rescue-teams",
    "应急救援队伍",
    (
        Column("name", "队伍名称", ("队伍名称", "救援队伍名称", "队伍", "名称"), n_text),
        Column(
            "kind",
            "队伍类型",
            ("队伍类型", "队伍性质", "队伍类别", "类型", "类别"),
            n_choice("队伍类型", TEAM_KINDS),
        ),
        Column(
            "specialty",
            "专业方向",
            ("专业方向", "专业类别", "救援专业", "专业领域", "专业"),
            n_text,
            required=False,
        ),
        Column(
            "skills",
            "技能标签",
            ("技能标签", "专业技能", "技能", "救援能力", "特长", "主要能力"),
            n_text,
            required=False,
        ),
        Column(
            "member_count",
            "编制人数",
            ("编制人数", "人数", "队员人数", "队伍人数", "总人数", "现有人数"),
            n_count,
            required=False,
        ),
        Column(
            "readiness",
            "状态",
            ("战备状态", "备勤状态", "值守状态", "状态"),
            n_choice("队伍状态", READINESS),
            required=False,
        ),
        Column(
            "contact_name",
            "联系人",
            ("联系人", "负责人", "队长", "带队负责人"),
            n_text,
            required=False,
        ),
        Column("organization", "所属单位", ("组建单位", *ORGANIZATION), n_text, required=False),
        *_located(),
    ),
    ("name", "township"),
    check_point,
)

EXPERT_AVAILABILITY: tuple[Choice, ...] = (
    Choice(True, "是", ("可调用", "可用", "在岗", "随时", "可", "1")),
    Choice(False, "否", ("不可调用", "不可用", "不在岗", "不", "外出", "出差", "退休", "暂停", "0")),
)

EXPERTS = RegistrySpec(
    "experts",
    "应急专家",
    (
        Column("name", "专家姓名", ("专家姓名", "姓名", "专家"), n_text),
        Column(
            "specialty",
            "专业领域",
            ("专业领域", "专业", "专长", "专业方向", "擅长领域", "专业类别"),
            n_text,
        ),
        Column("title", "职称", ("职称", "技术职称", "职务/职称", "职务"), n_text, required=False),
        Column(
            "available",
            "可调用",
            ("可调用", "是否可调用", "可用状态", "调用状态"),
            n_choice("可调用", EXPERT_AVAILABILITY),
            required=False,
        ),
        Column(
            "availability_note",
            "可调用说明",
            ("可调用说明", "调用说明", "备注"),
            n_text,
            required=False,
        ),
        Column("organization", "工作单位", ("工作单位", "所在单位", *ORGANIZATION), n_text, required=False),
        *_located(),
    ),
    ("name", "specialty"),
    check_point,
)

EQUIPMENT_KINDS: tuple[Choice, ...] = (
    Choice("vehicle", "车辆", ("救援车", "消防车", "指挥车", "运输车", "车")),
    Choice("pump", "排水泵", ("水泵", "抽水机", "排涝泵", "泵")),
    Choice("generator", "发电机", ("发电机组", "发电")),
    Choice("uav", "无人机", ("无人驾驶航空器", "uav", "航拍器", "多旋翼")),
    Choice("satellite_phone", "卫星电话", ("海事卫星电话", "天通卫星电话", "卫星")),
    Choice("other", "其他", ("其它",)),
)
EQUIPMENT_STATUS: tuple[Choice, ...] = (
    Choice("ready", "完好", ("正常", "良好", "在库", "待命", "备用", "可用")),
    Choice("in_use", "使用中", ("在用", "出动", "借出", "占用")),
    Choice("maintenance", "维修中", ("维修", "故障", "待修", "保养", "损坏")),
    Choice("retired", "报废", ("淘汰", "退役")),
)

EQUIPMENT = RegistrySpec(
    "equipment",
    "应急装备",
    (
        Column(
            "code",
            "装备编号",
            ("装备编号", "装备编码", "资产编号", "设备编号", "编号", "编码"),
            n_code,
            code=True,
        ),
        Column("name", "装备名称", ("装备名称", "设备名称", "名称"), n_text),
        Column(
            "kind",
            "装备类别",
            ("装备类别", "装备类型", "装备种类", "类别", "类型"),
            n_choice("装备类别", EQUIPMENT_KINDS),
        ),
        Column(
            "model_spec",
            "规格型号",
            ("规格型号", "型号规格", "型号", "规格", "规格及型号"),
            n_text,
            required=False,
        ),
        Column("quantity", "数量", ("数量", "台套数", "装备数量", "台(套)数"), n_pieces, required=False),
        Column(
            "status",
            "状态",
            ("装备状态", "技术状态", "完好状态", "状态"),
            n_choice("装备状态", EQUIPMENT_STATUS),
            required=False,
        ),
        Column(
            "team",
            "所属队伍",
            ("所属队伍", "配属队伍", "使用队伍", "队伍名称"),
            n_text,
            required=False,
        ),
        Column(
            "depot",
            "存放储备库",
            ("存放储备库", "存放库点", "存放仓库", "储备库", "储备库编码", "存放地点"),
            n_text,
            required=False,
        ),
        *_located(),
    ),
    ("code",),
    check_point,
)

SUPPLY_ITEMS = RegistrySpec(
    "supply-items",
    "应急物资目录",
    (
        Column(
            "code",
            "物资编码",
            ("物资编码", "物资代码", "品目编码", "物资编号", "编码"),
            n_code,
            code=True,
        ),
        Column("name", "物资名称", ("物资名称", "品名", "物资品名", "品目名称", "名称"), n_text),
        Column(
            "supply_class",
            "物资分类",
            ("物资分类", "物资类别", "分类", "类别", "分类编码", "所属分类"),
            n_supply_class,
        ),
        Column("unit", "计量单位", ("计量单位", "单位"), n_text),
        Column(
            "specification",
            "规格型号",
            ("规格型号", "规格", "型号", "规格及型号"),
            n_text,
            required=False,
        ),
        Column(
            "shelf_life_days",
            "保质期",
            ("保质期", "保质期限", "有效期限", "储存期限", "保存期限"),
            n_shelf_life_days,
            required=False,
        ),
        Column(
            "storage_requirements",
            "存储要求",
            ("存储要求", "储存要求", "存储条件", "储存条件", "保管要求"),
            n_text,
            required=False,
        ),
    ),
    ("code",),
)
