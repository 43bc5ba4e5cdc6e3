"""What a demo site answers to one request, before the server adds ETag, gzip and the like."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

HTML_UTF8 = "text/html; charset=utf-8"


@dataclass
class Page:
    """One response. `action` asks the server to misbehave: "drop", "partial" or "sleep"."""

    body: bytes
    content_type: str = HTML_UTF8
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    # ETag / If-None-Match / If-Modified-Since handling, and gzip when the client accepts it.
    conditional: bool = True
    compress: bool = True
    # Body already compressed with this Content-Encoding (the gzip / deflate fault paths).
    encoding: str | None = None
    action: str | None = None
    sleep_seconds: float = 0.0

    @classmethod
    def html(cls, text: str, status: int = 200, last_modified: datetime | None = None) -> Page:
        return cls(
            text.encode("utf-8"), HTML_UTF8, status, last_modified=last_modified, conditional=status == 200
        )

    @classmethod
    def xml(cls, text: str, content_type: str, last_modified: datetime | None = None) -> Page:
        return cls(text.encode("utf-8"), f"{content_type}; charset=utf-8", last_modified=last_modified)

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> Page:
        return cls(b"", "text/plain; charset=utf-8", status, {"Location": location}, conditional=False)
