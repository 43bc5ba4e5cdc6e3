"""Jinja2 rendering of demo site pages and XML documents (HTML looks live in templates/<look>/)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from newswatch.demo import phrases as P
from newswatch.demo.content import Article, french_date, slugify
from newswatch.demo.sites import FEED_SIZE, HOME_SIZE, NewsSite


@dataclass(frozen=True)
class Comment:
    name: str
    date: datetime
    text: str


@dataclass(frozen=True)
class FeedItem:
    title: str
    path: str
    guid: str
    author: str
    published: datetime
    dek: str
    section: str = ""
    permalink: bool = False


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newswatch.demo", "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["french_date"] = french_date
    env.filters["rfc822"] = format_datetime
    env.filters["inline_link"] = inline_link
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def sections(site: NewsSite) -> list[tuple[str, str]]:
    labels = sorted(set(P.SECTIONS.values()) | {a.section for a in site.latest(50)})
    return [(slugify(label), label) for label in labels]


def inline_link(paragraph: str, href: str, start: int = 3, length: int = 4) -> Markup:
    """The paragraph with a few of its words made a link, as reporters link a source mid-sentence.

    The text is unchanged: an extractor must keep such a paragraph whole.
    """
    words = paragraph.split(" ")
    if len(words) < start + length + 1:
        return escape(paragraph)
    before, linked, after = words[:start], words[start : start + length], words[start + length :]
    return Markup('{} <a href="{}">{}</a> {}').format(
        " ".join(before), href, " ".join(linked), " ".join(after)
    )


def _common(site: NewsSite, base: str) -> dict[str, Any]:
    return {
        "site": site, "base": base, "sections": sections(site), "layout": f"{site.template}/layout.html",
        "cookie_text": P.COOKIE_TEXT, "newsletter_text": P.NEWSLETTER_TEXT, "paywall_text": P.PAYWALL_TEXT,
        "recent": site.latest(5), "tag_cloud": tag_cloud(site), "charset": "utf-8", "lang": "fr",
    }  # fmt: skip


def tag_cloud(site: NewsSite) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for article in site.latest(50):
        for tag in article.tags:
            counts[tag] = counts.get(tag, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    most = top[0][1] if top else 1
    return sorted((tag, 8 + 14 * n // most) for tag, n in top)


def comments_for(article: Article, seed: int) -> list[Comment]:
    rng = random.Random(f"comments:{seed}:{article.index}")
    texts = rng.sample(P.COMMENTS, rng.randint(0, 4))
    comments = [
        Comment(
            name=f"{rng.choice(P.FIRST_NAMES)} {rng.choice(P.LAST_NAMES)[0]}.",
            date=article.published + timedelta(hours=rng.randint(1, 72)),
            text=text,
        )
        for text in texts
    ]
    return sorted(comments, key=lambda c: c.date)


def json_ld(site: NewsSite, article: Article, canonical: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "description": article.dek, "datePublished": article.published.isoformat(),
        "dateModified": article.published.isoformat(), "inLanguage": article.language,
        "author": {"@type": "Person", "name": article.author}, "articleSection": article.section,
        "keywords": list(article.tags), "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "publisher": {"@type": "Organization", "name": site.title},
        "isAccessibleForFree": True, "wordCount": article.word_count,
    }  # fmt: skip


def article_html(
    site: NewsSite, article: Article, base: str, canonical: str | None = None, charset: str | None = "utf-8"
) -> str:
    """An article page in the site's look; `charset=None` leaves out the <meta> charset declaration."""
    canonical = canonical or base + article.path
    i = article.index
    ctx = _common(site, base)
    ctx.update(
        article=article,
        canonical=canonical,
        related=site.related(article),
        teasers=site.teasers(article),
        charset=charset,
        lang=article.language,
        comments=comments_for(article, site.seed),
        json_ld=json_ld(site, article, canonical),
        section_slug=slugify(article.section),
        author_slug=slugify(article.author),
        previous=site.articles[i - 1] if 0 < i <= len(site.articles) else None,
        next=site.articles[i + 1] if i + 1 < len(site.articles) else None,
    )
    return render(f"{site.template}/article.html", **ctx)


def home_html(site: NewsSite, base: str) -> str:
    return render(
        "home.html",
        articles=site.latest(HOME_SIZE),
        syndicated=site.syndicated_article,
        syndicated_path=site.syndicated_path,
        **_common(site, base),
    )


def listing_html(site: NewsSite, base: str, page: int) -> str:
    items = [(a, site.link_variant(a)) for a in site.listing(page)]
    extra = site.fault_links() if page == 1 else []
    return render(
        "listing.html",
        heading="Actualités",
        items=items,
        page=page,
        pages=site.listing_pages(),
        path=site.listing_path(page),
        extra_links=extra,
        **_common(site, base),
    )


def filtered_listing_html(site: NewsSite, base: str, path: str, heading: str, articles: list[Article]) -> str:
    items = [(a, a.path) for a in articles[: site.per_page]]
    return render(
        "listing.html",
        heading=heading,
        items=items,
        page=1,
        pages=1,
        path=path,
        extra_links=[],
        **_common(site, base),
    )


def static_html(
    site: NewsSite,
    base: str,
    path: str,
    heading: str,
    paragraphs: list[str],
    links: list[tuple[str, str]] | None = None,
    noindex: bool = False,
) -> str:
    return render(
        "page.html",
        heading=heading,
        paragraphs=paragraphs,
        links=links or [],
        path=path,
        noindex=noindex,
        **_common(site, base),
    )


def feed_items(site: NewsSite, base: str, extra: list[FeedItem] | None = None) -> list[FeedItem]:
    items = [
        FeedItem(
            title=a.title,
            path=a.path,
            guid=f"{base}/?p={a.index + 100}",
            author=a.author,
            published=a.published,
            dek=a.dek,
            section=a.section,
        )
        for a in site.latest(FEED_SIZE)
    ]
    return (extra or []) + items


def rss_xml(site: NewsSite, base: str, items: list[FeedItem], updated: datetime) -> str:
    return render("xml/rss.xml", site=site, base=base, items=items, updated=updated)


def atom_xml(site: NewsSite, base: str, items: list[FeedItem], updated: datetime) -> str:
    return render("xml/atom.xml", site=site, base=base, items=items, updated=updated)
