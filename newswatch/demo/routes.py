"""URL dispatch for a `NewsSite`: path -> `Page`, or None for "not found"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from newswatch.demo import render as R
from newswatch.demo.content import ANCHOR, slugify
from newswatch.demo.responses import Page
from newswatch.demo.sites import NEWS_SITEMAP_SIZE, NewsSite

ARTICLE_PATH = re.compile(r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?$")
LISTING_PAGE = re.compile(r"^/actualites/page/(\d+)/?$")
MONTH_SITEMAP = re.compile(r"^/sitemap-(\d{4}-\d{2})\.xml$")
SECTION_PATH = re.compile(r"^/rubrique/([a-z0-9-]+)/?$")
AUTHOR_PATH = re.compile(r"^/auteur/([a-z0-9-]+)/?$")
PARTNER_PATH = re.compile(r"^/partenaires/([a-z0-9-]+)/?$")
RSS = "application/rss+xml"
ATOM = "application/atom+xml"
XML = "application/xml"

ABOUT_TEXT = [
    "Fondée par une équipe de journalistes économiques, notre rédaction suit chaque jour l'actualité des "
    "startups, de l'industrie et du numérique en France.",
    "Nous publions des informations vérifiées, des entretiens et des analyses. Pour nous écrire : "
    "redaction@exemple.invalid.",
    "Mentions légales : directeur de la publication, hébergeur et conditions d'utilisation sont détaillés "
    "ci-dessous. Cookies : vous pouvez modifier vos choix à tout moment.",
]
PRIVATE_TEXT = [
    "Espace réservé aux abonnés : vos dossiers enregistrés, vos alertes et vos factures.",
    "Cette page ne doit pas être explorée par les robots.",
]


def robots_txt(base: str) -> str:
    return (
        "# Robots du site de démonstration newswatch\n"
        "User-agent: *\n"
        "Disallow: /prive/\n"
        "Disallow: /commentaires/\n"
        "Allow: /\n\n"
        f"Sitemap: {base}/sitemap_index.xml\n"
    )


def respond(site: NewsSite, path: str, base: str) -> Page | None:
    """The page at `path` (query string already removed) on `site`, seen from `base` (http://host:port)."""
    handler = _EXACT.get(path)
    if handler is not None:
        return handler(site, base)
    if ARTICLE_PATH.match(path):
        return article_page(site, path, base)
    for pattern, dynamic in _PATTERNS:
        match = pattern.match(path)
        if match:
            return dynamic(site, base, match.group(1))
    return None


def not_found(site: NewsSite, base: str, path: str) -> Page:
    html = R.static_html(
        site,
        base,
        path,
        "Page introuvable",
        ["La page demandée n'existe pas ou a été déplacée."],
        [("/", "Retour à l'accueil")],
    )
    return Page.html(html, status=404)


def article_page(site: NewsSite, path: str, base: str) -> Page | None:
    article = site.article_at(path)
    if article is None:
        return None
    if article is site.latin1_article:
        html = R.article_html(site, article, base, charset="iso-8859-1")
        return Page(
            html.encode("latin-1", "xmlcharrefreplace"),
            "text/html; charset=iso-8859-1",
            last_modified=article.published,
        )
    if article is site.nocharset_article:
        html = R.article_html(site, article, base, charset=None)
        return Page(html.encode("latin-1", "xmlcharrefreplace"), "text/html", last_modified=article.published)
    return Page.html(R.article_html(site, article, base), last_modified=article.published)


def _home(site: NewsSite, base: str) -> Page:
    return Page.html(R.home_html(site, base), last_modified=site.last_modified)


def _listing(site: NewsSite, base: str, page: str | int = 1) -> Page | None:
    number = int(page)
    if not 1 <= number <= site.listing_pages():
        return None
    return Page.html(R.listing_html(site, base, number), last_modified=site.last_modified)


def _fault_feed_items(site: NewsSite, base: str) -> list[R.FeedItem]:
    newest = site.last_modified
    return [
        R.FeedItem(
            title=f"Dossier spécial n°{i + 1}",
            path=href,
            guid=base + href,
            author="La rédaction",
            published=newest,
            dek="Un dossier de la rédaction.",
        )
        for i, href in enumerate(site.fault_links())
    ]


def _rss(site: NewsSite, base: str) -> Page:
    items = R.feed_items(site, base, _fault_feed_items(site, base))
    return Page.xml(R.rss_xml(site, base, items, site.last_modified), RSS, site.last_modified)


def _atom(site: NewsSite, base: str) -> Page:
    items = R.feed_items(site, base)
    return Page.xml(R.atom_xml(site, base, items, site.last_modified), ATOM, site.last_modified)


def _robots(site: NewsSite, base: str) -> Page:
    return Page(robots_txt(base).encode(), "text/plain; charset=utf-8", last_modified=ANCHOR)


def _sitemap_index(site: NewsSite, base: str) -> Page:
    sitemaps: list[tuple[str, datetime]] = [
        ("/news-sitemap.xml", site.last_modified),
        ("/page-sitemap.xml", ANCHOR),
    ]
    for month in site.months():
        sitemaps.append((f"/sitemap-{month}.xml", site.articles_in_month(month)[0].published))
    return Page.xml(R.render("xml/sitemap_index.xml", base=base, sitemaps=sitemaps), XML, site.last_modified)


def _month_sitemap(site: NewsSite, base: str, month: str) -> Page | None:
    articles = site.articles_in_month(month)
    if not articles:
        return None
    urls: list[tuple[str, datetime | None]] = [(a.path, a.published) for a in articles]
    syndicated = site.syndicated_article
    if syndicated is not None and syndicated in articles:
        urls.append((site.syndicated_path or "", syndicated.published))
    return Page.xml(R.render("xml/sitemap.xml", base=base, urls=urls), XML, articles[0].published)


def _news_sitemap(site: NewsSite, base: str) -> Page:
    text = R.render("xml/news_sitemap.xml", site=site, base=base, articles=site.latest(NEWS_SITEMAP_SIZE))
    return Page.xml(text, XML, site.last_modified)


def _page_sitemap(site: NewsSite, base: str) -> Page:
    urls = [("/", site.last_modified), ("/a-propos/", ANCHOR), ("/actualites/", site.last_modified)]
    return Page.xml(R.render("xml/sitemap.xml", base=base, urls=urls), XML, site.last_modified)


def _about(site: NewsSite, base: str) -> Page:
    return Page.html(
        R.static_html(site, base, "/a-propos/", "À propos de la rédaction", ABOUT_TEXT), last_modified=ANCHOR
    )


def _private(site: NewsSite, base: str) -> Page:
    html = R.static_html(
        site,
        base,
        "/prive/",
        "Espace abonnés",
        PRIVATE_TEXT,
        [("/prive/dossiers/", "Mes dossiers")],
        noindex=True,
    )
    return Page.html(html, last_modified=ANCHOR)


def _section(site: NewsSite, base: str, slug: str) -> Page | None:
    articles = [a for a in site.newest_first if slugify(a.section) == slug]
    if not articles:
        return None
    label = articles[0].section
    html = R.filtered_listing_html(site, base, f"/rubrique/{slug}/", label, articles)
    return Page.html(html, last_modified=articles[0].published)


def _author(site: NewsSite, base: str, slug: str) -> Page | None:
    articles = [a for a in site.newest_first if slugify(a.author) == slug]
    if not articles:
        return None
    html = R.filtered_listing_html(
        site, base, f"/auteur/{slug}/", f"Articles de {articles[0].author}", articles
    )
    return Page.html(html, last_modified=articles[0].published)


def _partner(site: NewsSite, base: str, slug: str) -> Page | None:
    article = site.syndicated_article
    if article is None or article.slug != slug:
        return None
    # The partner copy declares itself canonical: only the body says it is the same article.
    html = R.article_html(site, article, base, canonical=f"{base}/partenaires/{slug}/")
    return Page.html(html, last_modified=article.published)


_EXACT: dict[str, Callable[[NewsSite, str], Page | None]] = {
    "/": _home, "/index.html": _home, "/actualites/": _listing, "/actualites": _listing,
    "/feed/": _rss, "/feed": _rss, "/atom.xml": _atom, "/robots.txt": _robots,
    "/sitemap_index.xml": _sitemap_index, "/sitemap.xml": _sitemap_index, "/news-sitemap.xml": _news_sitemap,
    "/page-sitemap.xml": _page_sitemap, "/a-propos/": _about, "/a-propos": _about, "/prive/": _private,
    "/prive/dossiers/": _private,
}  # fmt: skip
_PATTERNS: list[tuple[re.Pattern[str], Callable[[NewsSite, str, str], Page | None]]] = [
    (LISTING_PAGE, _listing), (MONTH_SITEMAP, _month_sitemap), (SECTION_PATH, _section),
    (AUTHOR_PATH, _author), (PARTNER_PATH, _partner),
]  # fmt: skip
