"""Sentence-wide gates: reasons a money figure is never a Choose France announcement whatever the words
right around it say (public aid, a fundraising, a summit total), and the test a name must pass before it
can be anyone's investor (not a menu, a column or a newsletter title).

The cues in pipelines.cues look between an investor and its figure; these look at the whole sentence,
because reporters put the word that changes a figure's nature anywhere in it ("Lauréate de France 2030,
X ... 9 millions", "Levée de fonds : X boucle 30 M€", "avec ses 15 milliards annoncés au total").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.common_words import is_common_word
from pipelines.entities import ALIASES, DESCRIPTOR_HEADS_RE, LEGAL_OR_TAIL_WORDS, Mention, fold, investor_key

if TYPE_CHECKING:
    from pipelines.context import Unit

_I = re.IGNORECASE

# Public money: an aid, a grant, a public loan, a prize of a public programme.
PUBLIC_AID_RE = re.compile(
    r"\baides?\s+(?:publiques?\s+)?(?:de|d['’]|à\s+l['’]innovation)|\bsubvention\w*|\bsoutien\s+(?:public|de\s+l['’]État|financier\s+de\s+l['’]État)|"
    r"\bprêts?\s+(?:\w+\s+)?(?:de|d['’]|du)\s*(?:la\s+)?(?:Bpifrance|BPI|l['’]État|Banque\s+des\s+territoires|BEI)|"
    r"\blauréat\w*|France\s*2030|appels?\s+à\s+projets|\bPIIEC\b|\bIPCEI\b|crédit\s+d['’]impôt|"
    r"(?:financée?s?|soutenue?s?|accompagnée?s?)\s+par\s+(?:l['’]État|Bpifrance|la\s+Région|l['’]Ademe)",
    _I,
)
# The figure's own clause: "aide de 9,5 millions", "9,5 millions d'euros d'aide", "6 M€ de subvention".
_AID_AFTER_RE = re.compile(
    r"^\s*(?:d['’]|de\s+)(?:aides?|subventions?|prêts?|avances?\s+remboursables?|soutien\s+public|argent\s+public)\b",
    _I,
)
# A fundraising: verbs and nouns of equity rounds.
FUNDRAISING_RE = re.compile(
    r"\bboucl\w+|\blève\b|\blèvent\b|\blever\b|\blèvera|\ba\s+levé|\bont\s+levé|\blevée\s+de\s+fonds|\blevées\s+de\s+fonds|"
    r"\btour\s+de\s+table|\ben\s+s[ée]rie\s+[A-F]\b|\bclôtur\w+\s+(?:un|une|son|sa)\s+(?:tour|levée)|"
    r"\bfinanc\w+\s+(?:son|sa|leur)\s+(?:développement|croissance|expansion)|\bIPO\b|introduction\s+en\s+bourse",
    _I,
)
# What ties a fundraising to the summit: the sentence speaks of the summit or of a commitment made there.
_CF_TIE_RE = re.compile(r"choose\s+france|sommet\s+de\s+Versailles|\bà\s+Versailles\b", _I)
# A summit's total: a count of projects or announcements, a record, the promises of the day.
_COUNT_WORDS = (
    r"(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|"
    r"soixante|cent|dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine)s?"
)
STRONG_TOTAL_RE = re.compile(
    rf"\b{_COUNT_WORDS}\s+(?:de\s+)?(?:nouveaux\s+|grands\s+)?(?:projets|annonces|engagements|entreprises\s+étrangères|investisseurs)\b|"
    r"\bannoncée?s?\s+au\s+total|\bau\s+total\s+annoncée?s?|\binvestissements\s+(?:annoncés|promis|cumulés|attendus)|"
    r"\bpromesses\s+d['’]investissements?|\bmontant\s+(?:total|global|cumulé)\s+des\s+(?:annonces|projets|investissements)",
    _I,
)
WEAK_TOTAL_RE = re.compile(
    r"\bau\s+total\b|\ben\s+tout\b|\brecord\w*|\bpromesses?\b|\bbilan\b|\bcumul\w*", _I
)


def public_aid(sentence: str, pre: str, post: str) -> bool:
    """Public money (aid, grant, public loan, France 2030 prize) named with the figure or in its sentence."""
    return bool(PUBLIC_AID_RE.search(sentence) or _AID_AFTER_RE.match(post))


def fundraising(sentence: str) -> bool:
    """An equity round, unless the same sentence ties it to the summit."""
    return bool(FUNDRAISING_RE.search(sentence)) and not _CF_TIE_RE.search(sentence)


def summit_total(sentence: str, *, investor_in_sentence: bool) -> bool:
    """A total of the summit's announcements. A count of projects or "annoncés au total" anywhere makes the
    figure a total; when no investor is named in the sentence itself (it came from a heading, the sentence
    before or a possessive), a record, promises or "au total" are enough."""
    if STRONG_TOTAL_RE.search(sentence):
        return True
    return not investor_in_sentence and bool(WEAK_TOTAL_RE.search(sentence))


def figure_family(sentence: str, pre: str, post: str, *, investor_in_sentence: bool) -> str | None:
    """The sentence-wide reason a figure is no announcement, or None."""
    if public_aid(sentence, pre, post):
        return "public-aid"
    if fundraising(sentence):
        return "fundraising(sentence)"
    if summit_total(sentence, investor_in_sentence=investor_in_sentence):
        return "summit-total"
    return None


# --- who may be an investor -----------------------------------------------------------------------
# A line of a page that is not a sentence: a menu, a column or newsletter title, a section heading.
_SENTENCE_END_RE = re.compile(r"[.!?»”…]\s*$")
# Mastheads and menus: "La Séance — votre newsletter", "Accueil  Articles  Graphiques", "Actus | Sports".
_MASTHEAD_RE = re.compile(
    r"\s[—|]\s|\bnewsletter\b|\bvotre\s+(?:brief|lettre|rendez-vous|point)\b|\S\s{2,}\S", _I
)
_LOWER_WORD_RE = re.compile(r"(?<![\w'’-])[a-zà-ÿ][a-zà-ÿ'’-]{2,}")


def heading_line(text: str) -> bool:
    """A title, heading or menu line rather than a sentence of the body."""
    return not _SENTENCE_END_RE.search(text) and (len(text) < 90 or bool(_MASTHEAD_RE.search(text)))


def masthead_line(text: str) -> bool:
    """A publication's masthead or menu: names there are sections and columns, not companies."""
    return heading_line(text) and bool(_MASTHEAD_RE.search(text))


def lower_vocabulary(text: str) -> frozenset[str]:
    """The words an article writes in lower case: a capitalised one of them in a heading is a common word."""
    return frozenset(fold(w) for w in _LOWER_WORD_RE.findall(text))


def organisation_marked(name: str) -> bool:
    """A name that says it is an organisation: a legal suffix or a company-name tail ("AB", "Capital"),
    an alias of a known company, or a descriptor head inside it ("Groupe X", "Laboratoires Y")."""
    tokens = [fold(t).strip(".,") for t in name.split()]
    if fold(name) in ALIASES or any(t in LEGAL_OR_TAIL_WORDS for t in tokens[1:]):
        return True
    return bool(DESCRIPTOR_HEADS_RE.match(name)) and len(tokens) > 1


def credible_investor(
    name: str, surface: str, line: str, body_names: frozenset[str], lower_words: frozenset[str]
) -> bool:
    """Whether a name found in a heading line may be an investor. Never one made of common words (the
    lexicon's, singular or plural, or words the article itself writes in lower case: "la séance d'hier");
    in a masthead or menu, only a name the body also writes as a proper noun, or one marked as a company."""
    tokens = surface.split()
    if is_common_word(surface) or is_common_word(" ".join(_singular(t) for t in tokens)):
        return False
    if organisation_marked(name):
        return True
    if all(fold(t).strip(".,:") in lower_words for t in tokens):
        return False
    return not masthead_line(line) or fold(name.split()[0]) in body_names


def _singular(token: str) -> str:
    return token[:-1] if len(token) > 3 and token[-1] in "sx" else token


def possible_investors(
    mentions: list[Mention],
    unit: Unit,
    outlets: set[str] | frozenset[str],
    vocab: tuple[frozenset[str], frozenset[str]],
) -> list[Mention]:
    """The mentions of a sentence that may invest: never the outlet or its wire agency (they report), nor,
    in a title, heading or menu line, a name that fails `credible_investor`. `vocab` is the body's proper
    names and its lower-case words."""
    heading = unit.para < 0 or heading_line(unit.text)
    return [
        m
        for m in mentions
        if m.kind != "name"
        or (
            investor_key(m.name or "") not in outlets
            and not (heading and not credible_investor(m.name or "", m.surface, unit.text, *vocab))
        )
    ]
