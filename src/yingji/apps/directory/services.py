"""Write use cases of the directory: loading reference data, managing organisations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from yingji.apps.audit.services import record_change, snapshot, update_audited
from yingji.apps.directory.models import AdministrativeDivision, HazardHistoryFeature, Organization
from yingji.apps.directory.reference import ReferenceBundle, read_manifest


@dataclass
class LoadCounts:
    """What a load did, per table: created / updated / unchanged."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, table: str, outcome: str) -> None:
        self.counts.setdefault(table, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], *, actor: Any) -> tuple[Any, str]:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False)
        obj.save()
        record_change(obj, "create", None, actor=actor)
        return obj, "created"
    before = snapshot(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    if snapshot(obj) == before:
        return obj, "unchanged"
    obj.full_clean(validate_unique=False)
    obj.save()
    record_change(obj, "update", before, actor=actor)
    return obj, "updated"


def _population_for(bundle: ReferenceBundle, code: str, level: str) -> tuple[int, int, str] | None:
    key = {"county": code[:6], "township": code[:9]}.get(level, code)
    return bundle.population.get(key) or bundle.population.get(code)


def load_reference_data(
    manifest_path: Path,
    *,
    actor: Any = None,
    progress: Callable[[int], None] | None = None,
) -> LoadCounts:
    """Load (or reload) a county's reference data from its manifest, all or nothing.

    Reads and validates every file first (``reference.read_manifest``), then
    writes in one transaction: divisions with seat points, population and the
    county boundary; hazard-history features. Idempotent: an unchanged row is
    left alone and writes no audit record.

    Args:
        manifest_path: ``data/<county>/reference.json``.
        actor: user for the audit trail (None = system).
        progress: called with the number of rows done since the last call.

    Returns:
        ``LoadCounts`` per table.

    Raises:
        ReferenceDataError: a file is missing or malformed (nothing written).
    """
    bundle = read_manifest(manifest_path)
    counts = LoadCounts()
    tick = progress or (lambda n: None)
    with transaction.atomic():
        by_code: dict[str, AdministrativeDivision] = {}
        for row in bundle.divisions:
            point = bundle.points.get(row.code)
            pop = _population_for(bundle, row.code, row.level)
            values: dict[str, Any] = {
                "name": row.name,
                "level": row.level,
                "parent": by_code.get(row.parent_code),
                "parent_code": row.parent_code,
                "urban_rural_code": row.urban_rural_code,
                "note": row.note[:300],
                "population": pop[0] if pop else None,
                "population_year": pop[1] if pop else None,
                "population_source": pop[2][:200] if pop else "",
                "point_lon": point[0] if point else None,
                "point_lat": point[1] if point else None,
                "point_source": bundle.point_source[:200] if point else "",
            }
            if row.level == "county" and bundle.boundary is not None:
                values["boundary"] = bundle.boundary
                values["boundary_source"] = bundle.boundary_source[:300]
            obj, outcome = _upsert(
                AdministrativeDivision,
                {"code": row.code, "edition_year": bundle.edition_year},
                values,
                actor=actor,
            )
            by_code[row.code] = obj
            counts.add("divisions", outcome)
            tick(1)
        for hazard in bundle.hazards:
            _obj, outcome = _upsert(
                HazardHistoryFeature,
                {"layer": hazard.layer, "source_key": hazard.source_key[:120]},
                {
                    "title": hazard.title[:200],
                    "occurred_on": hazard.occurred_on[:40],
                    "magnitude": hazard.magnitude,
                    "geometry": hazard.geometry,
                    "properties": hazard.properties,
                    "source": hazard.source[:200],
                    "licence": hazard.licence[:60],
                },
                actor=actor,
            )
            counts.add(f"hazard:{hazard.layer}", outcome)
            tick(1)
    return counts


def create_organization(*, actor: Any, **fields: Any) -> Organization:
    """Create an organisation after full validation; audited.

    Raises:
        ValidationError: field errors (message_dict), nothing written.
    """
    with transaction.atomic():
        org = Organization(**fields)
        org.full_clean()
        org.save()
        record_change(org, "create", None, actor=actor)
    return org


def update_organization(org: Organization, *, actor: Any, **fields: Any) -> Organization:
    """Change fields of an organisation after full validation; audited.

    Raises:
        ValidationError: field errors, nothing written.
    """
    return update_audited(org, fields, actor=actor)
