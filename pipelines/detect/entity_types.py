"""The type of each name of an article (ORG, PER, LOC, OTHER or UNK), from evidence gathered over the
whole article: what one sentence says of a name holds in all of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipelines.detect import lexicon
from pipelines.detect.companies import investor_key
from pipelines.detect.entities import RawName, descriptor_re, raw_names
from pipelines.detect.first_names import is_first_name
from pipelines.detect.places import geography_kind, is_foreign_place
from pipelines.detect.sectors import sector_labels

_I = re.IGNORECASE
# "Toyota à Onnaing", "l'usine de Grovemont": a name in a locative slot is a place whatever its name.
_LOCATIVE_BEFORE_RE = re.compile(
    r"(?:(?<![\w'’-])(?:à|in|near|outside)|\b(?:près|proche|non\s+loin|aux\s+portes|usine|site|commune|ville|région|agglomération|"
    r"bassin|environs|périphérie|banlieue|zone|port|quartier|plateforme\s+\w+|vallée|val|plaine|plateau|massif|"
    r"littoral|côte|baie|estuaire|delta|golfe|pays)\s+(?:de|d['’]|du|des))\s*$"
)
_NOT_LOCATIVE_RE = re.compile(
    r"\b(?:quant|grâce|face|place|cédée?s?|vendue?s?|confiée?s?|attribuée?s?|consacrée?s?|dédiée?s?|destinée?s?|"
    r"réservée?s?|liée?s?|associée?s?|appartenant|revient|reviennent|s['’]ajoute|s['’]ajoutent|fournisseur)\s+à\s*$",
    _I,
)
_HOME_BEFORE_RE = re.compile(
    r"\b(?:basée?s?|installée?s?|établie?s?|domiciliée?s?|siégeant|originaires?|dont\s+le\s+siège\s+est|"
    r"headquartered|née?s?|venue?s?|venant|groupe\s+de|société\s+de|firme\s+de|fonds\s+de)\s+(?:à|de|d['’]|du|en|au|in)?\s*$",
    _I,
)
_PROJECT_NAME_BEFORE_RE = re.compile(
    r"\b(?:projet|programme|opération|plan|campus|baptisée?|nommée?|dénommée?|surnommée?|appelée?|"
    r"(?:nom\s+de\s+)?code|label|initiative|dispositif|site|usine|centre)\s*[«\"“]?\s*$",
    _I,
)
_PUBLIC_ROLE_BEFORE_RE = re.compile(
    r"\b(?:ministres?|ministère|secrétaire\s+d['’]État|secrétariat\s+d['’]État|haut[-\s]commissa\w+|commissaire|"
    r"délégation|direction\s+générale|conseil\s+national|agence\s+nationale|observatoire|comité\s+interministériel)"
    r"(?:\s+(?:délégué|déléguée|chargée?|adjointe?|d['’]État|européen|européenne))*"
    r"\s+(?:(?:de|à|du|au|aux|des|d['’]|l['’]|la|le|les|et)\s*)+$",
    _I,
)
_ORG_AFTER_RE_TEMPLATE = r"^\s*(?:,|\()\s*(?:(?:un|une|le|la|l['’])\s*)?(?:\w+\s+)?(?:{heads})\b"
# A commune's compound name: words joined by a place-name particle ("-sur-", "-lès-", "-l'", "-aux-").
_COMPOUND_PLACE_RE = re.compile(
    r"\w-(?:sur|sous|en|lès|lez|le|la|les|de|du|des|aux|et|près)-\w|\w-[ld]['’]\w", re.IGNORECASE
)
# Whoever a newsroom says it reached or asked is the newsroom itself: "Contacté par AgroÉquipements Mag".
_ASKED_BY_BEFORE_RE = re.compile(
    r"\b(?:contacté|interrogé|sollicité|joint|questionné|cité)e?s?\s+par\s*$|\bconfié\w*\s+à\s*$",
    re.IGNORECASE,
)
# "AÉRO & INDUSTRIE — Le magazine de la filière": an outlet's masthead.
_MASTHEAD_AFTER_RE = re.compile(
    r"\s*[-–—|:]\s*(?:le|la|l['’]|votre|ton)\s*(?:\w+\s+)?(?:magazine|quotidien|journal|hebdo\w*|site|lettre|mensuel|"
    r"newsletter|média|revue|portail|blog)\b",
    re.IGNORECASE,
)
_DATE_WORDS = frozenset({"mars", "mai"})
_DATE_AROUND_RE = re.compile(
    r"(?:\d|\b(?:en|fin|début|mi|depuis|d['’]ici|courant|dès|avant|après|le|au|du))\W*$", _I
)
_DATELINE_AFTER_RE = re.compile(r"\s*(?:\([^)]{1,30}\)\s*)?,\s*(?:le\s+)?\d{1,2}(?:er)?\s+\w+", _I)


@cache
def _org_after_re() -> re.Pattern[str]:
    return re.compile(
        _ORG_AFTER_RE_TEMPLATE.format(heads=lexicon.token_alternation("entities", "descriptor_heads")), _I
    )


@cache
def _title_before_re() -> re.Pattern[str]:
    return re.compile(lexicon.alternation("entities", "person_titles") + r"\s*$", _I)


def _org_after(sentence: str, end: int) -> bool:
    return _org_after_re().match(sentence[end : end + 60]) is not None


def _apposed_descriptor(sentence: str, start: int) -> bool:
    """ "le fabricant taïwanais ProLogium", "l'américain Kestrel": a descriptor right before the name."""
    before = sentence[max(0, start - 80) : start]
    return any(m.end() >= len(before) - 1 for m in descriptor_re().finditer(before))


def _name_evidence(name: RawName, raw: str) -> set[str]:
    """What the name's own words say: a public body, an outlet, a place, a company, a person's name."""
    folded = lexicon.fold(name.surface)
    tokens = [t.strip(".,") for t in folded.split()]
    ev: set[str] = set()
    if folded in lexicon.words("entities", "public_phrases") or folded in lexicon.words(
        "entities", "outlet_phrases"
    ):
        ev.add("public")
    if folded in lexicon.words("entities", "public_figures_phrases"):
        ev.add("person")
    head = re.sub(r"^[ld]'", "", tokens[0])  # "l'Aéroport de Lyon"
    if head in lexicon.words("entities", "public_bodies") or (
        len(tokens) == 1 and tokens[0] in lexicon.words("entities", "outlets")
    ):
        ev.add("public")
    # Sector words read in the name's own case: "IA" is a label, "ai" a verb.
    if all(
        lexicon.fold(t.strip(".,")) in lexicon.words("entities", "common_words")
        or sector_labels(t.strip(".,"))
        for t in name.surface.split()
    ):
        ev.add("other")  # a label or a topic: "Investissement", "Semi-conducteurs", "Souveraineté numérique"
    ev |= _place_evidence(name.surface) or (_place_evidence(raw) if raw != name.surface else set())
    company = lexicon.words("entities", "company_words") | lexicon.words("entities", "legal_forms")
    if len(tokens) > 1 and any(t in company for t in tokens[1:]):
        ev.add("org")
    if folded in lexicon.mapping("companies", "aliases"):
        ev.add("org")
    if 2 <= len(tokens) <= 3 and is_first_name(tokens[0]) and not any(t in company for t in tokens):
        ev.add("first-name")
        if len(tokens[-1]) == 1:
            ev.add("person")  # "Hugo R.", "Jean-Luc P.": a first name and an initial, as comments sign
    return ev


def _lone_first_name(name: RawName) -> bool:
    return " " not in name.surface and is_first_name(name.surface)


def _place_evidence(surface: str) -> set[str]:
    """A place abroad, a région, a département or a town is a place; a small commune's name is only
    possibly one ("Richemont", "Mars"): the article must use it as a place somewhere."""
    if is_foreign_place(surface):
        return {"place"}
    kind = geography_kind(surface)
    if kind is None:
        return set()
    if kind == "small" and _COMPOUND_PLACE_RE.search(surface):
        return {
            "place"
        }  # "Gonfreville-l'Orcher", "Port-la-Nouvelle": the shape of a commune's name, not a brand's
    return {"small-place"} if kind == "small" else {"place"}


# Verbs and signs after a sentence's first word that make it a subject rather than an opening word.
_SUBJECT_NEXT_RE = re.compile(
    r"^\s*(?:,|\(|–|—|et\s+(?-i:[A-ZÀ-Ý])|a\b|va\b|vont\b|avait\b|aura\b|s['’]|se\b|y\b|est\b|sera\b|devrait|pourrait|compte|entend|veut|"
    r"souhaite|prévoi\w*|projette|investi\w*|inject\w*|consacr\w*|met\b|mettra|débloqu\w*|engag\w*|lanc\w*|construi\w*|"
    r"ouvr\w*|implant\w*|étend\w*|renforc\w*|mise\b|misera|mobilis\w*|réalis\w*|confirm\w*|dévoil\w*|officialis\w*|"
    r"choisi\w*|agrandi\w*|double\w*|triple\w*|accélèr\w*|poursui\w*|annonc\w*|décid\w*|financ\w*|alloue\w*|apport\w*|"
    r"promet|promis|table|parie|prend|crée|créera|dépense\w*|signe\w*|rejoin\w*|installe\w*|porte|portera|recrute\w*|"
    r"embauche\w*|relocalise\w*|emploie\w*|produit|fabrique|détient|possède|dispose|:)",
    _I,
)
_ITEM_START_RE = re.compile(r"^\W{0,3}\s*(?:\d{1,2}[.)]\s*|\d{1,2}\s?h\s?\d{2}\s*[-–—:]\s*)?$")


# The shape of a sentence's first word when it is a participle, an adverb or an infinitive, not a name.
_INFLECTED_RE = re.compile(r"(?:é|ée|és|ées|ant|ants|ment|er|ir)$")
# What follows a first word that is no subject: a preposition, an article, an adverb, a day, a number.
_NOT_A_VERB_NEXT_RE = re.compile(
    r"^\s+(?:à|a|au|aux|en|de|du|des|d['’]|pour|par|sur|sous|dans|avec|chez|vers|le|la|les|l['’]|un|une|bien|donc|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|demain|depuis|ici|là|que|qu['’]|ça|ce|c['’]|\d)\b",
    _I,
)


def _opener(name: RawName, sentence: str, mid_names: set[str]) -> bool:
    """A sentence's first word that is no name: "Présent lundi à Versailles, ...", "Dimensionnée pour",
    "Relocaliser la production". A first word is a name when the article writes it capitalised inside
    a sentence too, when a verb follows it, or when it heads a list item ("Ericsson : ...")."""
    if " " in name.surface or not _ITEM_START_RE.match(sentence[: name.start]):
        return False
    if name.key in mid_names or re.search(r"\d|[A-Z].*[A-Z]", name.surface):
        return False
    after = sentence[name.end :]
    if _SUBJECT_NEXT_RE.match(after) and not (
        _INFLECTED_RE.search(name.surface.lower()) and after.startswith(",")
    ):
        return False
    if not after.strip(" *_:#"):
        return False  # a heading that is only a name ("## Kuroda Precision")
    return bool(_INFLECTED_RE.search(name.surface.lower()) or _NOT_A_VERB_NEXT_RE.match(after))


def local_evidence(name: RawName, sentence: str) -> set[str]:
    """What a name's own words and its sentence say of its type."""
    raw = name.raw
    ev = _name_evidence(name, raw)
    start, end = name.start, name.end
    before = sentence[max(0, start - 80) : start]
    if _title_before_re().search(before[-70:]):
        ev.add("person")
    person = lexicon.regex("entities", "person_after").search(sentence[end : end + 60])
    if person:
        ev.add("person")
    # "lance Corinne, caissière": a speaker named by a first name alone is a person too.
    if lexicon.regex("entities", "speech_before").search(before) and (
        "first-name" in ev or _lone_first_name(name)
    ):
        ev.add("person")
    # ", journaliste spécialiste de l'automobile": what follows a person's occupation describes the person.
    if _apposed_descriptor(sentence, start) or (_org_after(sentence, end) and not person):
        ev.add("org")
    if _LOCATIVE_BEFORE_RE.search(before) and not _NOT_LOCATIVE_RE.search(before):
        ev.add("locative")
    if re.search(r"\b(?:du|au)\s+$", before) and geography_kind(f"Le {name.surface}"):
        ev.add("place")  # "du Havre", "au Mans"
    if re.match(r"\s*\((?:\d{2,3}|[^()]{3,40})\)", sentence[end:]) and "org" not in ev:
        bracket = sentence[end:].split(")")[0].strip(" (")
        if bracket.isdigit() or geography_kind(bracket) == "area":
            ev.add("place")  # "Brumath (Bas-Rhin)", "Grigny (91)"
    if re.match(
        r"\s*,\s*(?:petite?\s+|grande?\s+)?(?:commune|village|ville|bourg|cité|agglomération)\b",
        sentence[end:],
        _I,
    ):
        ev.add("place")
    if _HOME_BEFORE_RE.search(before[-40:]):
        ev.add("place")
    lead = raw[: max(0, raw.find(name.surface))] if raw != name.surface else ""
    if _PROJECT_NAME_BEFORE_RE.search((before + lead)[-30:]) and "org" not in ev:
        ev.add("project")
    if _ASKED_BY_BEFORE_RE.search(before[-40:]) or _MASTHEAD_AFTER_RE.match(sentence, end):
        ev.add("public")
    if _PUBLIC_ROLE_BEFORE_RE.search(before[-70:]):
        ev.add("other")
    if lexicon.regex("entities", "acquisition_before").search(before[-60:]):
        ev.add("target")
    if lexicon.fold(name.surface) in _DATE_WORDS and (
        _DATE_AROUND_RE.search(before[-12:]) or re.match(r"\s+\d{4}", sentence[end:])
    ):
        ev.add("other")
    if raw.isupper() and not sentence[:start].strip() and _DATELINE_AFTER_RE.match(sentence, end):
        ev.add("place")  # "ROUEN, 13 mai (AFP) -": a dateline's town
    if (
        re.fullmatch(r"[A-Z]{2,6}", name.surface)
        and re.match(r"\)\s*[-–—:]", sentence[end:])
        and sentence[start - 1 : start] == "("
    ):
        ev.add("public")  # "VERSAILLES, 19 mai 2025 (AFI) -": the wire agency's code
    return ev


def _rubric(sentence: str) -> bool:
    """A short line in capitals with no verb sentence around it: an outlet's masthead, a kicker, a rubric."""
    letters = [c for c in sentence if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters) and len(sentence.split()) <= 6


@dataclass(slots=True)
class Typer:
    """Names of an article with their evidence, and the type each gets from all of it."""

    names: list[list[RawName]]
    evidence: dict[str, set[str]]

    @classmethod
    def read(cls, sentences: list[str]) -> Typer:
        names = [raw_names(s) for s in sentences]
        mid = {
            n.key
            for s, found in zip(sentences, names, strict=True)
            for n in found
            if not _ITEM_START_RE.match(s[: n.start])
        }
        evidence: dict[str, set[str]] = {}
        in_prose: set[str] = set()
        for sentence, found in zip(sentences, names, strict=True):
            rubric = _rubric(sentence)
            for n in found:
                n.evidence = local_evidence(n, sentence)
                if _opener(n, sentence, mid):
                    n.evidence.add("opener")
                evidence.setdefault(n.key, set()).update(n.evidence)
                if not rubric:
                    in_prose.add(n.key)
        for key, ev in evidence.items():
            if key not in in_prose:
                ev.add("other")  # only ever in a masthead, a kicker or a rubric line: "ÉQUIPEMENTIERS"
        people = [k for k, ev in evidence.items() if "person" in ev and " " in k]
        for key in people:  # "Kylian Mbappé" then "Mbappé"
            surname = key.split()[-1]
            if surname in evidence and "org" not in evidence[surname]:
                evidence[surname].add("person")
        return cls(names, evidence)

    def type_of(self, key: str) -> str:
        ev = self.evidence.get(key, set())
        if "public" in ev:
            return "OTHER"
        if "org" in ev:
            return "ORG"
        if "person" in ev:
            return "PER"
        if "place" in ev or "locative" in ev:
            return "LOC"
        if ev & {"other", "project", "opener"}:
            return "OTHER"
        if "first-name" in ev:
            # "Emmanuel Macron", but also "Eli Lilly": a person unless the name itself commits to a figure.
            return "PERQ"
        return "UNK"

    def targets(self) -> set[str]:
        """Companies the article says are bought: never investors."""
        return {k for k, ev in self.evidence.items() if "target" in ev}


def type_key(typer: Typer, surface: str) -> str:
    return typer.type_of(investor_key(surface))
