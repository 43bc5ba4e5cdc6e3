"""Every chat format newswatch can post, by the name `webhooks[].format` gives it.

A new format is one module in this folder exposing `FORMAT = ChatFormat(...)`, and one line below.
"""

from __future__ import annotations

from . import ChatFormat, discord, generic_json, googlechat, mattermost, slack, teams

FORMATS: dict[str, ChatFormat] = {fmt.name: fmt for fmt in (
    slack.FORMAT,
    mattermost.FORMAT,
    teams.FORMAT,
    discord.FORMAT,
    googlechat.FORMAT,
    generic_json.FORMAT,
)}


def chat_format(name: str) -> ChatFormat:
    return FORMATS[name]
