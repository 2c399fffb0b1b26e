"""Demo data: generated from a seed, labelled, inside the real county, idempotent."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from yingji.apps.accounts.models import User
from yingji.apps.dashboards.demo import seed_demo
from yingji.apps.directory.models import AdministrativeDivision, Organization
from yingji.apps.resources.models import Depot, RescueTeam, Shelter
from yingji.apps.risk.models import ChemicalInventory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_labelled_located_and_idempotent():
    first = seed_demo("652826000000")
    assert first.created["organizations"] >= 20 and first.created["depots"] >= 5
    assert {a.role for a in first.accounts} >= {"admin", "duty_officer", "enterprise_safety_manager"}
    assert all(a.password for a in first.accounts)
    county = AdministrativeDivision.objects.get(code="652826000000")
    boundary = shape(county.boundary)
    for model in (Organization, Depot, RescueTeam, Shelter):
        rows = list(model.objects.all())
        assert rows and all(r.is_demo for r in rows)
        for r in rows:
            if r.lon is not None:
                assert boundary.contains(Point(r.lon, r.lat)), r
    assert ChemicalInventory.objects.filter(is_demo=True).count() >= 5
    snapshot = [(d.code, d.lon, d.lat) for d in Depot.objects.order_by("code")]
    second = seed_demo("652826000000")
    assert second.created == {}
    assert all(a.password is None for a in second.accounts)
    assert [(d.code, d.lon, d.lat) for d in Depot.objects.order_by("code")] == snapshot
    assert User.objects.filter(is_demo=True).count() == 9


def test_cli_seed_demo_prints_accounts_once(tmp_path, capsys):
    from yingji.cli import main

    accounts = tmp_path / "accounts.txt"
    assert main(["seed-demo", "--accounts-file", str(accounts)]) == 0
    out = capsys.readouterr().out
    assert "duty_officer" in out and accounts.read_text(encoding="utf-8").count("\n") == 9
    assert main(["seed-demo", "--accounts-file", str(accounts)]) == 0
    assert "already exist" in capsys.readouterr().out
