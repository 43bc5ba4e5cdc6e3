"""What the text is about as it is read: the companies named so far (with their nationality) and the one
it is speaking of now (its topic), to resolve descriptors ("le groupe danois"), pronouns and sentences
that leave the company out ("Montant : 300 millions d'euros")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.detect import lexicon
from pipelines.detect.entities import Mention

INVESTOR_TYPES = ("ORG", "UNK")
_INDEFINITE_ORIGIN_RE = re.compile(r"\b(?:d['’]une?|de\s+plusieurs|d['’]autres)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    key: str
    nationality: str | None = None


@cache
def _groups() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in lexicon.mapping("entities", "nationality_groups").items()}


def compatible(known: str | None, said: str | None) -> bool:
    """Whether a descriptor's nationality fits a company's: the same, one containing the other
    ("scandinave" and "suédois"), or either unknown."""
    if not known or not said or known == said:
        return True
    groups = _groups()
    return known in groups.get(said, ()) or said in groups.get(known, ())


@dataclass(slots=True)
class Memory:
    """Companies named so far (latest last) and the topic: the company the text speaks of now."""

    named: list[tuple[Company, int, int]] = field(default_factory=list)  # company, unit index, paragraph
    topic: Company | None = None
    topic_para: int = -2
    nationalities: dict[str, str] = field(default_factory=dict)

    def company(self, mention: Mention) -> Company | None:
        if mention.name is None or mention.key is None:
            return None
        nat = mention.nationality or self.nationalities.get(mention.key)
        return Company(mention.name, mention.key, nat)

    def company_named(self, surface: str, key: str) -> Company:
        from pipelines.detect.companies import canonical_name

        return Company(canonical_name(surface), key, self.nationalities.get(key))

    def note(self, company: Company, unit: int, para: int) -> None:
        if company.nationality:
            self.nationalities.setdefault(company.key, company.nationality)
        self.named.append((company, unit, para))

    def latest(self, nationality: str | None = None, hints: tuple[str, ...] = ()) -> Company | None:
        """The company a descriptor or pronoun most likely means."""
        for company, _, _ in reversed(self.named):
            if company.name in hints:  # "la firme de Redmond" after "Microsoft"
                return company
        if self.topic and compatible(self.nationalities.get(self.topic.key), nationality):
            return self.topic
        for company, _, _ in reversed(self.named):
            if compatible(self.nationalities.get(company.key), nationality):
                return company
        return None

    def resolve(self, mention: Mention, earlier: list[Mention]) -> Company | None:
        """A name is itself; a descriptor or pronoun is the company named before it in its sentence (as a
        subject or owner), else the topic or the latest company whose nationality fits."""
        if mention.kind == "name":
            return self.company(mention) if mention.type in INVESTOR_TYPES else None
        if mention.kind == "descriptor" and _INDEFINITE_ORIGIN_RE.search(mention.surface):
            return None  # "le fonds souverain d'un pays du Golfe": a company the text does not name
        if not any(c.name in mention.hints for c, _, _ in self.named):
            for m in reversed(earlier):
                if (
                    m.kind == "name"
                    and m.type in INVESTOR_TYPES
                    and m.role != "oblique"
                    and m.end <= mention.start
                ):
                    found = self.company(m)
                    if found and compatible(
                        self.nationalities.get(found.key, found.nationality), mention.nationality
                    ):
                        return found
        found = self.latest(mention.nationality, mention.hints)
        if (
            found is not None
            and mention.nationality
            and mention.role == "subject"
            and found.key not in self.nationalities
        ):
            # "Cisco ... Le groupe américain ...": said of the company as a subject, not of a place it names
            # in passing ("fait de la plateforme francilienne sa pièce maîtresse").
            self.nationalities[found.key] = mention.nationality
        return found

    def set_topic(self, company: Company | None, para: int) -> None:
        self.topic, self.topic_para = company, para

    def topic_for(self, para: int) -> Company | None:
        """The topic, if the text is still on it: said in this paragraph or the one before."""
        return self.topic if self.topic is not None and para - self.topic_para <= 1 else None
