"""The ``enterprise-inventory`` import target: row checks and commit (engine-independent rows)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yingji.apps.core.imports.registry import ImportRowError
from yingji.apps.risk import imports
from yingji.apps.risk.models import ChemicalInventory, ProductionUnit

pytestmark = pytest.mark.django_db


def _rows(enterprise, other):
    enterprise.uscc, other.uscc = "U1", "U2"
    enterprise.save()
    other.save()
    base = {"unit": "液氯库", "hazard_class": ""}
    return [
        {
            "row": 2,
            "values": {**base, "uscc": "U1", "substance": "氯", "cas": "7782-50-5", "quantity_t": "10"},
        },
        {
            "row": 3,
            "values": {**base, "uscc": "U1", "substance": "氨", "cas": "7664-41-8", "quantity_t": "1"},
        },
        {"row": 4, "values": {**base, "uscc": "U2", "substance": "氯", "cas": "", "quantity_t": "1"}},
        {"row": 5, "values": {**base, "uscc": "U9", "substance": "氯", "cas": "", "quantity_t": "1"}},
        {"row": 6, "values": {**base, "uscc": "U1", "substance": "氯", "cas": "", "quantity_t": "3"}},
    ]


def test_row_checks_report_errors_per_row_and_scope(enterprise, other_enterprise, manager):
    checks = imports.check_rows(_rows(enterprise, other_enterprise), actor=manager)
    assert set(checks.errors) == {3, 4, 5}
    assert checks.errors[3][0][0] == "cas" and "无权" in checks.errors[4][0][1]
    assert checks.duplicates == {6: 2}


def test_commit_stores_lines_and_reassesses_units(enterprise, other_enterprise):
    rows = _rows(enterprise, other_enterprise)
    result = imports.commit([rows[0], rows[2]], actor=None, job=None)
    assert result["created"] == 2
    unit = ProductionUnit.objects.get(enterprise=enterprise)
    assert unit.is_major_hazard and unit.major_hazard_level == 4
    with pytest.raises(ImportRowError) as exc:
        imports.commit([rows[1]], actor=None, job=None)
    assert exc.value.row == 3 and "cas" in exc.value.messages
    assert ChemicalInventory.objects.filter(quantity_t=Decimal("10")).count() == 1
    assert imports.existing_keys([("U1", "液氯库", "氯")]) == {
        ("U1", "液氯库", "氯"): f"已登记 {enterprise.name} 液氯库 氯"
    }
