"""Lineage: Update supersedes, Cancel withdraws, idempotence, expiry, the CMA references quirk."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from yingji.engines.warnings.lineage import AlertStore, expires_at, resolve_lineage
from yingji.engines.warnings.model import Alert, parse_cap_datetime
from yingji.engines.warnings.parse import parse_file

from .factory import sample

CMA = sample("cn-cma-baoding-lightning-yellow-update-en-zh.xml")
SENDER = "Baoding_Meteorological_Observatory"
ORIGINAL_ID = "13060041600000_20240712073642"


def _t(text: str) -> datetime:
    value = parse_cap_datetime(text)
    assert value is not None
    return value


def _messages() -> tuple[Alert, Alert, Alert]:
    """The real CMA Update, the original it references (reconstructed), and a Cancel of the Update."""
    update = parse_file(CMA)
    # The referenced message: same sender, the identifier from <references>, sent 07:36:42
    # (the identifier's time part, GB/T 35965.1 style), expiring before the update was sent.
    original = dataclasses.replace(
        update,
        identifier=ORIGINAL_ID,
        sent="2024-07-12T07:36:42+08:00",
        msg_type="Alert",
        references_text=None,
        infos=tuple(dataclasses.replace(i, expires="2024-07-12T22:00:00+08:00") for i in update.infos),
    )
    cancel = dataclasses.replace(
        update,
        identifier="13060041600000_20240713010000",
        sent="2024-07-13T01:00:00+08:00",
        msg_type="Cancel",
        references_text=f"{SENDER},{update.identifier},{update.sent}",
        infos=(),
    )
    return update, original, cancel


def test_update_supersedes_despite_cma_sent_quirk() -> None:
    update, original, _ = _messages()
    # The reference carries the update's own sent time, not the original's.
    assert update.references[0].sent == update.sent != original.sent
    snap = resolve_lineage([original, update])
    assert snap.active == (update,)
    assert [(r.key, r.by, r.how) for r in snap.retired] == [((SENDER, ORIGINAL_ID), update.key, "superseded")]
    assert any("matched on sender and identifier" in n for n in snap.notes)


def test_order_of_arrival_does_not_matter() -> None:
    update, original, cancel = _messages()
    for order in ([original, update], [update, original]):
        assert resolve_lineage(order).active == (update,)
    assert resolve_lineage([cancel, update, original]).active == ()


def test_apply_is_idempotent() -> None:
    update, original, cancel = _messages()
    store = AlertStore()
    assert store.apply(original) and store.apply(update)
    before = store.snapshot()
    assert store.apply(update) is False
    assert store.apply(original) is False
    assert store.snapshot() == before
    assert store.apply(cancel) is True
    after_cancel = store.snapshot()
    assert store.apply(cancel) is False
    assert store.snapshot() == after_cancel
    assert len(store) == 3


def test_cancel_withdraws_and_is_not_itself_active() -> None:
    update, original, cancel = _messages()
    snap = resolve_lineage([original, update, cancel])
    assert snap.active == ()
    hows = {r.key: r.how for r in snap.retired}
    assert hows == {(SENDER, ORIGINAL_ID): "superseded", update.key: "cancelled"}


def test_as_of_replays_history_and_drops_expired() -> None:
    update, original, cancel = _messages()
    msgs = [original, update, cancel]
    # Before the update was sent only the original is active.
    assert resolve_lineage(msgs, _t("2024-07-12T12:00:00+08:00")).active == (original,)
    # Between the update and the cancel.
    assert resolve_lineage(msgs, _t("2024-07-12T23:00:00+08:00")).active == (update,)
    # The update expires at 03:31:38 on the 13th; without the cancel it leaves the list then.
    later = resolve_lineage([original, update], _t("2024-07-13T04:00:00+08:00"))
    assert later.active == () and later.expired == (update,)
    assert expires_at(update) == _t("2024-07-13T03:31:38+08:00")
    # An original left alone expires at its own time.
    alone = resolve_lineage([original], _t("2024-07-12T22:00:00+08:00"))
    assert alone.active == () and alone.expired == (original,)


def test_self_reference_is_ignored() -> None:
    macau = parse_file(sample("mo-smg-monsoon-allclear-update-zh-pt-en.xml"))
    store = AlertStore()
    store.apply(macau)
    snap = store.snapshot()
    assert snap.active == (macau,)
    assert any("references itself" in n for n in snap.notes)


def test_same_key_different_content_keeps_first() -> None:
    update, _, _ = _messages()
    changed = dataclasses.replace(update, note="changed")
    store = AlertStore()
    store.apply(update)
    assert store.apply(changed) is False
    assert store.get(update.key) == update
    assert store.snapshot().notes


def test_ack_and_messages_without_expiry() -> None:
    update, original, _ = _messages()
    ack = dataclasses.replace(update, identifier="ack-1", msg_type="Ack", infos=())
    no_expiry = dataclasses.replace(
        original, identifier="x", infos=(dataclasses.replace(original.infos[0], expires=None),)
    )
    snap = resolve_lineage([ack, no_expiry], _t("2030-01-01T00:00:00+08:00"))
    assert snap.active == (no_expiry,)
    assert expires_at(no_expiry) is None
