"""Template tags of duty: ``{% on_duty_now %}`` shows the county duty desk in the page header."""

from __future__ import annotations

from typing import Any

from django import template

from yingji.apps.duty.selectors import county_duty_desk

register = template.Library()


@register.inclusion_tag("duty/_on_duty_now.html", takes_context=True)
def on_duty_now(context: dict[str, Any]) -> dict[str, Any]:
    """Who is on duty at the county emergency bureau now, with the duty phone, for every signed-in user.

    Everyone on the platform must be able to call the duty desk, whatever their grants (a
    township officer's scope does not cover the county roster): names and the phone come from
    ``selectors.county_duty_desk``; the link to the duty pages only for ``duty.view_shift``
    holders. Renders nothing for anonymous visitors. Two queries.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "desk": county_duty_desk(), "link": user.has_perm("duty.view_shift")}
