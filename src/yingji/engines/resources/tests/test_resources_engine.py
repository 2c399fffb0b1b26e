"""Resources engine: geodesic ranking, FEFO allocation, quotas/shortfall, expiry and rotation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from yingji.engines.resources import (
    ABSOLUTE,
    CLASSES,
    PER_1000,
    DepotHolding,
    GeoPoint,
    InsufficientStockError,
    LotAge,
    LotSource,
    QuotaRule,
    ResourceInputError,
    ShelterCandidate,
    TeamCandidate,
    allocate,
    distance_m,
    expiry_bucket,
    nearest_depots,
    nearest_teams,
    open_shelters,
    required_quantity,
    rotation_suggestions,
    shortfall_report,
)

SEAT = GeoPoint(86.5740, 42.0640)


def test_geodesic_distance_matches_wgs84_reference_values():
    # Meridian arc 0°→1° N and 1° of the equator on WGS84 (standard reference values).
    assert distance_m(GeoPoint(0, 0), GeoPoint(0, 1)) == pytest.approx(110574.389, abs=0.01)
    assert distance_m(GeoPoint(0, 0), GeoPoint(1, 0)) == pytest.approx(111319.491, abs=0.01)


def test_bad_coordinates_are_rejected():
    with pytest.raises(ResourceInputError):
        GeoPoint(200, 42)


def test_nearest_depots_filters_by_quantity_and_orders_by_distance():
    far = DepotHolding(1, "far", GeoPoint(86.9, 42.2), D("500"))
    near = DepotHolding(2, "near", GeoPoint(86.58, 42.07), D("20"))
    empty = DepotHolding(3, "empty", GeoPoint(86.574, 42.064), D("0"))
    unlocated = DepotHolding(4, "nowhere", None, D("100"))
    ranked = nearest_depots(SEAT, [far, near, empty, unlocated])
    assert [r.item.depot_id for r in ranked] == [2, 1, 4]
    assert ranked[0].distance_m is not None and ranked[0].distance_m < ranked[1].distance_m
    assert ranked[-1].distance_m is None
    assert [r.item.depot_id for r in nearest_depots(SEAT, [far, near], min_quantity=D("100"))] == [1]
    assert len(nearest_depots(SEAT, [far, near], limit=1)) == 1
    with pytest.raises(ResourceInputError):
        nearest_depots(SEAT, [far], min_quantity=D("-1"))


def test_nearest_teams_by_skill_and_readiness():
    a = TeamCandidate(1, "A", GeoPoint(86.6, 42.1), frozenset({"危险化学品", "搜救"}))
    b = TeamCandidate(2, "B", GeoPoint(86.575, 42.065), frozenset({"搜救"}), readiness="deployed")
    c = TeamCandidate(3, "C", GeoPoint(86.7, 42.0), frozenset({"医疗救护"}))
    assert [r.item.team_id for r in nearest_teams(SEAT, [a, b, c], skill="搜救")] == [1]
    assert [r.item.team_id for r in nearest_teams(SEAT, [a, b, c], skill="搜救", ready_only=False)] == [2, 1]
    assert [r.item.team_id for r in nearest_teams(SEAT, [c, a])] == [1, 3]


def test_open_shelters_with_free_capacity():
    s1 = ShelterCandidate(1, "open-full", GeoPoint(86.58, 42.07), 100, 100, "open")
    s2 = ShelterCandidate(2, "open", GeoPoint(86.7, 42.1), 100, 40, "open")
    s3 = ShelterCandidate(3, "closed", GeoPoint(86.575, 42.065), 100, 0, "closed")
    ranked = open_shelters(SEAT, [s1, s2, s3])
    assert [r.item.shelter_id for r in ranked] == [2]
    assert ranked[0].item.free == 60
    assert open_shelters(SEAT, [s2], min_free=61) == []


def test_allocate_nearest_depot_first_then_fefo():
    lots = [
        LotSource(10, depot_id=1, available=D("5"), expiry_date=date(2030, 1, 1), rank=2.0),
        LotSource(11, depot_id=2, available=D("3"), expiry_date=date(2029, 1, 1), rank=1.0),
        LotSource(12, depot_id=2, available=D("4"), expiry_date=date(2027, 6, 1), rank=1.0),
        LotSource(13, depot_id=2, available=D("9"), expiry_date=None, rank=1.0),
    ]
    alloc = allocate(D("9.5"), lots)
    assert [(d.lot_id, d.quantity) for d in alloc.draws] == [(12, D("4")), (11, D("3")), (13, D("2.5"))]
    assert alloc.allocated == D("9.5") and alloc.shortfall == 0


def test_allocate_insufficient_raises_or_is_partial():
    lots = [LotSource(1, 1, D("2.5")), LotSource(2, 1, D("1"))]
    with pytest.raises(InsufficientStockError) as err:
        allocate(D("4"), lots, what="帐篷")
    assert err.value.available == D("3.5") and "帐篷" in str(err.value)
    partial = allocate(D("4"), lots, allow_partial=True)
    assert partial.allocated == D("3.5") and partial.shortfall == D("0.5")
    with pytest.raises(ResourceInputError):
        allocate(D("0"), lots)
    with pytest.raises(ResourceInputError):
        allocate(D("-1"), lots)


def test_quota_requirement_per_thousand_residents_is_exact():
    rule = QuotaRule("652826100000", "TENT", PER_1000, D("2.5"))
    assert required_quantity(rule, 12345) == D("30.8625")
    assert required_quantity(QuotaRule("x", "TENT", ABSOLUTE, D("7")), None) == D("7")
    with pytest.raises(ResourceInputError):
        required_quantity(rule, None)
    with pytest.raises(ResourceInputError):
        required_quantity(QuotaRule("x", "T", "weekly", D("1")), 10)


def test_shortfall_report_takes_largest_hazard_quota_and_sorts_by_gap():
    rules = [
        QuotaRule("A", "TENT", PER_1000, D("2"), hazard="flood"),
        QuotaRule("A", "TENT", PER_1000, D("5"), hazard="earthquake"),
        QuotaRule("B", "QUILT", ABSOLUTE, D("10")),
    ]
    lines = shortfall_report(rules, {"A": 2000, "B": None}, {("A", "TENT"): D("4"), ("B", "QUILT"): D("12")})
    assert [(line.division_code, line.required, line.shortfall, line.hazard) for line in lines] == [
        ("A", D("10"), D("6"), "earthquake"),
        ("B", D("10"), D("0"), ""),
    ]
    assert lines[0].coverage == D("0.4000")


def test_expiry_buckets_and_rotation():
    today = date(2025, 6, 1)
    assert expiry_bucket(date(2025, 5, 31), today) == "expired"
    assert expiry_bucket(date(2025, 6, 1), today) == "within_30"
    assert expiry_bucket(date(2025, 8, 1), today) == "within_90"
    assert expiry_bucket(date(2025, 8, 1), today, horizons=[60]) == "ok"
    assert expiry_bucket(None, today) == "no_expiry"
    with pytest.raises(ResourceInputError):
        expiry_bucket(today, today, horizons=[0])
    lots = [
        LotAge(1, D("5"), date(2025, 5, 1)),
        LotAge(2, D("5"), date(2025, 7, 1)),
        LotAge(3, D("0"), date(2025, 5, 1)),
        LotAge(4, D("5"), date(2026, 1, 1), date(2024, 1, 1), 730),
        LotAge(5, D("5"), None),
    ]
    sugg = rotation_suggestions(lots, today, horizon_days=60)
    assert [(s.lot_id, s.action) for s in sugg] == [(1, "write_off"), (2, "rotate")]
    sugg = rotation_suggestions(lots, today, horizon_days=60, min_remaining_fraction=0.5)
    assert [(s.lot_id, s.action) for s in sugg] == [(1, "write_off"), (2, "rotate"), (4, "rotate")]


def test_catalogue_has_thirteen_provisional_classes():
    assert len(CLASSES) == 13
    assert len({c.code for c in CLASSES}) == 13
    assert CLASSES[0].name == "防护用品类" and CLASSES[-1].name == "工程材料类"
