"""Misbehaving endpoints under /_faults/ on every demo news site, for the fault and robustness tests.

Each path names its fault; anything after the fault's own segments is ignored, so a fault can sit at
an article-looking URL (/_faults/pdf/2025/05/19/rapport-annuel/). Counters are per server, per path
with its query, so /_faults/status/503?times=1&k=a and ...&k=b fail independently.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from newswatch.demo import render as R
from newswatch.demo.content import Article, make_article
from newswatch.demo.responses import HTML_UTF8, Page
from newswatch.demo.sites import NewsSite

PREFIX = "/_faults/"
XSS_TITLE = (
    "<script>alert(1)</script> Les <b>licornes</b> & l'IA : « tout va bien » <img src=x onerror=alert(2)>"
)
HUGE_ARTICLE_WORDS = 100_000
BIG_FEED_ITEMS = 5000
MAX_BIG_MB = 64
# Linked from listing page 1 and the RSS feed of a NewsSite(faults=True): the quick, article-looking ones.
DEFAULT_LINKED_FAULTS = (
    "/_faults/status/503/2025/05/19/reprise-apres-incident/?times=1",
    "/_faults/status/404/2025/05/19/article-supprime/",
    "/_faults/status/500/2025/05/19/erreur-serveur/",
    "/_faults/pdf/2025/05/19/rapport-annuel-choose-france/",
    "/_faults/image/2025/05/19/infographie-investissements/",
    "/_faults/truncated/2025/05/19/article-tronque/",
    "/_faults/latin1-nocharset/2025/05/19/article-sans-charset/",
    "/_faults/xss-title/2025/05/19/titre-piege/",
    "/_faults/gzip/2025/05/19/article-compresse-gzip/",
    "/_faults/deflate/2025/05/19/article-compresse-deflate/",
    "/_faults/redirect-loop/2025/05/19/boucle-de-redirection/",
)
REASONS = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout", 404: "Not Found", 403: "Forbidden", 410: "Gone"}  # fmt: skip

# Counts one more request for a key and returns how many there have been, this one included.
Counter = Callable[[str], int]


def fault_article(site: NewsSite, key: str, title: str | None = None, words: int | None = None) -> Article:
    """A proper article that exists only at a fault URL, dated like the site's newest article."""
    index = 1_000_000 + zlib.crc32(key.encode()) % 1_000_000
    article = make_article(index, site.seed, anchor_index=index, languages=("fr",), target_words=words)
    return replace(article, published=site.last_modified, title=title or article.title)


def _article_page(site: NewsSite, base: str, url_path: str, key: str, **kw: object) -> Page:
    article = fault_article(site, key, **kw)  # type: ignore[arg-type]
    return Page.html(
        R.article_html(site, article, base, canonical=base + url_path), last_modified=article.published
    )


def respond(site: NewsSite, path: str, query: str, base: str, count: Counter) -> Page | None:
    """The fault page at `path` (which starts with /_faults/), or None when there is no such fault."""
    parts = [p for p in path[len(PREFIX) :].split("/") if p]
    if not parts:
        return _index(site, base)
    kind, args = parts[0], parts[1:]
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    url_path = path + (f"?{query}" if query else "")
    key = f"{site.name}:{url_path}"
    if kind == "status" and args and args[0].isdigit():
        return _status(site, base, url_path, key, int(args[0]), params, count)
    if kind == "slow":
        page = _article_page(site, base, url_path, key)
        page.action, page.sleep_seconds, page.conditional = "sleep", float(params.get("seconds", "30")), False
        return page
    if kind in ("drop", "partial"):
        page = _article_page(site, base, url_path, key)
        page.action, page.conditional, page.compress = kind, False, False
        return page
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple(site, base, url_path, key, params)
    return None


def _index(site: NewsSite, base: str) -> Page:
    links = [(href, href) for href in DEFAULT_LINKED_FAULTS] + [
        (f"{PREFIX}{name}", f"{PREFIX}{name}")
        for name in (
            "slow?seconds=2",
            "drop",
            "partial",
            "big?mb=10",
            "huge-article/",
            "bad-rss.xml",
            "bad-atom.xml",
            "bad-sitemap.xml",
            "feed-5000.xml",
        )
    ]
    html = R.static_html(
        site, base, PREFIX, "Chemins de panne", ["Pages qui se comportent mal, pour les tests."], links
    )
    return Page.html(html)


def _status(
    site: NewsSite, base: str, url_path: str, key: str, code: int, params: dict[str, str], count: Counter
) -> Page:
    times = int(params["times"]) if "times" in params else None
    n = count(key)
    if times is not None and n > times:
        return _article_page(site, base, url_path, key)
    body = (
        f'<!DOCTYPE html><html lang="fr"><head><title>{code} {REASONS.get(code, "Erreur")}</title></head>'
        f"<body><h1>Erreur {code}</h1><p>Le service est momentanément indisponible.</p></body></html>"
    )
    headers = {"Retry-After": params["retry_after"]} if "retry_after" in params else {}
    return Page(body.encode(), HTML_UTF8, code, headers, conditional=False)


def _pdf(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    return Page(PDF_BYTES, "application/pdf", conditional=False, compress=False)


def _image(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    return Page(PNG_BYTES, "image/png", conditional=False, compress=False)


def _redirect_loop(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    path = url_path.split("?", 1)[0]
    hop = 1 - int(params.get("hop", "0") == "1")
    return Page.redirect(f"{path}?hop={hop}", status=302)


def _truncated(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    html = R.article_html(site, fault_article(site, key), base, canonical=base + url_path)
    cut = html.find("<a ", len(html) // 2)
    cut = cut + 5 if cut > 0 else len(html) // 2
    return Page(html[:cut].encode(), HTML_UTF8, conditional=False)


def _latin1(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    html = R.article_html(site, fault_article(site, key), base, canonical=base + url_path, charset=None)
    return Page(html.encode("latin-1", "xmlcharrefreplace"), "text/html", conditional=False)


def _compressed(encoding: str) -> Callable[..., Page]:
    def fault(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
        body = _article_page(site, base, url_path, key).body
        packed = gzip.compress(body, mtime=0) if encoding == "gzip" else zlib.compress(body)
        return Page(packed, HTML_UTF8, encoding=encoding, conditional=False)

    return fault


def _xss(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    return _article_page(site, base, url_path, key, title=XSS_TITLE)


def _huge(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    return Page(_huge_body(site, base, url_path), HTML_UTF8, conditional=False)


def _big(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    mb = min(float(params.get("mb", "10")), MAX_BIG_MB)
    return Page(_big_body(site.seed, mb), HTML_UTF8, conditional=False, compress=False)


@lru_cache(maxsize=4)
def _huge_body(site: NewsSite, base: str, url_path: str) -> bytes:
    article = fault_article(site, "huge", words=HUGE_ARTICLE_WORDS)
    return R.article_html(site, article, base, canonical=base + url_path).encode()


@lru_cache(maxsize=2)
def _big_body(seed: int, mb: float) -> bytes:
    paragraph = ("<p>" + " ".join(make_article(7, seed).paragraphs) + "</p>\n").encode()
    head = b'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Archives completes</title></head><body>\n'
    repeats = int(mb * 1_000_000) // len(paragraph) + 1
    return head + paragraph * repeats + b"</body></html>\n"


def _bad_feed_links(site: NewsSite, base: str) -> list[tuple[str, str]]:
    return [(escape(a.title), base + a.path) for a in site.latest(3)]


def _bad_rss(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    (t1, l1), (t2, l2), *_ = _bad_feed_links(site, base) + [("", "")] * 2
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Flux & cassé</title>\n'
        f"<item><title>{t1}</title><link>{l1}</link></item>\n"
        f"<item><title>Entité inconnue &eacute;</title><link>{l2}</link>\n<item><title>{t2}"
    )
    return Page(text.encode(), "application/rss+xml; charset=utf-8", conditional=False)


def _bad_atom(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    (t1, l1), *_ = _bad_feed_links(site, base) + [("", "")]
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom cassé</title>\n'
        f'<entry><title>{t1}</title><link href="{l1}"/><updated>pas une date</updated></entry>\n'
        f'<entry><title>Balise non fermée<link href="{l1}"/></entry></feed>'
    )
    return Page(text.encode(), "application/atom+xml; charset=utf-8", conditional=False)


def _bad_sitemap(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    links = [link for _, link in _bad_feed_links(site, base)]
    urls = "".join(f"<url><loc>{link}</loc></url>\n" for link in links)
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}<url><loc>{base}/?a=1&b=2</loc></url>\n<url><loc>{base}/incomplet/"
    )
    return Page(text.encode(), "application/xml; charset=utf-8", conditional=False)


def _feed_5000(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    return Page(_feed_5000_body(site, base), "application/rss+xml; charset=utf-8")


@lru_cache(maxsize=2)
def _feed_5000_body(site: NewsSite, base: str) -> bytes:
    newest = site.last_modified
    items = [
        R.FeedItem(
            title=f"Brève n°{n}",
            path=f"{PREFIX}item/{n}/",
            guid=f"{base}{PREFIX}item/{n}/",
            author="La rédaction",
            published=newest,
            dek="Une brève de la rédaction.",
        )
        for n in range(1, BIG_FEED_ITEMS + 1)
    ]
    return R.rss_xml(site, base, items, newest).encode()


def _item(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    return _article_page(site, base, url_path, key)


def _copies(site: NewsSite, base: str, url_path: str, key: str, params: dict[str, str]) -> Page:
    # Every /_faults/copies/<n>/ serves the same article, each declaring its own URL canonical.
    return _article_page(site, base, url_path, f"{site.name}:copies")


_SIMPLE: dict[str, Callable[[NewsSite, str, str, str, dict[str, str]], Page]] = {
    "pdf": _pdf, "image": _image, "redirect-loop": _redirect_loop, "truncated": _truncated,
    "latin1-nocharset": _latin1, "gzip": _compressed("gzip"), "deflate": _compressed("deflate"),
    "xss-title": _xss, "huge-article": _huge, "big": _big, "bad-rss.xml": _bad_rss, "bad-atom.xml": _bad_atom,
    "bad-sitemap.xml": _bad_sitemap, "feed-5000.xml": _feed_5000, "item": _item, "copies": _copies,
}  # fmt: skip


def _png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x99\x00"))
        + chunk(b"IEND", b"")
    )


PNG_BYTES = _png_1x1()
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
    b"4 0 obj << /Length 52 >> stream\nBT /F1 18 Tf 72 760 Td (Rapport annuel 2025) Tj ET\nendstream endobj\n"
    b"5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
