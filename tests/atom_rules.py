"""The normative rules of RFC 4287 (the Atom Syndication Format) that a feed document must keep,
checked on the XML itself: feedparser reads almost anything, so passing it proves little."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time (section 3.3 of RFC 4287): upper-case T and Z, seconds required.
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FEED_CHILDREN = {
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
}
ENTRY_CHILDREN = {
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
}
TEXT_TYPES = {"text", "html", "xhtml"}


def _count(parent: ET.Element, tag: str) -> int:
    return len(parent.findall(NS + tag))


def _check_children(
    where: str,
    element: ET.Element,
    allowed: set[str],
    once: tuple[str, ...],
    at_most_once: tuple[str, ...],
    problems: list[str],
) -> None:
    for child in element:
        if child.tag.startswith(NS) and child.tag[len(NS) :] not in allowed:
            problems.append(f"{where}: atom:{child.tag[len(NS) :]} is not allowed here")
    problems += [f"{where}: needs exactly one atom:{tag}" for tag in once if _count(element, tag) != 1]
    problems += [f"{where}: more than one atom:{tag}" for tag in at_most_once if _count(element, tag) > 1]


def _check_common(where: str, element: ET.Element, problems: list[str]) -> None:
    ident = (element.findtext(NS + "id") or "").strip()
    if not urlsplit(ident).scheme:
        problems.append(f"{where}: atom:id {ident!r} is not an absolute IRI")
    for tag in ("updated", "published"):
        for stamp in element.findall(NS + tag):
            if not DATE.match(stamp.text or ""):
                problems.append(f"{where}: atom:{tag} {stamp.text!r} is not an RFC 3339 date-time")
    for tag in ("title", "subtitle", "summary", "rights"):
        for text in element.findall(NS + tag):
            if text.get("type", "text") not in TEXT_TYPES:
                problems.append(f"{where}: atom:{tag} has type {text.get('type')!r}")
    alternates: set[tuple[str | None, str | None]] = set()
    for link in element.findall(NS + "link"):
        if not link.get("href"):
            problems.append(f"{where}: atom:link without href")
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links of type {key[0]} and hreflang {key[1]}")
            alternates.add(key)
    for person in element.findall(NS + "author"):
        if _count(person, "name") != 1:
            problems.append(f"{where}: an atom:author needs exactly one atom:name")
    for category in element.findall(NS + "category"):
        if not category.get("term"):
            problems.append(f"{where}: atom:category without term")


def atom_problems(document: bytes) -> list[str]:
    """What in this document breaks a MUST of RFC 4287; empty for a valid feed."""
    root = ET.fromstring(document)
    if root.tag != NS + "feed":
        return [f"the root element is {root.tag}, not atom:feed"]
    problems: list[str] = []
    _check_children(
        "feed",
        root,
        FEED_CHILDREN,
        ("id", "title", "updated"),
        ("generator", "icon", "logo", "rights", "subtitle"),
        problems,
    )
    _check_common("feed", root, problems)
    feed_has_author = _count(root, "author") > 0
    seen: set[str] = set()
    for n, entry in enumerate(root.findall(NS + "entry"), 1):
        where = f"entry {n}"
        _check_children(
            where,
            entry,
            ENTRY_CHILDREN,
            ("id", "title", "updated"),
            ("content", "published", "rights", "source", "summary"),
            problems,
        )
        _check_common(where, entry, problems)
        if not feed_has_author and _count(entry, "author") == 0:
            problems.append(f"{where}: no atom:author, and the feed has none")
        if _count(entry, "content") == 0 and not any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(NS + "link")
        ):
            problems.append(f"{where}: neither atom:content nor an alternate link")
        content = entry.find(NS + "content")
        if content is not None and content.get("src") and _count(entry, "summary") == 0:
            problems.append(f"{where}: atom:content with src needs an atom:summary")
        ident = entry.findtext(NS + "id") or ""
        if ident in seen:
            problems.append(f"{where}: atom:id {ident} repeats an earlier entry's")
        seen.add(ident)
    return problems
