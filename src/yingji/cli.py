"""The ``yingji`` command line.

``yingji <command> ...`` runs one of our own commands (engines and data
loaders, listed in ``COMMAND_MODULES``); anything else is handed to Django's
``manage.py`` machinery (``yingji migrate``, ``yingji runserver``...).

Each command module exposes ``register(subparsers)`` which adds its top-level
command(s) with ``set_defaults(handler=callable)``; the handler takes the parsed
``argparse.Namespace`` and returns the process exit code. Usage errors exit 2
with one line on stderr (argparse's convention).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# Module path -> top-level command names it registers. Engines first (no Django).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "yingji.engines.incidents.cli": ("incident",),
    "yingji.engines.warnings.cli": ("cap",),
    "yingji.engines.monitoring.cli": ("monitoring",),
    "yingji.engines.risk.cli": ("hazard", "risk"),
    "yingji.engines.normalize.cli": ("normalize", "geo"),
    "yingji.apps.directory.cli": ("divisions", "load-reference"),
    "yingji.apps.core.cli": ("import",),
    "yingji.apps.notifications.cli": ("fake-sms-gateway",),
    "yingji.apps.warnings.cli": ("warnings",),
    "yingji.apps.monitoring.cli": ("monitoring-ingest", "simulate"),
    "yingji.apps.dashboards.cli": ("seed-demo",),
}


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line: ``yingji: error: ...`` and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def setup_django() -> None:
    """Configure Django for commands that need the database (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.config.settings")
    import django

    django.setup()


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the parser from the command modules (only those providing ``commands`` if given)."""
    parser = _Parser(prog="yingji", description="yingji 应急 platform command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module_name, names in COMMAND_MODULES.items():
        if commands is not None and not set(names) & set(commands):
            continue
        importlib.import_module(module_name).register(sub)
    return parser


def own_commands() -> set[str]:
    """Names of the commands handled here rather than by Django."""
    return {name for names in COMMAND_MODULES.values() for name in names}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``yingji`` console script. Returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in own_commands():
        parser = build_parser([args[0]])
        ns = parser.parse_args(args)
        handler = getattr(ns, "handler", None)
        if handler is None:
            parser.parse_args([args[0], "--help"])
            return 2
        try:
            return int(handler(ns) or 0)
        except BrokenPipeError:  # output piped into `head` and closed early
            sys.stderr.close()
            return 0
        except (UnicodeError, ValueError, ArithmeticError, RecursionError, OSError) as exc:
            # bad input a command did not anticipate: still one line, never a traceback
            detail = " ".join(str(exc).split())[:300]
            sys.stderr.write(f"yingji {args[0]}: error: unreadable input ({type(exc).__name__}: {detail})\n")
            return 2
    if args and args[0] in ("-h", "--help"):
        build_parser().print_help()
        print("\nAny other command is a Django management command (yingji help).")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yingji", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
