"""Who invests a figure: the subject before it, a name right after it ("... de la part de X"),
the investor of the figure before it in the same sentence, or the company the text is still about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pipelines import cues
from pipelines.amounts import Money, find_jobs, find_money
from pipelines.entities import Mention, acts_as_subject, canonical_name, find_mentions, fold
from pipelines.gazetteer import (
    IN_FRANCE_RE,
    foreign_places,
    french_places,
    is_foreign_place,
    is_french_place,
    places_near,
    strip_home_places,
)
from pipelines.lexicon import STOP_PHRASES
from pipelines.memory import EntityMemory
from pipelines.speakers import first_person as speaks_first_person

if TYPE_CHECKING:
    from collections.abc import Sequence

_AFTER_NAME_MAX = 90
# A name after the figure is its investor only when the words between say so.
_AFTER_LINK_RE = re.compile(
    r"^[^.;]{0,40}?(?:\bpar|\bde\s+la\s+part\s+(?:de|d['’])|\bpour\s+le\s+compte\s+(?:de|d['’])|\bque\s+(?:va|vont|compte|prévoit\s+d['’]|entend)\s+\w+|"
    r"\bc['’]est\s+(?:ce\s+que|le\s+montant\s+que)\s+(?:va|compte|prévoit\s+d['’])?\s*\w*|\bpour|\bchez|\bde|\bdu|\bd['’])\s*"
    r"(?:(?:(?:le|la|l['’])\s*|(?<=du\s)|(?<=des\s))[\w-]+(?:\s+[\w-]+){0,2}\s+)?$",
    re.IGNORECASE,
)
# "ce dossier de 300 millions", "le projet, chiffré à 1 milliard": the project of the company last named.
_PROJECT_REF_BEFORE_RE = re.compile(
    r"\b(?:ce|cet|cette|le|la|l['’])\s*(?:projet|dossier|investissement|chantier|programme|plan|usine|site|"
    r"implantation|extension)\s*,?\s+(?:de|d['’]|(?:estimé|chiffré|évalué)e?\s+à)\s*$",
    re.IGNORECASE,
)
# Heads of list items that sum the others up.
_AGGREGATE_HEADS = frozenset({"total", "totaux", "sous-total", "ensemble", "cumul", "somme", "montant", "bilan",
                              "autres", "divers", "reste", "tous", "toutes"})  # fmt: skip
# Lower-case words that belong to company names ("Banque de France", "Procter & Gamble").
_NAME_PARTICLES = frozenset(
    {"de", "du", "des", "d'", "&", "and", "et", "of", "the", "von", "van", "der", "y", "e"}
)
_HEAD_BRACKET_RE = re.compile(r"\([^()]{0,40}\)\s*(?:[:–—-]\s*)?")
# "... que mettra sur la table le fonds canadien ", "... qu'engagera l'éditeur suisse de logiciels ": a cleft
# sentence, the figure first and its investor, inverted, after the verb.
_CLEFT_LINK_RE = re.compile(
    r"^(?:\s*(?:d['’]\s?euros|de\s+dollars|€|M€|Md€))?[^.;:,«»()]{0,20}?\bqu(?:e\s+|['’]\s*)[^.;:,«»()]{0,70}$",
    re.IGNORECASE,
)
# A figureless commitment: an action on a facility ("ouverture d'un centre", "construire une usine").
ACTION_RE = re.compile(
    r"\b(?:constru(?:ire|ira|iront|irait|it|isent|ction)|implant\w*|ouvri(?:r|ra|ront|rait)|ouvre|ouverture|"
    r"install(?:er|era|eront|e|ation)|bâti(?:r|ra|ront)|agrandi\w*|étend(?:re|ra|ront)|extension|doubl\w*|tripl\w*|"
    r"inaugur\w*|cré(?:er|era|eront|e|ation)|confirm\w*|dévoil\w*|annonc\w*)\b",
    re.IGNORECASE,
)
FACILITY_RE = re.compile(
    r"\b(?:usines?|sites?|centres?|entrepôts?|campus|data\s*cent\w*|gigafactor\w*|plateformes?|laboratoires?|lignes?\s+de|"
    r"unités?|siège|hubs?|bureaux|pôles?|ateliers?|manufactures?|magasins?|hôtels?)\b",
    re.IGNORECASE,
)
_FACILITY_SPAN = 70
# A new project, not a facility's life: building, opening, settling, extending, investing in it; "annonce
# une usine" only with an indefinite or "new" facility. Inaugurating or keeping a site is no new commitment.
NEW_PROJECT_RE = re.compile(
    r"\b(?:constru(?:ire|ira|iront|irait|ction)|implant\w*|ouvri(?:r|ra|ront|rait)|ouverture|install(?:er|era|eront|ation)|"
    r"bâti(?:r|ra|ront)|agrandi\w*|étend(?:re|ra|ront)|extension|doubl\w*|tripl\w*|investi\w*|investissement|"
    r"cré(?:er|era|eront|ation)\s+(?:d['’]une?|un|une|de\s+(?:la|sa|son|leur)|sa|son)\s+(?:nouv\w+\s+|premi\w+\s+)?(?!emplois|postes)\w|"
    r"(?:annonc|confirm|dévoil)\w*\s+(?:l['’]arrivée|(?:une?|sa|son|leur)\s+(?:nouv\w+\s+|premi\w+\s+|futur\w*\s+)?"
    r"(?=usine|site|centre|entrepôt|campus|data|gigafactor|plateforme|laboratoire|ligne|unité|siège|hub|bureau|pôle|atelier)))",
    re.IGNORECASE,
)
# New jobs said as such: "créer 3 000 postes", "200 postes supplémentaires", "1 000 recrutements"; a bare
# head count ("prévoit une cinquantaine de postes") is no commitment.
NEW_JOBS_RE = re.compile(
    r"\b(?:cré(?:er|era|eront|ation|ations)|recrut\w*|embauch\w*)\b|\b(?:emplois|postes)\s+(?:\w+\s+)?(?:supplémentaires|nouveaux)|"
    r"\bnouveaux\s+(?:emplois|postes)|(?:nouv\w+|deux|trois|quatre|\d+)\s+(?:usines?|entrepôts?|sites?|centres?|data\s*cent\w*)",
    re.IGNORECASE,
)
# Keeping what exists ("s'engage à maintenir les 650 emplois"): the promise of a buyer, not an investment.
KEEP_RE = re.compile(r"\b(?:mainten\w*|maintien\w*|conserv\w*|préserv\w*|sauvegard\w*|pérenniser)\b", re.IGNORECASE)
_QUOTE_CLOSE_RE = re.compile(r"[»”\"]")
# « ... », a déclaré / explique / résume ...: the words that attribute a quotation.
_SPEECH_AFTER_RE = re.compile(
    r"[»”\"]\s*,?\s*(?:a-t-(?:il|elle)\s+|ont-ils\s+|ont-elles\s+)?(?:(?:a|ont|avait|avaient)\s+)?"
    r"(?:déclar|indiqu|expliqu|résum|soulign|précis|assur|affirm|confi|ajout|annonc|lanc|détaill|insist|martel|"
    r"prévien|prévenu|reconn|comment|gliss|rappel|estim|jug|promet|promis|dit|dévoil|résum|détaill|"
    r"se\s+félicit|se\s+réjou|s['’]enthousiasm|s['’]est\s+félicit|a\s+dit)\w*",
    re.IGNORECASE,
)
_GOVERNMENT_RE = re.compile(
    r"ministre|\bÉtat\b|\bEtat\b|pouvoirs\s+publics|MINISTRE|président\s+de\s+la\s+République|chef\s+de\s+l['’]État|Élysée|Elysée|Matignon|Bercy|"
    r"gouvernement|préfet|préfète|\bmaire\b|président\w*\s+de\s+(?:la\s+)?(?:région|Région|métropole|département)|"
    r"secrétaire\s+d['’]État|porte-parole\s+du\s+gouvernement|Business\s+France",
)
# A short label before a figure ("Le move :", "Montant :") or nothing: the figure belongs to the sentence before.
_LABEL_BEFORE_RE = re.compile(
    r"^\s*(?:[-–—•*]\s*)?(?!.*\b(?:chiffres?|total|totaux|bilan|records?|cumul|ensemble|somme|édition|sommet)\b)"
    r"(?:(?:[\w'’-]+,?\s+){0,6}[\w'’-]+\s*:\s*)?"
    r"(?:(?:plus|moins)\s+de\s+|près\s+de\s+|environ\s+|quelque\s+)?$",
    re.IGNORECASE,
)
# A label that says the figure is the money of the project just described: "Montant : 150 millions",
# "Investissement : 220 millions", "Montant annoncé lundi à Versailles : 5,2 milliards". No purpose needs to
# follow, unlike a label of any kind; a label of a total ("Montant total :") is not one.
_MONEY_LABEL_RE = re.compile(
    r"^\s*(?:[-–—•*]\s*)?(?:le\s+|l['’]|la\s+)?(?:montant|investissement|enveloppe|budget|mise|coût|ticket|chèque|capex|"
    r"somme\s+(?:investie|engagée|promise))s?\b(?![^:]*\b(?:total|totaux|global|globale|cumul\w*|bilan|ensemble|tous|toutes)\b)"
    r"[^:;.!?«»]{0,60}:\s*(?:(?:plus|moins)\s+de\s+|près\s+de\s+|environ\s+|quelque\s+)?$",
    re.IGNORECASE,
)
# "... : c'est ce que l'État débloquera": the figure's subject comes later in the sentence.
_SUBJECT_LATER_RE = re.compile(
    r"c['’]est\s+(?:ce|la\s+somme|le\s+montant)\s+qu|\bqu(?:e|['’])\s*(?:va|vont|a|ont)\b", re.I
)
_PURPOSE_AFTER_RE = re.compile(
    r"^\s*,?\s*(?:pour|afin\s+d|destinés?\s+à|dédiés?\s+à|consacrés?\s+à|investis|injectés|mobilisés|"
    r"sur\s+(?:\w+\s+)?(?:ans|années)\s+pour)\b",
    re.IGNORECASE,
)


class _UnitLike(Protocol):
    text: str
    mentions: list[Mention]
    topic: str | None
    context: str
    speaker: str | None
    speaker_org: str | None
    interviewer: bool
    carried: str | None


@dataclass(frozen=True, slots=True)
class Choice:
    investor: str | None
    anchor: int  # where the words that qualify the figure start
    bonus: float = 0.0
    reason: str | None = None
    # The investor is the subject before the figure ("X investira au total 300 millions"), not a name after it.
    subject: bool = False


@dataclass(frozen=True, slots=True)
class Commitment:
    investor: str
    confidence: float
    jobs: int | None


def _resolve(mention: Mention, earlier: Sequence[Mention], memory: EntityMemory) -> str | None:
    if mention.kind == "name":
        return mention.name
    names = [m for m in earlier if m.kind == "name" and m.end <= mention.start and m.rank <= 1]
    if names and not mention.hints:
        return min(names, key=lambda m: (m.rank, -m.start)).name
    return memory.resolve(mention)


def _is_joint(text: str, chosen: Mention, before: list[Mention]) -> bool:
    """ "Microsoft et Amazon investissent 5 milliards": one figure for several companies is a total."""
    names = [m for m in before if m.kind == "name" and m.end <= chosen.start]
    if not names:
        return False
    gap = text[names[-1].end : chosen.start]
    return bool(re.fullmatch(r"\s+(?:et|ainsi\s+que|ou)\s+", gap, re.IGNORECASE))


def choose_investor(unit: _UnitLike, money: Money, seg_start: int, seg_end: int, memory: EntityMemory,
                    earlier_subjects: Sequence[str | None], earlier_monies: Sequence[Money]) -> Choice:  # fmt: skip
    s = unit.text
    if seg_start == 0:
        if _total_row(s):
            return Choice(None, seg_start, reason="aggregate(total row)")
        head = list_head(s)
        if head is not None:
            return Choice(head, list_head_end(s), bonus=0.1)
        head_match = cues.LIST_HEAD_RE.match(s)
        if head_match is not None and head_match.start("head") <= money.start < head_match.end("head") + 1:
            # "• 300 M€ : Nordvik Wind, pour une usine de pales": the figure heads the item, the investor follows.
            named = next((m for m in unit.mentions if m.start >= head_match.end() and m.rank <= 1), None)
            if (
                named is None
                or named.kind != "name"
                or cues.negative_family(s[head_match.end() : named.start], "")
            ):
                return Choice(None, seg_start, reason="no-investor")
            return Choice(named.name, named.end, bonus=0.05)
    before = [m for m in unit.mentions if seg_start <= m.start and m.end <= money.start]
    if before:
        # The subject wins over owners ("propriétaire de Cartier"), owners over partners and places.
        best = min(m.rank for m in before)
        chosen = [m for m in before if m.rank == best][-1]
        names = [m for m in before if m.kind == "name" and m.rank <= chosen.rank]
        if chosen.kind != "name" and names and not chosen.hints:
            # "Microsoft a révélé qu'elle allait investir": the pronoun is the name before it.
            chosen = names[-1]
        if chosen.kind == "name" and _is_joint(s, chosen, before):
            return Choice(None, seg_start, reason="aggregate(joint)")
        investor = _resolve(chosen, unit.mentions, memory)
        if investor is None:
            return Choice(None, seg_start, reason="unresolved-descriptor")
        return Choice(
            investor, chosen.end, bonus=0.1 if chosen.kind == "name" else 0.05, subject=chosen.rank == 0
        )
    if (
        earlier_subjects
        and earlier_subjects[-1] is not None
        and not re.search(r"[;.]", s[seg_start : money.start])
    ):
        # "X investira 1 milliard à Dunkerque et 500 millions à Lyon", "X, qui avait annoncé 1 milliard en 2023,
        # ajoute 500 millions": the subject of the figure before, whether or not that one was an announcement.
        return Choice(earlier_subjects[-1], seg_start, bonus=-0.05)
    after = [
        m
        for m in unit.mentions
        if m.kind == "name" and money.end <= m.start < min(seg_end, money.end + _AFTER_NAME_MAX)
    ]
    linked = named_after(unit, money, seg_end)
    if linked is not None:
        return Choice(linked, seg_start, bonus=-0.05)
    if after and _CLEFT_LINK_RE.match(s[money.end : after[0].start]):
        # "C'est 2 milliards d'euros que mettra sur la table le fonds canadien Laurentide Capital."
        link = s[money.end : after[0].start]
        family = cues.negative_family(link, "") or (
            "aggregate" if cues.AGGREGATE_HINT_RE.search(link) else None
        )
        if family:
            return Choice(None, seg_start, reason=family)
        return Choice(after[0].name, seg_start, bonus=-0.05)
    # "Un milliard d'euros : c'est la somme que le norvégien Yara prévoit d'engager."
    subject = next((m for m in after if m.rank == 0 and acts_as_subject(s, m.end)), None)
    if subject is not None and not cues.AGGREGATE_HINT_RE.search(s[money.end : subject.start]):
        return Choice(subject.name, seg_start, bonus=-0.05)
    spoken = _spoken_by(unit, money, memory)
    if spoken is not None:
        return spoken
    if (
        unit.carried
        and not any(m.start < money.start or m.rank == 0 for m in unit.mentions)
        and (
            _MONEY_LABEL_RE.match(s[seg_start : money.start])
            or (
                _LABEL_BEFORE_RE.match(s[seg_start : money.start]) and _PURPOSE_AFTER_RE.match(s[money.end :])
            )
        )
        and not _GOVERNMENT_RE.search(s)
        and not _SUBJECT_LATER_RE.search(s, money.end)
    ):
        # "Nimbrel AI a pitché hier à Versailles. Le move : 75 millions d'euros pour ouvrir un hub R&D."
        return Choice(unit.carried, seg_start, bonus=-0.1)
    if unit.topic is None and (
        cues.PROJECT_ANAPHOR_RE.match(s)
        or cues.POSSESSIVE_RE.search(s[seg_start : money.start])
        or _PROJECT_REF_BEFORE_RE.search(s[seg_start : money.start])
    ):
        # The topic is filled in after the sentence is read; `memory` holds the company last named.
        latest = memory.latest()
        if latest and not earlier_monies:
            return Choice(latest, seg_start, bonus=-0.1)
    return Choice(None, seg_start, reason="no-investor")


def _spoken_by(unit: _UnitLike, money: Money, memory: EntityMemory) -> Choice | None:
    """The company whose people say the figure: in a quotation, the company named in its attribution
    (« ... 90 millions d'euros », a déclaré le PDG d'Orbis), else, if the quote speaks in the first person,
    the company the text is about; in a transcript, the company of the speaker who says "nous"."""
    s = unit.text
    before = s[: money.start]
    opened = before.count("«") + before.count("“") - before.count("»") - before.count("”")
    if opened > 0 or before.count('"') % 2 == 1:
        close = _QUOTE_CLOSE_RE.search(s, money.end)
        attribution = _SPEECH_AFTER_RE.match(s, close.start()) if close else None
        if attribution is None:
            return None
        rest = s[attribution.end() :]
        if _GOVERNMENT_RE.search(rest[:80]):
            return None  # a minister's "nous" is the State's
        named = next((m for m in unit.mentions if m.kind == "name" and m.start >= attribution.end()), None)
        quote_start = max(before.rfind(q) for q in '«“"') + 1
        if named is not None and named.name:
            return Choice(named.name, quote_start, bonus=-0.05)
        if speaks_first_person(s[: close.start()]) or cues.POSSESSIVE_RE.search(rest[:40]):  # type: ignore[union-attr]
            latest = memory.latest()
            return Choice(latest, quote_start, bonus=-0.1) if latest else None
        return None
    if unit.speaker is None or unit.interviewer or _GOVERNMENT_RE.search(unit.speaker):
        return None
    if not speaks_first_person(s):
        return None
    who = (
        (memory.find(unit.speaker_org) or canonical_name(unit.speaker_org.title()))
        if unit.speaker_org
        else None
    )
    who = who or memory.latest()
    return Choice(who, 0, bonus=-0.1) if who else None


def named_after(unit: _UnitLike, money: Money, seg_end: int) -> str | None:
    """The company a figure is said to be of, named right after it ("dont 300 millions pour Nordvik")."""
    s = unit.text
    after = [
        m
        for m in unit.mentions
        if m.kind == "name" and money.end <= m.start < min(seg_end, money.end + _AFTER_NAME_MAX)
    ]
    if after and _AFTER_LINK_RE.search(s[money.end : after[0].start]):
        return after[0].name
    return None


def list_head(text: str) -> str | None:
    """The investor named at the head of a list item ("- Mars : 100 M€ ..."), or None. A head in words
    ("- La start-up Mistral : ...") gives the name in it; a total ("- Total annoncé : ...") gives none."""
    m = cues.LIST_HEAD_RE.match(text)
    if m is None:
        return None
    head = m.group("head").split(",")[0].strip()
    tokens = head.split()
    if find_money(head):
        return None
    if (
        not tokens
        or fold(tokens[0]) in _AGGREGATE_HEADS
        or is_french_place(head)
        or is_foreign_place(head)
        or fold(head) in STOP_PHRASES
    ):
        return None
    if any(t[:1].islower() and fold(t) not in _NAME_PARTICLES for t in tokens):
        names = [x for x in find_mentions(head) if x.kind == "name"]
        return names[0].name if len(names) == 1 else None
    if len(tokens) > 4:
        return None
    return canonical_name(head)


def _total_row(text: str) -> bool:
    m = cues.LIST_HEAD_RE.match(text)
    return m is not None and fold(m.group("head").split()[0]) in _AGGREGATE_HEADS


def list_head_end(text: str) -> int:
    """Where the words about a list item's figure start: after its head, and after a bracket right after it
    ("- Nordvik Wind (Norvège) : ..." gives the investor's country, not the project's place)."""
    m = cues.LIST_HEAD_RE.match(text)
    if m is None:
        return 0
    bracket = _HEAD_BRACKET_RE.match(text, m.end() - 1) if text[m.end() - 1] == "(" else None
    return bracket.end() if bracket else m.end()


def commitment_without_amount(
    unit: _UnitLike, memory: EntityMemory, edition: int | None, published_year: int | None
) -> Commitment | None:
    """ "Ericsson : ouverture d'un centre à Massy, 500 recrutements": a named commitment with no figure."""
    text = unit.text
    # "Verdalis, dont le siège est à Lyon, construira au Texas": the home place is not the project's.
    located = strip_home_places(text)
    if (
        text.rstrip().endswith("?")
        or cues.NEGATION_RE.search(text)
        or cues.ABANDON_RE.search(text)
        or cues.RETRO_RE.search(text)
    ):
        return None
    jobs = next((j.value for j in find_jobs(text)), None)
    # "a confirmé lundi, lors du sommet, la construction à X de sa première usine": any action near a facility.
    actions = list(ACTION_RE.finditer(text))
    near = [a for a in actions if FACILITY_RE.search(text, a.start(), a.end() + _FACILITY_SPAN)]
    action = near[0] if near else (actions[0] if actions else None)
    facility = bool(near)
    in_france = bool(
        french_places(located)
        or IN_FRANCE_RE.search(located)
        or (places_near(located) and not foreign_places(located))
    )
    # A pledge without a figure needs a new project in France said in so many words: jobs alone
    # ("prévoit une cinquantaine de postes") or a promise to keep a site are not one.
    new_project = facility and in_france and NEW_PROJECT_RE.search(text)
    if not (new_project or (jobs and NEW_JOBS_RE.search(text))) or KEEP_RE.search(text):
        return None
    if foreign_places(located) and not in_france:
        return None
    anchor = action.start() if action else len(text)
    investor = list_head(text)
    if investor is None:
        subjects = [x for x in unit.mentions if x.end <= anchor and x.rank == 0]
        if not subjects:
            return None
        investor = _resolve(subjects[-1], unit.mentions, memory)
        anchor_text = text[subjects[-1].end : anchor]
        # "Eastman confirme son usine, Accenture promet 3 000 postes": the jobs of the clause about this one.
        clause_end = next(
            (x.start for x in unit.mentions if x.rank == 0 and x.start > subjects[-1].end), len(text)
        )
        jobs = next((j.value for j in find_jobs(text[subjects[-1].start : clause_end])), None)
    else:
        anchor_text = text
    if investor is None or cues.negative_family(anchor_text, ""):
        return None
    return Commitment(investor, 0.6, jobs)
