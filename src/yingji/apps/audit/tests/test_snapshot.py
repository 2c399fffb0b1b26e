"""``snapshot`` turns any model instance into JSON-safe values."""

from __future__ import annotations

import json

from yingji.apps.audit.services import snapshot
from yingji.apps.directory.models import Organization


def test_snapshot_is_json_safe_for_plain_fields():
    org = Organization(name="x", kind="bureau", division_id=1, lon=1.5)
    data = snapshot(org)
    assert data["name"] == "x" and data["division_id"] == 1 and data["lon"] == 1.5
    json.dumps(data)
