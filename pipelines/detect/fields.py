"""An announcement's fields from its frames and the sentences about its project: places (its own, never
a neighbour's), sector (from the project's own words), jobs (new ones, the upper bound of a range) and
edition (said in its sentence, else the article's)."""

from __future__ import annotations

import re

from pipelines.detect.amounts import find_jobs
from pipelines.detect.clauses import in_quote
from pipelines.detect.edition import text_signals
from pipelines.detect.entities import Mention
from pipelines.detect.frames import Frame
from pipelines.detect.places import PlaceRef, find_places, not_project_places
from pipelines.detect.sectors import project_sector
from pipelines.detect.text import Unit

_I = re.IGNORECASE
# A sentence about the project without naming the company: a pronoun, "le site", "l'usine", "le projet"
# (in English pieces "the plant", "it").
PROJECT_REFERENCE_RE = re.compile(
    r"^\s*(?:Site|Sites|Localisation|Lieu|Implantation|Emplois|Postes|Montant|Calendrier)\s*:|"
    r"\b(?:il|elle|ils|elles|y)\b(?=\s+\w)|\bc['’]est\b|\bce\s+sont\b|"
    r"\b(?:le|la|l['’]|les|un|une|ce|cet|cette|ces|son|sa|ses|leur|leurs|du|des|au|aux|de\s+la|de\s+l['’])\s*"
    r"(?:futur(?:e|s|es)?\s+|nouv(?:el|eau|elle)(?:s)?\s+|premi(?:er|ère)\s+|deuxième\s+)?"
    r"(?:site|usine|projet|centre|campus|investissement|implantation|chantier|unité|plateforme|entrepôt|"
    r"gigafactory|extension|installation|ligne|dossier|choix|programme|fabrique|atelier|laboratoire|"
    r"groupe|société|entreprise|industriel|fabricant|firme|opérateur|constructeur|géant|spécialiste|"
    r"équipementier|logisticien|chimiste|verrier|cimentier|hébergeur|fonds|enveloppe|montant|budget)s?\b|"
    r"\b(?:the|this|its)\s+(?:new\s+)?(?:plant|site|factory|facility|project|campus|investment|company|group|programme)\b|"
    r"^\s*(?:It|They)\s",
    _I,
)
# Sentences about another subject: an ecosystem, an event, an existing site, competing sites, another announcement.
OTHER_SUBJECT_RE = re.compile(
    r"\bécosystème|\bsalon\b|\bviva\s*tech|\borganisée?s?\s+chaque\s+année|"
    r"\bdéjà\s+(?:présente?s?|implantée?s?|installée?s?|établie?s?|en\s+chantier)|"
    r"\b(?:dispose|disposait|possède|exploite|compte|emploie)\s+déjà\b|\bjusqu['’]ici\b|"
    r"\bsera\s+conservée?\b|\boù\s+travaillent\s+aujourd['’]hui|"
    r"\ben\s+concurrence\b|\bconcurrents?\b|\bface\s+à\b|\bplutôt\s+qu['’e]|\bhésité\s+entre\b|"
    r"\bà\s+l['’](?:image|instar)\s+d|\bcomme\s+(?:à|en|au)\b|\bcontrairement\s+à\b|"
    r"\b(?:autre|deuxième|seconde|troisième|dernière|nouvelle)\s+annonce\b|"
    # Other projects, or the summit's projects at large: "dont un projet de data center dans l'Orne",
    # "la plupart se situent hors de l'Île-de-France".
    r"\b(?:dont|parmi\s+eux|parmi\s+lesquels)\s+(?:un|une)\s+(?:autre\s+)?(?:projet|dossier)\b|"
    r"\b(?:un|une)\s+autre\s+(?:projet|dossier|site|usine)\b|\bd['’]autres\s+(?:projets|dossiers|sites)\b|"
    r"\bla\s+plupart\b",
    _I,
)


def _blank_summit(text: str) -> str:
    """The summit's venue ("au château de Versailles", "the summit in Versailles") is no project's place."""
    pattern = re.compile(
        r"(?:château|sommet|forum|tribune)\s+de\s+Versailles|(?:à|au|in|at)\s+(?:the\s+palace\s+of\s+)?Versailles\b",
        _I,
    )
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def places_in(text: str, start: int, end: int, mentions: list[Mention]) -> list[PlaceRef]:
    """French places of text[start:end], not counting homes, institutions, suppliers, the summit's venue
    or a company's name ("Stålverk Nord AB")."""
    skip = [
        (m.start, m.end) for m in mentions if m.kind == "name" and m.type in ("ORG", "UNK", "PER", "OTHER")
    ]
    cleaned = _blank_summit(not_project_places(text))
    window = " " * start + cleaned[start:end]
    return [r for r in find_places(window, skip) if not r.foreign]


def frame_places(frame: Frame, unit: Unit, mentions: list[Mention]) -> list[PlaceRef]:
    """Places of the frame's clause; the first company's clause also has the sentence's opening ("À
    Dunkerque, le groupe X investira...", "Saint-Vulbas accueillera le site de X, qui y investira...")."""
    companies = [
        m for m in mentions if m.kind != "pronoun" and m.type in ("ORG", "UNK") and m.start < frame.clause[0]
    ]
    start = (
        frame.clause[0]
        if any(frame.company is None or m.key != frame.company.key for m in companies if m.key)
        else 0
    )
    return places_in(unit.text, start, _item_end(frame, unit, mentions), mentions)


def _item_end(frame: Frame, unit: Unit, mentions: list[Mention]) -> int:
    """Where the frame's words stop: at the semicolon before a list item of another company ("... à Fos ;
    310 millions pour l'allemand X à Colmar"), whose places are that company's."""
    own = frame.company.key if frame.company else None
    others = [
        m.start for m in mentions if m.kind == "name" and m.type in ("ORG", "UNK") and m.key and m.key != own
    ]
    for semicolon in re.finditer(";", unit.text[: frame.clause[1]]):
        if semicolon.start() < frame.anchor.end:
            continue
        following = unit.text.find(";", semicolon.end())
        item_end = following if following != -1 else len(unit.text)
        if any(semicolon.end() <= start < item_end for start in others):
            return semicolon.start()
    return frame.clause[1]


def about_project(unit: Unit) -> bool:
    """A later sentence that refers to the project (so its places, jobs and words are the project's)."""
    return not OTHER_SUBJECT_RE.search(unit.text) and bool(PROJECT_REFERENCE_RE.search(unit.text))


def quoted_aside(text: str, position: int) -> bool:
    """A place inside a quotation that does not speak of the project ("« les meilleurs fondateurs sont à
    Paris », dit un associé du fonds"): the speaker's view, not the project's site."""
    opening = in_quote(text, position)
    closing = min((i for i in (text.find(c, position) for c in "»”") if i != -1), default=-1)
    if opening is None:
        if closing == -1 or any(c in text[:closing] for c in "«“"):
            return False
        opening = -1  # a quotation opened in the sentence before, closed in this one
    elif closing == -1:
        closing = len(text)
    return not PROJECT_REFERENCE_RE.search(text[opening + 1 : closing])


def jobs_in(text: str) -> int | None:
    found = find_jobs(text)
    return found[0].value if found else None


def edition_of(frame: Frame, unit: Unit, article_edition: int | None) -> int | None:
    explicit = [y for y, strength in text_signals(unit.text) if strength >= 3]
    return explicit[0] if explicit else article_edition


def sector_of(tiers: list[list[str]], descriptions: list[str]) -> str | None:
    """The sector from the project's own words first, then what the article calls the company ("le
    fabricant de batteries"), then the wider tiers."""
    return project_sector(tiers, descriptions, after=2)
