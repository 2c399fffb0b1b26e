"""Template tags of notifications: ``{% notifications_link %}`` puts the inbox in the page header."""

from __future__ import annotations

from typing import Any

from django import template

from yingji.apps.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_header_link.html", takes_context=True)
def notifications_link(context: dict[str, Any]) -> dict[str, Any]:
    """The link to ``/notifications/`` with the unread count, for every signed-in user.

    The inbox views declare ``AUTHENTICATED`` (every signed-in user has a personal inbox), so
    the link is shown to everyone signed in and to nobody else. The count is
    ``selectors.unread_count`` (one COUNT query); anonymous visitors cost no query.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user)}
