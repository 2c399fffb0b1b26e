"""Atom and RSS index feeds that list CAP messages (RFC 4287 Atom; RSS 2.0).

Each entry's link to the full CAP document is chosen in this order: a link whose
``type`` is ``application/cap+xml``; a ``rel="alternate"`` (or rel-less) link; the
first link. Feeds are read with the same hardened parser as messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .errors import CapNotWellFormedError, NotCapError
from .parse import element_text, split_tag
from .xmlsafe import DEFAULT_MAX_BYTES, parse_xml

ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_MIME = "application/cap+xml"


@dataclass(frozen=True)
class FeedLink:
    """One link of an entry: ``href`` plus its ``rel`` and ``type`` (empty when not given)."""

    href: str
    rel: str = ""
    type: str = ""


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry: id (Atom id / RSS guid), title, updated (text as given), best CAP link."""

    id: str
    title: str
    updated: str
    link: str
    links: tuple[FeedLink, ...] = ()


def best_link(links: tuple[FeedLink, ...]) -> str:
    """Pick the link to the CAP document (see module docstring); ``""`` when there is none."""
    for link in links:
        if link.type.strip().lower() == CAP_MIME:
            return link.href
    for link in links:
        if link.rel in ("", "alternate"):
            return link.href
    return links[0].href if links else ""


def _child_text(el: etree._Element, local: str) -> str:
    for child in el:
        if isinstance(child.tag, str) and split_tag(child.tag)[1] == local:
            return element_text(child).strip()
    return ""


def _links(el: etree._Element) -> tuple[FeedLink, ...]:
    out: list[FeedLink] = []
    for child in el:
        if not isinstance(child.tag, str) or split_tag(child.tag)[1] != "link":
            continue
        href = (child.get("href") or element_text(child)).strip()
        if href:
            out.append(FeedLink(href, child.get("rel", ""), child.get("type", "")))
    return tuple(out)


def parse_feed(data: bytes, *, recover: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> list[FeedEntry]:
    """Parse an Atom or RSS 2.0 index feed and return its entries in document order.

    Args:
        data: the feed document.
        recover: if the bytes are invalid in their declared encoding, decode them as
            UTF-8 with replacement characters and try again (the NAAD feed case).
        max_bytes: size limit in bytes.

    Raises:
        CapNotWellFormedError, CapSecurityError, CapSizeError: see ``xmlsafe.parse_xml``.
        NotCapError: the root is neither Atom ``feed`` nor ``rss`` (rule ``feed.unknown``).
    """
    try:
        root = parse_xml(data, max_bytes=max_bytes)
    except CapNotWellFormedError:
        if not recover:
            raise
        text = data.decode("utf-8", errors="replace")
        root = parse_xml(re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", text), max_bytes=max_bytes * 2)
    ns, local = split_tag(root.tag) if isinstance(root.tag, str) else ("", "")
    entries: list[FeedEntry] = []
    if local == "feed" and ns == ATOM_NS:
        for entry in root:
            if not isinstance(entry.tag, str) or split_tag(entry.tag) != (ATOM_NS, "entry"):
                continue
            links = _links(entry)
            updated = _child_text(entry, "updated") or _child_text(entry, "published")
            entries.append(
                FeedEntry(
                    _child_text(entry, "id"), _child_text(entry, "title"), updated, best_link(links), links
                )
            )
        return entries
    if local == "rss":
        for item in root.iter("item"):
            links = _links(item)
            enclosures = tuple(
                FeedLink(e.get("url", ""), "enclosure", e.get("type", "")) for e in item.iter("enclosure")
            )
            all_links = enclosures + links
            guid = _child_text(item, "guid")
            entries.append(
                FeedEntry(
                    guid,
                    _child_text(item, "title"),
                    _child_text(item, "pubDate"),
                    best_link(all_links),
                    all_links,
                )
            )
        return entries
    raise NotCapError(f"not an Atom or RSS feed: root element {local!r}", rule="feed.unknown")
