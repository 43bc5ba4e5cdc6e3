"""What an article has named so far, to resolve descriptors ("le groupe de Séoul") and pronouns to a company."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.entities import Mention, fold

# Words that name a group of nationalities: "le logisticien scandinave" may be the "suédois" named earlier.
_REGIONS: dict[str, tuple[str, ...]] = {
    "scandinave": ("suedois", "norvegien", "danois", "finlandais", "islandais", "nordique"),
    "nordique": ("suedois", "norvegien", "danois", "finlandais", "islandais", "scandinave"),
    "asiatique": (
        "japonais",
        "nippon",
        "chinois",
        "coreen",
        "sud-coreen",
        "taiwanais",
        "singapourien",
        "indien",
    ),
    "europeen": (
        "allemand",
        "britannique",
        "suisse",
        "suedois",
        "norvegien",
        "danois",
        "finlandais",
        "neerlandais",
        "belge",
        "italien",
        "espagnol",
        "autrichien",
        "irlandais",
        "luxembourgeois",
        "polonais",
        "portugais",
        "tcheque",
        "hongrois",
        "scandinave",
        "helvetique",
    ),
    "nord-americain": ("americain", "etats-unien", "canadien"),
}
_SAME = {"nippon": "japonais", "helvetique": "suisse", "etats-unien": "americain", "emirati": "emirien",
         "qatari": "qatarien"}  # fmt: skip


def _base(nationality: str) -> str:
    word = nationality.removeprefix("sud-")  # "sud-coréen" and "coréen" are one
    stem = word[:5]
    for alias, canonical in _SAME.items():
        if word.startswith(alias[:5]):
            return canonical[:5]
    return stem


def compatible_nationality(known: str | None, said: str) -> bool:
    """Whether a descriptor's nationality fits a company's: the same word in any gender, a synonym
    ("nippon"/"japonais"), or a region that contains it ("scandinave" for "suédois")."""
    if not known:
        return False
    if _base(known) == _base(said):
        return True
    for region, members in _REGIONS.items():
        for a, b in ((said, known), (known, said)):
            if a.startswith(region[:6]) and any(b.startswith(m[:5]) or _base(b) == _base(m) for m in members):
                return True
    return False


@dataclass(slots=True)
class EntityMemory:
    """Companies named so far in an article, to resolve descriptors and pronouns.

    A descriptor points at the latest sentence that named a company as a subject or owner
    (rank 0 or 1); partners and places (rank 2) are only a last resort.
    """

    entries: list[tuple[str, int, int]] = field(default_factory=list)  # (name, rank, sentence number)
    nationality: dict[str, str] = field(default_factory=dict)
    sentence_no: int = 0

    @property
    def names(self) -> list[str]:
        return [name for name, _, _ in self.entries]

    def next_sentence(self) -> None:
        self.sentence_no += 1

    def note(self, mention: Mention) -> None:
        if mention.kind != "name" or mention.name is None:
            return
        self.entries.append((mention.name, mention.rank, self.sentence_no))
        if mention.nationality:
            self.nationality[mention.name] = mention.nationality

    def latest(self, nationality: str | None = None) -> str | None:
        """The company the text is most likely still about."""
        pool = [e for e in self.entries if e[1] <= 1] or self.entries
        if nationality:
            same = [e for e in pool if compatible_nationality(self.nationality.get(e[0]), nationality)]
            unknown = [e for e in pool if e[0] not in self.nationality]
            pool = same or unknown or pool
        if not pool:
            return None
        last_sentence = pool[-1][2]
        recent = [e for e in pool if e[2] == last_sentence]
        return min(recent, key=lambda e: (e[1], -recent.index(e)))[0]

    def find(self, surface: str) -> str | None:
        """The company named so far whose name starts like `surface` ("IBERLUX" -> "Iberlux Renovables")."""
        tokens = fold(surface).split()
        if not tokens:
            return None
        for name in reversed(self.names):
            if fold(name).split()[: len(tokens)] == tokens or fold(name).split()[0] == tokens[0]:
                return name
        return None

    def resolve(self, mention: Mention) -> str | None:
        if mention.kind == "name":
            return mention.name
        if mention.hints:
            names = self.names
            for hint in mention.hints:
                if hint in names:
                    return hint
            return mention.hints[0]
        return self.latest(mention.nationality)
