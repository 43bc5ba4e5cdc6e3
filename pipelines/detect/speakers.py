"""Transcripts and interviews: speaker labels ("JOURNALISTE —", "PDG D'IBERLUX —", "Question :") are not
part of what is said, and first-person speech ("nous allons investir") speaks for the speaker's company."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A label at the start of a turn: all capitals ("PDG D'IBERLUX —") or an interview role word ("Question :").
_CAPS_LABEL = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ0-9'’.\- ]{1,60}?"
_ROLE_WORDS = (
    r"(?:Question|Questions|Réponse|Q|R|Journaliste|Animateur|Animatrice|Présentateur|Présentatrice|"
    r"Intervieweur|Intervieweuse)"
)
SPEAKER_RE = re.compile(
    rf"^\s*(?:(?P<label>{_CAPS_LABEL}|{_ROLE_WORDS})\s*(?:—|–|:|-\s)|(?P<short>Q|R)\.)\s*(?=\S)"
)
# A name written as a name ("Siobhan Kearney :", "Ouest Économie :"): a speaker only in an interview,
# where another such label asks the questions; elsewhere it heads a list item ("Pfizer : 500 M€").
_NAME_LABEL_RE = re.compile(r"^\s*(?P<label>[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){1,3})\s+:\s*(?=\S)")
# Who asks: their first person is the newsroom's, never an investor's.
INTERVIEWER_RE = re.compile(
    r"^(?:\?|q|question|questions|journaliste|animat\w+|présentat\w+|intervieweu\w+|reporter|rédaction)$",
    re.IGNORECASE,
)
# Words that make a label a role: the interviewer, or someone speaking for a company.
_ROLE_RE = re.compile(
    rf"^{_ROLE_WORDS}$|\b(?:PDG|CEO|DG|PRÉSIDENTE?|DIRECT(?:EUR|RICE)|FONDAT(?:EUR|RICE)|PATRON(?:NE)?|RESPONSABLE|"
    r"JOURNALISTE|ANIMAT(?:EUR|RICE)|PRÉSENTAT(?:EUR|RICE)|MINISTRE|PORTE-PAROLE|DIRIGEANTE?)\b",
    re.IGNORECASE,
)
# "PDG D'IBERLUX", "DIRECTRICE DE HALVORSEN": the company the speaker speaks for.
_ORG_IN_LABEL_RE = re.compile(r"\b(?:DE|DU|DES|D['’]|CHEZ)\s*(?P<org>[A-ZÀ-ÖØ-Þ0-9][\w'’&.\- ]*)$")
# First person plural of a company speaking ("nous investirons", "notre site", "on va annoncer").
FIRST_PERSON_RE = re.compile(
    r"\b(?:nous|notre|nos)\b(?!\s+(?:informations|confrères|lecteurs|colonnes|antenne|micro|rédaction|journal|"
    r"enquête|sources|auditeurs|studio))|\bon\s+(?:va|a|vient|investit|investira|met|mettra|annonce|prévoit|compte|"
    r"injecte|consacre|engage|double|triple)\b",
    re.IGNORECASE,
)


_DIALOGUE_DASH_RE = re.compile(r"^\s*[—–]\s+")
# "— Pfizer : 500 M€": a dash before a name and a colon is a list item, not a turn of dialogue.
_LIST_ITEM_RE = re.compile(r"[A-ZÀ-Ý0-9][^:]{0,50}:")


@dataclass(frozen=True, slots=True)
class Turn:
    """A sentence without its speaker label; `org` is the company named in the label, if any."""

    text: str
    label: str | None = None
    org: str | None = None
    asks: bool = False

    @property
    def interviewer(self) -> bool:
        return self.asks or (self.label is not None and bool(INTERVIEWER_RE.match(self.label)))


def _is_label(label: str) -> bool:
    if re.fullmatch(_ROLE_WORDS, label):
        return True
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", label)
    # Capitals only, and more than an initial: "M. —" or "A —" are not speakers.
    return len(letters) >= 2 and letters.isupper()


def _label(sentence: str, names: bool = False) -> tuple[str, int] | None:
    m = SPEAKER_RE.match(sentence)
    if m is None:
        named = _NAME_LABEL_RE.match(sentence) if names else None
        return (named.group("label"), named.end()) if named else None
    label = (m.group("label") or m.group("short")).strip()  # "Q. Pourquoi la France ?"
    return (label, m.end()) if _is_label(label) else None


def transcript_labels(sentences: list[str]) -> frozenset[str]:
    """The speaker labels of a transcript: labels that come back, or that name a role. A lone capitalised
    head ("IBM : 500 M€ à Paris") is a list item, not a speaker."""
    seen: dict[str, int] = {}
    for sentence in sentences:
        found = _label(sentence)
        if found:
            seen[found[0]] = seen.get(found[0], 0) + 1
    if interview_askers([sentences]):
        return frozenset(seen) | frozenset(_name_labels([sentences]))
    if not any(n >= 2 or _ROLE_RE.search(label) for label, n in seen.items()):
        return frozenset()
    return frozenset(seen)


def _name_labels(paragraphs: list[list[str]]) -> dict[str, bool]:
    """Name-written labels opening a sentence, each with whether one of its turns (the rest of the
    paragraph) ends on a question."""
    labels: dict[str, bool] = {}
    for sentences in paragraphs:
        for i, sentence in enumerate(sentences):
            m = _NAME_LABEL_RE.match(sentence)
            if m:
                turn_end = next((s for s in sentences[i + 1 :] if _NAME_LABEL_RE.match(s)), None)
                turn = sentences[i : sentences.index(turn_end, i + 1) if turn_end else len(sentences)]
                labels[m.group("label")] = labels.get(m.group("label"), False) or turn[-1].rstrip().endswith(
                    "?"
                )
    return labels


def interview_askers(paragraphs: list[list[str]]) -> frozenset[str]:
    """The name-written labels that ask in an interview: two labels or more, one asking, one not."""
    labels = _name_labels(paragraphs)
    if len(labels) < 2 or all(labels.values()) or not any(labels.values()):
        return frozenset()
    return frozenset(label for label, asks in labels.items() if asks)


def split_speaker(sentence: str, labels: frozenset[str], askers: frozenset[str] = frozenset()) -> Turn:
    """The sentence without a leading speaker label (one of a transcript's `labels`), and the label.
    A dialogue dash ("— Nous investissons...") opens an unlabelled turn: a question is the interviewer's."""
    dash = _DIALOGUE_DASH_RE.match(sentence)
    if dash is not None and not _LIST_ITEM_RE.match(sentence, dash.end()):
        rest = sentence[dash.end() :]
        return Turn(rest, "?" if rest.rstrip().endswith("?") else "—")
    found = _label(sentence, names=bool(askers)) if labels else None
    if found is None or found[0] not in labels:
        return Turn(sentence)
    label, end = found
    org = _ORG_IN_LABEL_RE.search(label) if label.isupper() else None
    return Turn(sentence[end:], label, org.group("org").strip() if org else None, label in askers)


def first_person(text: str) -> bool:
    return bool(FIRST_PERSON_RE.search(text))
