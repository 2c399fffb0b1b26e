"""Walk the whole URL map: every page and every API action must declare a permission (fail closed)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own views with their own access control: admin (staff login + model permissions),
# the language switch (no data), static files.
EXEMPT_PREFIXES = ("admin/", "i18n/", "static/")


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found.extend(_walk(p.url_patterns, route))
        elif isinstance(p, URLPattern):
            found.append((route, p.callback))
    return found


def test_every_view_and_api_action_declares_a_permission():
    missing = []
    routes = _walk(get_resolver().url_patterns)
    assert len(routes) > 20
    for route, callback in routes:
        if route.startswith(EXEMPT_PREFIXES):
            continue
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view_class is None:
            missing.append(f"{route}: function view without declared permission")
            continue
        actions = getattr(callback, "actions", None)
        if actions:  # DRF viewset: every mapped action needs an entry
            declared = getattr(view_class, "required_permissions", {}) or {}
            for action in set(actions.values()):
                if action not in declared and "*" not in declared:
                    missing.append(f"{route}: action {action!r} of {view_class.__name__}")
        elif hasattr(view_class, "required_permissions"):
            declared = view_class.required_permissions or {}
            if not declared:
                missing.append(f"{route}: {view_class.__name__} declares no permission")
        elif getattr(view_class, "required_permission", None) is None:
            if "APIRootView" in view_class.__name__:
                continue  # DRF router index: lists URLs only
            missing.append(f"{route}: {view_class.__name__}")
    assert not missing, "views without a declared permission:\n" + "\n".join(missing)


def test_undeclared_action_is_refused(rf, admin_user):
    """DeclaredPermission refuses an action the view did not declare, even for an admin."""
    from yingji.apps.core.permissions import DeclaredPermission

    class View:
        action = "destroy"
        required_permissions = {"list": "directory.view_organization"}

    request = rf.delete("/")
    request.user = admin_user
    assert DeclaredPermission().has_permission(request, View()) is False
