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

from pipelines.detect import lexicon
from pipelines.detect.anchors import Anchor, find_anchors, respective
from pipelines.detect.clauses import (
    AGENT_AFTER_RE,
    BACK_REFERENCE_RE,
    PROJECT_OF_RE,
    apposition_re,
    bare_figure,
    bracketed,
    clause_subjects,
    continues,
    executive_of,
    gapped_object,
    in_quote,
    indefinite_re,
    joined,
    linked,
)
from pipelines.detect.companies import shortens
from pipelines.detect.discourse import INVESTOR_TYPES, Company, Memory
from pipelines.detect.entities import Mention, sentence_mentions
from pipelines.detect.entity_types import Typer
from pipelines.detect.text import Unit


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


# "..., selon l'entreprise": the figure is the company the text is about's.
_COMPANY_SAYS_RE = re.compile(
    r"\b(?:selon|d['’]après)\s+(?:l['’]entreprise|le\s+groupe|la\s+société|la\s+direction|l['’]industriel)\b",
    re.IGNORECASE,
)


# A short quotation woven into the sentence, right after a verb's preposition ("s'est engagé à « ... »"):
# the subject's words, not a speaker's.
_EMBEDDED_QUOTE_RE = re.compile(r"\b(?:à|de|d['’])\s*$", re.IGNORECASE)
_SOURCE_RE = re.compile(r"\b(?:selon|d['’]après|according\s+to)\s+[^,.;:()]*", re.IGNORECASE)


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
                if frame.company is None and found and continues(unit.text, mentions, found[-1], frame):
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
            apposition = apposition_re().match(text, m.end)
            said.append(apposition.group(0) if apposition else "")
            said.append(company.name)  # "Kaldera Semiconductors", "Halden Nutrition"
            self.described.setdefault(company.key, []).extend(w for w in said if w)
        return keys

    # -- who a frame's anchor belongs to --------------------------------------------------------------
    def _frame(self, unit: Unit, mentions: list[Mention], anchor: Anchor, anchors: list[Anchor]) -> Frame:
        text = unit.text
        subjects = clause_subjects(text, mentions, self.not_subjects)
        boundary = max((m.end() for m in re.finditer(r";", text[: anchor.start])), default=0)
        owner = next((m for m in reversed(subjects) if boundary <= m.start < anchor.start), None)
        following = next((m.start for m in subjects if m.start > anchor.start), len(text))
        clause = (owner.start if owner else boundary, following)
        head = bracketed(text, mentions, anchor)
        if head is not None:
            # "Kuroda Precision (70 millions d'euros à Annecy)", "pour Nordvik Wind (300 M€)".
            return self._make(
                unit, anchor, self.memory.resolve(head, mentions), head, "bracket", clause, anchor.start
            )
        quote = in_quote(text, anchor.start)
        if quote is not None and owner is not None and _EMBEDDED_QUOTE_RE.search(text, 0, quote):
            quote = None  # "X s'est engagé à « doubler la capacité » de son usine": the subject's own words
        if quote is not None and (owner is None or owner.start < quote):
            return self._quoted(unit, mentions, anchor, quote, clause)
        if owner is not None and (owner.kind != "name" or owner.type in INVESTOR_TYPES + ("PERQ",)):
            company = (
                self.memory.resolve(owner, mentions) if owner.type != "PERQ" else self.memory.company(owner)
            )
            if joined(text, subjects, owner):
                return self._make(unit, anchor, None, owner, "several companies", clause, owner.end)
            return self._make(unit, anchor, company, owner, "subject", clause, owner.end)
        after = linked(text, mentions, anchor, anchors)
        if after is not None:
            # "900 millions pour X à Fos ; 210 millions pour Y à Colmar": an item ends where the next figure's begins.
            stop = next((a.start for a in anchors if a.start > anchor.end and a.kind == "money"), len(text))
            semicolon = text.find(";", anchor.end)
            # The company named after the figure may open a clause of its own ("pour le grec X à Perpignan,
            # qui y produira..."): the item runs on past its name.
            following = next((m.start for m in subjects if m.start >= after.end), len(text))
            end = min(
                clause[1] if clause[1] > after.start else following,
                stop,
                semicolon if semicolon >= 0 else len(text),
            )
            return self._make(
                unit,
                anchor,
                self.memory.resolve(after, mentions),
                after,
                "after",
                (clause[0], end),
                anchor.end,
            )
        if owner is not None:
            boss = executive_of(text, mentions, owner)
            if boss is not None:
                # "Le PDG de X, Hiroshi Tanabe, a annoncé ...": the executive speaks for the company.
                return self._make(
                    unit, anchor, self.memory.resolve(boss, mentions), boss, "executive", clause, owner.end
                )
            # A person, a place or a public body is the subject: no company of its own.
            return self._make(unit, anchor, None, owner, "non-company subject", clause, owner.end)
        return self._fronted(unit, mentions, anchor, clause)

    def _complete_back(
        self, frames: list[Frame], unit: Unit, mentions: list[Mention], found: list[Frame]
    ) -> None:
        """ "Baptisé Atlas, le projet représente 500 millions d'euros. Le fonds X le portera à Fouju.": a
        figure told before its company, taken by the next sentence's subject that refers back to it."""
        pending = [
            f for f in frames if f.unit == unit.index - 1 and f.company is None and f.how == "no company"
        ]
        if (
            not pending
            or any(f.anchor.kind == "money" for f in found)
            or self.units[unit.index - 1].para != unit.para
        ):
            return
        if not BACK_REFERENCE_RE.search(unit.text):
            return
        subject = next((m for m in clause_subjects(unit.text, mentions, self.not_subjects)
                        if m.kind != "pronoun" and (m.kind != "name" or m.type in INVESTOR_TYPES)), None)  # fmt: skip
        company = self.memory.resolve(subject, mentions) if subject else None
        for f in pending:
            told = self.units[f.unit].text
            if company is not None and (
                lexicon.regex("commitments", "project_anaphor", 0).search(told) or bare_figure(told, f.anchor)
            ):
                f.company, f.investor_type, f.how = company, "ORG", "completed by the next sentence"

    def _shared(self, unit: Unit, mentions: list[Mention], frame: Frame) -> list[Frame]:
        """A commitment without a figure said of coordinated companies is each one's ("X et Y vont lancer
        des essais cliniques"); their figures "respectivement" go to each in turn; a figure they share is
        no one's."""
        subjects = clause_subjects(unit.text, mentions, self.not_subjects)
        owner = next(m for m in subjects if m.start <= frame.anchor.start and m.end == frame.investor_end)
        companies = [
            (m, self.memory.resolve(m, mentions)) for m in [*joined(unit.text, subjects, owner), owner]
        ]
        if frame.anchor.kind == "money":
            shares = respective(unit.text, frame.anchor, len(companies))
            if shares is None:
                return [frame]
            return [self._make(unit, share, company, m, "respectively", frame.clause, frame.investor_end)
                    for (m, company), share in zip(companies, shares, strict=True) if company is not None]  # fmt: skip
        out = [self._make(unit, frame.anchor, company, m, "shared verb", frame.clause, frame.investor_end)
               for m, company in companies if company is not None]  # fmt: skip
        return out or [frame]

    def _gapped(self, unit: Unit, mentions: list[Mention], found: list[Frame]) -> list[Frame]:
        """ "Le britannique X renforcera sa R&D, l'américain Y sa production": a later subject with the
        verb left out takes the commitment of the clause before it."""
        projects = [f for f in found if f.anchor.kind == "project" and f.company is not None]
        if not projects:
            return []
        text, out = unit.text, []
        subjects = clause_subjects(text, mentions, self.not_subjects)
        for i, m in enumerate(subjects):
            if m.start <= projects[0].anchor.start or any(f.investor_end == m.end for f in found):
                continue
            end = subjects[i + 1].start if i + 1 < len(subjects) else len(text)
            gap = gapped_object(text, m.end, end)
            company = self.memory.resolve(m, mentions)
            if gap and company is not None:
                anchor = Anchor("project", gap.start(1), gap.end())
                out.append(self._make(unit, anchor, company, m, "gapping", (m.start, end), m.end))
        return out

    def _make(self, unit: Unit, anchor: Anchor, company: Company | None, mention: Mention | None, how: str,
              clause: tuple[int, int], investor_end: int) -> Frame:  # fmt: skip
        if company is not None:
            kind = "ORG"
        elif mention is not None:
            kind = mention.type if mention.kind == "name" else "UNRESOLVED"
        else:
            kind = "NONE"
        return Frame(unit.index, unit.para, anchor, company, kind, how, clause, investor_end)

    def _quoted(self, unit: Unit, mentions: list[Mention], anchor: Anchor, quote: int,
                clause: tuple[int, int]) -> Frame:  # fmt: skip
        """In a quotation: the company named in its attribution, or the one the speaker speaks for."""
        text = unit.text
        close = re.compile(r"[»”\"]").search(text, anchor.end)
        attribution = (
            lexicon.regex("commitments", "speech_after").match(text, close.start()) if close else None
        )
        clause = (quote, close.end() if close else len(text))
        if attribution is None:
            before = text[:quote]  # « ... » introduced by its speaker: "X promet : « ... »"
            named = next((m for m in reversed(mentions) if m.end <= quote and m.kind == "name"), None)
            if named is not None and named.type in INVESTOR_TYPES and re.search(r":\s*$", before):
                return self._make(
                    unit, anchor, self.memory.resolve(named, mentions), named, "quote", clause, quote
                )
            return self._make(unit, anchor, None, None, "quote without speaker", clause, quote)
        rest = text[attribution.end() : attribution.end() + 120]
        if lexicon.regex("commitments", "bystander_speaker").match(rest):
            return self._make(unit, anchor, None, None, "quote of a bystander", clause, quote)
        if lexicon.regex("commitments", "government", 0).search(rest):
            if PROJECT_OF_RE.search(text, max(0, anchor.start - 40), anchor.start):
                # « ce dossier de 300 millions d'euros », says the mayor: the project's figure.
                return self._make(
                    unit,
                    anchor,
                    self.memory.topic_for(unit.para),
                    None,
                    "quote on the project",
                    clause,
                    quote,
                )
            return self._make(unit, anchor, None, None, "quote of a public official", clause, quote)
        after = [m for m in mentions if m.start >= attribution.end() and m.kind != "pronoun"]
        named = next((m for m in after if m.type in INVESTOR_TYPES or m.kind == "descriptor"), None)
        if named is not None:
            return self._make(
                unit, anchor, self.memory.resolve(named, mentions), named, "quote", clause, quote
            )
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
        place = next((m for m in mentions if m.kind == "name" and m.type == "LOC" and m.role == "subject"
                      and clause[0] <= m.start < anchor.start), None)  # fmt: skip
        if place is not None and not any(
            m.type in INVESTOR_TYPES for m in mentions if place.end <= m.start < anchor.start
        ):
            # "Châteauroux a investi 12 millions dans sa zone": a commune's own spending, whoever speaks.
            return self._make(unit, anchor, None, place, "non-company subject", clause, place.end)
        official = unit.speaker and lexicon.regex("commitments", "government").search(unit.speaker)
        first_person = lexicon.regex("commitments", "first_person").search(text)
        answer = first_person and unit.index and self.units[unit.index - 1].text.rstrip().endswith("?")
        answerer = unit.speaker in ("R", "Réponse", "Réponses")  # the interviewee of a question-and-answer
        if (
            unit.speaker
            and not unit.interviewer
            and not official
            and (unit.speaker_org or first_person or answerer)
        ) or (answer and not unit.speaker):
            company = self._speaker_company(unit)
            return self._make(unit, anchor, company, None, "speaker", clause, 0)
        named = [
            m for m in mentions if m.kind == "name" and m.type in INVESTOR_TYPES and m.start < anchor.start
        ]
        owner = next((m for m in named if m.role == "owner" or AGENT_AFTER_RE.match(text, m.end)), None)
        if owner is not None and len(named) == 1:
            # "L'investissement de Merrow Bio s'élève à 260 millions": the project's owner.
            return self._make(
                unit, anchor, self.memory.resolve(owner, mentions), owner, "owner", clause, owner.end
            )
        if named:
            return self._make(unit, anchor, None, None, "company not subject", clause, 0)
        opening = text[clause[0] : anchor.start]
        continues = (
            lexicon.regex("commitments", "project_anaphor", 0).search(text)
            or _COMPANY_SAYS_RE.search(text)
            or lexicon.regex("commitments", "label_before").search(opening)
            or lexicon.regex("commitments", "possessive").search(opening)
        )
        public = lexicon.regex("commitments", "public_subject").search(opening) and not lexicon.regex(
            "commitments", "public_hosts"
        ).search(opening)
        # "..., selon l'Élysée, ...": a source the figure is told by, not whose it is.
        own_words = _SOURCE_RE.sub(" ", text)
        if continues and not public and not lexicon.regex("commitments", "government", 0).search(own_words):
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
        # "Skovlund Towers" then "Skovlund": one company, counted once under its full name.
        for key in list(counts):
            longer = [k for k in counts if k != key and shortens(key, k)]
            if len(longer) == 1:
                counts[longer[0]] += counts.pop(key)
        best = max(counts, key=lambda k: counts[k])
        return next(c for c, _, _ in reversed(self.memory.named) if c.key == best)

    # -- what the text is about after a unit ---------------------------------------------------------
    def _remember(self, unit: Unit, mentions: list[Mention], frames: list[Frame]) -> None:
        memory = self.memory
        if indefinite_re().match(unit.text) and not any(f.company is not None for f in frames):
            # "Un investisseur asiatique ...", "Un équipementier coréen, qui envisageait 40 millions d'euros...":
            # another company, unnamed.
            memory.set_topic(None, unit.para)
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
        elif memory.topic is not None and not any(
            m.type in INVESTOR_TYPES for m in mentions if m.kind == "name"
        ):
            memory.topic_para = unit.para  # the text goes on about it
