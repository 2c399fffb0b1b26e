"""Ingest: validation, quarantine, de-duplication, lineage, assessment, triggers, feeds, folders, pushes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from yingji.apps.warnings import ingest
from yingji.apps.warnings.fake_gateway import FakeGateway
from yingji.apps.warnings.models import SourceKind, UpstreamState, Warning, WarningState
from yingji.apps.warnings.tests.factories import FeedSourceFactory, RuleFactory, yanqi_cap

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[5] / "data" / "cap" / "samples"
CMA = SAMPLES / "cn-cma-baoding-lightning-yellow-update-en-zh.xml"


def test_cma_sample_is_assessed_as_not_touching_the_county():
    # given the real CMA Baoding message
    source = FeedSourceFactory()
    # when it is ingested
    outcome = ingest.ingest_cap(CMA.read_bytes(), source=source, origin=CMA.name)
    a = outcome.alert
    # then it is valid, linked, assessed, and says it does not touch Yanqi
    assert outcome.created and a.valid
    assert (
        a.identity
        == "Baoding_Meteorological_Observatory,13060041600000_20240712213138,2024-07-12T21:31:38+08:00"
    )
    assert a.msg_type == "Update" and a.event == "雷电" and a.severity == "Moderate"
    assert a.state == UpstreamState.EXPIRED  # expired on 2024-07-13
    assert a.intersects_county is False and a.assessment["population"] == 0
    assert any(d["rule"] == "alert.references.sent-is-own-sent" for d in a.defects)
    # and a second copy is a duplicate
    again = ingest.ingest_cap(CMA.read_bytes(), source=source)
    assert not again.created and again.alert.pk == a.pk


@pytest.mark.parametrize(
    "name,rule",
    [
        ("malformed-tw-wrong-namespace.xml", "cap.namespace"),
        ("security-xxe-external-entities.xml", "security.doctype"),
        ("malformed-ca-eccc-empty-references.xml", "alert.references.required"),
    ],
)
def test_defective_messages_are_quarantined_with_their_defects(name, rule):
    outcome = ingest.ingest_cap((SAMPLES / name).read_bytes(), source=FeedSourceFactory(), origin=name)
    assert outcome.alert.state == UpstreamState.QUARANTINED
    assert rule in {d["rule"] for d in outcome.alert.errors}
    assert not ingest.ingest_cap((SAMPLES / name).read_bytes(), source=FeedSourceFactory()).created


def test_derive_county_draft_from_cma_sample(duty_officer, county):
    a = ingest.ingest_cap(CMA.read_bytes(), source=FeedSourceFactory()).alert
    w = ingest.derive_warning_from_upstream(a, actor=duty_officer)
    assert w.state == WarningState.DRAFT and w.upstream == a and w.author == duty_officer
    assert "不涉及本县" in w.note and list(w.areas.all()) == [county]
    assert w.event == "雷电" and w.severity == "Moderate"


def test_update_supersedes_and_cancel_withdraws_in_any_order():
    source = FeedSourceFactory()
    first = yanqi_cap("X_1")
    update = yanqi_cap(
        "X_2",
        msg_type="Update",
        references="Test_Xinjiang_Observatory,X_1,2099-01-01T08:00:00+08:00",
        sent="2099-01-01T09:00:00+08:00",
    )
    cancel = yanqi_cap(
        "X_3",
        msg_type="Cancel",
        references="Test_Xinjiang_Observatory,X_2,2099-01-01T09:00:00+08:00",
        sent="2099-01-01T10:00:00+08:00",
    )
    # out of order: the update arrives before the message it updates
    u = ingest.ingest_cap(update, source=source).alert
    a = ingest.ingest_cap(first, source=source).alert
    assert a.state == UpstreamState.SUPERSEDED and a.retired_by == u
    assert u.state == UpstreamState.ACTIVE
    c = ingest.ingest_cap(cancel, source=source).alert
    u.refresh_from_db()
    assert u.state == UpstreamState.CANCELLED and c.state == UpstreamState.INACTIVE


def test_upstream_warning_touching_county_proposes_a_draft():
    RuleFactory(event_contains="大风", min_severity="Moderate")
    outcome = ingest.ingest_cap(yanqi_cap("P_1"), source=FeedSourceFactory())
    assert outcome.alert.intersects_county and outcome.alert.assessment["whole_county"]
    assert outcome.alert.population == 122961
    [proposal] = outcome.proposals
    assert proposal.state == WarningState.DRAFT and proposal.trigger_kind == "upstream"
    assert proposal.upstream == outcome.alert and proposal.headline.startswith(
        "焉耆回族自治县发布大风黄色预警"
    )
    # a Minor (blue) warning is below the rule's level: no proposal
    minor = ingest.ingest_cap(yanqi_cap("P_2", colour="蓝", severity="Minor"), source=FeedSourceFactory())
    assert minor.proposals == []


def test_poll_feed_follows_cap_links_and_skips_seen_entries():
    cap = yanqi_cap("F_1")
    atom = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test</id><title>t</title><updated>2099-01-01T00:00:00Z</updated>
<entry><id>urn:1</id><title>a</title><updated>2099-01-01T00:00:00Z</updated>
<link rel="alternate" type="text/html" href="/page.html"/>
<link rel="related" type="application/cap+xml" href="/f1.xml"/></entry>
<entry><id>urn:2</id><title>b</title><updated>2099-01-01T00:00:00Z</updated><link href="/cma.xml"/></entry>
<entry><id>urn:3</id><title>c</title><updated>2099-01-01T00:00:00Z</updated>
<link href="/missing.xml"/></entry>
</feed>"""
    files = {
        "/feed.atom": (atom, "application/atom+xml"),
        "/f1.xml": (cap, "application/cap+xml"),
        "/cma.xml": (CMA.read_bytes(), "application/cap+xml"),
    }
    with FakeGateway(files=files) as server:
        source = FeedSourceFactory(kind=SourceKind.FEED, url=server.url + "/feed.atom")
        result = ingest.poll_feed_source(source)
        assert (result.new, result.quarantined, len(result.errors)) == (2, 0, 1)
        again = ingest.poll_feed_source(source)
        assert again.new == 0 and again.duplicates == 2
    source.refresh_from_db()
    assert source.last_polled_at is not None and "重复 2" in source.last_status


def test_drop_folder_moves_files(tmp_path):
    (tmp_path / "good.xml").write_bytes(yanqi_cap("D_1"))
    (tmp_path / "bad.xml").write_bytes(b"<alert>")
    source = FeedSourceFactory(kind=SourceKind.FOLDER, folder=str(tmp_path))
    result = ingest.scan_drop_folder(source)
    assert (result.new, result.quarantined) == (1, 1)
    assert (tmp_path / "done" / "good.xml").exists() and (tmp_path / "quarantine" / "bad.xml").exists()


def test_push_endpoint_authenticates_with_the_source_token(admin_user):
    source, token = ingest.create_feed_source(actor=admin_user, name="推送", kind=SourceKind.PUSH)
    c = Client()
    url = f"/warnings/push/{source.pk}/"
    assert c.post(url, yanqi_cap("H_1"), content_type="application/cap+xml").status_code == 401
    bad = c.post(url, yanqi_cap("H_1"), content_type="application/cap+xml", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = c.post(url, yanqi_cap("H_1"), content_type="application/cap+xml", **auth)
    assert r.status_code == 201 and r.json()["state"] == "active"
    assert c.post(url, yanqi_cap("H_1"), content_type="application/cap+xml", **auth).status_code == 200
    q = c.post(url, b"<alert/>", content_type="application/cap+xml", **auth)
    assert q.status_code == 422 and q.json()["defects"]
    assert Warning.objects.count() == 0  # no rules: nothing proposed


def test_seed_demo_warnings_is_idempotent(county):
    from yingji.apps.warnings.demo import seed_demo_warnings
    from yingji.apps.warnings.models import Recipient, TriggerRule, UpstreamAlert

    first = seed_demo_warnings(sms_per_township=2)
    assert first["templates"] == 4 and first["rules"] == 4 and first["upstream"] == 1
    assert Recipient.objects.filter(channel="sms").count() == 20
    assert Recipient.objects.filter(channel="loudspeaker").count() > 50
    second = seed_demo_warnings(sms_per_township=2)
    assert second == {"templates": 0, "rules": 0, "recipients": 0, "upstream": 0}
    assert TriggerRule.objects.filter(is_demo=True).count() == 4
    assert UpstreamAlert.objects.get().is_demo


def test_cli_ingest_reports_states(capsys):
    import argparse

    from yingji.apps.warnings.cli import _ingest

    code = _ingest(argparse.Namespace(files=[CMA, SAMPLES / "malformed-tw-wrong-namespace.xml"], json=True))
    import json

    rows = json.loads(capsys.readouterr().out)
    assert code == 1 and [r["state"] for r in rows] == ["expired", "quarantined"]
    assert rows[0]["intersects_county"] is False
