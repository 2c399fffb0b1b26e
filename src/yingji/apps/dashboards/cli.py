"""``yingji seed-demo``: synthetic 示例 data and demo accounts."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from yingji.cli import setup_django


def register(sub: Any) -> None:
    """Add the ``seed-demo`` command."""
    p = sub.add_parser(
        "seed-demo", help="create demo (示例) organisations, resources and accounts (idempotent)"
    )
    p.add_argument(
        "--accounts-file",
        type=Path,
        default=None,
        help="where new demo passwords are appended (default var/demo-accounts.txt)",
    )
    p.set_defaults(handler=_seed_demo)


def _seed_demo(ns: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    from yingji.apps.dashboards.demo import seed_demo

    try:
        result = seed_demo(settings.YINGJI_COUNTY_CODE)
    except RuntimeError as exc:
        print(f"seed-demo: {exc}", file=sys.stderr)
        return 1
    for key, n in sorted(result.created.items()):
        print(f"{key}: {n} created")
    new = [a for a in result.accounts if a.password]
    if new:
        path = ns.accounts_file or Path(settings.VAR_DIR) / "demo-accounts.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            for a in new:
                fh.write(f"{a.username}\t{a.password}\t{a.role}\t{a.scope}\n")
        print(f"\n示例账户 demo accounts (shown once; also saved to {path}):")
        print(f"  {'username':<12}{'password':<16}{'role':<28}scope")
        for a in new:
            print(f"  {a.username:<12}{a.password:<16}{a.role:<28}{a.scope}")
    else:
        print(
            "demo accounts already exist "
            "(passwords were printed when they were created; see var/demo-accounts.txt)"
        )
    return 0
