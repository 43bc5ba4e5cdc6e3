"""How a unit's words are tied: where clauses start (subjects, not names in asides), coordinated subjects,
quotations, figures in brackets after a company, a company named after its figure, verbs left out, and
sentences that take up the project told before."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from pipelines.detect import lexicon
from pipelines.detect.amounts import find_money
from pipelines.detect.anchors import Anchor
from pipelines.detect.discourse import INVESTOR_TYPES
from pipelines.detect.entities import Mention

if TYPE_CHECKING:
    from pipelines.detect.frames import Frame

_LINK_SPAN = 70
_QUOTE_OPEN, _QUOTE_CLOSE = "«“", "»”"
# "..., qui", "X à Lille, qui y investira": a relative clause on a company, a place between them allowed.
RELATIVE_RE = re.compile(
    r"(?:\s+(?:à|en|au|dans|near|in)\s+[A-ZÀ-Ý][\w'’-]*(?:\s*\([^()]{1,30}\))?)?\s*,?\s*qui\b"
)
# ", détenue par le coréen X et le norvégien Y,", ", qui emploie ...,": names in an aside are no clause's subject.
ASIDE_RE = re.compile(
    r",\s*(?:qui|dont|détenue?s?|contrôlée?s?|possédée?s?|fondée?s?|dirigée?s?|créée?s?|basée?s?|spécialisée?s?|"
    r"présidée?s?|filiale|l['’]une?\s+des)\b[^,;]*,",
    re.IGNORECASE,
)


# ", fabricant taïwanais de batteries,", ", l'un des leaders américains des produits de la mer,": what a name is.
@cache
def apposition_re() -> re.Pattern[str]:
    heads = lexicon.token_alternation("entities", "descriptor_heads")
    return re.compile(
        rf"\s*,\s*(?:(?:un|une|le|la|l['’]|l['’]un\s+des|l['’]une\s+des)\s*)?(?:[\w-]+\s+)?{heads}\b[^,;.()«»]{{0,90}}(?=[,.;])",
        re.IGNORECASE,
    )


def clause_subjects(text: str, mentions: list[Mention], skip: frozenset[str] = frozenset()) -> list[Mention]:
    """Mentions that open a clause: names, descriptors and pronouns in subject position (places never),
    and a company that a relative clause goes on about ("venue du groupe suisse X, qui investira...")."""
    asides = [m.span() for m in ASIDE_RE.finditer(text)]
    return [
        m
        for m in mentions
        if m.type != "LOC"
        and text[max(0, m.start - 1) : m.start] != "("
        and not any(a < m.start < b for a, b in asides)
        and (m.key is None or m.key not in skip)
        and (
            m.role == "subject"
            or (m.kind != "pronoun" and m.type in INVESTOR_TYPES and RELATIVE_RE.match(text, m.end))
        )
    ]


PROJECT_OF_RE = re.compile(
    r"\b(?:ce|cet|cette|le|la|l['’]|son|sa)\s*(?:projet|dossier|investissement|usine|chantier|site|programme)\s+"
    r"(?:de|d['’]|chiffré\s+à|estimé\s+à)\s*(?:plus\s+de\s+|près\s+de\s+|environ\s+)?$",
    re.IGNORECASE,
)
# "l'occasion pour l'américain X d'annoncer 1,2 milliard", "le sommet a vu X annoncer 60 millions": the company
# does what the infinitive says.
AGENT_AFTER_RE = re.compile(
    r"\s+(?:d['’]|de\s+)?(?:annoncer|investir|confirmer|présenter|dévoiler|officialiser|mettre|injecter|consacrer|"
    r"engager|débloquer|promettre|réaffirmer|ajouter|détailler|doubler|augmenter)\b",
    re.IGNORECASE,
)


@cache
def _gapped_re() -> re.Pattern[str]:
    return re.compile(
        r"\s*,?\s*(?P<object>(?:sa|son|ses|leur|leurs)\s+"
        + lexicon.alternation("commitments", "project_object")
        + r")",
        re.IGNORECASE,
    )


def gapped_object(text: str, start: int, end: int) -> re.Match[str] | None:
    """ "..., l'américain Y sa production": the object of a clause whose verb is left out."""
    return _gapped_re().match(text, start, end)


# A sentence that takes up the project told before: "le portera", "y investira", "ce projet", "C'est la somme que".
BACK_REFERENCE_RE = re.compile(
    r"\b(?:le|la|l['’]|les|y|en)\s*(?:\w+\s+)?(?:portera|porte|financera|finance|réalisera|mènera|pilotera|"
    r"investira|construira|développera|exploitera)\b|\b(?:ce|cet|cette)\s+(?:projet|investissement|chantier|programme|campus)|"
    r"\bc['’]est\s+(?:la\s+somme|le\s+montant|l['’]enveloppe|le\s+chèque|l['’]investissement)\s+qu",
    re.IGNORECASE,
)
JOINED_RE = re.compile(
    r"\s*(?:,\s*)?(?:et|ainsi\s+que)\s+(?:(?:le|la|l['’]|les)\s*(?:[a-zà-ÿ-]+\s+){0,3})?", re.IGNORECASE
)


def joined(text: str, subjects: list[Mention], owner: Mention) -> list[Mention]:
    """ "Nordvik Wind et Daesan Energy investiront 2 milliards": the subjects coordinated before `owner`
    with nothing else between them; they share its figure (no one company's) or each make its pledge."""
    chain: list[Mention] = []
    current = owner
    for m in reversed([m for m in subjects if m.end <= owner.start]):
        if (
            current.kind == "pronoun"
            or m.kind == "pronoun"
            or not JOINED_RE.fullmatch(text[m.end : current.start])
        ):
            break
        chain.insert(0, m)
        current = m
    return chain


def in_quote(text: str, pos: int) -> int | None:
    """Where the quotation holding `pos` opens, or None."""
    before = text[:pos]
    depth = sum(before.count(c) for c in _QUOTE_OPEN) - sum(before.count(c) for c in _QUOTE_CLOSE)
    if depth > 0:
        return max(before.rfind(c) for c in _QUOTE_OPEN)
    if before.count('"') % 2 == 1:
        return before.rfind('"')
    return None


@cache
def indefinite_re() -> re.Pattern[str]:
    heads = lexicon.token_alternation("entities", "descriptor_heads")
    return re.compile(
        rf"^\s*(?:[^,.;]{{0,40}},\s*)?(?:un|une|d['’]autres|plusieurs|certains|certaines|quelques)\s+(?:autres?\s+)?"
        rf"(?:[\w-]+\s+)?{heads}\b",
        re.IGNORECASE,
    )


def continues(text: str, mentions: list[Mention], before: Frame, frame: Frame) -> bool:
    """Whether an anchor with no company of its own belongs to the unit's frame before it: it found
    no subject, and no other company or person is named between the two."""
    if before.company is None or frame.how not in ("no company", "company not subject"):
        return False
    # "75 millions pour l'usine de l'espagnol X à Y, avec 110 emplois": naming the same company again is no
    # change for its jobs or project (a second figure after it is read on its own: "dont 5 millions").
    return not any(before.anchor.end <= m.start < frame.anchor.start and m.kind == "name" and m.type != "LOC"
                   and (m.key != before.company.key or frame.anchor.kind == "money") for m in mentions)  # fmt: skip


def bracketed(text: str, mentions: list[Mention], anchor: Anchor) -> Mention | None:
    """A figure in brackets right after a company's name belongs to it."""
    opening = text.rfind("(", 0, anchor.start)
    if opening < 0 or ")" in text[opening : anchor.start] or text[opening + 1 : anchor.start].strip(" ~≈"):
        return None
    before = text[:opening].rstrip()
    return next(
        (m for m in mentions if m.end == len(before) and (m.kind != "name" or m.type in INVESTOR_TYPES)), None
    )


def linked(text: str, mentions: list[Mention], anchor: Anchor, anchors: list[Anchor]) -> Mention | None:
    """The company named right after a figure ("300 millions pour X"), or in a cleft ("C'est 2
    milliards que mettra sur la table le fonds X")."""
    if anchor.kind not in ("money", "vague"):
        return None
    stop = next((a.start for a in anchors if a.start > anchor.start), len(text))
    for m in mentions:
        if not (anchor.end <= m.start < min(stop, anchor.end + _LINK_SPAN)):
            continue
        if m.kind == "name" and m.type not in INVESTOR_TYPES:
            if m.type in ("LOC",):
                continue
            return None
        between = text[anchor.end : m.start]
        if lexicon.regex("commitments", "amount_link").search(between) or lexicon.regex(
            "commitments", "cleft_link"
        ).search(between):
            return m
        return None
    return None


def bare_figure(text: str, anchor: Anchor) -> bool:
    """A unit that is a figure and little else ("Trois cents millions d'euros.", "420 millions d'euros."):
    the sentence before or after says whose and what for."""
    rest = (text[: anchor.start] + " " + text[anchor.end :]).strip(" .!:–—-")
    return anchor.kind == "money" and len(re.findall(r"[^\W\d_]{2,}", rest)) <= 2


_FINITE_RE = re.compile(
    r"\b(?:est|sont|sera|seront|serait|a|ont|aura|auront|avait|avaient|était|étaient|fut|furent|va|vont|"
    r"représente\w*|correspond\w*|s['’]\w+|is|are|was|were|will|has|have|had)\b",
    re.IGNORECASE,
)


def nominal_figure(text: str, anchor: Anchor) -> bool:
    """A verbless sentence that opens on its figure ("Quatre-vingts millions d'euros et une centaine
    d'emplois."): a telegraphic follow-up of the commitment told just before."""
    # "3,5 milliards en 2018, 6,7 milliards en 2022 : la courbe monte": a series of figures is no one's.
    return (
        anchor.kind == "money"
        and not text[: anchor.start].strip(" -–—•*")
        and not _FINITE_RE.search(text[anchor.end :])
        and len(find_money(text)) == 1
    )


# An executive's title naming the company: "le PDG de X, Name", "Name, directrice générale de X".
_EXEC_TITLE = (
    r"(?:PDG|patron|patronne|président|présidente|directeur|directrice|dirigeant|dirigeante|fondateur|fondatrice|"
    r"CEO|DG|chief\s+executive|head)(?:\s+(?:général|générale|exécutif|exécutive|France|Europe|monde))*"
)
_EXEC_BEFORE_RE = re.compile(
    rf"\b{_EXEC_TITLE}\s+(?:de|du|d['’]|of)\s*(?:l['’]|la\s+|le\s+)?$", re.IGNORECASE
)
_EXEC_AFTER_RE = re.compile(
    rf"^\s*,\s*(?:le\s+|la\s+|l['’])?{_EXEC_TITLE}\s+(?:de|du|d['’]|of)\s*(?:l['’]|la\s+|le\s+)?$",
    re.IGNORECASE,
)


def executive_of(text: str, mentions: list[Mention], person: Mention) -> Mention | None:
    """The company a person in subject position leads, when the sentence says so around the name."""
    if person.kind != "name" or person.type not in ("PER", "PERQ"):
        return None
    companies = [m for m in mentions if m.kind == "name" and m.type in INVESTOR_TYPES and m is not person]
    before = next((m for m in reversed(companies) if m.end <= person.start), None)
    if (
        before is not None
        and re.fullmatch(r"\s*,\s*", text[before.end : person.start])
        and _EXEC_BEFORE_RE.search(text[max(0, before.start - 50) : before.start])
    ):
        return before
    after = next((m for m in companies if m.start >= person.end), None)
    if after is not None and _EXEC_AFTER_RE.match(text[person.end : after.start]):
        return after
    return None
