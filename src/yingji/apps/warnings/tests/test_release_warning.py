"""Authoring → submit → approve (second person) → release → dissemination → update → cancel."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from yingji.apps.audit.models import ChangeRecord
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings import dissemination, services
from yingji.apps.warnings.fake_gateway import FakeGateway
from yingji.apps.warnings.models import Delivery, DeliveryState, MsgType, WarningState
from yingji.apps.warnings.services import TwoPersonRuleError
from yingji.apps.warnings.tests.factories import RecipientFactory, warning_fields
from yingji.engines.warnings import parse_alert, validate_bytes
from yingji.engines.warnings.feeds import parse_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_persona):
    return {
        "author": make_persona("duty_officer", username="author"),
        "leader": make_persona("duty_leader", username="leader"),
        "commander": make_persona("commander", username="commander"),
    }


def _released(people, county, django_capture_on_commit_callbacks, **overrides):
    w = services.create_warning(actor=people["author"], areas=[county], **warning_fields(**overrides))
    w = services.submit_warning(w, actor=people["author"])
    w = services.approve_warning(w, actor=people["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        w = services.release_warning(w, actor=people["commander"])
    return w


def test_author_cannot_approve_own_warning(people, county):
    # given a warning drafted and submitted by a commander (who holds approve_warning)
    w = services.create_warning(actor=people["commander"], areas=[county], **warning_fields())
    w = services.submit_warning(w, actor=people["commander"])
    # when the same person approves, then the two-person rule refuses and nothing changes
    with pytest.raises(TwoPersonRuleError):
        services.approve_warning(w, actor=people["commander"])
    w.refresh_from_db()
    assert w.state == WarningState.PENDING and w.approved_by is None
    # a duty officer lacks the permission altogether
    with pytest.raises(PermissionDenied):
        services.approve_warning(w, actor=people["author"])


def test_release_writes_valid_cap_feed_and_deliveries(
    people, county, township, django_capture_on_commit_callbacks, settings
):
    # given recipients in 焉耆镇 (one fails once at the operator) and in another county (ignored)
    for i in range(5):
        RecipientFactory(address=f"1390000000{i}", division=township)
    RecipientFactory(channel="loudspeaker", address="LS-652826100", division=township)
    with FakeGateway(fail_once={"13900000003"}) as gw:
        settings.YINGJI_WARNINGS_GATEWAY_URL = gw.url
        # when the warning is authored, approved by a second person and released
        w = _released(people, county, django_capture_on_commit_callbacks, blocked_channels=["email"])
        # then the CAP XML is stored, schema-valid, with a GB/T 35965.1 identifier
        assert w.state == WarningState.RELEASED
        assert w.identifier.startswith("65282600000000_") and len(w.identifier) == 29
        report = validate_bytes(w.cap_xml.encode())
        assert report.valid, report.as_dict()
        alert = parse_alert(w.cap_xml.encode())
        assert alert.sent.endswith("+08:00")
        assert [i.language for i in alert.infos] == ["zh-CN", "en-US"]
        params = {(p.value_name, p.value) for p in alert.infos[0].parameters}
        assert ("BLOCKCHANNEL", "EMAIL") in params
        assert any(n == "CMAMtext" for n, _ in params)
        assert w.reach == 122961 and "2020" in w.reach_basis
        # deliveries: 5 SMS + 1 loudspeaker; one SMS failed on its first attempt
        sms = Delivery.objects.filter(dispatch__warning=w, dispatch__channel="sms")
        assert sms.count() == 5
        assert sms.filter(state=DeliveryState.FAILED).count() == 1
        assert not Delivery.objects.filter(dispatch__warning=w, dispatch__channel="email").exists()
        # when the retry runs, then it is delivered and counted as retried
        dispatch = sms.first().dispatch
        assert dissemination.requeue_failed(dispatch) == 1
        dissemination.send_dispatch(dispatch)
        assert sms.filter(state=DeliveryState.DELIVERED).count() == 5
        assert sms.filter(attempts=2).count() == 1
        assert gw.log.batches and gw.log.batches[0]["channel"] in ("sms", "broadcast", "loudspeaker")
    # public CAP URL and Atom feed, no login
    anon = Client()
    r = anon.get(f"/warnings/cap/{w.identifier}.xml")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/cap+xml")
    feed = anon.get("/warnings/feed.atom")
    entries = parse_feed(feed.content)
    assert entries[0].link.endswith(f"/warnings/cap/{w.identifier}.xml")
    # audit: every transition recorded
    assert ChangeRecord.objects.filter(model_name="warning", object_id=str(w.pk)).count() >= 4
    assert list(w.log.values_list("action", flat=True)) == ["created", "submitted", "approved", "released"]


def test_update_and_cancel_carry_references(people, county, django_capture_on_commit_callbacks):
    first = _released(people, county, django_capture_on_commit_callbacks)
    # when an Update is started in one click, edited, approved and released
    upd = services.start_update(first, actor=people["author"])
    assert upd.msg_type == MsgType.UPDATE and upd.replaces == first and upd.state == WarningState.DRAFT
    upd = services.edit_warning(
        upd, actor=people["author"], severity="Severe", headline="焉耆县大风预警升级为橙色"
    )
    upd = services.submit_warning(upd, actor=people["author"])
    upd = services.approve_warning(upd, actor=people["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        upd = services.release_warning(upd, actor=people["commander"])
    first.refresh_from_db()
    assert first.state == WarningState.SUPERSEDED
    refs = parse_alert(upd.cap_xml.encode()).references
    assert [r.identifier for r in refs] == [first.identifier]
    # when it is cancelled in one click (submitted straight away), approved and released
    cancel = services.start_cancel(upd, actor=people["author"])
    assert cancel.state == WarningState.PENDING and cancel.msg_type == MsgType.CANCEL
    cancel = services.approve_warning(cancel, actor=people["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        cancel = services.release_warning(cancel, actor=people["commander"])
    upd.refresh_from_db()
    assert upd.state == WarningState.CANCELLED
    refs = parse_alert(cancel.cap_xml.encode()).references
    assert [r.identifier for r in refs] == [first.identifier, upd.identifier]
    assert validate_bytes(cancel.cap_xml.encode()).valid


def test_bad_input_writes_nothing(people, county):
    before = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as err:
        services.create_warning(actor=people["author"], areas=[], **warning_fields(polygon="1,2 3,4"))
    assert "polygon" in err.value.message_dict
    other = AdministrativeDivision.objects.exclude(code__startswith="652826").first()
    if other is not None:
        with pytest.raises(ValidationError):
            services.create_warning(actor=people["author"], areas=[other], **warning_fields())
    assert ChangeRecord.objects.count() == before
