"""Which frames are Choose France announcements: scope and exclusion rules applied to each frame.

A frame is no announcement when its company is not an organisation or is being bought; when it is told
of another event; when its figure is something else (a total, a turnover, a fine, a valuation, an
acquisition, a fundraising with no tie to the summit, public aid or a loan, a contract, assets under
management, a figure restated or compared); when it is placed abroad; when it is past, denied or only
considered; when a French group's plan is not tied to the summit. Each rule reads the frame's own
words: from its company to its anchor, and just after the anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from pipelines.detect import lexicon
from pipelines.detect.clauses import bare_figure, nominal_figure
from pipelines.detect.edition import SUMMIT_DATES
from pipelines.detect.frames import Frame
from pipelines.detect.places import abroad_words, find_places, in_france_words, not_project_places
from pipelines.detect.text import Unit, event_of

_AFTER = 60
_SUMMIT_NEWS = timedelta(days=45)
_I = re.IGNORECASE
_FRENCH = "français"


@dataclass(slots=True)
class Article:
    """What the rules need to know about the whole article."""

    units: list[Unit]
    edition: int | None
    published_year: int | None
    abroad: bool = False
    targets: set[str] = field(default_factory=set)  # companies being bought
    outside: set[str] = field(default_factory=set)  # companies whose plan the article puts outside the summit
    nationalities: dict[str, str] = field(default_factory=dict)


@cache
def _families() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    out = []
    for family, cues in lexicon.table("scope")["families"].items():
        near = "|".join(ln.strip() for ln in cues["near"].splitlines() if ln.strip())
        after = "|".join(ln.strip() for ln in cues["after"].splitlines() if ln.strip())
        out.append((family, re.compile(near, _I), re.compile(after, _I)))
    return out


def _scope(key: str) -> re.Pattern[str]:
    return lexicon.regex("scope", key)


def _commitment(key: str) -> re.Pattern[str]:
    return lexicon.regex("commitments", key)


# What a relative clause or a bracket says about the company is not about its commitment ("X, qui a
# longtemps hésité entre plusieurs pays, prévoit d'investir ..."; "X, qui gère 30 milliards, investira ...").
_ASIDE_RE = re.compile(
    r",\s*(?:qui|dont|où|which|who|whose|lequel|laquelle|lesquels|l['’]une?\s+des|l['’]un\s+de|une?|le|la|l['’]|prête?s?|présente?s?|"
    r"installée?s?|implantée?s?|basée?s?|détenue?s?|contrôlée?s?|fondée?s?|dirigée?s?|spécialisée?s?|connue?s?)\b[^,;]*(?=,)"
    r"|\([^()]*\)"
)


def _words(frame: Frame, text: str) -> tuple[str, str, str]:
    """The frame's words before its anchor (from its company, else its clause; asides about the company
    left out), the words right after it, and the text before the anchor in its clause."""
    a = frame.anchor
    start = frame.investor_end if frame.investor_end <= a.start else frame.clause[0]
    if frame.how == "after":
        # "Récapitulatif des annonces : 1,2 milliard pour X ; 310 millions pour Y": what introduces a list
        # whose items open on their figure is no word of its items.
        mark = max(text.rfind(":", 0, a.start), text.rfind(";", 0, a.start))
        if mark >= 0 and not text[mark + 1 : a.start].strip():
            start = max(start, mark + 1)
    between = _ASIDE_RE.sub(lambda m: " " * len(m.group(0)), text[start : a.start])
    after = text[a.end : min(frame.clause[1], a.end + _AFTER)]
    return between, after, text[frame.clause[0] : a.start]


def figure_family(frame: Frame, text: str, between: str, after: str) -> str | None:
    """The kind of figure the words around a money anchor say it is, when not an investment."""
    for family, near, right in _families():
        if near.search(between) or right.search(after):
            if family == "total" and frame.how in ("subject", "completed") and _own_total(between, after):
                continue  # "X investira au total 300 millions", "D'un montant global de 300 millions, ce projet"
            return family
    if frame.anchor.kind == "money" and _scope("fundraising").search(text) and event_of(text) != "cf":
        return "fundraising"
    # A count of the summit's projects in another clause ("Parmi la cinquantaine de projets, deux retiennent
    # l'attention : X investira 200 M€") introduces a company's own figure, told as its subject.
    counted = text[frame.clause[0] : frame.clause[1]] if frame.how == "subject" else text
    if _scope("summit_total").search(counted) or (
        frame.how != "subject" and _scope("weak_total").search(text)
    ):
        return "total"
    return None


def _own_total(between: str, after: str) -> bool:
    if not _scope("own_total").search(between) and not re.match(
        r"^.{0,25}?\b(?:au\s+total|en\s+tout)", after
    ):
        return False
    return not _scope("cross_company").search(between + " " + after)


@cache
def _sections() -> list[tuple[str, re.Pattern[str]]]:
    table = lexicon.table("scope")["sections"]
    return [(family, re.compile("|".join(ln.strip() for ln in cues.splitlines() if ln.strip()), _I))
            for family, cues in table.items()]  # fmt: skip


def section_family(frame: Frame, art: Article) -> str | None:
    """What the heading over a list says its items are: under "Levées de fonds", "X : 22 M€ pour son
    robot" is a round, not a plan told at the summit."""
    if art.units[frame.unit].kind != "item":
        return None
    for unit in reversed(art.units[: frame.unit]):
        if unit.kind == "heading":
            if _scope("mixed_section").search(unit.text):
                return None
            return next((family for family, cue in _sections() if cue.search(unit.text)), None)
        if unit.kind != "item":
            return None
    return None


def _money_rule(frame: Frame, text: str, previous: Frame | None, targets: set[str]) -> str | None:
    """Rules that only a figure has: what it is a part, a price or a restatement of."""
    money = frame.anchor.money
    assert money is not None
    between, after, pre = _words(frame, text)
    if money.currency == "EUR" and (money.value or 0) < 1_000_000:
        return "small"
    if _scope("share_sale").search(text) or _scope("valued_at_before").search(pre[-80:]):
        return "share sale or valuation"
    if _scope("passive_envelope").search(text):
        return "public envelope"
    if _scope("comparison_before").search(pre[-40:]):
        return "comparison"
    if _scope("demonstrative_before").search(pre[-12:]):
        return "restated"  # where it was first told says whose and what it is
    same = previous if previous is not None and previous.company == frame.company else None
    if same is not None and same.anchor.kind == "money" and _scope("conversion_before").search(pre[-30:]):
        before = same.anchor.money
        if (
            money.currency == "EUR"
            and before is not None
            and before.currency != "EUR"
            and same.verdict is None
        ):
            same.verdict = "restated in euros"
            return None  # "1 milliard de dollars (soit 920 millions d'euros)": the euro figure is kept
        return "restated"
    if _scope("part_before").search(pre[-60:]) and frame.how != "after":
        return "part of a figure"
    if _scope("public_aid").search(pre[-80:]) or _scope("public_aid_sentence").search(text):
        return "public aid"
    opening = text[: frame.anchor.start]
    if (
        frame.how == "after"
        and _commitment("public_subject").search(opening)
        and not _commitment("public_hosts").search(opening)
    ):
        return "public aid"  # "La Région a voté plusieurs aides, dont 12 millions pour l'usine de X"
    if any(key in lexicon.fold(after[:50]) for key in targets):
        return "acquisition"  # « 450 millions sur la table pour Biosphère », the company being bought
    return figure_family(frame, text, between, after)


def _time_rule(frame: Frame, text: str, art: Article, previous: Frame | None = None) -> str | None:
    between, after, _ = _words(frame, text)
    if (
        previous is not None
        and previous.company == frame.company
        and previous.anchor.end <= frame.anchor.start
    ):
        # "son projet de 2 milliards, annoncé en 2023, et d'y ajouter 300 millions": what the figure before
        # was told with is not said of this one.
        joint = re.search(r",?\s+et\s+", text[previous.anchor.end : frame.anchor.start])
        if joint:
            between = text[previous.anchor.end + joint.end() : frame.anchor.start]
    window = f"{between} {text[frame.anchor.start : frame.anchor.end]} {after}"
    past = _commitment("past_investment").search(window)
    if past and _commitment("past_time").search(text[past.start() :]):
        return "past"
    if frame.anchor.kind == "money" and _commitment("past_figure").search(between):
        return "past"
    # The time a sentence opens on ("En 2019, lors du sommet, le groupe avait annoncé...") and, for a clause
    # whose verb is left out ("..., le suédois Y 300 millions"), the verb of the sentence before it.
    gapped = not re.search(r"[^\W\d_]{2,}", between)
    dated = text[: frame.anchor.start] if gapped else f"{_opening(frame, text)} {between}"
    told = f"{dated} {text[frame.anchor.start : frame.anchor.end]} {after}"
    if _commitment("retro").search(told) and (
        _earlier(told, art) or _earlier(_time_referred(frame, told, art), art)
    ):
        return "earlier edition"
    # "X n'a pas voulu chiffrer son entrepôt, mais promet 200 emplois": what "mais" opens is not denied.
    said = re.split(r"\b(?:mais|but|toutefois|en\s+revanche)\b", between, flags=_I)[-1]
    if _commitment("negation").search(said) or _commitment("hypothetical").search(said):
        return "denied or only considered"
    return None


def _time_referred(frame: Frame, told: str, art: Article) -> str:
    """The sentence before, when this one dates itself by it: "Le groupe avait alors promis..."."""
    if frame.unit == 0 or not _commitment("time_anaphor").search(told):
        return ""
    before, unit = art.units[frame.unit - 1], art.units[frame.unit]
    # A sentence that opens on it ("À l'époque, X annonçait...") refers to the time last told, also at
    # the end of the paragraph before.
    opens = _commitment("time_anaphor").match(unit.text.lstrip())
    return before.text if before.para == unit.para or (opens and before.para == unit.para - 1) else ""


def _opening(frame: Frame, text: str) -> str:
    """A sentence's words before its first clause: "En 2019, lors du sommet Choose France, ..."."""
    comma = text.find(",", 0, frame.clause[0])
    return text[:comma] if 0 < comma < frame.clause[0] else ""


def _earlier(window: str, art: Article) -> bool:
    if art.edition is None:
        return bool(
            _commitment("last_year").search(window) or re.search(r"\bcontre\b|initialement", window, _I)
        )
    years = {int(y) for y in re.findall(r"\b(20[1-3]\d)\b", window)}
    if _commitment("last_year").search(window) or re.search(r"\bcontre\b|initialement", window, _I):
        years.add((art.published_year or art.edition) - 1)
    return any(2017 <= y < art.edition for y in years)


# A country in brackets right after a capitalised name that is no place says where the company comes from,
# not where it invests: "300 M€ — Halvik Marine (Norvège)", "le Coréen Daeho (Corée du Sud) à Douai"; after a
# place ("Wroclaw (Pologne)") it situates that place and stays, as does a French one ("Huningue (Haut-Rhin)").
_BRACKET_AFTER_NAME_RE = re.compile(r"\b([A-ZÀ-Ý][\w&.'’-]*)(\s*\([^()]{1,40}\))")


def _without_origins(text: str) -> str:
    def origin(m: re.Match[str]) -> str:
        inside = find_places(m.group(2))
        foreign = bool(inside) and all(r.foreign for r in inside)
        return m.group(1) if foreign and not find_places(m.group(1)) else m.group(0)

    return _BRACKET_AFTER_NAME_RE.sub(origin, text)


def _place_rule(frame: Frame, text: str, art: Article) -> str | None:
    """Abroad: the frame's clause places it abroad and nowhere in France, or the article is set abroad."""
    start = min(frame.investor_end, frame.anchor.start) if frame.how == "subject" else frame.clause[0]
    origin = re.match(r"\s*\([^()]*\)", text[start:])
    if origin and frame.how == "subject":
        start += origin.end()  # "Quantix Labs (États-Unis) : 50 M€ ...": where the company comes from
    clause = not_project_places(_without_origins(text[start : frame.clause[1]]))
    refs = find_places(clause)
    foreign = any(r.foreign for r in refs) or abroad_words(clause)
    french = any(r.place is not None for r in refs) or in_france_words(clause)
    opening = text[: text.find(",")] if 0 < text.find(",") < 40 else ""
    if foreign and not french:
        return "abroad"
    if not french and (art.abroad or any(r.foreign for r in find_places(opening))):
        return "abroad"
    return None


def _company_rule(frame: Frame, text: str, art: Article) -> str | None:
    company = frame.company
    if company is None:
        return f"no company ({frame.how}, {frame.investor_type})"
    if company.key in art.targets:
        return "company being bought"
    if company.key in art.outside:
        return "placed outside the summit"
    nationality = company.nationality or art.nationalities.get(company.key)
    if nationality == _FRENCH and event_of(text) != "cf":
        return "French group's own plan"
    return None


def judge(frame: Frame, art: Article, previous: Frame | None) -> str | None:
    """None when the frame is an announcement, else why not."""
    unit = art.units[frame.unit]
    text = unit.text
    reason = _company_rule(frame, text, art)
    if reason:
        return reason
    if unit.context == "other":
        return "another event"
    if text.rstrip().endswith("?") and unit.kind != "heading":
        return "question"
    if frame.anchor.kind == "money":
        reason = section_family(frame, art) or _money_rule(frame, text, previous, art.targets)
    elif frame.anchor.kind in ("vague", "project", "jobs"):
        reason = _figureless_rule(frame, text, unit)
    return (
        reason
        or _time_rule(frame, text, art, previous)
        or _place_rule(frame, text, art)
        or _trigger_rule(frame, text, unit)
    )


def _figureless_rule(frame: Frame, text: str, unit: Unit) -> str | None:
    between, after, _ = _words(frame, text)
    if unit.context != "cf":
        return "no summit around a commitment without figure"
    said = between + " " + text[frame.anchor.start : frame.anchor.end]
    if (
        unit.kind != "item"
        and frame.anchor.kind != "jobs"
        and frame.how != "gapping"
        and not _commitment("commitment_marker").search(said)
    ):
        return "no commitment said"
    if _commitment("keep").search(between + " " + text[frame.anchor.start : frame.anchor.end]):
        return "keeps what exists"
    if frame.anchor.kind == "jobs" and _commitment("job_cuts").search(f"{between[-40:]} {said} {after[:25]}"):
        return "job cuts"
    told = f"{between[-40:]} {text[frame.anchor.start : frame.anchor.end]} {after[:40]}"
    if frame.anchor.kind == "jobs" and _commitment("past_hires").search(told):
        return "hires already made"  # "120 salariés ont été recrutés": progress on a plan, no pledge
    for family, near, right in _families():
        if family in ("total", "acquisition", "fundraising") and (
            near.search(between) or right.search(after)
        ):
            return family
    if _scope("cross_company").search(text) and frame.how != "subject":
        return "total"
    return None


# Reasons that say a company's plan in this article is not a Choose France announcement at all: its
# commitments without a figure, or completed from another sentence, are not one either.
TAINTS = frozenset({"abroad", "worldwide", "fundraising", "acquisition", "company being bought", "French group's own plan",
                    "placed outside the summit", "another event", "public aid", "past", "earlier edition",
                    "fine", "valuation", "grant", "personal"})  # fmt: skip
# A company's revenue or assets under management describe the company, not its plan: they taint nothing.


# Public money told first makes what follows the aided project ("X recevra 18 M€ de subvention... Le
# projet coûtera 45 M€"); told after a company's announcement ("La Région l'accompagne avec un prêt"),
# it is support for it and says nothing against it.
_AID_TAINTS = frozenset({"public aid"})
_PRICES = frozenset({"acquisition", "company being bought"})


def _figure(frame: Frame) -> tuple[str, float] | None:
    money = frame.anchor.money
    if frame.company is None or money is None or money.value is None:
        return None
    return money.currency, money.value


def restated(frames: list[Frame]) -> None:
    """The same figure of the same company told again is the same figure: "X rachète Y pour 1,3 milliard"
    then "Le montant de la transaction s'élève à 1,3 milliard" is still the price of Y, wherever it is told."""
    what: dict[tuple[str, tuple[str, float]], str] = {}
    prices: dict[tuple[str, float], str] = {}  # a price is the buyer's and the target's alike
    for f in frames:
        figure = _figure(f)
        if figure is not None and f.verdict in TAINTS:
            what.setdefault((f.company.key, figure), f.verdict)  # type: ignore[union-attr]
            if f.verdict in _PRICES:
                prices.setdefault(figure, f.verdict)
    for f in frames:
        figure = _figure(f)
        if f.verdict is None and figure is not None:
            verdict = what.get((f.company.key, figure)) or prices.get(figure)  # type: ignore[union-attr]
            if verdict is not None:
                f.verdict = f"same figure: {verdict}"


def tainted(frames: list[Frame]) -> None:
    """Reject what a company's rejected figures show is not an announcement: "X annonce une usine" then
    "L'investissement, 300 millions de dollars, au Texas"; a startup's round, then what it will do with it."""
    restated(frames)
    kept_money = {
        f.company.key
        for f in frames
        if f.company and f.verdict is None and f.anchor.kind == "money" and f.how != "completed"
    }
    taints = [f for f in frames if f.company is not None and f.verdict in TAINTS]
    for f in frames:
        if f.verdict is not None or f.company is None or f.company.key in kept_money:
            continue
        # Only a figure told near it says what a commitment is: its paragraph or the one next to it.
        near = [t for t in taints if t.company.key == f.company.key and abs(t.para - f.para) <= 1  # type: ignore[union-attr]
                and (t.verdict not in _AID_TAINTS or t.unit <= f.unit)]  # fmt: skip
        if near and (f.anchor.kind != "money" or f.how == "completed"):
            f.verdict = f"company's figure: {near[0].verdict}"


def _trigger_rule(frame: Frame, text: str, unit: Unit) -> str | None:
    if frame.anchor.kind != "money" or unit.kind == "item":
        return None
    if frame.how in ("completed", "completed by the next sentence", "speaker") and (
        lexicon.regex("commitments", "project_anaphor", 0).search(text)
        or bare_figure(text, frame.anchor)
        or nominal_figure(text, frame.anchor)
    ):
        return None  # "Montant : 150 millions d'euros.", "420 millions d'euros.": a sentence around says what for
    return None if _commitment("trigger").search(text) else "no investment word"


def only_recalled(editions: list[int | None], published: date | None) -> bool:
    """An article that tells only what was announced at a summit two editions or more before it was
    published ("trois ans après, où en sont les projets ?") follows projects up: it announces nothing.
    In the weeks after a summit an article is about that summit, whatever year its lede recalls."""
    if published is None or not editions or None in editions:
        return False
    summit = SUMMIT_DATES.get(published.year, date(published.year, 5, 15))
    if timedelta(0) <= published - summit <= _SUMMIT_NEWS:
        return False
    return all(e is not None and e <= published.year - 2 for e in editions)
