"""Serve real HTML pages from the shared benchmark corpus (gzip files) as one site, for bench/crawl.

Pages live at /p/<n>/ (n from 1), listed by /sitemap.xml (named in robots.txt) and linked from /.
Files are decompressed at request time, so memory stays flat whatever N is.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from newswatch.demo.content import ANCHOR
from newswatch.demo.responses import Page

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[3] / "shared" / "corpus"
PAGE_PATH = re.compile(r"^/p/(\d+)/?$")
LASTMOD = ANCHOR.isoformat()
PARAGRAPH_END = re.compile(rb"</p\s*>", re.IGNORECASE)


@dataclass(eq=False)
class CorpusSite:
    """Real pages at /p/1/ ... /p/N/. When `paths` is shorter than `n_pages` the files repeat.

    With `mark_repeats` (default), the k-th repeat of a file gets " [k]" appended to a paragraph in the
    middle of the page, so a content fingerprint sees each URL as its own article.
    """

    paths: Sequence[Path]
    n_pages: int | None = None
    name: str = "corpus"
    mark_repeats: bool = True
    _paths: list[Path] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._paths = [Path(p) for p in self.paths]
        if not self._paths:
            raise ValueError("CorpusSite needs at least one page")
        self.n_pages = self.n_pages or len(self._paths)

    @classmethod
    def from_manifest(
        cls,
        n_pages: int,
        corpus_dir: Path | None = None,
        name: str = "corpus",
        languages: Sequence[str] | None = None,
    ) -> CorpusSite:
        """N pages from MANIFEST.tsv in its order (optionally only some languages), repeating if needed."""
        folder = corpus_dir or DEFAULT_CORPUS_DIR
        with (folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        files = [folder / r["file"] for r in rows if not languages or r["lang"] in languages]
        return cls(files, n_pages, name)

    def page_path(self, n: int) -> str:
        return f"/p/{n}/"

    def file_for(self, n: int) -> tuple[Path, int]:
        """The file behind page n (1-based) and how many times it was served before (0 = first copy)."""
        i = n - 1
        return self._paths[i % len(self._paths)], i // len(self._paths)

    def html(self, n: int) -> bytes:
        path, repeat = self.file_for(n)
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        if repeat and self.mark_repeats:
            raw = _mark(raw, repeat)
        return raw

    def respond(self, path: str, query: str, base: str) -> Page | None:
        match = PAGE_PATH.match(path)
        if match:
            n = int(match.group(1))
            if not 1 <= n <= (self.n_pages or 0):
                return None
            # Sent as is: on loopback, gzip would only move CPU time from the crawl to this server.
            return Page(self.html(n), "text/html", last_modified=ANCHOR, compress=False)
        if path == "/robots.txt":
            text = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
            return Page(text.encode(), "text/plain; charset=utf-8", last_modified=ANCHOR)
        if path == "/sitemap.xml":
            return Page(self._sitemap(base), "application/xml; charset=utf-8", last_modified=ANCHOR)
        if path in ("/", "/index.html"):
            return Page(self._index(), "text/html; charset=utf-8", last_modified=ANCHOR)
        return None

    def _sitemap(self, base: str) -> bytes:
        urls = "".join(
            f"<url><loc>{escape(base)}/p/{n}/</loc><lastmod>{LASTMOD}</lastmod></url>\n"
            for n in range(1, (self.n_pages or 0) + 1)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n"
        ).encode()

    def _index(self) -> bytes:
        links = "".join(
            f'<li><a href="/p/{n}/">Page {n}</a></li>\n' for n in range(1, (self.n_pages or 0) + 1)
        )
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Corpus</title></head>'
            f"<body><h1>Corpus</h1><ul>\n{links}</ul></body></html>\n"
        ).encode()


def _mark(raw: bytes, repeat: int) -> bytes:
    ends = [m.start() for m in PARAGRAPH_END.finditer(raw)]
    marker = f" [{repeat}]".encode()
    if not ends:
        return raw.replace(b"</body>", b"<p>" + marker + b"</p></body>", 1)
    at = ends[len(ends) // 2]
    return raw[:at] + marker + raw[at:]
