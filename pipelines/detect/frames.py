"""The reader: each unit (sentence or list item) read into frames.

A frame is one commitment read in a unit: an anchor (a money figure, a vague figure, a count of jobs or a
project: a new facility, more research or production) and the company it is tied to, with the clause it
was read in. The company is found the way a reader finds it:

- the subject of the anchor's clause: clauses start at each subject (a name, a descriptor, a pronoun), so
  "X investira 1 milliard à Lyon, l'américain Y 200 millions à Lille" gives each figure its own company,
  also with the verb left out (gapping);
- after the figure, when the clause has no company of its own: "500 millions pour le groupe X, 300
  millions pour Y" (amount first), "C'est 2 milliards que mettra sur la table le fonds X" (cleft);
- in a quotation, the company of whoever says it (« Nous investirons 200 millions », a déclaré le PDG de
  X), or, in a transcript, the company of the speaker;
- the company the text is still about, for a unit that opens on the project ("L'investissement atteint
  300 millions", "Montant : 300 millions", "Une première phase de 200 millions..."): completion from
  the sentence before.

Frames are then judged (decide) and the kept ones merged per company (companies, fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.detect import lexicon
from pipelines.detect.amounts import Money, find_jobs, find_money
from pipelines.detect.discourse import INVESTOR_TYPES, Company, Memory
from pipelines.detect.entities import Mention, sentence_mentions
from pipelines.detect.entity_types import Typer
from pipelines.detect.text import Unit

MIN_AMOUNT = 1_000_000
_LINK_SPAN = 70
_PROJECT_SPAN = 80
_QUOTE_OPEN, _QUOTE_CLOSE = "«“", "»”"


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a frame commits to: a figure, a vague figure, a count of jobs or a project."""

    kind: str  # money, vague, jobs, project
    start: int
    end: int
    money: Money | None = None
    jobs: int | None = None


@dataclass(slots=True)
class Frame:
    unit: int
    para: int
    anchor: Anchor
    company: Company | None
    investor_type: str  # ORG, PER, LOC, OTHER, UNK, or NONE when no one was found
    how: str
    clause: tuple[int, int]  # where the frame's words are, in its unit's text
    investor_end: int  # where the words after the company start (the anchor's own words in between)
    notes: list[str] = field(default_factory=list)
    verdict: str | None = None  # set by decide: None kept, else the reason it is not an announcement


def find_anchors(text: str, projects: bool = True) -> list[Anchor]:
    """Figures, job counts and (when `projects`) projects of a unit, left to right."""
    anchors: list[Anchor] = []
    for m in find_money(text):
        if m.value is None:
            anchors.append(Anchor("vague", m.start, m.end, m))
        elif m.value >= MIN_AMOUNT:
            anchors.append(Anchor("money", m.start, m.end, m))
    for j in find_jobs(text):
        if not any(a.start <= j.start < a.end for a in anchors):
            anchors.append(Anchor("jobs", j.start, j.end, jobs=j.value))
    verb = lexicon.regex("commitments", "project_verb")
    obj = lexicon.regex("commitments", "project_object")
    for m in verb.finditer(text) if projects else ():
        window = text[m.end() : m.end() + _PROJECT_SPAN]
        window = re.split(r"[.;!?]", window, maxsplit=1)[0]
        target = obj.search(window)
        if target and not any(a.start <= m.start() < a.end for a in anchors):
            anchors.append(Anchor("project", m.start(), m.end() + target.end()))
    anchors.sort(key=lambda a: a.start)
    return anchors


_RELATIVE_RE = re.compile(r"\s*,?\s*qui\b")
# ", détenue par le coréen X et le norvégien Y,", ", qui emploie ...,": names in an aside are no clause's subject.
_ASIDE_RE = re.compile(
    r",\s*(?:qui|dont|détenue?s?|contrôlée?s?|possédée?s?|fondée?s?|dirigée?s?|créée?s?|basée?s?|spécialisée?s?|"
    r"présidée?s?|filiale|l['’]une?\s+des)\b[^,;]*,",
    re.IGNORECASE,
)
# ", fabricant taïwanais de batteries,", ", l'un des leaders américains des produits de la mer,": what a name is.
@cache
def _apposition_re() -> re.Pattern[str]:
    heads = lexicon.token_alternation("entities", "descriptor_heads")
    return re.compile(
        rf"\s*,\s*(?:(?:un|une|le|la|l['’]|l['’]un\s+des|l['’]une\s+des)\s*)?(?:[\w-]+\s+)?{heads}\b[^,;.()«»]{{0,90}}(?=[,.;])",
        re.IGNORECASE,
    )


def _clause_subjects(text: str, mentions: list[Mention], skip: frozenset[str] = frozenset()) -> list[Mention]:
    """Mentions that open a clause: names, descriptors and pronouns in subject position (places never),
    and a company that a relative clause goes on about ("venue du groupe suisse X, qui investira...")."""
    asides = [m.span() for m in _ASIDE_RE.finditer(text)]
    return [
        m
        for m in mentions
        if m.type != "LOC"
        and text[max(0, m.start - 1) : m.start] != "("
        and not any(a < m.start < b for a, b in asides)
        and (m.key is None or m.key not in skip)
        and (m.role == "subject" or (m.kind != "pronoun" and m.type in INVESTOR_TYPES and _RELATIVE_RE.match(text, m.end)))
    ]


_PROJECT_OF_RE = re.compile(
    r"\b(?:ce|cet|cette|le|la|l['’]|son|sa)\s*(?:projet|dossier|investissement|usine|chantier|site|programme)\s+"
    r"(?:de|d['’]|chiffré\s+à|estimé\s+à)\s*(?:plus\s+de\s+|près\s+de\s+|environ\s+)?$",
    re.IGNORECASE,
)
# "l'occasion pour l'américain X d'annoncer 1,2 milliard": the company does what the infinitive says.
_AGENT_AFTER_RE = re.compile(
    r"\s+(?:d['’]|de\s+)(?:annoncer|investir|confirmer|présenter|dévoiler|officialiser|mettre|injecter|consacrer|"
    r"engager|débloquer|promettre)\b",
    re.IGNORECASE,
)
@cache
def _gapped_re() -> re.Pattern[str]:
    return re.compile(
        r"\s*,?\s*(?P<object>(?:sa|son|ses|leur|leurs)\s+" + lexicon.alternation("commitments", "project_object") + r")",
        re.IGNORECASE,
    )


class _Gapped:
    def match(self, text: str, start: int, end: int) -> re.Match[str] | None:
        return _gapped_re().match(text, start, end)


_GAPPED_RE = _Gapped()
# A sentence that takes up the project told before: "le portera", "y investira", "ce projet".
_BACK_REFERENCE_RE = re.compile(
    r"\b(?:le|la|l['’]|les|y|en)\s*(?:\w+\s+)?(?:portera|porte|financera|finance|réalisera|mènera|pilotera|"
    r"investira|construira|développera|exploitera)\b|\b(?:ce|cet|cette)\s+(?:projet|investissement|chantier|programme|campus)",
    re.IGNORECASE,
)
_JOINED_RE = re.compile(
    r"\s*(?:,\s*)?(?:et|ainsi\s+que)\s+(?:(?:le|la|l['’]|les)\s*(?:[a-zà-ÿ-]+\s+){0,3})?", re.IGNORECASE
)


def joined(text: str, subjects: list[Mention], owner: Mention) -> list[Mention]:
    """ "Nordvik Wind et Daesan Energy investiront 2 milliards": the subjects coordinated before `owner`
    with nothing else between them; they share its figure (no one company's) or each make its pledge."""
    chain: list[Mention] = []
    current = owner
    for m in reversed([m for m in subjects if m.end <= owner.start]):
        if current.kind == "pronoun" or m.kind == "pronoun" or not _JOINED_RE.fullmatch(text[m.end : current.start]):
            break
        chain.insert(0, m)
        current = m
    return chain


def _in_quote(text: str, pos: int) -> int | None:
    """Where the quotation holding `pos` opens, or None."""
    before = text[:pos]
    depth = sum(before.count(c) for c in _QUOTE_OPEN) - sum(before.count(c) for c in _QUOTE_CLOSE)
    if depth > 0:
        return max(before.rfind(c) for c in _QUOTE_OPEN)
    if before.count('"') % 2 == 1:
        return before.rfind('"')
    return None


@cache
def _indefinite_re() -> re.Pattern[str]:
    heads = lexicon.token_alternation("entities", "descriptor_heads")
    return re.compile(
        rf"^\s*(?:[^,.;]{{0,40}},\s*)?(?:un|une|d['’]autres|plusieurs|certains|certaines|quelques)\s+(?:autres?\s+)?"
        rf"(?:[\w-]+\s+)?{heads}\b",
        re.IGNORECASE,
    )


class Reader:
    """Reads an article's units in order into frames, keeping track of what the text is about."""

    def __init__(self, units: list[Unit], typer: Typer) -> None:
        self.units = units
        self.typer = typer
        self.types = {k: typer.type_of(k) for k in typer.evidence}
        # Sentence openers and projects' names ("Présenté lors du sommet, ...", "Baptisé Atlas, ..."): no subject.
        self.not_subjects = frozenset(k for k, ev in typer.evidence.items() if ev & {"opener", "project"})
        self.memory = Memory()
        self.mentions: list[list[Mention]] = []
        # After each unit: the company it speaks of, and the companies it names (names and descriptors).
        self.about: list[Company | None] = []
        self.named: list[set[str]] = []
        # What the article calls each company: "le laboratoire américain", ", fabricant de batteries".
        self.described: dict[str, list[str]] = {}

    def read(self) -> list[Frame]:
        frames: list[Frame] = []
        for unit, raws in zip(self.units, self.typer.names, strict=True):
            mentions = sentence_mentions(unit.text, raws, self.types)
            self.mentions.append(mentions)
            if unit.entry and not any(m.type in INVESTOR_TYPES for m in mentions if m.kind == "name"):
                self.memory.set_topic(None, unit.para)  # a new entry speaks of its own subject
            # A commitment without a figure counts only where the summit is the subject.
            anchors = find_anchors(unit.text, projects=unit.context == "cf")
            found: list[Frame] = []
            for anchor in anchors:
                frame = self._frame(unit, mentions, anchor, anchors)
                if frame.company is None and found and self._continues(unit.text, mentions, found[-1], frame):
                    # "Montant : 2 milliards d'euros, pour 1 500 emplois": the unit goes on with its company.
                    frame.company, frame.how, frame.investor_type = found[-1].company, found[-1].how, "ORG"
                found += self._shared(unit, mentions, frame) if frame.how == "several companies" else [frame]
            found += self._gapped(unit, mentions, found)
            self._complete_back(frames, unit, mentions, found)
            frames += found
            self._remember(unit, mentions, found)
            self.about.append(self.memory.topic)
            self.named.append(self._named(unit.text, mentions))
        return frames

    def _named(self, text: str, mentions: list[Mention]) -> set[str]:
        keys = set()
        for m in mentions:
            if m.kind == "pronoun" or (m.kind == "name" and m.type not in INVESTOR_TYPES):
                continue
            company = self.memory.resolve(m, mentions)
            if company is None:
                continue
            keys.add(company.key)
            said = [m.descriptor or "", m.surface if m.kind == "descriptor" else ""]
            apposition = _apposition_re().match(text, m.end)
            said.append(apposition.group(0) if apposition else "")
            said.append(company.name)  # "Kaldera Semiconductors", "Halden Nutrition"
            self.described.setdefault(company.key, []).extend(w for w in said if w)
        return keys

    # -- who a frame's anchor belongs to --------------------------------------------------------------
    def _frame(self, unit: Unit, mentions: list[Mention], anchor: Anchor, anchors: list[Anchor]) -> Frame:
        text = unit.text
        subjects = _clause_subjects(text, mentions, self.not_subjects)
        boundary = max((m.end() for m in re.finditer(r";", text[: anchor.start])), default=0)
        owner = next((m for m in reversed(subjects) if boundary <= m.start < anchor.start), None)
        following = next((m.start for m in subjects if m.start > anchor.start), len(text))
        clause = (owner.start if owner else boundary, following)
        bracketed = self._bracketed(text, mentions, anchor)
        if bracketed is not None:
            # "Kuroda Precision (70 millions d'euros à Annecy)", "pour Nordvik Wind (300 M€)".
            return self._make(unit, anchor, self.memory.resolve(bracketed, mentions), bracketed, "bracket", clause, anchor.start)
        quote = _in_quote(text, anchor.start)
        if quote is not None and (owner is None or owner.start < quote):
            return self._quoted(unit, mentions, anchor, quote, clause)
        if owner is not None and (owner.kind != "name" or owner.type in INVESTOR_TYPES + ("PERQ",)):
            company = self.memory.resolve(owner, mentions) if owner.type != "PERQ" else self.memory.company(owner)
            if joined(text, subjects, owner):
                return self._make(unit, anchor, None, owner, "several companies", clause, owner.end)
            return self._make(unit, anchor, company, owner, "subject", clause, owner.end)
        linked = self._linked(text, mentions, anchor, anchors)
        if linked is not None:
            return self._make(unit, anchor, self.memory.resolve(linked, mentions), linked, "after", clause, anchor.end)
        if owner is not None:
            # A person, a place or a public body is the subject: no company of its own.
            return self._make(unit, anchor, None, owner, "non-company subject", clause, owner.end)
        return self._fronted(unit, mentions, anchor, clause)

    def _complete_back(self, frames: list[Frame], unit: Unit, mentions: list[Mention], found: list[Frame]) -> None:
        """ "Baptisé Atlas, le projet représente 500 millions d'euros. Le fonds X le portera à Fouju.": a
        figure told before its company, taken by the next sentence's subject that refers back to it."""
        pending = [f for f in frames if f.unit == unit.index - 1 and f.company is None and f.how == "no company"]
        if not pending or any(f.anchor.kind == "money" for f in found) or self.units[unit.index - 1].para != unit.para:
            return
        if not _BACK_REFERENCE_RE.search(unit.text):
            return
        subject = next((m for m in _clause_subjects(unit.text, mentions, self.not_subjects)
                        if m.kind != "pronoun" and (m.kind != "name" or m.type in INVESTOR_TYPES)), None)  # fmt: skip
        company = self.memory.resolve(subject, mentions) if subject else None
        for f in pending:
            if company is not None and lexicon.regex("commitments", "project_anaphor", 0).search(self.units[f.unit].text):
                f.company, f.investor_type, f.how = company, "ORG", "completed by the next sentence"

    def _shared(self, unit: Unit, mentions: list[Mention], frame: Frame) -> list[Frame]:
        """A commitment without a figure said of coordinated companies is each one's ("X et Y vont lancer
        des essais cliniques"); a figure they share is no one's."""
        if frame.anchor.kind == "money":
            return [frame]
        subjects = _clause_subjects(unit.text, mentions, self.not_subjects)
        owner = next(m for m in subjects if m.start <= frame.anchor.start and m.end == frame.investor_end)
        out = []
        for m in [*joined(unit.text, subjects, owner), owner]:
            company = self.memory.resolve(m, mentions)
            if company is not None:
                out.append(self._make(unit, frame.anchor, company, m, "shared verb", frame.clause, frame.investor_end))
        return out or [frame]

    def _gapped(self, unit: Unit, mentions: list[Mention], found: list[Frame]) -> list[Frame]:
        """ "Le britannique X renforcera sa R&D, l'américain Y sa production": a later subject with the
        verb left out takes the commitment of the clause before it."""
        projects = [f for f in found if f.anchor.kind == "project" and f.company is not None]
        if not projects:
            return []
        text, out = unit.text, []
        subjects = _clause_subjects(text, mentions, self.not_subjects)
        for i, m in enumerate(subjects):
            if m.start <= projects[0].anchor.start or any(f.investor_end == m.end for f in found):
                continue
            end = subjects[i + 1].start if i + 1 < len(subjects) else len(text)
            gap = _GAPPED_RE.match(text, m.end, end)
            company = self.memory.resolve(m, mentions)
            if gap and company is not None:
                anchor = Anchor("project", gap.start(1), gap.end())
                out.append(self._make(unit, anchor, company, m, "gapping", (m.start, end), m.end))
        return out

    @staticmethod
    def _continues(text: str, mentions: list[Mention], before: Frame, frame: Frame) -> bool:
        """Whether an anchor with no company of its own belongs to the unit's frame before it: it found
        no subject, and no company or person is named between the two."""
        if before.company is None or frame.how not in ("no company", "company not subject"):
            return False
        return not any(before.anchor.end <= m.start < frame.anchor.start and m.kind == "name" and m.type != "LOC"
                       for m in mentions)  # fmt: skip

    @staticmethod
    def _bracketed(text: str, mentions: list[Mention], anchor: Anchor) -> Mention | None:
        """A figure in brackets right after a company's name belongs to it."""
        opening = text.rfind("(", 0, anchor.start)
        if opening < 0 or ")" in text[opening : anchor.start] or text[opening + 1 : anchor.start].strip(" ~≈"):
            return None
        before = text[:opening].rstrip()
        return next(
            (m for m in mentions if m.end == len(before) and (m.kind != "name" or m.type in INVESTOR_TYPES)), None
        )

    def _make(self, unit: Unit, anchor: Anchor, company: Company | None, mention: Mention | None, how: str,
              clause: tuple[int, int], investor_end: int) -> Frame:  # fmt: skip
        if company is not None:
            kind = "ORG"
        elif mention is not None:
            kind = mention.type if mention.kind == "name" else "UNRESOLVED"
        else:
            kind = "NONE"
        return Frame(unit.index, unit.para, anchor, company, kind, how, clause, investor_end)

    def _linked(self, text: str, mentions: list[Mention], anchor: Anchor, anchors: list[Anchor]) -> Mention | None:
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

    def _quoted(self, unit: Unit, mentions: list[Mention], anchor: Anchor, quote: int,
                clause: tuple[int, int]) -> Frame:  # fmt: skip
        """In a quotation: the company named in its attribution, or the one the speaker speaks for."""
        text = unit.text
        close = re.compile(r"[»”\"]").search(text, anchor.end)
        attribution = lexicon.regex("commitments", "speech_after").match(text, close.start()) if close else None
        clause = (quote, close.end() if close else len(text))
        if attribution is None:
            before = text[:quote]  # « ... » introduced by its speaker: "X promet : « ... »"
            named = next((m for m in reversed(mentions) if m.end <= quote and m.kind == "name"), None)
            if named is not None and named.type in INVESTOR_TYPES and re.search(r":\s*$", before):
                return self._make(unit, anchor, self.memory.resolve(named, mentions), named, "quote", clause, quote)
            return self._make(unit, anchor, None, None, "quote without speaker", clause, quote)
        rest = text[attribution.end() : attribution.end() + 120]
        if lexicon.regex("commitments", "government", 0).search(rest):
            if _PROJECT_OF_RE.search(text, max(0, anchor.start - 40), anchor.start):
                # « ce dossier de 300 millions d'euros », says the mayor: the project's figure.
                return self._make(unit, anchor, self.memory.topic_for(unit.para), None, "quote on the project", clause, quote)
            return self._make(unit, anchor, None, None, "quote of a public official", clause, quote)
        after = [m for m in mentions if m.start >= attribution.end() and m.kind != "pronoun"]
        named = next((m for m in after if m.type in INVESTOR_TYPES or m.kind == "descriptor"), None)
        if named is not None:
            return self._make(unit, anchor, self.memory.resolve(named, mentions), named, "quote", clause, quote)
        if lexicon.regex("commitments", "first_person").search(text[quote : anchor.start]) or lexicon.regex(
            "commitments", "possessive"
        ).search(rest[:40]):
            company = self.memory.topic_for(unit.para)
            return self._make(unit, anchor, company, None, "quote of the company", clause, quote)
        return self._make(unit, anchor, None, None, "quote without company", clause, quote)

    def _fronted(self, unit: Unit, mentions: list[Mention], anchor: Anchor, clause: tuple[int, int]) -> Frame:
        """No company before the anchor in its clause: a transcript's speaker, or the company the text
        is still about when the unit opens on the project or a label."""
        text = unit.text
        official = unit.speaker and lexicon.regex("commitments", "government").search(unit.speaker)
        first_person = lexicon.regex("commitments", "first_person").search(text)
        answer = first_person and unit.index and self.units[unit.index - 1].text.rstrip().endswith("?")
        if (unit.speaker and not unit.interviewer and not official and (unit.speaker_org or first_person)) or (
            answer and not unit.speaker
        ):
            company = self._speaker_company(unit)
            return self._make(unit, anchor, company, None, "speaker", clause, 0)
        named = [m for m in mentions if m.kind == "name" and m.type in INVESTOR_TYPES and m.start < anchor.start]
        owner = next((m for m in named if m.role == "owner" or _AGENT_AFTER_RE.match(text, m.end)), None)
        if owner is not None and len(named) == 1:
            # "L'investissement de Merrow Bio s'élève à 260 millions": the project's owner.
            return self._make(unit, anchor, self.memory.resolve(owner, mentions), owner, "owner", clause, owner.end)
        if named:
            return self._make(unit, anchor, None, None, "company not subject", clause, 0)
        opening = text[clause[0] : anchor.start]
        continues = (
            lexicon.regex("commitments", "project_anaphor", 0).search(text)
            or lexicon.regex("commitments", "label_before").search(opening)
            or lexicon.regex("commitments", "possessive").search(opening)
        )
        if continues and not lexicon.regex("commitments", "government", 0).search(text):
            company = self.memory.topic_for(unit.para)
            if company is not None:
                return self._make(unit, anchor, company, None, "completed", clause, 0)
        return self._make(unit, anchor, None, None, "no company", clause, 0)

    def _speaker_company(self, unit: Unit) -> Company | None:
        """The company a transcript's speaker speaks for: the one its label names ("DIRECTRICE DE
        HALVORSEN"), else the company the interview is about (the one named most so far)."""
        if unit.speaker_org:
            wanted = lexicon.fold(unit.speaker_org).split()
            for raws in self.typer.names:
                for raw in raws:
                    words = raw.key.split()
                    if self.types.get(raw.key) in INVESTOR_TYPES and words[: len(wanted)] == wanted:
                        return self.memory.company_named(raw.surface, raw.key)
            return Company(unit.speaker_org.title(), lexicon.fold(unit.speaker_org))
        counts: dict[str, int] = {}
        for company, _, _ in self.memory.named:
            counts[company.key] = counts.get(company.key, 0) + 1
        if not counts:
            return self.memory.topic
        best = max(counts, key=lambda k: counts[k])
        return next(c for c, _, _ in reversed(self.memory.named) if c.key == best)

    # -- what the text is about after a unit ---------------------------------------------------------
    def _remember(self, unit: Unit, mentions: list[Mention], frames: list[Frame]) -> None:
        memory = self.memory
        if _indefinite_re().match(unit.text) and not frames:
            memory.set_topic(None, unit.para)  # "Un investisseur asiatique ...": another company, unnamed
            return
        for m in mentions:
            if m.kind == "name" and m.type in INVESTOR_TYPES and (m.role != "oblique" or m.type == "ORG"):
                company = memory.company(m)
                if company is not None:
                    memory.note(company, unit.index, unit.para)
        topics = [f.company for f in frames if f.company is not None]
        if topics:
            memory.set_topic(topics[-1], unit.para)
            return
        subjects = [m for m in mentions if m.role == "subject" and m.kind != "pronoun"]
        # A name the article shows is a company first ("Big news : la scale-up X a pitché..."), then others.
        subjects.sort(key=lambda m: (m.type != "ORG", m.kind != "name"))
        for m in subjects:
            company = memory.resolve(m, mentions)
            if company is not None:
                memory.set_topic(company, unit.para)
                return
        owners = [m for m in mentions if m.role == "owner" and m.kind == "name" and m.type in INVESTOR_TYPES]
        if owners:
            memory.set_topic(memory.company(owners[-1]), unit.para)
        elif memory.topic is not None and not any(m.type in INVESTOR_TYPES for m in mentions if m.kind == "name"):
            memory.topic_para = unit.para  # the text goes on about it
