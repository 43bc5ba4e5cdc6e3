"""Seeded generation of French tech/business articles for the demo sites, with their ground truth.

Article i of a seed is always the same, so a site grown with `add_articles` matches one generated
at full size. About one article in eight is a Choose France investment announcement; its facts are
kept in `Article.announcement` so tests can compare what the detector found with what was written.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from newswatch.demo import phrases as P

PARIS = ZoneInfo("Europe/Paris")
# The newest article of a freshly generated site is published at about this moment (Choose France 2025).
ANCHOR = datetime(2025, 5, 19, 9, 0, tzinfo=PARIS)
STEP = timedelta(hours=5)
INVESTMENT_SHARE = 0.12
CATEGORY_WEIGHTS = (("levee", 25), ("lancement", 15), ("nomination", 10), ("regulation", 10),
                    ("resultats", 13), ("industrie", 15))  # fmt: skip
INVESTMENT_AMOUNTS = (45e6, 80e6, 120e6, 150e6, 300e6, 450e6, 500e6, 750e6, 850e6,
                      1e9, 1.2e9, 1.5e9, 2e9, 3.5e9, 4e9)  # fmt: skip
JOB_COUNTS = (150, 250, 400, 600, 800, 1200, 1500, 2000, 3000)
FEMALE_NAMES = frozenset(
    {
        "Camille",
        "Sophie",
        "Claire",
        "Léa",
        "Inès",
        "Élodie",
        "Nathalie",
        "Amélie",
        "Chloé",
        "Isabelle",
        "Aurélie",
        "Manon",
    }
)
ROLES_BY_GENDER = {
    "": ("directeur général", "président", "cofondateur", "directeur financier", "responsable France"),
    "e": ("directrice générale", "présidente", "cofondatrice", "directrice financière", "responsable France"),
}
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Announcement:
    """What a Choose France article announces, as written into its text."""

    investor: str
    country: str
    amount_eur: float
    amount_text: str
    jobs: int | None
    jobs_text: str | None
    location: str
    region: str
    sector: str
    edition: int


@dataclass(frozen=True)
class Article:
    index: int
    slug: str
    title: str
    dek: str
    paragraphs: tuple[str, ...]
    author: str
    published: datetime
    section: str
    tags: tuple[str, ...]
    category: str
    language: str = "fr"
    announcement: Announcement | None = None

    @property
    def path(self) -> str:
        """Site-relative URL, WordPress style: /2024/05/13/<slug>/."""
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass
class _Ctx:
    rng: random.Random
    values: dict[str, str] = field(default_factory=dict)

    def fill(self, template: str) -> str:
        return template.format_map(self.values)


def slugify(text: str, max_words: int = 9) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in _NON_SLUG.split(ascii_text) if w]
    return "-".join(words[:max_words]) or "article"


def french_number(value: float) -> str:
    """1.2 -> "1,2"; 3000 -> "3 000"."""
    if value == int(value):
        return f"{int(value):,}".replace(",", " ")
    return f"{value:.1f}".replace(".", ",")


def format_amount(eur: float, rng: random.Random) -> str:
    """A French way of writing an amount in euros, picked at random among the usual ones."""
    if eur >= 1e9:
        n = eur / 1e9
        word = "milliards" if n >= 2 else "milliard"
        return rng.choice(
            (
                f"{french_number(n)} {word} d'euros",
                f"{french_number(n)} Md€",
                f"{french_number(n)} {word} d'euros",
            )
        )
    n = eur / 1e6
    return rng.choice(
        (
            f"{french_number(n)} millions d'euros",
            f"{french_number(n)} M€",
            f"{french_number(n)} millions €",
            f"{french_number(n)} millions d'euros",
        )
    )


def format_jobs(jobs: int, rng: random.Random) -> str:
    number = french_number(jobs)
    if rng.random() < 0.2:
        number = number.replace(" ", "\u00a0")  # some newsrooms type a no-break space
    return f"{number} emplois"


def at_location(loc: str) -> str:
    if loc.startswith("la "):
        return "en " + loc[3:]
    if loc.startswith("Le "):
        return "au " + loc[3:]
    return "à " + loc


def of_location(loc: str) -> str:
    if loc.startswith("Le "):
        return "du " + loc[3:]
    return "de " + loc


def site_authors(seed: int, count: int = 6) -> list[str]:
    rng = random.Random(f"authors:{seed}")
    return [f"{rng.choice(P.FIRST_NAMES)} {rng.choice(P.LAST_NAMES)}" for _ in range(count)]


def published_at(index: int, anchor_index: int, rng: random.Random) -> datetime:
    """Article anchor_index is published near ANCHOR; earlier ones every STEP before, later ones after."""
    minutes = rng.randint(0, 200)  # less than STEP, so index order is date order
    return ANCHOR + (index - anchor_index) * STEP + timedelta(minutes=minutes)


def _person(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(P.FIRST_NAMES)
    gender = "e" if first in FEMALE_NAMES else ""
    return f"{first} {rng.choice(P.LAST_NAMES)}", gender


def _startup(rng: random.Random) -> str:
    return rng.choice(P.NAME_HEADS) + rng.choice(P.NAME_TAILS)


def _base_values(rng: random.Random, published: datetime) -> dict[str, str]:
    person, gender = _person(rng)
    sector, topic = rng.choice(P.STARTUP_SECTORS)
    startup = _startup(rng)
    minister = rng.choice(P.MINISTERS)
    location = rng.choice(P.LOCATIONS)
    return {
        "person": person, "e": gender, "role": rng.choice(ROLES_BY_GENDER[gender]),
        "startup": startup, "company": rng.choice((startup, _startup(rng) + " SAS", rng.choice(P.FRENCH_GROUPS))),
        "sector": sector, "sector_cap": sector[:1].upper() + sector[1:], "topic": topic,
        "fund": rng.choice(P.FUNDS), "round": rng.choice(P.ROUNDS), "product": rng.choice(P.PRODUCTS),
        "regulation": rng.choice(P.REGULATIONS), "minister_cap": minister[:1].upper() + minister[1:],
        "group": rng.choice(P.FRENCH_GROUPS), "city": rng.choice(("Paris", "Lyon", "Nantes", "Toulouse", "Lille")),
        "location": location, "location_cap": location[:1].upper() + location[1:],
        "at_location": at_location(location), "at_location_cap": at_location(location).capitalize(),
        "of_location": of_location(location), "region": P.REGIONS[location],
        "weekday": P.WEEKDAYS_FR[published.weekday()], "n": str(rng.choice((12, 35, 60, 140, 250, 480))),
        "pct": str(rng.randint(8, 65)), "pct_small": str(rng.randint(1, 6)), "founded": str(rng.randint(2014, 2022)),
        "amount": format_amount(rng.choice((1.5e6, 4e6, 8e6, 12e6, 25e6, 40e6, 60e6, 110e6)), rng),
        "amount_small": format_amount(rng.choice((15e6, 30e6, 70e6, 150e6)), rng),
    }  # fmt: skip


def _investment(rng: random.Random, values: dict[str, str], published: datetime) -> Announcement:
    investor, nationality, country, sector, facility = rng.choice(P.FOREIGN_INVESTORS)
    eur = rng.choice(INVESTMENT_AMOUNTS)
    amount = format_amount(eur, rng)
    jobs = rng.choice(JOB_COUNTS) if rng.random() < 0.75 else None
    jobs_text = format_jobs(jobs, rng) if jobs else None
    edition = min(max(published.year, 2018), 2025)
    location = values["location"]
    values.update(
        investor=investor,
        nationality=nationality,
        sector=sector,
        facility=facility,
        amount=amount,
        jobs=jobs_text or "plusieurs centaines d'emplois",
        jobs_or_amount=jobs_text or amount,
        edition=str(edition),
        target_year=str(edition + rng.randint(1, 3)),
    )
    display_location = "région parisienne" if location == "la région parisienne" else location
    return Announcement(
        investor=investor,
        country=country,
        amount_eur=eur,
        amount_text=amount,
        jobs=jobs,
        jobs_text=jobs_text,
        location=display_location,
        region=values["region"],
        sector=sector,
        edition=edition,
    )


def _body(ctx: _Ctx, lead: str, pools: Sequence[Sequence[str]], target_words: int) -> tuple[str, ...]:
    rng = ctx.rng
    sentences = [lead]
    words = len(lead.split())
    first = [s for s in pools[0]]
    rest = [s for pool in pools[1:] for s in pool]
    rng.shuffle(first)
    rng.shuffle(rest)
    # The topical sentences come early, as a reporter would put them; context follows.
    order = first[: max(3, len(first) * 2 // 3)] + rest + first[max(3, len(first) * 2 // 3) :]
    i = 0
    while words < target_words:
        if i and i % len(order) == 0:
            rng.shuffle(order)
        sentence = ctx.fill(order[i % len(order)])
        sentences.append(sentence)
        words += len(sentence.split())
        i += 1
    paragraphs: list[str] = []
    while sentences:
        take = rng.randint(2, 5)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return tuple(paragraphs)


def make_article(
    index: int,
    seed: int = 0,
    anchor_index: int = 0,
    languages: Sequence[str] = ("fr",),
    authors: Sequence[str] | None = None,
    target_words: int | None = None,
) -> Article:
    """Article number `index` of the site seeded `seed`; the same arguments give the same article."""
    rng = random.Random(seed * 1_000_003 + index)
    published = published_at(index, anchor_index, rng)
    author = rng.choice(authors or site_authors(seed))
    values = _base_values(rng, published)
    ctx = _Ctx(rng, values)
    words = target_words or rng.randint(300, 900)
    if "en" in languages and ("fr" not in languages or index % 4 == 2):
        return _english_article(index, ctx, published, author, words)
    announcement = None
    if rng.random() < INVESTMENT_SHARE:
        category = "investissement"
        announcement = _investment(rng, values, published)
        values["company"] = announcement.investor
        pools: tuple[tuple[str, ...], ...] = (P.INVESTMENT_SENTENCES[2:], P.GENERAL_SENTENCES)
        tags: tuple[str, ...] = (
            "Choose France",
            "Investissement étranger",
            values["sector"],
            values["region"],
        )
    else:
        category = rng.choices([c for c, _ in CATEGORY_WEIGHTS], [w for _, w in CATEGORY_WEIGHTS])[0]
        values.setdefault("target_year", str(published.year + 1))
        pools = (P.SENTENCES[category], P.GENERAL_SENTENCES)
        tags = (P.SECTIONS[category], values["sector"], values["city"])
    title = ctx.fill(rng.choice(P.TITLES[category]))
    dek = ctx.fill(rng.choice(P.DEKS.get(category, P.DEKS["default"])))
    lead = ctx.fill(rng.choice(P.LEADS[category]))
    if announcement is not None and announcement.jobs:
        # The head-count is part of the announcement, so it always makes the first paragraph.
        lead += " " + ctx.fill(rng.choice(P.INVESTMENT_SENTENCES[:2]))
    paragraphs = _body(ctx, lead, pools, words)
    return Article(
        index=index,
        slug=f"{slugify(title)}",
        title=title,
        dek=dek,
        paragraphs=paragraphs,
        author=author,
        published=published,
        section=P.SECTIONS[category],
        tags=tags,
        category=category,
        announcement=announcement,
    )


def _english_article(index: int, ctx: _Ctx, published: datetime, author: str, words: int) -> Article:
    rng = ctx.rng
    ctx.values.update(
        sector_en=rng.choice(P.EN_SECTORS), amount_en=f"€{rng.choice((3, 8, 15, 40, 90))} million"
    )
    title = ctx.fill(rng.choice(P.EN_TITLES))
    lead = f"{ctx.values['startup']} announced on {published:%A} a new step in its international expansion."
    paragraphs = _body(ctx, lead, (P.EN_SENTENCES, ()), words)
    return Article(
        index=index,
        slug=slugify(title),
        title=title,
        dek="What the announcement means for the market.",
        paragraphs=paragraphs,
        author=author,
        published=published,
        section="International",
        tags=("English", ctx.values["sector_en"]),
        category="english",
        language="en",
    )


def generate_articles(
    n: int,
    seed: int = 0,
    start: int = 0,
    anchor_index: int | None = None,
    languages: Sequence[str] = ("fr",),
    taken_slugs: set[str] | None = None,
) -> list[Article]:
    """Articles start..start+n-1 of a site, oldest first, with slugs unique among `taken_slugs` (updated)."""
    anchor = (start + n - 1) if anchor_index is None else anchor_index
    authors = site_authors(seed)
    taken = taken_slugs if taken_slugs is not None else set()
    articles = []
    for index in range(start, start + n):
        article = make_article(index, seed, anchor, languages, authors)
        slug = article.slug
        suffix = 2
        while slug in taken:
            slug = f"{article.slug}-{suffix}"
            suffix += 1
        taken.add(slug)
        if slug != article.slug:
            article = _replace_slug(article, slug)
        articles.append(article)
    return articles


def _replace_slug(article: Article, slug: str) -> Article:
    from dataclasses import replace

    return replace(article, slug=slug)


@dataclass(frozen=True)
class Teaser:
    """A headline in a box that points to another article (most read, same topic, sponsored)."""

    title: str
    path: str


def teasers(seed: int, key: str, k: int, published: datetime, language: str = "fr") -> list[Teaser]:
    """k headlines of Choose France investments for the boxes around an article, the same for the same key.

    They name investors and amounts no article of the site reports: a stored body that picked one up
    would carry an announcement that was never made.
    """
    rng = random.Random(f"teasers:{seed}:{key}")
    out: list[Teaser] = []
    for _ in range(k):
        values = _base_values(rng, published)
        announcement = _investment(rng, values, published)
        if language == "en":
            eur = announcement.amount_eur
            values["amount_en"] = (
                f"€{french_number(eur / 1e9).replace(',', '.')}bn" if eur >= 1e9 else f"€{int(eur / 1e6)}m"
            )
            values["location"] = announcement.location.replace("région parisienne", "Paris region")
            title = rng.choice(P.EN_TEASER_TITLES).format_map(values)
        else:
            title = rng.choice(P.TEASER_TITLES).format_map(values)
        out.append(Teaser(title, f"/archives/{announcement.edition}/{slugify(title)}/"))
    return out


def announcements(articles: Iterable[Article]) -> dict[str, Announcement]:
    """Ground truth: article path -> the announcement it carries."""
    return {a.path: a.announcement for a in articles if a.announcement is not None}


def french_date(moment: datetime) -> str:
    """13 mai 2024 à 14h05."""
    return f"{moment.day} {P.MONTHS_FR[moment.month - 1]} {moment.year} à {moment:%Hh%M}"
