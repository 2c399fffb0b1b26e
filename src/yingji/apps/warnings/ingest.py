"""Ingest and aggregation of upstream CAP messages (预警信息接入/汇总), after WMO's cap-aggregator.

Sources: Atom/RSS index feeds (the entry link with type ``application/cap+xml`` is followed;
``engines.warnings.feeds``), a drop folder (``*.xml``; read files move to ``done/`` or
``quarantine/``), HTTP pushes (per-source token) and manual upload. Every message goes through
the engine's layered validation; it is de-duplicated by the identity triple
``sender,identifier,sent`` (CAP 1.2 §3.2.1); what fails validation is quarantined with its
defect list; what passes is assessed against the county and its lineage applied (Update
supersedes, Cancel withdraws the referenced messages, matched on sender+identifier, as the
engine's ``lineage`` does). Active actual messages touching the county run the upstream
trigger rules, which propose county drafts.
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yingji.apps.audit.services import record_change, snapshot, update_audited
from yingji.apps.directory.models import AdministrativeDivision
from yingji.apps.warnings import services
from yingji.apps.warnings.models import (
    FeedSource,
    Severity,
    SourceKind,
    TriggerKind,
    UpstreamAlert,
    UpstreamState,
    Warning,
    WarningTemplate,
)
from yingji.engines.warnings import Alert, Info, assess, validate_bytes
from yingji.engines.warnings.colour import detect_level
from yingji.engines.warnings.errors import CapError
from yingji.engines.warnings.feeds import parse_feed
from yingji.engines.warnings.lineage import expires_at
from yingji.engines.warnings.xmlsafe import DEFAULT_MAX_BYTES

FETCH_TIMEOUT_S = 15


@dataclass
class IngestResult:
    """Outcome of one message: the stored row, whether it was new, and any proposals made."""

    alert: UpstreamAlert
    created: bool
    proposals: list[Warning] = field(default_factory=list)


@dataclass
class PollResult:
    """Outcome of one poll/scan: counts and per-item errors (``[(where, message)]``)."""

    new: int = 0
    duplicates: int = 0
    quarantined: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for ``FeedSource.last_status``."""
        text = f"新增 {self.new}，重复 {self.duplicates}，隔离 {self.quarantined}"
        if self.errors:
            text += f"，错误 {len(self.errors)}：{self.errors[0][1]}"
        return text[:300]


def primary_info(alert: Alert) -> Info | None:
    """The Chinese info block if there is one (zh-*), else the first."""
    for info in alert.infos:
        if info.language_or_default.lower().startswith("zh"):
            return info
    return alert.infos[0] if alert.infos else None


def _severity(info: Info | None) -> str:
    if info is None:
        return ""
    if info.severity in Severity.values:
        return info.severity
    level = detect_level(f"{info.event} {info.headline or ''}")
    return level.severity if level else info.severity


def _retirer(alert: UpstreamAlert) -> UpstreamAlert | None:
    """A later message (already stored) that updates or cancels ``alert`` (out-of-order arrival)."""
    return (
        UpstreamAlert.objects.filter(
            reference_keys__contains=alert.lineage_key, msg_type__in=["Update", "Cancel"]
        )
        .exclude(state=UpstreamState.QUARANTINED)
        .exclude(pk=alert.pk)
        .order_by("sent_at")
        .first()
    )


def _apply_lineage(new: UpstreamAlert, parsed: Alert, *, actor: Any) -> None:
    how = {"Update": UpstreamState.SUPERSEDED, "Cancel": UpstreamState.CANCELLED}.get(new.msg_type)
    if how is not None:
        for ref in parsed.references:
            if ref.key == parsed.key:
                continue  # a self-reference (engine rule alert.references.self) retires nothing
            for earlier in (
                UpstreamAlert.objects.select_for_update()
                .filter(sender=ref.sender, identifier=ref.identifier)
                .exclude(state__in=[UpstreamState.QUARANTINED, UpstreamState.CANCELLED])
            ):
                before = snapshot(earlier)
                earlier.state, earlier.retired_by = how, new
                earlier.save(update_fields=["state", "retired_by"])
                record_change(earlier, "update", before, actor=actor)
    later = _retirer(new)
    if later is not None and new.state == UpstreamState.ACTIVE:
        new.state = UpstreamState.CANCELLED if later.msg_type == "Cancel" else UpstreamState.SUPERSEDED
        new.retired_by = later
        new.save(update_fields=["state", "retired_by"])


def ingest_cap(
    data: bytes, *, source: FeedSource, origin: str = "", actor: Any = None, is_demo: bool = False
) -> IngestResult:
    """Validate, de-duplicate, store, assess and link one CAP message; run the trigger rules.

    Args:
        data: the raw document (any encoding the XML declares; at most 1 MiB).
        source: where it came from.
        origin: URL or file name, shown to the duty officer.
        actor: the user (upload) or ``None`` (feeds, folders, pushes).

    Returns:
        ``IngestResult``; ``created`` is False for a duplicate (same identity triple, or the same
        bytes for unreadable input), which is returned unchanged.
    """
    report = validate_bytes(data, name=origin or "<message>")
    parsed = report.alert
    defects = [{**d.as_dict(), "severity": "error"} for d in report.errors] + [
        {**d.as_dict(), "severity": "warning"} for d in report.warnings
    ]
    if parsed is not None and parsed.sender.strip() and parsed.identifier.strip():
        identity = f"{parsed.sender.strip()},{parsed.identifier.strip()},{parsed.sent.strip()}"[:600]
    else:
        identity = "sha256:" + hashlib.sha256(data).hexdigest()
    existing = UpstreamAlert.objects.filter(identity=identity).first()
    if existing is not None:
        return IngestResult(existing, False)
    info = primary_info(parsed) if parsed is not None else None
    row = UpstreamAlert(
        identity=identity,
        source=source,
        origin=origin[:600],
        raw=data.decode("utf-8", errors="replace"),
        valid=report.valid,
        signature=report.signature,
        defects=defects,
        is_demo=is_demo,
    )
    if parsed is not None:
        row.sender = parsed.sender.strip()[:255]
        row.identifier = parsed.identifier.strip()[:255]
        row.sent = parsed.sent.strip()[:40]
        row.sent_at = parsed.sent_at
        row.msg_type = parsed.msg_type.strip()[:10]
        row.status = parsed.status.strip()[:10]
        row.reference_keys = "".join(f" {r.sender},{r.identifier} " for r in parsed.references)
        row.expires_at = expires_at(parsed)
        if info is not None:
            row.event = info.event.strip()[:200]
            row.headline = (info.headline or "").strip()[:500]
            row.severity = _severity(info)[:10]
    now = timezone.now()
    if not report.valid or parsed is None:
        row.state = UpstreamState.QUARANTINED
    else:
        result = assess(parsed)
        row.assessment = result.as_dict()
        row.intersects_county = result.intersects_county
        row.population = result.population
        if row.msg_type not in ("Alert", "Update"):
            row.state = UpstreamState.INACTIVE
        elif row.expires_at is not None and row.expires_at <= now:
            row.state = UpstreamState.EXPIRED
        else:
            row.state = UpstreamState.ACTIVE
    try:
        with transaction.atomic():
            row.full_clean()
            row.save()
            record_change(row, "create", None, actor=actor)
            if parsed is not None and row.state != UpstreamState.QUARANTINED:
                _apply_lineage(row, parsed, actor=actor)
    except IntegrityError:  # a concurrent ingest of the same message won
        return IngestResult(UpstreamAlert.objects.get(identity=identity), False)
    proposals: list[Warning] = []
    if row.state == UpstreamState.ACTIVE and row.intersects_county and row.status == "Actual":
        proposal = services.propose_warning_from_event(
            TriggerKind.UPSTREAM,
            f"upstream:{row.pk}",
            f"{row.event} {row.headline}",
            row.severity,
            _division_for(row),
            actor=actor,
            upstream=row,
        )
        if proposal is not None:
            proposals.append(proposal)
    return IngestResult(row, True, proposals)


def _division_for(row: UpstreamAlert) -> str | None:
    """The affected township when exactly one is affected, else ``None`` (the county)."""
    affected = row.assessment.get("affected_divisions", [])
    townships = [a["code"] for a in affected if a.get("level") == "township"]
    if row.assessment.get("whole_county") or len(townships) != 1:
        return None
    return str(townships[0])


def fetch(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """GET ``url`` (http/https only) with a timeout and a size limit.

    Raises:
        ValueError: another scheme, or the body is larger than ``max_bytes``.
        OSError: network errors (``urllib.error.URLError`` is an ``OSError``).
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"only http/https URLs are fetched: {url!r}")
    accept = {"Accept": "application/atom+xml, application/cap+xml, */*"}
    request = urllib.request.Request(url, headers=accept)  # noqa: S310 - scheme checked above
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:  # noqa: S310
        data = bytes(response.read(max_bytes + 1))
    if len(data) > max_bytes:
        raise ValueError(f"{url} is larger than {max_bytes} bytes")
    return data


def _tally(result: PollResult, outcome: IngestResult) -> None:
    if not outcome.created:
        result.duplicates += 1
    elif outcome.alert.state == UpstreamState.QUARANTINED:
        result.quarantined += 1
    else:
        result.new += 1


def _finish(source: FeedSource, result: PollResult) -> PollResult:
    FeedSource.objects.filter(pk=source.pk).update(
        last_polled_at=timezone.now(), last_status=result.summary()
    )
    return result


def poll_feed_source(source: FeedSource) -> PollResult:
    """Read an Atom/RSS index and ingest every entry's CAP document not seen before (by URL).

    Entries whose link was already ingested from this source are skipped without fetching.
    Errors (network, malformed feed or entry) are collected, never raised.
    """
    result = PollResult()
    try:
        entries = parse_feed(fetch(source.url), recover=True)
    except (OSError, ValueError, CapError) as exc:
        result.errors.append((source.url, str(exc)[:200]))
        return _finish(source, result)
    for entry in entries:
        if not entry.link:
            continue
        link = urllib.parse.urljoin(source.url, entry.link)
        if UpstreamAlert.objects.filter(source=source, origin=link[:600]).exists():
            result.duplicates += 1
            continue
        try:
            data = fetch(link)
        except (OSError, ValueError) as exc:
            result.errors.append((link, str(exc)[:200]))
            continue
        _tally(result, ingest_cap(data, source=source, origin=link, is_demo=source.is_demo))
    return _finish(source, result)


def scan_drop_folder(source: FeedSource) -> PollResult:
    """Ingest every ``*.xml`` in the source's folder; each file moves to ``done/`` or ``quarantine/``."""
    result = PollResult()
    folder = Path(source.folder)
    if not folder.is_dir():
        result.errors.append((source.folder, "目录不存在"))
        return _finish(source, result)
    for path in sorted(folder.glob("*.xml")):
        try:
            data = path.read_bytes()
        except OSError as exc:
            result.errors.append((str(path), str(exc)[:200]))
            continue
        outcome = ingest_cap(data, source=source, origin=path.name, is_demo=source.is_demo)
        _tally(result, outcome)
        target = folder / ("quarantine" if outcome.alert.state == UpstreamState.QUARANTINED else "done")
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)
    return _finish(source, result)


def sources_due(now: Any = None) -> list[FeedSource]:
    """Enabled feed/folder sources whose poll interval has elapsed."""
    now = now or timezone.now()
    due = []
    for s in FeedSource.objects.filter(enabled=True, kind__in=[SourceKind.FEED, SourceKind.FOLDER]):
        if s.last_polled_at is None or s.last_polled_at + timedelta(seconds=s.poll_interval_s) <= now:
            due.append(s)
    return due


def create_feed_source(*, actor: Any, **fields: Any) -> tuple[FeedSource, str]:
    """Create a source; for push sources a token is generated and returned once (only its hash is kept).

    Returns:
        ``(source, token)``; ``token`` is ``""`` for feed/folder sources.

    Raises:
        ValidationError: field errors, or a feed without URL / folder source without folder.
    """
    with transaction.atomic():
        source = FeedSource(**fields)
        errors = {}
        if source.kind == SourceKind.FEED and not source.url:
            errors["url"] = ["订阅方式须填写订阅地址"]
        if source.kind == SourceKind.FOLDER and not source.folder:
            errors["folder"] = ["投递目录方式须填写目录"]
        if errors:
            raise ValidationError(errors)
        token = secrets.token_urlsafe(24) if source.kind == SourceKind.PUSH else ""
        source.token_hash = FeedSource.hash_token(token) if token else ""
        source.full_clean()
        source.save()
        record_change(source, "create", None, actor=actor)
    return source, token


def update_feed_source(source: FeedSource, *, actor: Any, **fields: Any) -> FeedSource:
    """Change a source's settings (name, url, folder, interval, enabled); audited.

    Raises:
        ValidationError: field errors, nothing written.
    """
    return update_audited(source, fields, actor=actor)


def manual_source() -> FeedSource:
    """The built-in source of manually uploaded messages (created on first use)."""
    source, _ = FeedSource.objects.get_or_create(name="人工上传", defaults={"kind": SourceKind.MANUAL})
    return source


def derive_warning_from_upstream(
    upstream: UpstreamAlert,
    *,
    actor: Any,
    template: WarningTemplate | None = None,
    areas: list[AdministrativeDivision] | None = None,
) -> Warning:
    """A duty officer derives a county draft from an upstream message explicitly (研判后转发).

    The draft takes the upstream event, level and texts (Chinese info), cites the upstream
    identifier, and covers the affected townships — or, when the message does not touch the
    county (e.g. the CMA Baoding sample), the whole county for the officer to narrow down; the
    note then says so.

    Raises:
        ValidationError: the upstream message is quarantined (cannot be used).
    """
    if upstream.state == UpstreamState.QUARANTINED:
        raise ValidationError({"upstream": ["隔离中的消息不能用于生成预警"]})
    parsed_info = None
    try:
        parsed = validate_bytes(upstream.raw.encode("utf-8")).alert
        parsed_info = primary_info(parsed) if parsed is not None else None
    except CapError:
        parsed_info = None
    severity = upstream.severity if upstream.severity in Severity.values else Severity.MODERATE
    county = services.county_division()
    affected = [
        a["code"] for a in upstream.assessment.get("affected_divisions", []) if a.get("level") != "county"
    ]
    chosen = areas or (
        [county]
        if upstream.assessment.get("whole_county") or not affected
        else list(AdministrativeDivision.objects.filter(code__in=affected))
    )
    if template is not None:
        fields = services.template_fields(template, severity, area_names="、".join(a.name for a in chosen))
    else:
        fields = {
            "event": (upstream.event or "预警")[:60],
            "severity": severity,
            "headline": f"{county.name}转发：{upstream.headline}"[:160],
            "description": (
                parsed_info.description if parsed_info and parsed_info.description else upstream.headline
            )
            or upstream.headline,
            "instruction": (parsed_info.instruction or "") if parsed_info else "",
            "expires": max(upstream.expires_at or timezone.now(), timezone.now()) + timedelta(hours=6),
        }
        if (
            parsed_info is not None
            and parsed_info.categories
            and parsed_info.categories[0]
            in ("Met", "Geo", "Safety", "Fire", "Health", "Env", "Infra", "Other")
        ):
            fields["category"] = parsed_info.categories[0]
    touches = "涉及本县" if upstream.intersects_county else "不涉及本县，区域须由值班员核定"
    fields["note"] = f"依据上游预警 {upstream.sender},{upstream.identifier}（{touches}）"[:300]
    fields["upstream"] = upstream
    fields["is_demo"] = upstream.is_demo
    return services.create_warning(actor=actor, areas=chosen, **fields)
