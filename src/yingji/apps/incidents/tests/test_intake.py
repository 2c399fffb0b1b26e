"""Intake (接报): grading, report clocks, timeline, bad input, duplicates, scope."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.incidents.errors import PossibleDuplicate
from yingji.apps.incidents.models import Incident, IncidentType, ReportDeadline
from yingji.apps.incidents.tests.factories import incident_type, make_incident

pytestmark = pytest.mark.django_db


def test_type_table_is_loaded_with_gb6441_mapping():
    assert IncidentType.objects.filter(level=1).count() == 4
    fire = IncidentType.objects.get(code="accident.01.WSA10009")
    assert fire.name_zh == "火灾" and fire.gb6441_code == "WSA10009" and fire.deadline_subtype == "fire"
    road = IncidentType.objects.get(name_zh="道路交通事故")
    assert road.gb6441_code == "WSA10003" and road.effective_deadline_subtype() == "road_traffic"
    assert IncidentType.objects.get(name_zh="干旱").deadline_subtype == "drought"


def test_type_sync_is_idempotent():
    from yingji.apps.incidents.services import sync_incident_types

    counts = sync_incident_types()
    assert counts["created"] == 0 and counts["updated"] == 0 and counts["unchanged"] > 60


def test_accident_with_three_dead_is_graded_and_clocked(duty_officer):
    # given an accident call with 3 dead
    incident = make_incident(duty_officer, deaths=3)
    # then it is graded 较大 with the reason, numbered, and its clocks run
    assert incident.grade == 3
    assert incident.grade_reasons == ["deaths 3 ≥ 3 → 较大"]
    assert incident.number.endswith(f"-{incident.pk:05d}")
    keys = list(ReportDeadline.objects.filter(incident=incident).values_list("key", flat=True))
    assert {"accident.unit_report", "accident.escalation.1", "accident.escalation.2"} <= set(keys)
    unit = ReportDeadline.objects.get(incident=incident, key="accident.unit_report")
    assert unit.status == "met" and unit.due_at == incident.occurred_at + timedelta(hours=1)
    esc1 = ReportDeadline.objects.get(incident=incident, key="accident.escalation.1")
    assert esc1.due_at == incident.reported_at + timedelta(hours=2) and esc1.status == "pending"
    kinds = list(incident.timeline.values_list("kind", flat=True))
    assert kinds == ["intake", "grade_change"]
    assert (
        ChangeRecord.objects.filter(app_label="incidents", model_name="incident", action="create").count()
        == 1
    )


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"deaths": -1}, "deaths"),
        ({"occurred_at": timezone.now() + timedelta(hours=3)}, "occurred_at"),
        ({"lon": 80.0, "lat": 40.0}, "lon"),
        ({"lon": 86.5}, "lon"),
        ({"direct_loss_cny": Decimal("-5")}, "direct_loss_cny"),
    ],
)
def test_bad_input_gives_field_error_and_saves_nothing(duty_officer, overrides, field):
    before = Incident.objects.count()
    if "lon" in overrides and "lat" not in overrides:
        overrides = {**overrides, "lat": None}
    with pytest.raises(ValidationError) as err:
        make_incident(duty_officer, **overrides)
    assert field in err.value.message_dict
    assert Incident.objects.count() == before


def test_unknown_type_is_refused(duty_officer):
    inactive = incident_type()
    inactive.is_active = False
    with pytest.raises(ValidationError) as err:
        make_incident(duty_officer, incident_type=inactive)
    assert "incident_type" in err.value.message_dict


def test_duplicate_is_offered_not_merged(duty_officer):
    first = make_incident(duty_officer)
    with pytest.raises(PossibleDuplicate) as dup:
        make_incident(duty_officer, allow_duplicate=False, lon=first.lon + 0.001)
    assert [c.pk for c in dup.value.candidates] == [first.pk]
    assert Incident.objects.count() == 1
    # far away (about 8 km) is not a duplicate
    make_incident(duty_officer, allow_duplicate=False, lon=first.lon - 0.1)
    assert Incident.objects.count() == 2


def test_township_officer_only_in_own_township(make_persona, township, other_township):
    officer = make_persona("township_officer", division=township)
    make_incident(officer, division=township)
    with pytest.raises(PermissionDenied):
        make_incident(officer, division=other_township, lon=None, lat=None)
