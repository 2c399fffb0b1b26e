"""Audit snapshots of records with uploaded files keep the stored file name, not the file."""

from __future__ import annotations

import json

from yingji.apps.audit.services import snapshot
from yingji.apps.risk.models.hidden_hazard import HiddenHazardPhoto


def test_snapshot_of_photo_records_file_name():
    photo = HiddenHazardPhoto(stage="before", image="risk/hazards/2026/11/p.jpg", content_type="image/jpeg")
    data = snapshot(photo)
    assert data["image"] == "risk/hazards/2026/11/p.jpg"
    json.dumps(data)
    assert snapshot(HiddenHazardPhoto(stage="after", content_type="image/png"))["image"] is None
