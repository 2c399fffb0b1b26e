"""``yingji warnings poll|ingest|expire|fake-gateway``: ingest and operations from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from yingji.cli import setup_django


def register(sub: Any) -> None:
    """Add the ``warnings`` command and its subcommands."""
    warnings = sub.add_parser("warnings", help="预警发布 warning release: ingest, polling, fake gateway")
    wsub = warnings.add_subparsers(dest="warnings_command", metavar="SUBCOMMAND", parser_class=type(warnings))
    poll = wsub.add_parser("poll", help="poll every enabled feed and drop-folder source now")
    poll.add_argument("--json", action="store_true")
    poll.set_defaults(handler=_poll)
    ing = wsub.add_parser("ingest", help="ingest CAP files (validate, de-duplicate, assess, trigger rules)")
    ing.add_argument("files", nargs="+", type=Path)
    ing.add_argument("--json", action="store_true")
    ing.set_defaults(handler=_ingest)
    exp = wsub.add_parser("expire", help="mark released warnings past their expiry as expired")
    exp.set_defaults(handler=_expire)
    gw = wsub.add_parser("fake-gateway", help="run the loopback fake operator gateway (demo/tests only)")
    gw.add_argument("--port", type=int, default=8025)
    gw.add_argument("--fail-once", action="append", default=[], help="address that fails its first attempt")
    gw.set_defaults(handler=_fake_gateway)


def _poll(ns: argparse.Namespace) -> int:
    setup_django()
    from yingji.apps.warnings import ingest
    from yingji.apps.warnings.models import FeedSource, SourceKind

    rows = []
    for source in FeedSource.objects.filter(enabled=True, kind__in=[SourceKind.FEED, SourceKind.FOLDER]):
        result = (
            ingest.poll_feed_source(source)
            if source.kind == SourceKind.FEED
            else ingest.scan_drop_folder(source)
        )
        rows.append(
            {
                "source": source.name,
                "new": result.new,
                "duplicates": result.duplicates,
                "quarantined": result.quarantined,
                "errors": [list(e) for e in result.errors],
            }
        )
    if ns.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(
                f"{r['source']}\tnew {r['new']}\tduplicates {r['duplicates']}\tquarantined {r['quarantined']}"
                f"\terrors {len(r['errors'])}"
            )
    return 0


def _ingest(ns: argparse.Namespace) -> int:
    missing = [str(f) for f in ns.files if not f.is_file()]
    if missing:
        print(f"yingji warnings ingest: no such file: {missing[0]}", file=sys.stderr)
        return 2
    setup_django()
    from yingji.apps.warnings import ingest

    source = ingest.manual_source()
    rows: list[dict[str, Any]] = []
    for path in ns.files:
        outcome = ingest.ingest_cap(path.read_bytes(), source=source, origin=path.name)
        a = outcome.alert
        rows.append(
            {
                "file": str(path),
                "id": a.pk,
                "created": outcome.created,
                "state": a.state,
                "intersects_county": a.intersects_county,
                "population": a.population,
                "errors": a.errors,
                "proposals": [w.pk for w in outcome.proposals],
            }
        )
    if ns.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(
                f"{r['file']}\t{r['state']}\t{'new' if r['created'] else 'duplicate'}"
                f"\tcounty={'yes' if r['intersects_county'] else 'no'}\terrors {len(r['errors'])}"
            )
    return 1 if any(r["state"] == "quarantined" for r in rows) else 0


def _expire(ns: argparse.Namespace) -> int:
    setup_django()
    from yingji.apps.warnings.services import expire_warnings

    print(f"expired: {expire_warnings()}")
    return 0


def _fake_gateway(ns: argparse.Namespace) -> int:
    from yingji.apps.warnings.fake_gateway import FakeGateway

    setup_django()
    gateway = FakeGateway(port=ns.port, fail_once=set(ns.fail_once)).start()
    print(f"fake gateway on {gateway.url} (set YINGJI_WARNINGS_GATEWAY_URL={gateway.url}); Ctrl-C stops it")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        gateway.stop()
    return 0
