"""Who a sentence names, and what each name is: an organisation (ORG), a person (PER), a place (LOC),
something else (OTHER: a public body, an outlet, an event, a label, a project's name) or not yet known
(UNK). Only an organisation, or a descriptor or pronoun that resolves to one, may invest.

Typing is general, not a list of companies: a name is read with what the article says of it anywhere
(a legal form or a company word in it, a descriptor in apposition, "X, PDG de Y", a first name from a
first-names table shipped by the gender-guesser package, the French geography, a locative slot). The
evidence is gathered over the whole article first (`Typer`), so "le groupe Mars" in one paragraph
makes "Mars" a company in every other one, and "Kylian Mbappé, l'attaquant" makes "Mbappé" a person.

spaCy's French NER (fr_core_news_sm 3.8) was measured for this and left out: on the 262 announcements of
the development sets it types the investor ORG or MISC in 105 cases and PER in 110 (invented and
foreign company names read as people), for 4-12 s of loading and +178 MB per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from pipelines.detect import lexicon
from pipelines.detect.companies import canonical_name, investor_key
from pipelines.detect.numwords import parse_word_number
from pipelines.detect.places import is_foreign_place, is_french_place

_UPPER = "A-ZÀ-ÖØ-Þ"
NAME_TOKEN = (
    rf"(?:[{_UPPER}][\w&+.-]*(?:[’'][{_UPPER}][\w-]*)?|[a-z]{{1,3}}[{_UPPER}][\w-]*|\d+[{_UPPER}][\w-]*)"
)
NAME_SEQ_RE = re.compile(
    rf"(?<![\w'’-])(?P<elision>[LlDd]['’])?(?P<name>{NAME_TOKEN}(?:(?:[ \u00a0]+|\s*&\s*|\s+and\s+){NAME_TOKEN})*)"
)
PRONOUN_RE = re.compile(
    r"\b(?:il|elle|ce\s+dernier|cette\s+dernière|celui-ci|celle-ci)\b(?!\s+(?:y\s+a|faut|s['’]agit|est\s+prévu|reste|était\s+une\s+fois))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A name, a descriptor ("le groupe danois") or a pronoun in a sentence.

    role: "subject" where a clause's subject stands (its start, after a comma, a conjunction, an
    opening adverbial), "owner" after "de" with an owner noun ("l'usine de Pfizer", "chez X"), else
    "oblique" (a partner, a customer, a place: "avec Renault", "à Illange").
    """

    kind: str  # name, descriptor, pronoun
    surface: str
    start: int
    end: int
    type: str = "UNK"  # ORG, PER, LOC, OTHER, UNK
    role: str = "oblique"
    name: str | None = None
    key: str | None = None
    nationality: str | None = None
    hints: tuple[str, ...] = ()
    relation: bool = False  # "sa filiale", "la coentreprise": a company related to another
    descriptor: str | None = None  # "le fabricant taïwanais de batteries" before the name


@cache
def _nationality_of() -> dict[str, str]:
    tables = (
        lexicon.mapping("entities", "nationalities"),
        lexicon.mapping("entities", "english_nationalities"),
    )
    return {lexicon.fold(adj): country for table in tables for country, adjs in table.items() for adj in adjs}


@cache
def _french_nationalities() -> frozenset[str]:
    return frozenset(
        lexicon.fold(a) for adjs in lexicon.mapping("entities", "nationalities").values() for a in adjs
    )


def nationality(word: str) -> str | None:
    return _nationality_of().get(lexicon.fold(word))


@cache
def _nationality_alternation(english: bool = False) -> str:
    keys = ("nationalities", "english_nationalities") if english else ("nationalities",)
    adjs = sorted(
        {a for key in keys for adjs in lexicon.mapping("entities", key).values() for a in adjs}, key=len
    )
    return "(?:" + "|".join(re.escape(a) for a in reversed(adjs)) + ")"


# Words that end a descriptor: verbs, auxiliaries, prepositions, determiners.
_NOT_ADJECTIVE = (
    r"(?:a|va|vont|avait|aura|est|sera|devrait|devraient|pourrait|compte|entend|veut|souhaite|prévoit|projette|investi\w*|"
    r"inject\w*|consacr\w*|met|mettra|débloqu\w*|engag\w*|s|se|y|qui|que|dont|à|au|aux|pour|dans|sur|en|et|ou|avec|par|"
    r"chez|annonc\w*|lanc\w*|construi\w*|ouvr\w*|implant\w*|confirm\w*|dévoil\w*|mise|misera|crée|créera|financ\w*|"
    r"apport\w*|prend|table|parie|poursui\w*|renforc\w*|étend\w*|double|triple|choisi\w*|ne|n|l|le|la|les|un|une|son|"
    r"sa|ses|leur|cette|ce|déjà|aussi|lui|elle|il|notamment|également|désormais|ainsi|encore|bien|plus|vient|avance|"
    r"continue|accélère|développe|produit|emploie|fabrique|possède|dispose|détient|était|sont|ont|fait|fera|peut|porte|"
    r"bas[ée]e?s?|install[ée]e?s?|implant[ée]e?s?|présente?s?|originaire|connue?s?|spécialisée?s?|détenue?s?|fondée?s?|"
    r"créée?s?|ouvrira|installera|promet|prévoit|signe|rejoint|relocalise|recrute|embauche|de|du|des|d)"
)


@cache
def descriptor_re() -> re.Pattern[str]:
    heads = lexicon.token_alternation("entities", "descriptor_heads")
    return re.compile(
        rf"\b(?:l['’]|le\s+|la\s+|les\s+|ce\s+|cet\s+|cette\s+|du\s+|au\s+|son\s+|sa\s+)(?:(?:autre|nouveau|grand|même|puissant|"
        rf"discret|célèbre|jeune|petit|géant)\s+)?(?P<head>{heads}|{_nationality_alternation()})\b"
        rf"(?P<tail>(?:\s+(?:(?:de|du|des)\s+(?:la\s+|l['’])?[\w-]+(?:\s+en\s+ligne)?|d['’][\w-]+|"
        rf"(?!{_NOT_ADJECTIVE}\b)(?-i:[a-zà-ÿ])[\w-]*)){{0,3}})",
        re.IGNORECASE,
    )


# --- roles ---------------------------------------------------------------------------------------
_SUBJECT_BEFORE_RE = re.compile(
    r"(?:^|[,;:(«\"“—–•*]|\s-|--|\b(?:et|mais|ou|puis|donc|car|que|qu['’]|enfin|c['’]est|ce\s+sont|aussi|ainsi|alors|quant\s+à|désormais|lundi|mardi|d['’]abord|côté|place\s+à|"
    r"mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui|déjà|également|ensuite|outre|notamment|lui|elle|"
    r"pour\s+sa\s+part|de\s+son\s+côté|cette\s+fois|cette\s+année|tandis\s+que|alors\s+que|quand|si|dont|où))\s*"
    r"(?:(?:le|la|les)\s+|l['’])?$",
    re.IGNORECASE,
)
_OWNER_BEFORE_RE = re.compile(
    r"\b(?:celui|celle|ceux|propriétaire|maison\s+mère|filiale|groupe|société|projet|investissement|annonce|plan|"
    r"patron|PDG|président|directeur|dirigeant|branche|division|fondateur|marque|actionnaire|tour|cas|arrivée|venue|"
    r"engagement|décision|choix|promesse|vient|provient|émane|signée?|portée?|menée?|usine|site|centre|gigafactory|"
    r"campus|entrepôt|laboratoire|extension|implantation|arrivée|chèque|enveloppe|ticket|dossier|commitment|deal|pari|"
    r"mise|contribution|apport|offensive|coup|move|pledge)s?\s+(?:de|du|des|d['’])\s*(?:la\s+|l['’])?$|"
    r"\b(?:chez|par|côté)\s*(?:l['’]|le\s+|la\s+)?$|"
    r"\b(?:consacrée?s?|dédiée?s?|relative?s?)\s+à\s*(?:l['’]|la\s+)?$",
    re.IGNORECASE,
)
_APPOSITION_BEFORE_RE = re.compile(
    r"(?:^|[,;:(«\"“—–•*]|\s-|\b(?:et|mais|que|qu['’]|enfin|ensuite|puis|alors|lui|elle))\s*(?:le|la|l['’]|ce|cet|cette|son|sa|votre|notre|leur)\s*"
    r"(?:(?!(?:de|du|des|d|à|au|aux|en|pour|avec|dans|sur|par|chez|qui|que|dont)\b)[\w-]+\s+){1,3}$",
    re.IGNORECASE,
)
_ITEM_HEAD_RE = re.compile(r"\s*(?:[-–—•*▪►·✅👉]|\d{1,2}[.)/]|[^\w\s]{1,2})?\s*")


# In English a subject is told by the verb after it: "Halden Biotech said it would spend ...".
_ENGLISH_VERB_AFTER_RE = re.compile(
    r"\s*(?:,[^,;]{1,100},\s*)?(?:said|says|will|would|is\s+to|plans?\s+to|announced|confirmed|pledged|unveiled|"
    r"committed|intends|aims|expects|has\s+(?:announced|confirmed|pledged|committed|picked|chosen|selected)|"
    r"to\s+(?:build|invest|open|create|expand|spend|add))\b"
)


def role_at(sentence: str, start: int, end: int | None = None) -> str:
    before = sentence[max(0, start - 60) : start]
    if (
        _ITEM_HEAD_RE.fullmatch(before)
        or _SUBJECT_BEFORE_RE.search(before)
        or _APPOSITION_BEFORE_RE.search(before)
    ):
        return "subject"
    if end is not None and _ENGLISH_VERB_AFTER_RE.match(sentence, end):
        return "subject"
    return "owner" if _OWNER_BEFORE_RE.search(before) else "oblique"


# --- raw names ------------------------------------------------------------------------------------
@dataclass(slots=True)
class RawName:
    """A capitalised sequence trimmed to a name, with what its own sentence says of its type."""

    surface: str
    start: int
    end: int
    key: str
    raw: str  # the capitalised sequence before trimming
    evidence: set[str] = field(default_factory=set)


# "Septième édition", "Troisième sommet", "7e édition": an ordinal opens a sentence, it names nothing.
_ORDINAL_RE = re.compile(r"\d+(?:e|er|re|ème|eme|è)|\w+i[eè]me|premi[eè]re?|seconde?", re.IGNORECASE)


def _nationality_word(token: str, alone: bool) -> bool:
    """ "Norwegian", "U.S.", "Korean-Norwegian", "Grenoble-based", "le Suédois": what a company is or where it
    is from, never its name; an English adjective only when it stands alone ("Canadian Solar" is a name)."""
    if token.lower().endswith("-based"):
        return True
    parts = [p for p in token.strip(".,").split("-") if p]
    if len(parts) > 1 or alone:
        return all(nationality(p) or nationality(p + ".") for p in parts)
    return lexicon.fold(token.strip(".,")) in _french_nationalities()


def _trim(tokens: list[str]) -> list[str]:
    common = lexicon.words("entities", "common_words")
    company = lexicon.words("entities", "company_words")
    while tokens and (
        lexicon.fold(tokens[0]).strip(".,") in common
        or len(tokens[0]) == 1
        or _nationality_word(tokens[0], len(tokens) == 1)
        or _ORDINAL_RE.fullmatch(tokens[0].strip(".,"))
    ):
        tokens = tokens[1:]
    while len(tokens) > 1 and (
        lexicon.fold(tokens[-1]).strip(".,") in common and lexicon.fold(tokens[-1]).strip(".,") not in company
    ):
        tokens = tokens[:-1]
    return tokens


_ARTICLES = frozenset({"la", "le", "les"})
# What may follow an institution's name: a sign, or its verb.
_INSTITUTION_NEXT = (
    r"(?:qui|a|va|vont|doit|devrait|pourrait|pourra|compte|entend|prévoit|investi\w*|annonce\w*|apport\w*|"
    r"mobilis\w*|financ\w*|s['’]|et)\b"
)
_INSTITUTION_TAIL_RE = re.compile(
    r"(?:\s+(?:de|du|des|pour)\s+(?:la\s+|le\s+|l['’])?|\s+d['’])(?-i:[a-zà-ÿA-ZÀ-Ý][\w-]+)"
    rf"(?:\s+(?!{_INSTITUTION_NEXT})(?-i:[a-zà-ÿ]{{4,}}))?(?=\s*[,;:.()]|\s+{_INSTITUTION_NEXT})",
    re.IGNORECASE,
)


def _institution(tokens: list[str], sentence: str, end: int) -> int:
    """Where an institution's name ends when it opens with a head such as "Caisse" and a proper word:
    "la Caisse Laurentienne de retraite", "la Caisse des Dépôts" (never its first word alone)."""
    heads = lexicon.words("entities", "institution_heads")
    if not tokens or lexicon.fold(tokens[-1] if len(tokens) == 1 else tokens[0]) not in heads:
        return end
    tail = _INSTITUTION_TAIL_RE.match(sentence, end)
    return tail.end() if tail else end


def raw_names(sentence: str) -> list[RawName]:
    """Capitalised sequences of a sentence, trimmed of sentence openers and labels."""
    out = []
    for m in NAME_SEQ_RE.finditer(sentence):
        raw = m.group("name").rstrip(".’'")
        tokens = raw.split()
        elided = m.group("elision")
        # "La Caisse des Dépôts" opening a sentence: the name starts after its article.
        lead = 1 if len(tokens) == 2 and lexicon.fold(tokens[0]) in _ARTICLES else 0
        institution_end = _institution(tokens[lead:], sentence, m.start("name") + len(raw))
        if (
            elided
            and elided[0] in "Ll"
            and lexicon.fold(tokens[0]) not in lexicon.words("entities", "common_words")
        ):
            start, surface = m.start("elision"), elided.replace("’", "'") + raw  # "L'Oréal": part of the name
        elif institution_end > m.start("name") + len(raw):
            start = m.start("name") + (raw.find(tokens[lead]) if lead else 0)
            surface = sentence[start:institution_end]
        else:
            kept = _trim(tokens)
            if not kept:
                continue
            surface = " ".join(kept)
            start = m.start("name") + raw.find(kept[0])
        if not surface or surface.isdigit() or parse_word_number(surface) is not None:
            continue
        out.append(RawName(surface, start, start + len(surface), investor_key(surface), raw))
    return out


# English pieces: "Norwegian cell therapy company Halden Biotech", "U.S. chipmaker Caldera", "Grenoble-based
# developer Ampérya" (before a name), "the U.S. online retailer", "the Osaka group" (standing for one).
_ENGLISH_HEADS = (
    r"(?:company|group|firm|giant|(?:chip|car|auto|yarn|drug|steel|glass|battery|cell|tyre|tire)?maker|retailer|utility|"
    r"venture|start-?up|operator|manufacturer|producer|developer|supplier|specialist|provider|fund|investor|CDMO|CDMO|"
    r"conglomerate|unit|subsidiary|designer|builder|player|owner|lab|laboratory|biotech|insurer|bank|airline)"
)


# Words no French sentence has: only a sentence with one is read for English descriptors.
_ENGLISH_GATE_RE = re.compile(r"\b(?:the|The|its|Its|their|said|will|would)\b|\w-based\b|\w['’]s\s")


@cache
def english_descriptor_re() -> re.Pattern[str]:
    nat = _nationality_alternation(english=True)
    return re.compile(
        rf"(?:\b(?P<det>(?i:the|its|their))\s+|(?<![\w-])(?=(?:(?i:{nat})|[A-Z][\w.-]*-based|[A-Z][\w.]*['’]s)\s))"
        rf"(?P<tail>(?:(?:(?i:{nat})|[A-Z][\w.-]*-based|[A-Z][\w.]*['’]s|[a-z][\w-]*|[A-Z]{{2,5}}|(?(det)[A-Z][\w-]+|(?!)))\s+){{0,3}}?)(?P<head>{_ENGLISH_HEADS})\b"
        rf"(?(det)|(?=\s+[A-Z]))",
    )


def descriptors(sentence: str) -> list[Mention]:
    """ "le groupe danois", "l'américain", "la firme de Redmond", "sa filiale": a company not named."""
    hints_table = lexicon.mapping("companies", "descriptor_hints")
    relation = re.compile(lexicon.token_alternation("entities", "relation_heads"), re.IGNORECASE)
    out = []
    for m in descriptor_re().finditer(sentence):
        low = lexicon.fold(m.group(0))
        hints = next((tuple(v) for k, v in hints_table.items() if lexicon.fold(k) in low), ())
        nat = next((n for w in (m.group("head") + m.group("tail")).split() if (n := nationality(w))), None)
        contracted = m.group(0)[:3].lower() in ("du ", "au ")
        role = role_at(sentence, m.start() + 3 if contracted else m.start())
        out.append(Mention("descriptor", m.group(0), m.start(), m.end(), "ORG", role, nationality=nat,
                           hints=hints, relation=bool(relation.fullmatch(m.group("head")))))  # fmt: skip
    for m in english_descriptor_re().finditer(sentence) if _ENGLISH_GATE_RE.search(sentence) else ():
        if any(d.start <= m.start() < d.end for d in out):
            continue
        nat = next(
            (n for w in m.group("tail").split() if (n := nationality(w) or nationality(w + "."))), None
        )
        role = role_at(sentence, m.start())
        out.append(Mention("descriptor", m.group(0), m.start(), m.end(), "ORG", role, nationality=nat,
                           relation=m.group("head").lower() in ("subsidiary", "unit", "venture")))  # fmt: skip
    return out


def pronouns(sentence: str, taken: list[Mention]) -> list[Mention]:
    return [
        Mention("pronoun", m.group(0), m.start(), m.end(), "UNK", role_at(sentence, m.start()))
        for m in PRONOUN_RE.finditer(sentence)
        if not any(t.start <= m.start() < t.end for t in taken)
    ]


def is_place_name(surface: str) -> bool:
    return is_french_place(surface) or is_foreign_place(surface)


def with_type(mention: Mention, kind: str) -> Mention:
    return replace(mention, type=kind)


_HOME_OF_RE = re.compile(r"\b(?:de|du|d['’])\s*$", re.IGNORECASE)
_COORDINATED_RE = re.compile(
    r"\s*(?:,\s*)?(?:et|ainsi\s+que|ou)\s+(?:de\s+|d['’]|du\s+|des\s+|à\s+|au\s+|aux\s+)?(?:l['’]|le\s+|la\s+|les\s+)?$",
    re.IGNORECASE,
)


def _merge_descriptor(d: Mention, names: list[Mention], kept: list[Mention], sentence: str) -> bool:
    """Fold a descriptor into the name it introduces; True when it stands on its own."""
    inside = next((n for n in names if d.start <= n.start and n.end <= d.end), None)
    if inside is not None and not d.relation:
        # "la société de Pittsburgh", "le groupe de Séoul": the name is the company's home, not the company;
        # "le VC londonien": a word of the descriptor.
        kept.remove(inside)
        names.remove(inside)
        return _merge_descriptor(d, names, kept, sentence)
    follower = next(
        (
            n
            for n in names
            if d.end <= n.start <= d.end + 3 and not re.search(r"\w", sentence[d.end : n.start])
        ),
        None,
    )
    if follower is not None:
        # "l'opérateur japonais KDDI": the descriptor gives the name its role and nationality.
        kind = "ORG" if follower.type in ("UNK", "PER") else follower.type
        kept[kept.index(follower)] = replace(follower, role=d.role, nationality=d.nationality or follower.nationality,
                                             type=kind, relation=d.relation, descriptor=d.surface)  # fmt: skip
        return False
    return not any(n.start <= d.start < n.end for n in names)


def sentence_mentions(sentence: str, raws: list[RawName], type_of: dict[str, str]) -> list[Mention]:
    """Names (typed), descriptors and subject pronouns of a sentence, left to right."""
    names = [
        Mention(
            "name",
            r.surface,
            r.start,
            r.end,
            type_of.get(r.key, "UNK"),
            role_at(sentence, r.start, r.end),
            canonical_name(r.surface),
            r.key,
        )  # fmt: skip
        for r in raws
    ]
    kept: list[Mention] = list(names)
    for d in descriptors(sentence):
        if _merge_descriptor(d, names, kept, sentence):
            kept.append(d)
    kept += pronouns(sentence, kept)
    kept.sort(key=lambda k: k.start)
    for i in range(1, len(kept)):
        # "en partenariat avec l'INSA et l'École centrale": what is coordinated with a partner is a partner.
        if (
            kept[i - 1].role == "oblique"
            and kept[i].role != "oblique"
            and _COORDINATED_RE.match(sentence, kept[i - 1].end, kept[i].start)
        ):
            kept[i] = replace(kept[i], role="oblique")
    return kept
