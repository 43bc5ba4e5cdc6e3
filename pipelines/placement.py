"""Which sentences may place an announcement, and which of their place names are the project's.

A place belongs to an announcement when it is in the evidence sentence, or in a sentence about the same
investor: one that names it (name or descriptor resolved to it), or, within the evidence's paragraph or
the next one, one that refers to it by a pronoun or to its project ("le site", "l'usine", "le projet").
Sentences about something else never place it: an ecosystem, an event, an existing site, a comparison
between candidate sites, another announcement. Inside a placing sentence, names of institutions ("la
Région Grand Est accompagnera", "l'université de Strasbourg") are not where the project is.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# The investor by pronoun or descriptor, or its project by a common noun.
PROJECT_REFERENCE_RE = re.compile(
    r"\b(?:il|elle|ils|elles|y)\b(?=\s+\w)|\bc['’]est\b|\bce\s+sont\b|"
    r"\b(?:le|la|l['’]|les|un|une|ce|cet|cette|ces|son|sa|ses|leur|leurs|du|des|au|aux|de\s+la|de\s+l['’])\s*"
    r"(?:futur(?:e|s|es)?\s+|nouv(?:el|eau|elle)(?:s)?\s+|premi(?:er|ère)\s+|deuxième\s+)?"
    r"(?:site|usine|projet|centre|campus|investissement|implantation|chantier|unité|plateforme|entrepôt|"
    r"gigafactory|extension|installation|ligne|dossier|choix|programme|fabrique|atelier|laboratoire|"
    r"groupe|société|entreprise|industriel|fabricant|firme|opérateur|constructeur|géant|spécialiste|"
    r"équipementier|logisticien|chimiste|verrier|cimentier|hébergeur|fonds|enveloppe|montant|budget)s?\b",
    _I,
)

# Sentences about another subject: ecosystems, events, existing sites, competing sites, other announcements.
OTHER_SUBJECT_RE = re.compile(
    r"\bécosystème|\bsalon\b|\bviva\s*tech|\borganisée?s?\s+chaque\s+année|"
    r"\bdéjà\s+(?:présente?s?|implantée?s?|installée?s?|établie?s?|en\s+chantier)|"
    r"\b(?:dispose|disposait|possède|exploite|compte|emploie)\s+déjà\b|\bjusqu['’]ici\b|"
    r"\bsera\s+conservée?\b|\boù\s+travaillent\s+aujourd['’]hui|"
    r"\ben\s+concurrence\b|\bconcurrents?\b|\bface\s+à\b|\bplutôt\s+qu['’e]|\bhésité\s+entre\b|"
    r"\bà\s+l['’](?:image|instar)\s+d|\bcomme\s+(?:à|en|au)\b|\bcontrairement\s+à\b|"
    r"\b(?:autre|deuxième|seconde|troisième|dernière|nouvelle)\s+annonce\b",
    _I,
)

# Institutions named after a place: the place names the body, not the project's site.
_PLACE_NAME = r"(?-i:[A-ZÀ-Ý][\w'’-]*)(?:[\s-]+(?:de\s+la\s+|de\s+|d['’]|du\s+)?(?-i:[A-ZÀ-Ý][\w'’-]*)){0,3}"
INSTITUTION_RE = re.compile(
    r"(?:(?-i:\bRégion)\s+|\bconseil\s+(?:régional|départemental)\s+(?:de\s+la\s+|de\s+l['’]|de\s+|d['’]|du\s+)?|"
    r"\b(?:région|département)\s+(?=" + _PLACE_NAME + r"\s*,?\s+(?:accompagn|financ|soutien|soutiendra|a\s+démarch|"
    r"particip|apport|versera|prend|prendra|a\s+prévu|s['’]engage))|"
    r"\b(?:université|universités|lycées?(?:\s+professionnels?)?|IUT|écoles?|chambres?\s+(?:d['’]agriculture|de\s+commerce|"
    r"des\s+métiers)|CCI|préfecture|rectorat|académie|agence\s+locale\s+de\s+Pôle\s+emploi)\s+"
    r"(?:de\s+la\s+|de\s+l['’]|de\s+|d['’]|du\s+|des\s+)?)" + _PLACE_NAME,
    _I,
)

# Places of suppliers, customers and energy sources: "alimenté par la centrale de Gravelines", "à destination
# des industriels du nord de la France", "fournira les parcs au large de la Normandie". Blanked to the clause end.
OTHER_ROLE_RE = re.compile(
    r"\b(?:alimentée?s?\s+par|approvisionnée?s?\s+par|grâce\s+à\s+la\s+centrale|à\s+destination\s+d|"
    r"fourni(?:r|ra|ront|rait|ssant)\b|fournisseurs?\b|raccordements?\s+des\b|(?:ses|leurs|des)\s+clients\b)"
    r"[^,.;:!?()]*",
    _I,
)


def refers_to_project(sentence: str) -> bool:
    """Does the sentence speak of an investor or its project without naming it?"""
    return PROJECT_REFERENCE_RE.search(sentence) is not None


def about_other_subject(sentence: str) -> bool:
    """Is the sentence about an ecosystem, an event, an existing site, competing sites or another announcement?"""
    return OTHER_SUBJECT_RE.search(sentence) is not None


def strip_institutions(text: str) -> str:
    """`text` with institutions named after a place, and suppliers', customers' and energy sources' places,
    blanked out (same length, so offsets still hold)."""
    text = INSTITUTION_RE.sub(lambda m: " " * len(m.group(0)), text)
    return OTHER_ROLE_RE.sub(lambda m: " " * len(m.group(0)), text)


def placing_window(paras: set[int]) -> set[int]:
    """Paragraphs where a sentence referring to the project may place it: the evidence's and the next one."""
    return {p for para in paras for p in (para, para + 1)}
