"""The fake SMS gateway and its command line."""

from __future__ import annotations

import argparse
import json
import urllib.request

import pytest

from yingji.apps.notifications import cli
from yingji.apps.notifications.fake_gateway import FakeSmsGateway, running_fake_gateway


def test_gateway_records_and_rejects_bad_bodies():
    with running_fake_gateway() as gw:
        data = json.dumps({"to": "139", "text": "hi"}).encode()
        with urllib.request.urlopen(urllib.request.Request(gw.url, data=data, method="POST")) as r:
            assert r.status == 200
        bad = urllib.request.Request(gw.url, data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(bad)
        assert err.value.code == 400
        with urllib.request.urlopen(gw.url.replace("/send", "/messages")) as r:
            assert json.loads(r.read()) == [{"to": "139", "text": "hi"}]


def test_gateway_listens_on_loopback_only():
    with pytest.raises(ValueError):
        FakeSmsGateway("0.0.0.0", 0)


def test_cli_refuses_bad_port(capsys):
    assert cli._run(argparse.Namespace(port=70000)) == 2
    assert "port must be 0..65535" in capsys.readouterr().err
