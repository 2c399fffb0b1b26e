"""Excel imports of the depot, rescue-team, expert, equipment and supply-catalogue registries through
the shared import layer: realistic Chinese headers (one with a merged two-row header), audited creation,
bad rows reported by number with nothing written, duplicates in the file and in the database, the
uploader's scope, and template/export files that preview back without missing columns."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from django.test import Client

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.core.imports import services as imports
from yingji.apps.core.imports.models import ImportStatus
from yingji.apps.core.imports.previews import compute_preview
from yingji.apps.core.imports.registry import get_import_kind
from yingji.apps.directory import services as directory_services
from yingji.apps.directory.models import AdministrativeDivision, OrganizationKind
from yingji.apps.resources import services
from yingji.apps.resources.imports import REGISTER_IMPORT_KINDS
from yingji.apps.resources.models import Depot, Equipment, Expert, RescueTeam, SupplyClass, SupplyItem
from yingji.apps.resources.tests.factories import DepotFactory, RescueTeamFactory
from yingji.engines.normalize.kinds.resources import (
    DEPOT_OWNERS,
    EQUIPMENT_KINDS,
    EQUIPMENT_STATUS,
    READINESS,
    TEAM_KINDS,
)

pytestmark = pytest.mark.django_db

OUTSIDE = ("88.0", "42.0")  # 和静县, not 焉耆


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def xlsx(rows: Sequence[Sequence[Any]], merges: Sequence[str] = ()) -> bytes:
    """Rows as an .xlsx (``None``/"" cells left empty), with merged ranges."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    for ref in merges:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(user, kind: str, data: bytes):
    return imports.preview_upload(actor=user, kind=kind, data=data, filename=f"{kind}.xlsx")


def rows_of(job, section: str) -> list[int]:
    return [r["row"] for r in job.preview.rows(section)]


def rejected(job) -> set[tuple[int, str]]:
    return {(r["row"], r["column"]) for r in job.preview.rows("rejected")}


def audited(model: str, count: int) -> None:
    assert ChangeRecord.objects.filter(model_name=model, action="create").count() == count


@pytest.fixture
def township_commander(make_persona, township):
    """A commander granted in 焉耆镇 only (resources.add_* and the import permissions)."""
    return make_persona("commander", division=township)


@pytest.fixture
def hospital(county):
    return directory_services.create_organization(
        actor=None, name="焉耆县人民医院", kind=OrganizationKind.MEMBER_UNIT, division=county
    )


# ---- depots (merged two-row header: 位置 over 经度/纬度) --------------------------------------

DEPOT_TOP = [
    "序号",
    "库点编码",
    "库点名称",
    "储备主体",
    "管理单位",
    "所在乡镇",
    "位置",
    "",
    "库房面积(m²)",
    "联系电话",
]
DEPOT_SUB = ["", "", "", "", "", "", "经度", "纬度", "", ""]
DEPOT_MERGES = ("A1:J1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:F3", "G2:H2", "I2:I3", "J2:J3")


def depot_file(*rows: Sequence[Any]) -> bytes:
    return xlsx([["焉耆县应急物资储备库名录(2024年)"], DEPOT_TOP, DEPOT_SUB, *rows], DEPOT_MERGES)


GOOD_DEPOTS = [
    [1, "CK-101", "县应急物资储备库", "县应急管理局", "", "县级", "86.574", "42.059", "1200", "0996-6021234"],
    [2, "CK-102", "七个星镇储备点", "乡镇", "", "七个星镇", "", "", "300", ""],
    [
        3,
        "CK-103",
        "协议储备超市",
        "协议企业",
        "焉耆县人民医院",
        "焉耆镇",
        "86.57",
        "42.06",
        "",
        "13800138000",
    ],
]


def test_depots_import_creates_audited_depots(admin_user, hospital):
    job = upload(admin_user, "depots", depot_file(*GOOD_DEPOTS))
    assert job.status == ImportStatus.PREVIEWED and job.preview.data["header"][6:8] == [
        "位置/经度",
        "位置/纬度",
    ]
    assert rows_of(job, "imported") == [4, 5, 6], job.preview.rows("rejected")
    assert Depot.objects.count() == 0  # the preview writes nothing
    job = imports.commit_import(job, actor=admin_user)
    assert job.imported_rows == 3 and job.result["records"] == ["CK-101", "CK-102", "CK-103"]
    county_depot, township_depot, agreement = Depot.objects.order_by("code")
    assert county_depot.owner_kind == "bureau" and county_depot.division.code == "652826000000"
    assert county_depot.floor_area_m2 == 1200 and county_depot.phone == "0996-6021234"
    assert township_depot.owner_kind == "township" and township_depot.division.name == "七个星镇"
    assert agreement.owner_kind == "agreement" and agreement.organization == hospital
    audited("depot", 3)


def test_depots_bad_rows_are_reported_by_number_and_nothing_is_written(admin_user):
    bad = [
        [4, "CK-104", "河对岸库", "部门", "", "焉耆镇", *OUTSIDE, "", ""],  # row 7: outside the county
        [5, "CK-105", "某库", "个人", "不存在的单位", "焉耆镇", "", "", "", ""],  # row 8: owner, unit
        [
            6,
            "CK-106",
            "某库",
            "企业",
            "不存在的单位",
            "焉耆镇",
            "",
            "",
            "",
            "",
        ],  # row 9: unknown organisation
    ]
    job = upload(admin_user, "depots", depot_file(GOOD_DEPOTS[0], *bad))
    assert rows_of(job, "imported") == [4]
    # row 6's unknown 所属单位 is listed with its bad 储备主体 (the database checks run on rejected rows too)
    assert rejected(job) == {(5, "lng"), (5, "lat"), (6, "owner_kind"), (6, "organization")} | {
        (7, "organization")
    }
    reason = next(r["reason"] for r in job.preview.rows("rejected") if r["row"] == 6)
    assert all(o.label in reason for o in DEPOT_OWNERS)
    assert Depot.objects.count() == 0
    imports.commit_import(job, actor=admin_user)
    assert list(Depot.objects.values_list("code", flat=True)) == ["CK-101"]


def test_depot_codes_duplicated_in_the_file_and_in_the_database(admin_user):
    DepotFactory(code="CK-102", name="旧储备点")
    again = [9, "CK-101", "重复的库", "部门", "", "", "", "", "", ""]
    job = upload(admin_user, "depots", depot_file(GOOD_DEPOTS[0], GOOD_DEPOTS[1], again))
    dups = {d["row"]: d["same_as"] for d in job.preview.rows("duplicates")}
    assert dups == {5: "已登记的储备库 CK-102 旧储备点", 6: 4}
    assert rows_of(job, "imported") == [4]


def test_depot_rows_outside_the_uploaders_township_are_rejected(township_commander, hospital):
    job = upload(township_commander, "depots", depot_file(*GOOD_DEPOTS))
    assert rows_of(job, "imported") == [6]  # 焉耆镇
    assert rejected(job) == {(4, "township"), (5, "township")}  # the county and 七个星镇
    imports.commit_import(job, actor=township_commander)
    assert list(Depot.objects.values_list("code", flat=True)) == ["CK-103"]


# ---- rescue teams -----------------------------------------------------------------------------

TEAM_HEADER = [
    "队伍名称",
    "队伍类型",
    "专业方向",
    "技能标签",
    "编制人数",
    "战备状态",
    "联系人",
    "联系电话",
    "驻地乡镇",
]
GOOD_TEAMS = [
    ["防汛抢险专业队", "专业", "防汛抢险", "排涝、水域救援", "30", "备勤", "李强", "13800138000", "焉耆镇"],
    ["县综合性消防救援队", "综合性", "综合救援", "搜救、破拆", "45", "", "王刚", "", "县级"],
    ["蓝天志愿救援队", "社会力量", "搜救", "", "", "已出动", "", "", "七个星镇"],
]


def test_rescue_teams_import(admin_user):
    job = upload(admin_user, "rescue-teams", xlsx([TEAM_HEADER, *GOOD_TEAMS]))
    assert rows_of(job, "imported") == [2, 3, 4], job.preview.rows("rejected")
    imports.commit_import(job, actor=admin_user)
    teams = {t.name: t for t in RescueTeam.objects.all()}
    flood = teams["防汛抢险专业队"]
    assert (flood.kind, flood.readiness, flood.member_count) == ("specialised", "ready", 30)
    assert flood.division.code == "652826100000" and flood.contact_name == "李强"
    assert teams["县综合性消防救援队"].kind == "comprehensive"
    assert teams["县综合性消防救援队"].division.code == "652826000000"
    assert (teams["蓝天志愿救援队"].kind, teams["蓝天志愿救援队"].readiness) == ("volunteer", "deployed")
    audited("rescueteam", 3)


def test_rescue_teams_bad_row_duplicates_and_names_taken(admin_user):
    RescueTeamFactory(name="县综合性消防救援队")  # county level: a duplicate of row 3
    yongning = AdministrativeDivision.objects.get(code="652826102000")
    RescueTeamFactory(name="蓝天志愿救援队", division=yongning)
    rows = [
        TEAM_HEADER,
        GOOD_TEAMS[0],
        GOOD_TEAMS[1],
        GOOD_TEAMS[2],  # row 4: the name is taken in 永宁镇
        ["民兵应急连", "民兵", "", "", "", "", "", "", "焉耆镇"],  # row 5: unknown type
        ["防汛抢险专业队", "专业", "", "", "", "", "", "", "焉耆镇"],  # row 6: duplicate of row 2
        ["防汛抢险专业队", "专业", "", "", "", "", "", "", "七个星镇"],  # row 7: same name elsewhere
    ]
    job = upload(admin_user, "rescue-teams", xlsx(rows))
    assert rows_of(job, "imported") == [2]
    assert rejected(job) == {(4, "name"), (5, "kind"), (7, "name")}
    dups = {d["row"]: d["same_as"] for d in job.preview.rows("duplicates")}
    assert dups == {3: "已登记的救援队伍 县综合性消防救援队(焉耆回族自治县)", 6: 2}
    assert RescueTeam.objects.count() == 2


def test_rescue_teams_scope(township_commander):
    job = upload(township_commander, "rescue-teams", xlsx([TEAM_HEADER, *GOOD_TEAMS]))
    assert rows_of(job, "imported") == [2]
    assert rejected(job) == {(3, "township"), (4, "township")}


# ---- experts ----------------------------------------------------------------------------------

EXPERT_HEADER = ["序号", "专家姓名", "性别", "工作单位", "职称", "专业领域", "是否可调用", "备注", "手机"]
GOOD_EXPERTS = [
    [1, "王建华", "男", "焉耆县人民医院", "主任医师", "医疗救护", "是", "", "13900139000"],
    [2, "刘玉梅", "女", "", "高级工程师", "防汛抗旱", "出差", "至6月底", ""],
]


def test_experts_import(admin_user, hospital):
    job = upload(admin_user, "experts", xlsx([EXPERT_HEADER, *GOOD_EXPERTS]))
    assert rows_of(job, "imported") == [2, 3], job.preview.rows("rejected")
    assert any("性别" in w["message"] for w in job.preview.rows("warnings"))  # column not imported
    imports.commit_import(job, actor=admin_user)
    wang, liu = Expert.objects.get(name="王建华"), Expert.objects.get(name="刘玉梅")
    assert wang.organization == hospital and wang.available and wang.division.code == "652826000000"
    assert not liu.available and liu.availability_note == "至6月底"
    audited("expert", 2)


def test_experts_bad_row_and_duplicates(admin_user, county):
    services.create_expert(actor=None, name="刘玉梅", specialty="防汛抗旱", division=county)
    rows = [
        EXPERT_HEADER,
        *GOOD_EXPERTS,  # row 3 is already registered
        [3, "陈志勇", "男", "乌鲁木齐某研究院", "研究员", "地质灾害", "是", "", ""],  # row 4: unknown unit
        [4, "马卫东", "男", "", "工程师", "危化品", "也许", "", "12345"],  # row 5: availability, phone
        [5, "王建华", "男", "", "", "医疗救护", "", "", ""],  # row 6: same as row 2
    ]
    job = upload(admin_user, "experts", xlsx(rows))
    assert rows_of(job, "imported") == []  # row 2's 工作单位 is not registered either
    assert {(2, "organization"), (4, "organization"), (5, "available"), (5, "phone")} == rejected(job)
    dups = {d["row"]: d["same_as"] for d in job.preview.rows("duplicates")}
    assert dups == {3: "已登记的专家 刘玉梅(防汛抗旱)", 6: 2}
    assert Expert.objects.count() == 1


def test_experts_scope(township_commander):
    rows = [[*EXPERT_HEADER, "所在乡镇"], [1, "王建华", "男", "", "", "医疗救护", "", "", "", "焉耆镇"]]
    rows.append([2, "刘玉梅", "女", "", "", "防汛抗旱", "", "", "", ""])  # blank: the county
    job = upload(township_commander, "experts", xlsx(rows))
    assert rows_of(job, "imported") == [2] and rejected(job) == {(3, "township")}


# ---- equipment --------------------------------------------------------------------------------

EQUIPMENT_HEADER = ["装备编号", "装备名称", "装备类别", "规格型号", "数量", "状态", "所属队伍", "存放储备库"]


@pytest.fixture
def keepers(township):
    team = RescueTeamFactory(name="防汛抢险专业队", division=township, lon=86.58, lat=42.07)
    depot = DepotFactory(code="CK-001", name="县应急物资储备库")
    return team, depot


GOOD_EQUIPMENT = [
    ["ZB-001", "抢险指挥车", "车辆", "JX5030", "1", "完好", "防汛抢险专业队", ""],
    ["ZB-002", "大流量排水泵", "水泵", "3000m³/h", "3台", "维修", "", "CK-001"],
    ["ZB-003", "卫星电话", "海事卫星电话", "", "", "", "", "县应急物资储备库"],
]


def test_equipment_import_links_team_and_depot(admin_user, keepers):
    team, depot = keepers
    job = upload(admin_user, "equipment", xlsx([EQUIPMENT_HEADER, *GOOD_EQUIPMENT]))
    assert rows_of(job, "imported") == [2, 3, 4], job.preview.rows("rejected")
    imports.commit_import(job, actor=admin_user)
    car, pump, phone = Equipment.objects.order_by("code")
    assert car.team == team and car.division == team.division and (car.lon, car.lat) == (86.58, 42.07)
    assert (car.kind, car.status, car.quantity) == ("vehicle", "ready", 1)
    assert pump.depot == depot and (pump.kind, pump.status, pump.quantity) == ("pump", "maintenance", 3)
    assert phone.depot == depot and phone.kind == "satellite_phone"
    audited("equipment", 3)


def test_equipment_bad_rows_and_duplicates(admin_user, keepers):
    services.create_equipment(
        actor=None, code="ZB-002", name="旧水泵", kind="pump", division=keepers[1].division
    )
    rows = [
        EQUIPMENT_HEADER,
        *GOOD_EQUIPMENT,  # row 3 duplicates the stored ZB-002
        ["ZB-004", "冲锋舟", "舟艇", "", "2", "", "", ""],  # row 5: unknown kind
        ["ZB-005", "发电机", "发电机", "", "1", "", "不存在的队伍", ""],  # row 6: unknown team
        ["ZB-006", "照明灯", "其他", "", "1", "", "", "CK-999"],  # row 7: unknown depot
        ["ZB-001", "指挥车", "车辆", "", "1", "", "", ""],  # row 8: same code as row 2
    ]
    job = upload(admin_user, "equipment", xlsx(rows))
    assert rows_of(job, "imported") == [2, 4]
    assert rejected(job) == {(5, "kind"), (6, "team"), (7, "depot")}
    reason = next(r["reason"] for r in job.preview.rows("rejected") if r["row"] == 5)
    assert all(o.label in reason for o in EQUIPMENT_KINDS)
    dups = {d["row"]: d["same_as"] for d in job.preview.rows("duplicates")}
    assert dups == {3: "已登记的装备 ZB-002 旧水泵", 8: 2}
    assert Equipment.objects.count() == 1


def test_equipment_scope_follows_the_team(township_commander, keepers):
    job = upload(township_commander, "equipment", xlsx([EQUIPMENT_HEADER, *GOOD_EQUIPMENT]))
    assert rows_of(job, "imported") == [2]  # the team sits in 焉耆镇; the county depot is out of scope
    assert rejected(job) == {(3, "depot"), (4, "depot")}  # a depot the uploader cannot see is unknown


# ---- supply catalogue -------------------------------------------------------------------------

ITEM_HEADER = ["物资编码", "物资名称", "物资分类", "计量单位", "规格型号", "保质期(月)", "储存条件"]
GOOD_ITEMS = [
    ["WZ-0504", "瓶装饮用水", "05 临时食宿类", "箱", "550ml×24", "24", "避光,常温"],
    ["WZ-0501", "救灾帐篷", "临时食宿", "顶", "12m²", "长期", "干燥通风"],
    ["WZ-0901", "铁锹", "9", "把", "", "", ""],
]


@pytest.fixture
def classes(db):
    services.ensure_supply_classes(actor=None)


def test_supply_items_import(admin_user, classes):
    job = upload(admin_user, "supply-items", xlsx([ITEM_HEADER, *GOOD_ITEMS]))
    assert rows_of(job, "imported") == [2, 3, 4], job.preview.rows("rejected")
    imports.commit_import(job, actor=admin_user)
    water = SupplyItem.objects.get(code="WZ-0504")
    assert water.supply_class.code == "05" and water.shelf_life_days == 730 and water.unit == "箱"
    assert SupplyItem.objects.get(code="WZ-0501").shelf_life_days is None
    assert SupplyItem.objects.get(code="WZ-0901").supply_class.code == "09"
    audited("supplyitem", 3)


def test_supply_items_bad_rows_and_duplicates(admin_user, classes):
    klass = SupplyClass.objects.get(code="05")
    services.create_supply_item(actor=None, code="WZ-0501", name="帐篷", unit="顶", supply_class=klass)
    rows = [
        ITEM_HEADER,
        *GOOD_ITEMS,  # row 3: already in the catalogue
        ["WZ 0001", "编码带空格", "05", "个", "", "", ""],  # row 5: the engine drops the space: fine
        ["WZ-9999", "未知分类", "食品", "箱", "", "6个月", ""],  # row 6: unknown class
        ["WZ-0601", "消毒剂", "06", "瓶", "", "0", ""],  # row 7: shelf life 0
        ["WZ-0504", "重复", "05", "箱", "", "", ""],  # row 8: same code as row 2
    ]
    job = upload(admin_user, "supply-items", xlsx(rows))
    assert rows_of(job, "imported") == [2, 4, 5]
    assert rejected(job) == {(6, "supply_class"), (7, "shelf_life_days")}
    dups = {d["row"]: d["same_as"] for d in job.preview.rows("duplicates")}
    assert dups == {3: "已登记的物资 WZ-0501 帐篷(顶)", 8: 2}
    assert SupplyItem.objects.count() == 1


def test_supply_items_need_a_county_wide_grant(township_commander, classes):
    job = upload(township_commander, "supply-items", xlsx([ITEM_HEADER, *GOOD_ITEMS]))
    assert rows_of(job, "imported") == [] and {c for _r, c in rejected(job)} == {"code"}


# ---- every kind: enumerations, templates, export → import, registry page links ------------------


def test_engine_enumerations_are_the_model_choices():
    assert {o.value for o in DEPOT_OWNERS} == set(Depot.OwnerKind.values)
    assert {o.value for o in TEAM_KINDS} == set(RescueTeam.Kind.values)
    assert {o.value for o in READINESS} == set(RescueTeam.Readiness.values)
    assert {o.value for o in EQUIPMENT_KINDS} == set(Equipment.Kind.values)
    assert {o.value for o in EQUIPMENT_STATUS} == set(Equipment.Status.values)


NEW_KINDS = ("depots", "rescue-teams", "experts", "equipment", "supply-items")


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_template_previews_back_with_no_missing_column(client, admin_user, kind):
    client.force_login(admin_user)
    r = client.get(f"/imports/templates/{kind}.xlsx")
    assert r.status_code == 200
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(r.content)).active[1]]
    assert header == list(get_import_kind(kind).template_columns)
    result = compute_preview(kind, r.content, target=get_import_kind(kind), actor=admin_user)
    assert result["rejected"] == [] and result["imported"] == []
    assert not any("未使用" in w["message"] for w in result["warnings"])  # every template column is read


@pytest.fixture
def imported_registries(admin_user, hospital, classes):
    """Every new registry filled through its own import."""
    for kind, data in (
        ("depots", depot_file(*GOOD_DEPOTS)),
        ("rescue-teams", xlsx([TEAM_HEADER, *GOOD_TEAMS])),
        ("experts", xlsx([EXPERT_HEADER, *GOOD_EXPERTS])),
        (
            "equipment",
            xlsx(
                [
                    EQUIPMENT_HEADER,
                    *GOOD_EQUIPMENT[:1],
                    ["ZB-009", "无人机", "无人机", "", "", "", "", "CK-101"],
                ]
            ),
        ),
        ("supply-items", xlsx([ITEM_HEADER, *GOOD_ITEMS])),
    ):
        imports.commit_import(upload(admin_user, kind, data), actor=admin_user)
    return admin_user


@pytest.mark.parametrize(
    ("register", "count"), [("depots", 3), ("teams", 3), ("experts", 2), ("equipment", 2), ("catalogue", 3)]
)
def test_export_previews_back_as_duplicates_of_the_stored_records(imported_registries, register, count):
    client = Client()
    client.force_login(imported_registries)
    page = client.get(f"/resources/list/{register}/")
    kind = REGISTER_IMPORT_KINDS[register]
    assert page.status_code == 200
    assert f"/imports/templates/{kind}.xlsx".encode() in page.content
    assert f"?kind={kind}".encode() in page.content
    upload_page = client.get(f"/imports/?kind={kind}").content.decode()
    assert f'<option value="{kind}" selected>' in upload_page  # the link preselects the kind
    export = client.get(f"/resources/list/{register}/export.xlsx")
    result = compute_preview(kind, export.content, target=get_import_kind(kind), actor=imported_registries)
    assert result["rejected"] == [], result["rejected"]
    assert result["imported"] == [] and len(result["duplicates"]) == count


def test_shelter_points_outside_the_county_are_row_errors_not_just_warnings(admin_user):
    header = ["场所编码", "场所名称", "场所类型", "乡镇", "经度", "纬度", "容纳人数", "面积(m²)"]
    rows = [
        header,
        ["BN-201", "人民广场", "室外场地", "焉耆镇", "86.574067", "42.059759", "5000", "2000"],
        ["BN-202", "河滩", "室外场地", "焉耆镇", *OUTSIDE, "100", "100"],
    ]
    job = upload(admin_user, "shelters", xlsx(rows))
    assert rows_of(job, "imported") == [2] and rejected(job) == {(3, "lng"), (3, "lat")}
