"""Every chat format newswatch can post, by the name `webhooks[].format` gives it.

A new format is one module in this folder exposing `FORMAT = ChatFormat(...)`, and one import line
below: the imports are the registration (every ChatFormat this module holds is a format).
"""

from __future__ import annotations

from . import ChatFormat
from .discord import FORMAT as DISCORD
from .generic_json import FORMAT as GENERIC_JSON
from .googlechat import FORMAT as GOOGLECHAT
from .mattermost import FORMAT as MATTERMOST
from .slack import FORMAT as SLACK
from .teams import FORMAT as TEAMS

FORMATS: dict[str, ChatFormat] = dict(
    sorted((fmt.name, fmt) for fmt in list(globals().values()) if isinstance(fmt, ChatFormat))
)


def chat_format(name: str) -> ChatFormat:
    return FORMATS[name]
