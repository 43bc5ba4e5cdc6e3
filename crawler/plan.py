"""What a crawl will fetch for each source, said before it runs (`newswatch check --sources`).

Read from the same objects the spiders use (SourceSpec, the settings' page budget), so the plan
cannot drift from what the crawl does.
"""

from __future__ import annotations

from typing import Any

from crawler.settings import source_settings
from crawler.spiders.base import SourceSpec
from crawler.spiders.sitemaps import robots_url
from newswatch.config import Crawl, SourceConfig
from newswatch.store.urls import in_domains


def source_plan(source: SourceConfig, crawl: Crawl) -> dict[str, Any]:
    """One source's plan as plain data: its entry points, the rule for articles, its limits."""
    spec = SourceSpec.from_settings(source_settings(source))
    entries = {"feeds": list(spec.feeds), "sitemaps": list(spec.sitemaps), "listings": list(spec.listings)}
    return {
        "name": spec.name,
        "enabled": source.enabled,
        "home": spec.home,
        **entries,
        # Only a home page: its declared feeds (else the article links on it) and robots.txt's sitemaps.
        "discovery": {"home": spec.home, "robots": robots_url(spec.home)} if spec.discover else None,
        "allowed_domains": list(spec.allowed_domains),
        # A configured URL off the source's domains is refused by the crawl's scope check.
        "outside_domains": [
            url for urls in entries.values() for url in urls if not in_domains(url, spec.allowed_domains)
        ],
        "article_pattern": source.article_pattern,
        "languages": list(spec.languages),
        "budget": spec.max_pages or crawl.max_pages_per_source,
        "budget_from": "max_pages" if spec.max_pages else "crawl.max_pages_per_source",
        "robots_txt": "obeyed" if crawl.obey_robots else "ignored",
    }


def describe_plan(plan: dict[str, Any]) -> list[str]:
    """The plan of one source in a few lines for a person."""
    lines = [
        f"{plan['name']}: {plan['home']}"
        + ("" if plan["enabled"] else f" [disabled: crawled only with --source {plan['name']}]")
    ]
    fetches = [f"{kind[:-1]} {url}" for kind in ("feeds", "sitemaps", "listings") for url in plan[kind]]
    if plan["discovery"]:
        fetches = [
            f'discovery: the home page (the feeds it declares with <link rel="alternate">, else the '
            f"article links on it) and {plan['discovery']['robots']} (the sitemaps it names)"
        ]
    lines.extend(f"  fetches:    {line}" for line in fetches)
    lines.extend(f"  REFUSED:    {url} is outside allowed_domains" for url in plan["outside_domains"])
    reads_pages = bool(plan["listings"] or plan["discovery"])
    if plan["article_pattern"]:
        lines.append(f"  articles:   only URLs matching {plan['article_pattern']}")
    elif reads_pages:
        lines.append(
            "  articles:   every feed and sitemap entry; a link on a page when it looks like an article "
            "(a slug of several words, or a numeric id of 5+ digits)"
        )
    else:
        lines.append("  articles:   every feed and sitemap entry")
    lines.append(f"  domains:    {', '.join(plan['allowed_domains'])} (subdomains included)")
    languages = ", ".join(plan["languages"])
    lines.append(
        f"  languages:  {languages} (articles in other languages are not kept)"
        if languages
        else "  languages:  every language"
    )
    lines.append(
        f"  budget:     {plan['budget']} pages a run ({plan['budget_from']}); robots.txt {plan['robots_txt']}"
    )
    return lines
