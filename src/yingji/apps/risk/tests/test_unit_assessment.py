"""Inventory changes recompute the unit's GB 18218-2018 assessment (data/standards worked examples)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.risk import services
from yingji.apps.risk.models import ChemicalInventory, ProductionUnit

pytestmark = pytest.mark.django_db


def _unit(enterprise, name="罐区", population=0):
    return services.create_unit(actor=None, enterprise=enterprise, name=name, exposed_population=population)


def _add(unit, name, q, cas="", hazard_class=""):
    return services.record_inventory(
        actor=None,
        enterprise=unit.enterprise,
        unit=unit,
        substance_name=name,
        cas=cas,
        hazard_class=hazard_class,
        quantity_t=Decimal(q),
    )


def test_example_1_sulfur_dioxide_is_level_three(enterprise):
    # given a unit with 60 persons within 500 m (alpha 1.5)
    unit = _unit(enterprise, population=60)
    # when 200 t of SO2 (Q 20 t, beta 2) is entered
    _add(unit, "二氧化硫", "200", cas="7446-09-5")
    unit.refresh_from_db()
    # then S = 10, R = 1.5 x 2 x 10 = 30 -> 三级 (published answer)
    assert unit.is_major_hazard and unit.identification_s == Decimal("10")
    assert unit.grading_r == Decimal("30") and unit.major_hazard_level == 3
    assert unit.level_zh == "三级" and unit.colour == "黄" and unit.monitoring_priority == 3
    assert unit.assessment["standard"] == "GB 18218-2018"
    assert any("R = α·Σβq/Q = 30" in line for line in unit.assessment["explanation"])


def test_example_2_warehouse_yi_S_is_1_3(enterprise):
    unit = _unit(enterprise, "乙库")
    _add(unit, "甲苯二异氰酸酯", "30")
    _add(unit, "丙烯醛", "10")
    _add(unit, "1,2-环氧丙烷", "5")
    unit.refresh_from_db()
    assert unit.identification_s == Decimal("1.3") and unit.is_major_hazard


def test_example_2_warehouse_ding_S_is_exactly_one(enterprise):
    unit = _unit(enterprise, "丁库")
    _add(unit, "乙醇", "200")
    _add(unit, "汽油", "100")
    _add(unit, "乙醚", "1")
    unit.refresh_from_db()
    assert unit.assessment["S_exact"] == "1"
    assert unit.is_major_hazard  # S = 1 counts (4.2.1)


def test_example_2_warehouse_bing_is_not_major(enterprise):
    unit = _unit(enterprise, "丙库")
    _add(unit, "硝化纤维素(含乙醇≥25%)", "5")
    _add(unit, "2,4,6-三硝基甲苯", "1")
    _add(unit, "硝化甘油", "0.2")
    unit.refresh_from_db()
    assert unit.identification_s == Decimal("0.9") and not unit.is_major_hazard
    assert unit.major_hazard_level is None and unit.colour is None


def test_changing_inventory_and_population_regrades_in_same_transaction(enterprise):
    unit = _unit(enterprise, population=0)
    line = _add(unit, "氯", "10", cas="7782-50-5")  # Q 5 t, beta 4 -> S 2, R = 0.5 x 8 = 4
    unit.refresh_from_db()
    assert unit.major_hazard_level == 4
    services.update_unit(unit, actor=None, exposed_population=120)  # alpha 2 -> R 16
    unit.refresh_from_db()
    assert unit.grading_r == Decimal("16") and unit.major_hazard_level == 3
    services.update_inventory(line, actor=None, quantity_t=Decimal("70"))  # S 14 -> R 112
    unit.refresh_from_db()
    assert unit.major_hazard_level == 1 and unit.colour == "红"
    services.delete_inventory(ChemicalInventory.objects.get(pk=line.pk), actor=None)
    unit.refresh_from_db()
    assert not unit.is_major_hazard and unit.identification_s == 0
    updates = ChangeRecord.objects.filter(
        model_name="productionunit", object_id=str(unit.pk), action="update"
    )
    assert updates.count() >= 4


def test_legacy_call_with_unit_name_creates_and_links_unit(enterprise):
    item = services.record_inventory(
        actor=None,
        enterprise=enterprise,
        unit_name="液氨储罐区",
        substance_name="氨",
        quantity_t=Decimal("12.5"),
    )
    assert item.unit.name == "液氨储罐区" and item.unit_name == "液氨储罐区"
    assert item.table1_seq is not None and "表1" in item.match_note
    again = services.record_inventory(
        actor=None,
        enterprise=enterprise,
        unit_name="液氨储罐区",
        substance_name="甲醇",
        quantity_t=Decimal("1"),
    )
    assert again.unit_id == item.unit_id


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"substance_name": "氨", "cas": "7664-41-8"}, "cas"),  # wrong check digit
        ({"substance_name": "某未列名物质"}, "hazard_class"),  # not in Table 1, no class
        ({"substance_name": "硝化纤维素"}, "substance_name"),  # several Table 1 rows
        ({"substance_name": "某物质", "hazard_class": "X9"}, "hazard_class"),
    ],
)
def test_bad_lines_are_refused_with_field_errors_and_nothing_written(enterprise, fields, error_field):
    unit = _unit(enterprise)
    with pytest.raises(ValidationError) as exc:
        services.record_inventory(
            actor=None, enterprise=enterprise, unit=unit, quantity_t=Decimal("1"), **fields
        )
    assert error_field in exc.value.message_dict
    assert not ChemicalInventory.objects.exists()


def test_alias_and_table2_class_match(enterprise):
    unit = _unit(enterprise)
    lpg = _add(unit, "丙烷", "10")  # inside the LPG row's CAS cell
    diesel = _add(unit, "柴油", "600", hazard_class="W5.4")
    assert lpg.table1_seq is not None
    assert diesel.table1_seq is None and "表2 W5.4" in diesel.match_note


def test_migration_links_existing_lines_to_units(enterprise):
    from importlib import import_module

    from django.apps import apps

    unit = _unit(enterprise, "旧单元")
    line = _add(unit, "氨", "1")
    migration = import_module("yingji.apps.risk.migrations.0003_link_inventories_to_units")
    ChemicalInventory.objects.filter(pk=line.pk).update(unit_name="另一单元")
    migration.link_inventories_to_units(apps, None)
    line.refresh_from_db()
    assert line.unit.name == "另一单元" and ProductionUnit.objects.filter(enterprise=enterprise).count() == 2
