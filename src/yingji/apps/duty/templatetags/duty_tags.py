"""Template tags of duty: ``{% on_duty_now %}`` shows who is on duty in the page header."""

from __future__ import annotations

from typing import Any

from django import template

from yingji.apps.duty.selectors import on_duty_now as select_on_duty_now

register = template.Library()


@register.inclusion_tag("duty/_on_duty_now.html", takes_context=True)
def on_duty_now(context: dict[str, Any]) -> dict[str, Any]:
    """Who is on duty now, for signed-in users holding ``duty.view_shift`` (else renders nothing).

    Two queries (the covering shift with leader and roster; its officers).
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated or not user.has_perm("duty.view_shift"):
        return {"show": False}
    return {"show": True, "duty": select_on_duty_now(user=user)}
