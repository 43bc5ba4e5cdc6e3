"""What a demo news site holds and where each thing lives (URLs), without any HTTP or rendering.

A `NewsSite` is a generated set of articles plus the URL scheme of a typical French news site:
home, paginated listing, RSS and Atom feeds, sitemap index with monthly and Google News sitemaps,
robots.txt, an "about" page and a private section that robots.txt forbids.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newswatch.demo.content import Announcement, Article, Teaser, announcements, generate_articles, teasers

TEMPLATES = ("journal", "blog", "trade", "regional", "magazine")
SITE_TITLES = {
    "journal": "Le Quotidien de la Tech",
    "blog": "Startups & Cie",
    "trade": "Industrie Numérique Hebdo",
    "regional": "L'Écho des Territoires",
    "magazine": "Décideurs & Innovation",
}
# Boxes of other headlines the regional and magazine looks put in and around the article, and how
# many headlines each holds.
TEASER_BOXES = {"most_read": 4, "same_topic": 4, "read_also": 1, "sponsored": 4, "headlines": 4}
# Article indexes (oldest = 0) that get special treatment, when the site is big enough to have them.
LATIN1_INDEX = 3  # served as ISO-8859-1, declared in the Content-Type header and a <meta>
NOCHARSET_INDEX = 5  # served as ISO-8859-1 with no charset declared anywhere
SYNDICATED_INDEX = 7  # also served at /partenaires/<slug>/, whose canonical points to itself
FEED_SIZE = 50
NEWS_SITEMAP_SIZE = 30
HOME_SIZE = 12
# Listing links sometimes carry these, as share buttons and social networks add them.
TRACKING_SUFFIXES = (
    "?utm_source=twitter&utm_medium=social",
    "?fbclid=IwAR0demo{index}x",
    "#comments",
    "?utm_source=newsletter&utm_campaign=matin#comments",
)


@dataclass(eq=False)  # compared and hashed by identity: a site is a running thing, not a value
class NewsSite:
    """A demo news site: its articles and URL scheme. Grows with `add_articles` between crawls."""

    name: str
    n_articles: int = 40
    template: str = "journal"
    seed: int = 0
    languages: tuple[str, ...] = ("fr",)
    # Fault paths to link from the listing and the feed (tests serve them: tests/servers/faults.py).
    faults: Sequence[str] = ()
    title: str | None = None
    per_page: int = 20
    articles: list[Article] = field(init=False, repr=False)
    version: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        if self.template not in TEMPLATES:
            raise ValueError(f"unknown template {self.template!r}; choose from {', '.join(TEMPLATES)}")
        self.languages = tuple(self.languages)
        self.title = self.title or SITE_TITLES[self.template]
        self._lock = threading.Lock()
        self._slugs: set[str] = set()
        self._set_articles(
            generate_articles(self.n_articles, self.seed, languages=self.languages, taken_slugs=self._slugs)
        )

    # --- content -------------------------------------------------------------------------------
    def _set_articles(self, articles: list[Article]) -> None:
        # Readers (server threads) see either the old or the new snapshot, never a half-built one.
        by_path = {a.path: a for a in articles}
        newest_first = list(reversed(articles))
        by_month: dict[str, list[Article]] = {}
        for article in newest_first:
            by_month.setdefault(f"{article.published:%Y-%m}", []).append(article)
        announced = [a.index for a in articles if a.announcement is not None]
        self._by_month, self._announced = by_month, announced
        self.articles, self._by_path, self._newest_first = articles, by_path, newest_first

    def add_articles(self, k: int) -> list[Article]:
        """Publish k new articles, newer than every existing one; feeds, sitemaps and listings change."""
        with self._lock:
            new = generate_articles(
                k,
                self.seed,
                start=len(self.articles),
                anchor_index=self.n_articles - 1,
                languages=self.languages,
                taken_slugs=self._slugs,
            )
            self._set_articles(self.articles + new)
            self.version += 1
        return new

    @property
    def newest_first(self) -> list[Article]:
        return self._newest_first

    def article_at(self, path: str) -> Article | None:
        """The article at a site path; a missing trailing slash is tolerated, as WordPress does."""
        if not path.endswith("/"):
            path += "/"
        return self._by_path.get(path)

    def latest(self, n: int) -> list[Article]:
        return self._newest_first[:n]

    @property
    def last_modified(self) -> datetime:
        return self.articles[-1].published

    def ground_truth(self) -> dict[str, Announcement]:
        """Article path -> the Choose France announcement it carries (only those that carry one)."""
        return announcements(self.articles)

    def special(self, index: int) -> Article | None:
        return self.articles[index] if index < len(self.articles) else None

    @property
    def latin1_article(self) -> Article | None:
        return self.special(LATIN1_INDEX)

    @property
    def nocharset_article(self) -> Article | None:
        return self.special(NOCHARSET_INDEX)

    @property
    def syndicated_article(self) -> Article | None:
        return self.special(SYNDICATED_INDEX)

    @property
    def syndicated_path(self) -> str | None:
        article = self.syndicated_article
        return f"/partenaires/{article.slug}/" if article else None

    def related(self, article: Article, k: int = 4) -> list[Article]:
        """Other articles for "À lire aussi": neighbours in time plus the nearest investment announcement."""
        i = article.index
        picks = [a for a in self.articles[max(0, i - 2) : i + 3] if a.index != i]
        at = bisect.bisect_left(self._announced, i)
        candidates = [
            j for j in self._announced[max(0, at - 1) : at + 2] if j != i and j < len(self.articles)
        ]
        nearest = self.articles[min(candidates, key=lambda j: abs(j - i))] if candidates else None
        if nearest is not None and nearest not in picks:
            picks.insert(0, nearest)
        return picks[:k]

    def teasers(self, article: Article) -> dict[str, list[Teaser]]:
        """Box name -> the headlines it shows beside `article` (see TEASER_BOXES), in the article's language."""
        return {
            box: teasers(self.seed, f"{box}:{article.index}", k, article.published, article.language)
            for box, k in TEASER_BOXES.items()
        }

    # --- URLs ----------------------------------------------------------------------------------
    def listing_pages(self) -> int:
        return max(1, -(-len(self.articles) // self.per_page))

    def listing_path(self, page: int) -> str:
        return "/actualites/" if page == 1 else f"/actualites/page/{page}/"

    def listing(self, page: int) -> list[Article]:
        start = (page - 1) * self.per_page
        return self._newest_first[start : start + self.per_page]

    def link_variant(self, article: Article) -> str:
        """The href a listing uses for an article: sometimes with tracking parameters, a fragment or no slash."""
        i = article.index
        if i % 6 == 1:
            return article.path + TRACKING_SUFFIXES[(i // 6) % len(TRACKING_SUFFIXES)].format(index=i)
        if i % 9 == 4:
            return article.path.rstrip("/")
        return article.path

    def months(self) -> list[str]:
        """Months with articles, newest first, as "2024-05"."""
        return sorted(self._by_month, reverse=True)

    def articles_in_month(self, month: str) -> list[Article]:
        return self._by_month.get(month, [])

    def fault_links(self) -> list[str]:
        """Fault paths linked from page 1 of the listing and from the RSS feed (served by a test's fault server)."""
        return list(self.faults)
