"""French money and head-count parsing: "1,2 Md€", "quatre milliards d'euros", "3 000 emplois".

Every finder returns spans over the input so the detector can reason about what surrounds them;
every parser returns None for "not a number" instead of raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.detect.numwords import NUM_WORD, parse_word_number

# "une dizaine", "un millier": approximate counts that reporters use as numbers.
_APPROX = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}  # fmt: skip
_SCALES = {"milliard": 1e9, "million": 1e6, "md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9,
           "mde": 1e9, "g": 1e9, "m": 1e6, "mio": 1e6, "mln": 1e6, "k": 1e3, "bn": 1e9}  # fmt: skip

WORD_NUMBER = rf"{NUM_WORD}(?:(?:-et-|-|\s+et\s+|\s+){NUM_WORD})*"
# Digits: "3 000", "3.000", "3 000,5", "1,2", "1.5"; the look-behind stops "2027 500" from reading as one number.
DIGIT_NUMBER = (
    r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?(?!\d)|(?<![\d,.])\d+(?:[,.]\d+)?(?![\d])"
)
NUMBER = rf"(?:{DIGIT_NUMBER}|\b(?:une?|quelques?)\s+(?:{'|'.join(_APPROX)})s?\b|\b{WORD_NUMBER}\b)"

SCALE_WORD = r"(?:milliards?|millions?|demi-milliards?|demi-millions?|billions?(?!\s+de\b))"
SCALE_ABBR = r"(?:Mds?|Mrds?|md|mds|M|G|k|K|Mio|bn)"
CURRENCY_WORD = (
    r"(?:d['’]\s?euros|euros?|EUR\b|€|de\s+dollars(?:\s+(?:américains|US|canadiens|australiens))?|dollars(?:\s+(?:américains|canadiens))?"
    r"|USD\b|US\$|\$|de\s+livres(?:\s+sterling)?|livres\s+sterling|£|GBP\b|de\s+francs\s+suisses|francs\s+suisses|CHF\b"
    r"|de\s+yens|yens|JPY\b|de\s+yuans|yuans|CNY\b|de\s+couronnes(?:\s+\w+)?|d['’]\s?euro)"
)
QUALIFIER = (
    r"(?:(?:un\s+peu\s+)?plus\s+d['’]\s?|(?:un\s+peu\s+)?(?:plus|moins)\s+de\s+|près\s+d['’]\s?|près\s+de\s+|quelque\s+|environ\s+|"
    r"au\s+moins\s+|jusqu['’]\s?à\s+|pas\s+moins\s+de\s+|presque\s+|autour\s+de\s+|de\s+l['’]ordre\s+de\s+|"
    r"(?:sup[ée]rieur|inf[ée]rieur)e?s?\s+à\s+|(?:au[\s-]delà|au-dessus)\s+de\s+|pr[èe]s\s+de\s+|quasiment\s+|quelques\s+)"
)

# One money expression. Groups: qual, lo (range low), lo_scale, num, scale|abbr, cur.
MONEY_RE = re.compile(
    rf"(?P<qual>{QUALIFIER})?"
    rf"(?:(?:entre\s+|de\s+)?(?P<lo>{NUMBER})\s*(?P<lo_scale>{SCALE_WORD})?(?:\s*(?:et|à)\s+|(?<=\d)\s*[-–]\s*(?=\d)))?"
    rf"(?P<pre_cur>\$|US\$|£|€|\b(?:CHF|USD|EUR|GBP|JPY|CNY|CAD)\b)?\s?"
    rf"(?P<num>{NUMBER})"
    rf"(?:\s*(?:(?:de\s+)?(?P<scale>{SCALE_WORD})(?:\s+et\s+demi)?(?:\s+(?P<sub>{NUMBER})\s+(?P<sub_scale>millions?)\b)?|(?P<abbr>{SCALE_ABBR})(?=\s?(?:€|\$|£|d['’]\s?euros|euros|de\s+dollars|dollars|USD|EUR|CHF|GBP))|(?(pre_cur)(?P<sign_abbr>bn|m)\b|(?!))))?"
    rf"(?:\s*(?P<cur>{CURRENCY_WORD}))?",
    re.IGNORECASE,
)
# "plusieurs milliards d'euros", "des centaines de millions": a money commitment without a figure.
VAGUE_MONEY_RE = re.compile(
    rf"\b(?:plusieurs|des|quelques)\s+(?:(?:centaines|dizaines)\s+de\s+)?(?P<scale>{SCALE_WORD})\s*(?P<cur>{CURRENCY_WORD})",
    re.IGNORECASE,
)
# After a scale word, "de"/"d'" + a noun means a count of things ("un million de Français"), not money.
_COUNTED_NOUN_RE = re.compile(
    r"\s*(?:de|d['’])\s*(?!euros|dollars|livres|francs|yens|yuans|couronnes|investissement|engagement|dépense|financement|budget)\w",
    re.IGNORECASE,
)

JOB_NOUN = (
    r"(?:(?:nouveaux|nouvelles|new|permanent|direct|full-time|additional|skilled)\s+)?(?:emplois|postes|embauches|recrutements|CDI|contrats\s+à\s+durée\s+indéterminée|"
    r"créations\s+d['’]emplois|créations\s+de\s+postes|créations\s+nettes\s+d['’]emplois|salariés|personnes|collaborateurs|"
    r"ingénieurs|chercheurs|techniciens|opérateurs|engineers|jobs|new\s+jobs|employees|roles|positions|développeurs|"
    r"scientists|researchers|staff|workers|hires|people|ETP|équivalents?\s+temps\s+plein)"
)
# A range of head counts gives its upper bound: "de 150 à 200 CDI", "entre 200 et 300 emplois".
JOBS_RE = re.compile(
    rf"(?P<qual>{QUALIFIER})?(?:(?:de|entre)\s+(?P<lo>{DIGIT_NUMBER}|{WORD_NUMBER})\s+(?:à|et)\s+)?"
    rf"(?P<num>{NUMBER}|\b(?:un|des|plusieurs)\s+(?:millier|milliers|centaines)\b)"
    rf"(?:\s+(?:à|-)\s*(?P<hi>{DIGIT_NUMBER}))?\s+(?:d['’]\s?|de\s+)?(?P<noun>{JOB_NOUN})"
    r"(?P<after>(?:\s+(?:directs?|indirects?|supplémentaires|nouveaux|en\s+CDI|qualifiés|pérennes))*)",
    re.IGNORECASE,
)
_ENGLISH_JOB_NOUN_RE = re.compile(
    r"(?:new\s+)?(?:jobs|employees|roles|positions|engineers|scientists|researchers|staff|workers|hires|people)"
)
# Head counts that are people to hire, not the staff a company already has or people it trains.
_JOBS_CREATION_RE = re.compile(
    r"cré\w*|génér\w*|recrut\w*|embauch\w*|emploiera|employer|à\s+la\s+clé|nouveaux|nouvelles|supplémentaires|"
    r"permettr\w*|devrai\w*|pourr\w*|prévoi\w*|ouvrir|à\s+terme|d['’]ici|attendus|accueillir|mobiliser|"
    r"emplois|postes|embauches|recrutements|CDI|créations|jobs|roles|positions|hire|hiring",
    re.IGNORECASE,
)
_JOBS_NEGATIVE_RE = re.compile(
    r"form(?:er|era|ation|és)|suppr\w*|licenci\w*|menac\w*|détrui\w*|emploie\s+déjà|compte\s+déjà|déjà|départs?\b|"
    r"plan\s+social|\bPSE\b|réduction\s+(?:des\s+|d['’])?effectifs|fermeture|cuts?\b|lay-?offs?|"
    r"actuellement|emploie\b|employait|visiteurs|clients|habitants|utilisateurs|étudiants",
    re.IGNORECASE,
)

_CURRENCY_CODES = (
    ("dollars canadiens", "CAD"), ("dollars australiens", "AUD"), ("dollar", "USD"), ("$", "USD"),
    ("usd", "USD"), ("livre", "GBP"), ("£", "GBP"), ("gbp", "GBP"), ("franc", "CHF"), ("chf", "CHF"),
    ("yen", "JPY"), ("jpy", "JPY"), ("yuan", "CNY"), ("cny", "CNY"), ("couronne", "SEK"),
    ("euro", "EUR"), ("€", "EUR"), ("eur", "EUR"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Money:
    """A money expression found in text. `value` is in `currency` (the low bound of a range)."""

    value: float | None
    currency: str
    text: str
    start: int
    end: int
    explicit_currency: bool = True
    is_range: bool = False

    @property
    def amount_eur(self) -> float | None:
        return self.value if self.currency == "EUR" else None


@dataclass(frozen=True, slots=True)
class JobCount:
    value: int | None
    text: str
    start: int
    end: int


def _norm_space(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def parse_number(text: str, english: bool = False) -> float | None:
    """ "3 000" -> 3000, "3.000" -> 3000, "1,2" -> 1.2, "1.5" -> 1.5, "quatre" -> 4, "un millier" -> 1000; with
    `english`, "3,000" -> 3000 (a head count in an English sentence)."""
    raw = _norm_space(text).lower()
    if not raw:
        return None
    approx = re.fullmatch(r"(?:une?|quelques?)\s+(\w+?)s?", raw)
    if approx and approx.group(1) in _APPROX:
        return None if raw.startswith("quelque") else float(_APPROX[approx.group(1)])
    if raw[0].isdigit():
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) and english:
            return float(raw.replace(",", ""))
        if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", raw):
            return float(raw.replace(" ", "").replace(".", "").replace(",", "."))
        try:
            return float(raw.replace(",", "."))
        except ValueError:
            return None
    words = parse_word_number(raw)
    return float(words) if words is not None else None


def _scale_value(scale: str | None, abbr: str | None) -> float:
    if scale:
        s = scale.lower()
        base = 1e9 if s.startswith(("milliard", "demi-milliard", "billion")) else 1e6
        return base / 2 if s.startswith("demi") else base
    if abbr:
        return _SCALES.get(abbr.lower().rstrip("€"), 1.0)
    return 1.0


def currency_code(text: str | None) -> str | None:
    if not text:
        return None
    low = text.lower()
    for needle, code in _CURRENCY_CODES:
        if needle in low:
            return code
    return None


def _money_from_match(m: re.Match[str], text: str) -> Money | None:
    num = parse_number(m.group("num"))
    scale, abbr = m.group("scale"), m.group("abbr") or m.group("sign_abbr")
    cur_text = m.group("cur") or m.group("pre_cur")
    if num is None:
        # "un demi-milliard": the number word is the article of the scale.
        return None
    if scale is None and abbr is None and cur_text is None:
        return None
    if scale and scale.lower().startswith("demi") and m.group("num").lower() in ("un", "une"):
        num = 1.0
    factor = _scale_value(scale, abbr)
    value = num * factor
    if re.search(r"et\s+demi", m.group(0)[m.end("num") - m.start() :], re.IGNORECASE):
        value += factor / 2
    if m.group("sub") and factor == 1e9:
        # "un milliard deux cents millions", "1 milliard 200 millions": one figure in two scales.
        sub = parse_number(m.group("sub"))
        if sub is None or sub >= 1000:
            return None
        value += sub * 1e6
    if cur_text is None:
        # Bare "4 milliards": money only if no counted noun follows ("un million de Français").
        if factor < 1e6 or _COUNTED_NOUN_RE.match(text, m.end()):
            return None
        # A bare word number without scale is never money.
    elif scale is None and abbr is None and factor == 1.0 and value < 1000 and not m.group("pre_cur"):
        # "3 euros" is a price, not an investment; keep it parseable but tiny values are dropped by callers.
        pass
    code = currency_code(cur_text) or "EUR"
    is_range = m.group("lo") is not None
    if is_range:
        lo = parse_number(m.group("lo"))
        if lo is None:
            return None
        lo_factor = _scale_value(m.group("lo_scale"), None) if m.group("lo_scale") else factor
        value = lo * lo_factor
    start = m.start()
    return Money(
        value=value,
        currency=code,
        text=_norm_space(m.group(0)),
        start=start,
        end=m.end(),
        explicit_currency=cur_text is not None,
        is_range=is_range,
    )


# Cheap gate: no scale word and no currency means no money expression at all.
_MONEY_GATE_RE = re.compile(
    r"milliard|million|billion|euro|dollar|livre|franc|yen|yuan|couronne|[€$£]|\bEUR\b|\bUSD\b|\bGBP\b|\bCHF\b|\d\s*(?:Md|M|Mrd|G|k)\b|"
    r"\d\s*(?:Mds?|M)\s?EUR\b",
    re.IGNORECASE,
)
_JOBS_GATE_RE = re.compile(
    r"emplois|postes|embauches|recrutements|CDI|salariés|personnes|collaborateurs|ingénieurs|chercheurs|techniciens|opérateurs|"
    r"engineers|jobs|employees|développeurs|créations|contrats|roles|positions|scientists|researchers|staff|workers|hires|"
    r"people|ETP|temps\s+plein",
    re.IGNORECASE,
)


def find_money(text: str) -> list[Money]:
    """All money expressions in `text`, left to right; figureless ones ("plusieurs milliards") have value None."""
    found: list[Money] = []
    if not _MONEY_GATE_RE.search(text):
        return found
    for m in MONEY_RE.finditer(text):
        if not m.group("num") or not m.group(0).strip():
            continue
        money = _money_from_match(m, text)
        if money is not None:
            found.append(money)
    for m in VAGUE_MONEY_RE.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        found.append(
            Money(None, currency_code(m.group("cur")) or "EUR", _norm_space(m.group(0)), m.start(), m.end())
        )
    found.sort(key=lambda f: f.start)
    return found


def parse_amount(text: str) -> Money | None:
    """The first money expression of `text`, or None."""
    found = find_money(text)
    return found[0] if found else None


def parse_count(text: str, english: bool = False) -> int | None:
    """Head counts: "3 000" -> 3000, "3.000" -> 3000, "un millier" -> 1000, "deux cents" -> 200; with `english`,
    "3,000" -> 3000."""
    raw = _norm_space(text).lower()
    if re.fullmatch(r"(?:des|plusieurs)\s+\w+", raw):
        return None
    value = parse_number(raw, english)
    if value is None or value != int(value):
        return None
    return int(value)


# After a head count: the staff a site already has ("420 salariés actuels").
_STAFF_AFTER_RE = re.compile(
    r"\s*(?:actuels|actuelles|existants|existantes|déjà\s+en\s+poste|en\s+poste|aujourd['’]hui)\b", re.I
)
# Around a plain head count ("200 développeurs", "60 salariés"): the words that make it people to hire.
_HIRING_RE = re.compile(
    r"recrut|embauch|cré|emploiera|employer|à\s+terme|supplémentaires|nouveaux|accueillir|accueillera|attendus|prévus|"
    r"s['’]implante|s['’]installe|travailleront|travaillera|comptera|compteront|pleine\s+capacité|"
    r"hire|hiring|\bemploy\b|\bby\s+20\d\d|\bnew\b|full\s+capacity",
    re.IGNORECASE,
)


# A fact box's field: "Emplois : 250", "Postes créés : 120".
_JOBS_FIELD_RE = re.compile(
    rf"\b(?:Emplois|Postes|Recrutements|Embauches|Jobs)(?:\s+(?:créés|prévus|attendus|directs))?\s*:\s*"
    rf"(?:{QUALIFIER})?(?P<num>{DIGIT_NUMBER})\b",
    re.IGNORECASE,
)


def find_jobs(text: str) -> list[JobCount]:
    """Job counts ("3 000 nouveaux emplois", "un millier de postes", "Emplois : 250"), skipping staff and
    trainees."""
    found: list[JobCount] = []
    if not _JOBS_GATE_RE.search(text):
        return found
    for m in _JOBS_FIELD_RE.finditer(text):
        value = parse_count(m.group("num"))
        if value:
            found.append(JobCount(value, _norm_space(m.group(0)), m.start(), m.end()))
    for m in JOBS_RE.finditer(text):
        noun = m.group("noun").lower()
        before = text[max(0, m.start() - 60) : m.start()]
        around = before + m.group(0) + text[m.end() : m.end() + 25]
        # Only the count's own clause: "qui y fabrique déjà des anticorps, y créera 150 postes" hires.
        clause = re.split(r"[,;]", before[-30:])[-1]
        if _JOBS_NEGATIVE_RE.search(clause + m.group(0)) or _STAFF_AFTER_RE.match(text, m.end()):
            continue
        if re.search(
            r"salariés|personnes|collaborateurs|ingénieurs|chercheurs|techniciens|opérateurs|engineers|employees|"
            r"développeurs|scientists|researchers|staff|workers|people|etp|équivalents?\s+temps",
            noun,
        ):
            # Plain head counts only when hiring is said around them.
            if not _HIRING_RE.search(around):
                continue
        elif not _JOBS_CREATION_RE.search(around):
            continue
        value = parse_count(
            m.group("hi") or m.group("num"), english=bool(_ENGLISH_JOB_NOUN_RE.fullmatch(noun))
        )
        if value is None or value < 1 or value >= 1_000_000:
            continue
        found.append(JobCount(value, _norm_space(m.group(0)), m.start(), m.end()))
    return found


def format_eur(value: float | None) -> str:
    """A short French rendering for logs and tables: 4 Md€, 45 M€."""
    if value is None:
        return "—"
    if value >= 1e9:
        return f"{value / 1e9:g} Md€".replace(".", ",")
    if value >= 1e6:
        return f"{value / 1e6:g} M€".replace(".", ",")
    return f"{value:,.0f} €".replace(",", " ")
