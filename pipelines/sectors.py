"""Sector keywords: what an investment is for, as a short canonical label."""

from __future__ import annotations

import re

# (label, pattern) in priority order; an investment gets up to three labels.
SECTORS: tuple[tuple[str, str], ...] = (
    (
        "data centers",
        r"centres?\s+de\s+données|data\s*cent(?:er|re)s?|datacent(?:er|re)s?|centres?\s+de\s+calcul|campus\s+(?:d['’]IA|IA|numérique)",
    ),
    ("cloud", r"\bcloud\b|informatique\s+en\s+nuage"),
    ("IA", r"intelligence\s+artificielle|\bIA\b|\bAI\b|supercalculateur"),
    ("informatique quantique", r"quantique"),
    ("semi-conducteurs", r"semi-?conducteurs?|puces?\b|microélectronique|wafers?|fonderie\s+de\s+puces"),
    ("batteries", r"batteries|gigafactory|gigafactories|cellules?\s+de\s+batterie|cathodes?|anodes?|lithium"),
    ("automobile", r"automobiles?|véhicules?|voitures?|constructeur\s+automobile|équipementier"),
    ("hydrogène", r"hydrogène|électrolyseurs?"),
    (
        "énergie",
        r"énergies?\s+renouvelables?|éolien\w*|photovoltaïque|solaire|panneaux\s+solaires|nucléaire|énergie|biométhane|biocarburants?|carburants?\s+durables",
    ),
    (
        "pharmacie",
        r"pharma\w*|médicaments?|vaccins?|biotech\w*|laboratoires?\s+pharmaceutiques?|principes?\s+actifs?|biomédicaments?|bioproduction|thérapies?",
    ),
    ("santé", r"santé|médical\w*|dispositifs?\s+médicaux|hôpita\w+"),
    ("logistique", r"logistique|entrepôts?|plateformes?\s+logistiques?|centres?\s+de\s+distribution|fret"),
    ("e-commerce", r"e-commerce|commerce\s+en\s+ligne|vente\s+en\s+ligne"),
    ("aéronautique", r"aéronautique|aéronefs?|avions?|hélicoptères?|moteurs?\s+d['’]avion"),
    ("spatial", r"spatial|satellites?|lanceurs?"),
    ("chimie", r"chimi\w+|polymères?|plastiques?"),
    ("recyclage", r"recycl\w+|économie\s+circulaire"),
    (
        "agroalimentaire",
        r"agroalimentaire|alimentaire|boissons?|embouteillage|laiti\w+|céréales|chocolat|biscuits?|confiserie|aliments?",
    ),
    ("cosmétique", r"cosmétiques?|beauté|parfums?"),
    ("luxe", r"\bluxe\b|maroquinerie|joaillerie|horlogerie"),
    ("sidérurgie", r"sidérurg\w+|acier|aciérie|hauts?\s+fourneaux?|métallurg\w+|aluminium"),
    (
        "télécoms",
        r"télécoms?|télécommunications|fibre\s+optique|\b5G\b|réseaux?\s+mobiles?|câbles?\s+sous-marins?",
    ),
    (
        "numérique",
        r"numérique|logiciels?|cybersécurité|\bR&D\b|centre\s+de\s+recherche|recherche\s+et\s+développement",
    ),
    ("tourisme", r"hôtels?|hôtellerie|tourisme|parcs?\s+d['’]attractions?|resorts?"),
    ("finance", r"banque|bancaire|assurances?|salle\s+des\s+marchés|services\s+financiers"),
    ("jeux vidéo", r"jeux?\s+vidéo"),
    ("défense", r"défense|armement|munitions?"),
    (
        "industrie",
        r"usines?|site\s+de\s+production|sites?\s+industriels?|ligne\s+de\s+production|manufactur\w+",
    ),
    ("distribution", r"magasins?|supermarchés?|hypermarchés?|grande\s+distribution|commerce\s+de\s+détail"),
    ("immobilier", r"immobili\w+|bureaux|siège"),
)
_COMPILED = tuple((label, re.compile(pattern, re.IGNORECASE)) for label, pattern in SECTORS)
_MAX_LABELS = 3


def sector_labels(text: str) -> list[str]:
    """Sector labels found in `text`, in priority order."""
    return [label for label, regex in _COMPILED if regex.search(text)]


# What the project is: "usine de batteries", "centre de données", "site de production de vaccins".
PROJECT_PHRASE_RE = re.compile(
    r"\b(?:usines?|sites?|centres?|campus|unités?|lignes?|gigafactory|gigafactories|plateformes?|fabriques?|"
    r"laboratoires?|entrepôts?|complexes?|pôles?|hubs?)\b(?:\s+(?:de\s+production|industriel|de\s+fabrication|"
    r"européen|mondial|nouvel|nouveau))?\s*(?:de\s+la\s+|de\s+l['’]|de\s+|d['’]|des\s+|du\s+|pour\s+|dédiée?\s+à\s+|"
    r"consacrée?\s+à\s+|dédiée?\s+aux\s+|consacrée?\s+aux\s+)?(?:[\w'’-]+\s+){0,6}",
    re.IGNORECASE,
)
_GENERIC = "industrie"


def _labels_first_project(text: str) -> list[str]:
    """Labels of the project's own words first ("usine de batteries pour l'automobile": batteries), then
    the rest of the text's, in priority order."""
    labels: list[str] = []
    for phrase in PROJECT_PHRASE_RE.finditer(text):
        labels += [label for label in sector_labels(phrase.group(0)) if label not in labels]
    return labels + [label for label in sector_labels(text) if label not in labels]


def project_sector(tiers: list[list[str]]) -> str | None:
    """The sector of an investment from tiers of texts, most telling first (the evidence's words about the
    investor's figure, sentences about its project, then the article): the first tier with a specific
    label decides; "industrie" (a plant, nothing more) only when no tier says more."""
    generic = False
    for tier in tiers:
        labels: list[str] = []
        for text in tier:
            labels += [label for label in _labels_first_project(text) if label not in labels]
        generic = generic or _GENERIC in labels
        specific = [label for label in labels if label != _GENERIC]
        if specific:
            return ", ".join(specific[:_MAX_LABELS])
    return _GENERIC if generic else None


def sector_of(texts: list[str]) -> str | None:
    """One short sector string from the sentences about an investment, most specific first."""
    labels: list[str] = []
    for text in texts:
        for label in sector_labels(text):
            if label not in labels:
                labels.append(label)
    if len(labels) > 1 and "industrie" in labels:
        labels.remove("industrie")
    return ", ".join(labels[:_MAX_LABELS]) or None
