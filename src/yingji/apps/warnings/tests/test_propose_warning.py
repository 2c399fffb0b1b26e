"""The entry point other apps call: propose_warning_from_event (alarms, incidents)."""

from __future__ import annotations

import pytest

from yingji.apps.warnings.models import TriggerKind, WarningState
from yingji.apps.warnings.services import propose_warning_from_event
from yingji.apps.warnings.tests.factories import RuleFactory

pytestmark = pytest.mark.django_db


def test_alarm_proposes_one_draft_per_reference(township):
    RuleFactory(kind=TriggerKind.ALARM, event_contains="", min_severity="Severe")
    # below the rule's level: nothing
    assert (
        propose_warning_from_event("alarm", "alarm:1", "液氨泄漏", "Moderate", township, actor=None) is None
    )
    # at the level: a draft for the township, proposed by the system
    w = propose_warning_from_event("alarm", "alarm:1", "液氨泄漏", "Severe", township.code, actor=None)
    assert w is not None and w.state == WarningState.DRAFT and w.author is None
    assert [a.code for a in w.areas.all()] == [township.code]
    assert w.log.get().action == "proposed"
    # the same alarm again returns the open proposal
    assert propose_warning_from_event("alarm", "alarm:1", "液氨泄漏", "Extreme", township, actor=None) == w


def test_unknown_kind_and_no_rule():
    with pytest.raises(ValueError):
        propose_warning_from_event("weather", "x", "t", "Severe", None, actor=None)
    assert propose_warning_from_event("incident", "incident:9", "山洪", "Extreme", None, actor=None) is None
