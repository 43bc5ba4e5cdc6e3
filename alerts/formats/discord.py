"""Discord webhooks: Markdown content of at most 2000 characters, mentions switched off."""

from __future__ import annotations

import re

from ..i18n import labels
from ..view import AnnouncementView
from . import Markup, Payload, announcement_lines, title_for
from .mattermost import link_target

MARKDOWN_SPECIAL = re.compile(r"([\\`*_~|\[\]()#<>-])")
MAX_CHARS = 2000


def escape(text: str) -> str:
    # Escaping "<" keeps <@id> and <#channel> from a page inert; allowed_mentions is the second lock.
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("@", "@\u2060")


MARKUP = Markup(escape=escape, bold=lambda t: f"**{t}**", italic=lambda t: f"_{t}_",
                # <...> around the URL stops Discord from unfurling a preview of every source.
                link=lambda url, text: f"[{text}](<{link_target(url)}>)")


def render(views: list[AnnouncementView], lang: str) -> Payload:
    parts = [f"**{escape(title_for(views, lang))}**"]
    for count, view in enumerate(views):
        block = "\n".join(announcement_lines(view, lang, MARKUP, max_sources=3))
        more = escape(labels(lang)["more"].format(n=len(views) - count))
        if sum(len(p) + 2 for p in parts) + len(block) + len(more) > MAX_CHARS:
            if count == 0:
                parts.append(block[: MAX_CHARS - len(parts[0]) - 10].rsplit("\n", 1)[0])
                continue
            parts.append(more)
            break
        parts.append(block)
    # allowed_mentions with no parse list: nobody is pinged, whatever the text says.
    return {"content": "\n\n".join(parts)[:MAX_CHARS], "allowed_mentions": {"parse": []}, "username": "newswatch"}
