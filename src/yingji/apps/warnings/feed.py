"""Atom index feed of released warnings (RFC 4287; OASIS CAP feed practice, as NWS/Google publish).

Each entry links the full CAP document with ``rel="alternate" type="application/cap+xml"`` —
the link an aggregator (and ``engines.warnings.feeds.best_link``) follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone
from lxml import etree

from yingji.apps.warnings import cap
from yingji.apps.warnings.models import Warning

ATOM_NS = "http://www.w3.org/2005/Atom"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(items: Iterable[Warning], *, feed_url: str, cap_url: Callable[[Warning], str]) -> bytes:
    """The Atom document (UTF-8 bytes) listing ``items``.

    Args:
        items: released warnings, newest first.
        feed_url: absolute URL of the feed itself (feed ``id`` and ``rel="self"``).
        cap_url: absolute URL of a warning's CAP document.
    """
    items = list(items)
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _sub(root, "id", feed_url)
    _sub(root, "title", f"{cap.sender_name()} 预警信息")
    updated = max((w.sent for w in items if w.sent), default=timezone.now())
    _sub(root, "updated", cap.cap_datetime(updated))
    author = _sub(root, "author")
    _sub(author, "name", cap.sender_name())
    _sub(root, "link", href=feed_url, rel="self", type="application/atom+xml")
    for w in items:
        url = cap_url(w)
        entry = _sub(root, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", w.headline)
        _sub(entry, "updated", cap.cap_datetime(w.sent or w.updated_at))
        _sub(entry, "link", href=url, rel="alternate", type="application/cap+xml")
        _sub(entry, "summary", w.description[:500])
        _sub(entry, "category", term=w.msg_type)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
