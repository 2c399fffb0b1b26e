"""Notifications test fixtures: the fake SMS gateway on 127.0.0.1:0 in a thread."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from yingji.apps.notifications.fake_gateway import FakeSmsGateway, running_fake_gateway


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    """A running fake gateway; ``YINGJI_SMS_GATEWAY_URL`` points at it for the test."""
    with running_fake_gateway() as gateway:
        settings.YINGJI_SMS_GATEWAY_URL = gateway.url
        yield gateway
