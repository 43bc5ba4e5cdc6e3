"""Investor mentions in a sentence: company names, descriptors ("la firme de Redmond", "le géant américain")
and subject pronouns, with a small memory that resolves the latter two to the company named earlier."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from pipelines.amounts import parse_word_number
from pipelines.common_words import PUBLIC_ROLE_BEFORE_RE, is_common_word
from pipelines.gazetteer import is_foreign_place, is_french_place, strip_accents
from pipelines.lexicon import (
    DESCRIPTOR_HEADS,
    DESCRIPTOR_HINTS,
    FIRST_NAMES,
    NATIONALITIES,
    PERSON_TITLE_RE,
    STOP_PHRASES,
    STOP_WORDS,
)

_UPPER = "A-ZÀ-ÖØ-Þ"
NAME_TOKEN = rf"(?:[{_UPPER}][\w&+.-]*|[a-z]{{1,3}}[{_UPPER}][\w-]*|\d+[{_UPPER}][\w-]*)"
NAME_SEQ_RE = re.compile(
    rf"(?<![\w'’-])(?P<elision>[LlDd]['’])?(?P<name>{NAME_TOKEN}(?:(?:[ \u00a0]+|\s*&\s*|\s+and\s+){NAME_TOKEN})*)"
)
# Words that end a descriptor: verbs, auxiliaries, prepositions, determiners.
_NOT_ADJECTIVE = (
    r"(?:a|va|vont|avait|aura|est|sera|devrait|devraient|pourrait|compte|entend|veut|souhaite|prévoit|projette|investi\w*|"
    r"inject\w*|consacr\w*|met|mettra|débloqu\w*|engag\w*|s|se|y|qui|que|dont|à|au|aux|pour|dans|sur|en|et|ou|avec|par|"
    r"chez|annonc\w*|lanc\w*|construi\w*|ouvr\w*|implant\w*|confirm\w*|dévoil\w*|mise|misera|crée|créera|financ\w*|"
    r"apport\w*|prend|table|parie|poursui\w*|renforc\w*|étend\w*|double|triple|choisi\w*|ne|n|l|le|la|les|un|une|son|"
    r"sa|ses|leur|cette|ce|déjà|aussi|lui|elle|il|notamment|également|désormais|ainsi|encore|bien|plus|pour|vient|avance|"
    r"continue|accélère|développe|produit|emploie|fabrique|possède|dispose|détient|était|sont|ont|fait|fera|peut|"
    r"bas[ée]e?s?|install[ée]e?s?|implant[ée]e?s?|présente?s?|originaire|connue?s?|spécialisée?s?|détenue?s?|fondée?s?|créée?s?)"
)
DESCRIPTOR_RE = re.compile(
    rf"\b(?:l['’]|le\s+|la\s+|ce\s+|cet\s+|cette\s+|du\s+|au\s+)(?:(?:autre|nouveau|grand|même|puissant|discret|célèbre)\s+)?"
    rf"(?P<head>{DESCRIPTOR_HEADS})\b(?P<tail>(?:\s+(?:(?:de|du|des)\s+(?:la\s+|l['’])?[\w-]+(?:\s+en\s+ligne)?|d['’][\w-]+|(?!{_NOT_ADJECTIVE}\b)[a-zà-ÿ][\w-]*)){{0,3}})",
    re.IGNORECASE,
)
PRONOUN_RE = re.compile(
    r"\b(?:il|elle|ce\s+dernier|cette\s+dernière|celui-ci|celle-ci)\b(?!\s+(?:y\s+a|faut|s['’]agit|est\s+prévu|reste))",
    re.IGNORECASE,
)
NATIONALITY_RE = re.compile(rf"\b(?:{NATIONALITIES})\b", re.IGNORECASE)
_PERSON_BEFORE_RE = re.compile(rf"{PERSON_TITLE_RE}\s+$")
_PERSON_AFTER_RE = re.compile(
    rf"^\s*,\s*(?:le\s+|la\s+|l['’])?(?:nouveau\s+|nouvelle\s+)?{PERSON_TITLE_RE}\b", re.IGNORECASE
)
# Verbs and signs that make a sentence-initial capitalised word a subject rather than a common noun.
_SUBJECT_NEXT_RE = re.compile(
    r"^\s*(?:,|:|\(|–|—|et\s+(?-i:[A-ZÀ-Ý])|a\b|va\b|vont\b|avait\b|aura\b|s['’]|se\b|y\b|est\b|sera\b|devrait|pourrait|compte|entend|veut|"
    r"souhaite|prévoi\w*|projette|investi\w*|inject\w*|consacr\w*|met\b|mettra|débloqu\w*|engag\w*|lanc\w*|construi\w*|"
    r"ouvr\w*|implant\w*|étend\w*|renforc\w*|mise\b|misera|mobilis\w*|réalis\w*|confirm\w*|dévoil\w*|officialis\w*|"
    r"choisi\w*|agrandi\w*|double\w*|triple\w*|accélèr\w*|poursui\w*|annonc\w*|décid\w*|financ\w*|alloue\w*|apport\w*|"
    r"promet|promis|table|parie|prend|crée|créera|dépense\w*|signe\w*|rejoin\w*|installe\w*)",
    re.IGNORECASE,
)
_LEGAL_SUFFIXES = {"sa", "sas", "se", "inc", "inc.", "ltd", "gmbh", "ag", "corp", "corp.", "corporation", "plc", "nv", "bv",
                   "france", "group", "groupe", "holding", "holdings", "co", "llc", "spa", "s.a.", "limited",
                   "ab", "oy", "kk", "pte", "srl", "sarl", "bhd", "pty", "ltda"}  # fmt: skip
# Sub-brands that reporters name in place of the investor.
ALIASES = {"aws": "Amazon", "amazon web services": "Amazon", "amazon france logistique": "Amazon",
           "google cloud": "Google", "microsoft azure": "Microsoft", "azure": "Microsoft"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mention:
    """A possible investor in a sentence: a name, or a descriptor/pronoun to resolve.

    rank: 0 when it stands where a subject stands (clause start, after a comma or a conjunction),
    1 after "de" (owner, parent: "celui d'Envision", "propriétaire de Cartier"), 2 after any other
    preposition or a noun (a partner, a place, a customer: "avec Renault", "à Illange").
    """

    kind: str  # name, descriptor, pronoun
    surface: str
    start: int
    end: int
    name: str | None = None
    hints: tuple[str, ...] = ()
    nationality: str | None = None
    rank: int = 0


_SUBJECT_BEFORE_RE = re.compile(
    r"(?:^|[,;:(«\"“—–•*]|\b(?:et|mais|ou|puis|donc|car|que|qu['’]|enfin|c['’]est|ce\s+sont|aussi|ainsi|alors|quant\s+à|désormais|lundi|mardi|d['’]abord|côté|place\s+à|"
    r"mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui|déjà|également|ensuite|outre|notamment|lui|elle))\s*$",
    re.IGNORECASE,
)
# "celui d'Envision", "propriétaire de Cartier", "l'usine de Pfizer": the owner of what precedes.
_OWNER_BEFORE_RE = re.compile(
    r"\b(?:celui|celle|ceux|propriétaire|maison\s+mère|filiale|groupe|société|projet|investissement|annonce|plan|"
    r"patron|PDG|président|directeur|dirigeant|branche|division|fondateur|marque|actionnaire|tour|cas|arrivée|venue|"
    r"engagement|décision|choix|promesse|vient|provient|émane|signée?|portée?|menée?)s?\s+(?:de|du|des|d['’])\s*(?:la\s+|l['’])?$|"
    r"\b(?:chez|par)\s*(?:l['’]|le\s+|la\s+)?$",
    re.IGNORECASE,
)
# "(Bas-Rhin)", "(59)": what follows a place name, never a company.
_PLACE_AFTER_RE = re.compile(r"^\s*\((?:\d{2,3}|[^)]{3,40})\)")


# "Le VC londonien Atomico", "la banque américaine JPMorgan": a noun phrase at clause start in apposition.
_APPOSITION_BEFORE_RE = re.compile(
    r"(?:^|[,;:(«\"“—–•*]|\b(?:et|mais|que|qu['’]|enfin|ensuite|puis|alors|lui|elle))\s*(?:le|la|l['’]|ce|cet|cette)\s*"
    r"(?:(?!(?:de|du|des|d|à|au|aux|en|pour|avec|dans|sur|par|chez|qui|que|dont)\b)[\w-]+\s+){1,3}$",
    re.IGNORECASE,
)


def _rank(sentence: str, start: int) -> int:
    before = sentence[max(0, start - 60) : start]
    if re.fullmatch(r"\s*(?:[-–—•*▪►·]|\d{1,2}[.)])?\s*", before) or _SUBJECT_BEFORE_RE.search(before):
        return 0
    if _APPOSITION_BEFORE_RE.search(before):
        return 0
    return 1 if _OWNER_BEFORE_RE.search(before) else 2


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    return strip_accents(text).lower().replace("’", "'")


def canonical_name(surface: str) -> str:
    """Display name: "Microsoft France" -> "Microsoft", "AWS" -> "Amazon"."""
    name = surface.strip(" .,;:").replace("’", "'")
    alias = ALIASES.get(fold(name))
    if alias:
        return alias
    tokens = name.split()
    while len(tokens) > 1 and fold(tokens[-1]).rstrip(".") in _LEGAL_SUFFIXES:
        tokens.pop()
    return " ".join(tokens)


def investor_key(name: str) -> str:
    """Merge key: lower case, no accents, punctuation or legal suffix ("L’Oréal SA" -> "l'oreal")."""
    folded = fold(canonical_name(name))
    alias = ALIASES.get(folded)
    if alias:
        folded = fold(alias)
    tokens = [t for t in re.split(r"[\s,.]+", folded) if t]
    while len(tokens) > 1 and tokens[-1] in _LEGAL_SUFFIXES:
        tokens.pop()
    return re.sub(r"[^\w&' -]", "", " ".join(tokens)).strip()


_HOME_PLACE_BEFORE_RE = re.compile(
    r"\b(?:basée?s?|installée?s?|établie?s?|domiciliée?s?|siégeant|originaires?|dont\s+le\s+siège\s+est|"
    r"headquartered|née?s?|venue?s?|venant)\s+(?:à|de|d['’]|du|en|au|in)\s*$",
    re.IGNORECASE,
)
# "Toyota à Onnaing", "l'usine de Grovemont", "près de Valenciennes": a capitalised word in a locative slot
# is a place even when no gazetteer knows it, and a place never invests. "quant à X", "grâce à X" are not
# locative; neither is "à la"/"à l'" (a company object: "à l'américain X").
LOCATIVE_SLOT_RE = re.compile(
    r"(?:(?<![\w'’-])à|\b(?:près|proche|non\s+loin|aux\s+portes|usine|site|commune|ville|région|agglomération|"
    r"bassin|environs|périphérie|banlieue|zone\s+industrielle|port)\s+(?:de|d['’]|du))\s*$"
)
_NOT_LOCATIVE_RE = re.compile(
    r"\b(?:quant|grâce|face|place|cédée?s?|vendue?s?|confiée?s?|attribuée?s?|consacrée?s?|dédiée?s?|destinée?s?|"
    r"réservée?s?|liée?s?|associée?s?|appartenant|revient|reviennent|s['’]ajoute|s['’]ajoutent)\s+à\s*$"
)
# ", un fabricant américain", ", filiale de": an apposition that makes the name before it an organisation.
_ORGANISATION_AFTER_RE = re.compile(
    rf"^\s*,\s*(?:(?:un|une|le|la|l['’])\s*)?(?:\w+\s+)?(?:{DESCRIPTOR_HEADS})\b",
    re.IGNORECASE,
)
_DATELINE_AFTER_RE = re.compile(
    r"\s*(?:\([^)]{1,30}\)\s*)?,\s*(?:le\s+)?\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre)\b",
    re.IGNORECASE,
)
_PUBLIC_BODIES = frozenset({"region", "departement", "ville", "metropole", "conseil", "communaute", "agglomeration",
                            "prefecture", "etat", "collectivite", "mairie", "commune"})  # fmt: skip
_INTRO_WORD_RE = re.compile(r"(?:é|ée|és|ées|ment|ant|ants)$")


def acts_as_subject(sentence: str, end: int) -> bool:
    """Whether the words after a name read as its verb ("Yara prévoit", "Pfizer, qui...")."""
    return bool(_SUBJECT_NEXT_RE.match(sentence[end:]))


def _is_person(tokens: list[str], sentence: str, start: int, end: int) -> bool:
    if len(tokens) >= 2 and fold(tokens[0]) in FIRST_NAMES:
        return True
    if _PERSON_BEFORE_RE.search(sentence[max(0, start - 30) : start]):
        return True
    return bool(_PERSON_AFTER_RE.match(sentence[end : end + 40]))


_MONTHS_AS_NAMES = {"mars", "mai"}  # "Mars investira...", a company that is also a month
_DATE_BEFORE_RE = re.compile(
    r"(?:\d|\b(?:en|fin|début|mi|de|depuis|d['’]ici|courant|dès|avant|après|le|au|du))\W*$", re.IGNORECASE
)


def _month_company(raw: str, sentence: str, start: int, end: int) -> bool:
    return (
        fold(raw) in _MONTHS_AS_NAMES
        and bool(_SUBJECT_NEXT_RE.match(sentence[end:]))
        and not _DATE_BEFORE_RE.search(sentence[max(0, start - 12) : start])
    )


# Capitalised words that end company names ("Najd Capital", "Mistral AI") although alone they are no name.
_NAME_TAIL_WORDS = frozenset({"capital", "ai", "ia", "tech", "data", "cloud", "business", "international", "invest",
                              "express", "point", "nouvelle", "europe", "energy"})  # fmt: skip
# Words inside a name that say it is an organisation ("Stålverk Nord AB", "Najd Capital").
LEGAL_OR_TAIL_WORDS = frozenset(_LEGAL_SUFFIXES - {"france", "co", "se"}) | _NAME_TAIL_WORDS
DESCRIPTOR_HEADS_RE = re.compile(rf"(?:{DESCRIPTOR_HEADS})\b", re.IGNORECASE)
_TAIL_STOP = (STOP_WORDS - _NAME_TAIL_WORDS) | {"sa", "sas", "inc", "ltd"}


def _trim(tokens: list[str]) -> list[str]:
    while tokens and (fold(tokens[0]) in STOP_WORDS or len(tokens[0]) == 1):
        tokens = tokens[1:]
    while tokens and (
        fold(tokens[-1]).rstrip(".") in _TAIL_STOP or (len(tokens) == 1 and fold(tokens[0]) in STOP_WORDS)
    ):
        tokens = tokens[:-1]
    return tokens


# Heads of institution names whose head is a common word: "la Caisse Laurentienne de retraite",
# "la Banque Nordique d'investissement", "le Fonds Boréal pour le climat".
_INSTITUTION_HEADS = frozenset({"caisse", "fonds", "banque", "fondation", "office", "autorite", "mutuelle",
                                "compagnie", "societe", "regie"})  # fmt: skip
_INSTITUTION_BEFORE_RE = re.compile(r"(?:^|\b(?:la|le|les|du|de|des|au|aux)\s+|\b[ld]['’])$", re.IGNORECASE)
_INSTITUTION_TAIL_RE = re.compile(
    r"(?:\s+(?:de|du|des|pour)\s+(?:la\s+|le\s+|l['’])?|\s+d['’])((?-i:[a-zà-ÿ][\w-]+))(?:\s+(?-i:[a-zà-ÿ]{4,}))?",
    re.IGNORECASE,
)
_BOUNDARY_RE = re.compile(r"\s*(?:[,;:.()«»]|$)")


def _institution_span(raw_tokens: list[str], sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Where an institution's name ends when it opens with a head such as "Caisse" and a proper word."""
    if raw_tokens and fold(raw_tokens[0]) in (
        "la",
        "le",
        "les",
    ):  # "La Banque Boréale ..." opening a sentence
        start, raw_tokens = start + len(raw_tokens[0]) + 1, raw_tokens[1:]
    if len(raw_tokens) < 2 or fold(raw_tokens[0]) not in _INSTITUTION_HEADS:
        return None
    if not _INSTITUTION_BEFORE_RE.search(sentence[max(0, start - 6) : start]):
        return None
    if all(fold(t) in STOP_WORDS for t in raw_tokens[1:]):
        return None  # "la Caisse des Dépôts" style heads with only common words stay as they were
    tail = _INSTITUTION_TAIL_RE.match(sentence, end)
    if tail is not None:
        # The complement is one or two lower-case words; the name ends where a clause or a verb starts.
        for stop in sorted({tail.end(), tail.end(1) if tail.group(1) else tail.end()}):
            if _BOUNDARY_RE.match(sentence, stop) or acts_as_subject(sentence, stop):
                return start, stop
    return (start, end) if acts_as_subject(sentence, end) or _BOUNDARY_RE.match(sentence, end) else None


def _name_mention(
    m: re.Match[str], sentence: str, excluded: list[tuple[int, int]], known: frozenset[str]
) -> Mention | None:
    start, end = m.start("name"), m.end("name")
    if any(a <= start < b for a, b in excluded):
        return None
    raw = m.group("name").rstrip(".")
    raw_tokens = raw.split()
    as_place = raw.title() if raw.isupper() else raw  # "ROUEN, 13 mai (AFP) -": a dateline's town
    dateline = raw.isupper() and not sentence[:start].strip() and _DATELINE_AFTER_RE.match(sentence, end)
    if is_french_place(as_place) or is_foreign_place(as_place) or dateline:
        return None  # before trimming: "Grand Est" is a region, not a company "Grand"
    if (
        any(fold(t) in _PUBLIC_BODIES for t in raw_tokens[:2])
        or (len(raw_tokens) > 1 and is_french_place(" ".join(raw_tokens[1:])))
        or (len(raw_tokens) > 1 and raw_tokens[0] == "France")
    ):
        # "la Région Grand Est", "Métropole Lyon", "France Travail": public actors fund, they do not invest.
        return None
    institution = _institution_span(raw_tokens, sentence, start, end)
    if institution is not None:
        # "la Caisse Laurentienne de retraite": the head and its complement are part of the name.
        tokens = sentence[institution[0] : institution[1]].split()
    elif _month_company(raw, sentence, start, end):
        tokens = raw_tokens
    else:
        tokens = _trim(raw_tokens)
    if not tokens:
        return None
    surface = " ".join(tokens)
    start = start + raw.find(tokens[0])
    end = start + len(surface)
    folded = fold(surface)
    if folded in STOP_PHRASES or any(
        p in folded.replace(" ", "") for p in ("choosefrance", "businessfrance")
    ):
        return None
    if is_french_place(surface) or is_foreign_place(surface) or surface.isdigit():
        return None
    if parse_word_number(surface) is not None:
        return None  # "Trente-sept milliards d'euros..." opens with a number, not a name
    if (
        LOCATIVE_SLOT_RE.search(sentence, max(0, start - 40), start)
        and not _NOT_LOCATIVE_RE.search(sentence, max(0, start - 40), start)
        and not _ORGANISATION_AFTER_RE.match(sentence, end)
        and not any(fold(t).rstrip(".") in _LEGAL_SUFFIXES | _NAME_TAIL_WORDS for t in tokens[1:])
    ):
        return None  # "Toyota à Onnaing : 300 millions": a town the gazetteer does not list
    if _HOME_PLACE_BEFORE_RE.search(sentence, max(0, start - 40), start):
        return None  # "le groupe basé à Sheffield": a home town, whatever its name
    if is_common_word(surface):
        return None  # "Investissement : 220 millions", "Tourisme : ...": a label or a topic, not a company
    if PUBLIC_ROLE_BEFORE_RE.search(sentence[max(0, start - 70) : start]):
        return None  # "ministre délégué à l'Industrie": the field of a public office
    after_paren = _PLACE_AFTER_RE.match(sentence[end:])
    if after_paren and (
        is_french_place(after_paren.group(0).strip(" ()")) or after_paren.group(0).strip(" ()").isdigit()
    ):
        return None
    if _is_person(tokens, sentence, start, end):
        return None
    elided = m.group("elision")
    if elided and elided[0] in "Ll" and len(tokens) == len(raw.split()):
        # "L'Oréal", "L'Occitane": the article is part of the name.
        surface = elided.replace("’", "'") + surface
        start -= len(elided)
    initial = bool(re.fullmatch(r"\W*", sentence[:start])) and len(tokens) == 1 and surface.istitle()
    if (
        initial
        and fold(surface) not in known
        and _INTRO_WORD_RE.search(surface)
        and sentence[end:].startswith(",")
    ):
        return None  # "Contacté, le groupe...", "Concrètement, ...": an opening participle or adverb
    # A sentence-initial capitalised word is a company only if it acts as a subject or is named elsewhere.
    if (
        initial
        and not re.search(r"\d", surface)
        and not _SUBJECT_NEXT_RE.match(sentence[end:])
        and fold(surface) not in known
        and sentence[end:].strip(" *_:#") != ""  # a heading that is only a name ("## Kuroda Precision")
    ):
        return None
    return Mention("name", surface, start, end, name=canonical_name(surface), rank=_rank(sentence, start))


def _descriptor_mention(m: re.Match[str], sentence: str) -> Mention:
    tail = m.group("tail") or ""
    low = fold(m.group(0))
    hints: tuple[str, ...] = ()
    for key, targets in DESCRIPTOR_HINTS.items():
        if fold(key) in low:
            hints = targets
            break
    nat = NATIONALITY_RE.search(m.group("head") + tail)
    nationality = fold(nat.group(0)) if nat else None
    # "venue du groupe suisse": the contracted article holds the "de" that makes an owner.
    contracted = m.group(0)[:3].lower() in ("du ", "au ")
    return Mention(
        "descriptor",
        m.group(0),
        m.start(),
        m.end(),
        hints=hints,
        nationality=nationality,
        rank=_rank(sentence, m.start() + 3) if contracted else _rank(sentence, m.start()),
    )


def known_names(sentences: list[str]) -> frozenset[str]:
    """Folded names that appear capitalised inside sentences: they are names even when they open one."""
    found: set[str] = set()
    for sentence in sentences:
        for m in NAME_SEQ_RE.finditer(sentence):
            if m.start() > 2 and not re.search(r"[.!?:]\s*$", sentence[: m.start()]):
                found.add(fold(m.group("name").split()[0]))
    return frozenset(found - STOP_WORDS)


_COORDINATED_RE = re.compile(
    r"\s*(?:,\s*)?(?:et|ainsi\s+que|ou)\s+(?:de\s+|d['’]|du\s+|des\s+|à\s+|au\s+|aux\s+)?(?:l['’]|le\s+|la\s+|les\s+)?$",
    re.IGNORECASE,
)
_HOME_BEFORE_RE = re.compile(r"\b(?:de|du|d['’])\s*$", re.IGNORECASE)
_OF_RE = re.compile(r"\b(?:de|du|des|d['’])(?:\s|(?<=['’]))", re.IGNORECASE)


def _is_home(descriptor_to_name: str) -> bool:
    """ "la société de " before a name: one "de", right before it ("la société de gestion de X" is not)."""
    return bool(_HOME_BEFORE_RE.search(descriptor_to_name)) and len(_OF_RE.findall(descriptor_to_name)) == 1


# Heads that name a relation to another company: "la filiale de Stellantis" is about Stellantis's subsidiary.
_RELATION_HEAD_RE = re.compile(
    r"^(?:l['’]|le\s+|la\s+|ce\s+|cet\s+|cette\s+)(?:\w+\s+)?(?:filiale|coentreprise|joint-venture|consortium|"
    r"sous-traitant|fournisseur|distributeur|holding|actionnaire|branche)\b",
    re.IGNORECASE,
)


def find_mentions(sentence: str, known: frozenset[str] = frozenset()) -> list[Mention]:
    """Names, descriptors and subject pronouns, left to right; a descriptor followed by a name is that name."""
    descriptors = [_descriptor_mention(m, sentence) for m in DESCRIPTOR_RE.finditer(sentence)]
    excluded = [(d.start, d.end) for d in descriptors if d.hints]
    names = [n for m in NAME_SEQ_RE.finditer(sentence) if (n := _name_mention(m, sentence, excluded, known))]
    kept: list[Mention] = list(names)
    for d in descriptors:
        # "la société de Pittsburgh", "le groupe de Séoul": the name is the company's home, not the company.
        home = next(
            (n for n in names if d.start < n.start < d.end and _is_home(sentence[d.start : n.start])), None
        )
        if home is not None and not _RELATION_HEAD_RE.match(d.surface):
            kept.remove(home)
            names.remove(home)
            kept.append(d)
            continue
        # Apposition: "l'opérateur japonais KDDI" names KDDI; the descriptor adds only its nationality.
        follower = next(
            (
                n
                for n in names
                if d.start <= n.start <= d.end + 3 and not re.search(r"\w", sentence[d.end : n.start])
            ),
            None,
        )
        if follower is not None:
            kept[kept.index(follower)] = Mention(
                "name", follower.surface, follower.start, follower.end, follower.name,
                nationality=d.nationality or follower.nationality, rank=d.rank,
            )  # fmt: skip
            continue
        if any(n.start <= d.start < n.end for n in names):
            continue
        kept.append(d)
    for m in PRONOUN_RE.finditer(sentence):
        if not any(k.start <= m.start() < k.end for k in kept):
            kept.append(Mention("pronoun", m.group(0), m.start(), m.end(), rank=_rank(sentence, m.start())))
    kept.sort(key=lambda k: k.start)
    for i in range(1, len(kept)):
        # "en partenariat avec l'INSA et l'École centrale": what is coordinated with a partner is a partner.
        if (
            kept[i - 1].rank == 2
            and kept[i].rank < 2
            and _COORDINATED_RE.match(sentence, kept[i - 1].end, kept[i].start)
        ):
            kept[i] = replace(kept[i], rank=2)
    return kept
