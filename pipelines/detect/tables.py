"""Tables in article text ("Investisseur | Montant | Site", markdown pipes, tab-separated cells) rewritten
as list items ("- Solvika Energy : 3,2 milliards d'euros à Fessenheim, 600 emplois.") so that the reading of
lists of the day's announcements applies to them, column by column as the header names them."""

from __future__ import annotations

import re

from pipelines.detect.amounts import find_money, parse_count
from pipelines.detect.places import is_french_place

_CELL_SPLIT_RE = re.compile(r"\s*\|\s*|\t+")
_SEPARATOR_ROW_RE = re.compile(r"^[\s|:+\-–—=]*$")
_EMPTY_CELL_RE = re.compile(
    r"^[\s\-–—/.*?]*$|^(?:n\.?\s?[cdp]\.?|nc|nd|non\s+\w+|inconnu\w*|sans\s+objet|s\.o\.)$", re.I
)
# What a header cell says its column holds.
COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"^\W*(?:{pattern})\b", re.IGNORECASE))
    for role, pattern in (
        ("investor", r"investisseurs?|entreprises?|soci[ée]t[ée]s?|groupes?|investors?|compan(?:y|ies)|noms?|acteurs?|"
                     r"porteurs?|industriels?|firmes?|qui\b|marques?|laboratoires?|fonds"),
        ("amount", r"montants?|investissements?|sommes?|enveloppes?|amounts?|budgets?|€|euros|m€|md€|combien|capex"),
        ("jobs", r"emplois?|postes?|cr[ée]ations?|jobs|recrutements?|embauches?|effectifs?"),
        ("place", r"sites?|lieux?|localisations?|villes?|implantations?|r[ée]gions?|d[ée]partements?|communes?|où|"
                  r"locations?|territoires?|usines?"),
        ("country", r"pays|origines?|nationalit[ée]s?|countr(?:y|ies)|provenance"),
        ("sector", r"secteurs?|activit[ée]s?|fili[èe]res?|domaines?|projets?|objets?|nature|description"),
        ("edition", r"ann[ée]es?|[ée]ditions?|years?|mill[ée]simes?|sommets?|summits?"),
        ("detail", r"(?:le\s+|les\s+)?(?:d[ée]tails?|commentaires?|pr[ée]cisions?|notes?|remarques?|observations?|"
                   r"ce\s+qu['’]il\s+faut\s+savoir|en\s+bref|à\s+retenir)"),
    )
)  # fmt: skip
_MIN_CELLS = 2
_HEADER_CELL_MAX = 60
# The unit a header gives to a column of bare numbers: "Montant (M€)", "Investissement (en millions d'euros)".
_UNIT_RE = re.compile(
    r"M€|Md€|Mds€|Mrd€|M\$|Md\$|(?:millions?|milliards?)\s+(?:d['’]\s?euros|de\s+dollars|€|\$)|(?:millions?|milliards?)\b",
    re.IGNORECASE,
)


def _cells(line: str) -> list[str] | None:
    if "|" not in line and "\t" not in line:
        return None
    cells = [c.strip() for c in _CELL_SPLIT_RE.split(line.strip().strip("|"))]
    return cells if len(cells) >= _MIN_CELLS else None


def _header_roles(cells: list[str]) -> list[str | None] | None:
    """Roles of a header row, or None when the row is data (it has figures) or names no column."""
    if any(find_money(c) or re.fullmatch(r"[\d\s.,]+", c) or len(c) > _HEADER_CELL_MAX for c in cells):
        return None  # figures or sentences: a row of data
    roles = [next((role for role, regex in COLUMN_ROLES if regex.match(c)), None) for c in cells]
    return roles if "amount" in roles or "investor" in roles else None


def _guess_roles(cells: list[str]) -> list[str | None]:
    """Without a header: the money cell, the French place cell, and the first cell left names the investor."""
    roles: list[str | None] = []
    for cell in cells:
        if find_money(cell):
            roles.append("amount")
        elif is_french_place(cell.split("(")[0]):
            roles.append("place")
        elif (
            "investor" not in roles
            and re.match(r"[A-ZÀ-Ý0-9]", cell)
            and not re.fullmatch(r"[\d\s.,]+", cell)
        ):
            roles.append("investor")
        else:
            roles.append(None)
    return roles


_DETAIL_MIN_LEN = 40


def _as_item(cells: list[str], roles: list[str | None], unit: str | None = None) -> str | None:
    by_role: dict[str, str] = {}
    for cell, role in zip(cells, roles, strict=False):
        if role and role not in by_role and not _EMPTY_CELL_RE.match(cell):
            by_role[role] = cell
    loose = [c for c, r in zip(cells, roles, strict=False) if r is None and len(c) >= _DETAIL_MIN_LEN]
    if "detail" not in by_role and loose:
        by_role["detail"] = max(loose, key=len)  # a row without a header: its sentence is its longest cell
    investor, amount = by_role.get("investor"), by_role.get("amount")
    if amount and unit and re.fullmatch(r"\d[\d\s.,]*", amount):
        amount = f"{amount} {unit}"  # "Montant (M€)" over a column of bare numbers
    if not investor:
        return None
    if not amount or not find_money(amount):
        if ("detail" not in by_role and "jobs" not in by_role) or "amount" not in roles:
            return None
        # A row of the table with its project told in words or by its jobs only ("n.c." for the amount).
        amount = "montant non communiqué"
    item = f"- {investor} : {amount}"
    if "place" in by_role:
        item += f" à {by_role['place']}"
    jobs = parse_count(re.sub(r"[^\d\s.]", "", by_role.get("jobs", "")).strip() or "x")
    if jobs:
        item += f", {jobs} emplois"
    if "sector" in by_role:
        item += f" ({by_role['sector']})"
    year = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", by_role.get("edition", ""))
    if year:
        item += f" ; annoncé en {year.group(1)}"  # the row's summit year, for the reading of time
    if "detail" in by_role:
        # The row's own sentence ("Environ 600 postes à pourvoir"): its jobs and words are the row's.
        item += f" ; {by_role['detail'].rstrip(' .')}"
    return item + "."


def _header_unit(cells: list[str], roles: list[str | None]) -> str | None:
    for cell, role in zip(cells, roles, strict=False):
        if role == "amount":
            m = _UNIT_RE.search(cell)
            if m:
                return m.group(0)
    return None


def _plain_row(cells: list[str], header: list[str] | None) -> str:
    """A row that is no announcement, its cells labelled by the header ("CA 2023 : 3 Md€") so that the
    words saying what a figure is stay next to it."""
    labelled = [
        f"{header[i].lower()} : {cell}" if header and i < len(header) and i else cell
        for i, cell in enumerate(cells)
        if not _EMPTY_CELL_RE.match(cell)
    ]
    return " ; ".join(labelled) + "."


def _rewrite_block(rows: list[tuple[str, list[str]]], before: list[str] | None = None) -> list[str]:
    """The rows as items; `before` is the header of a table cut in two by a box of other headlines, which
    rows of the same width under no header of their own go on with."""
    out: list[str] = []
    roles: list[str | None] | None = None
    unit: str | None = None
    header_cells: list[str] | None = None
    if before is not None and rows and len(rows[0][1]) == len(before):
        roles = _header_roles(before)
        unit, header_cells = (_header_unit(before, roles), before) if roles else (None, None)
    for line, cells in rows:
        if _SEPARATOR_ROW_RE.match(line):
            continue
        header = _header_roles(cells)
        if header is not None:
            roles, unit, header_cells = header, _header_unit(cells, header), cells
            continue
        item = _as_item(cells, roles if roles is not None else _guess_roles(cells), unit)
        if item is None and not find_money(line):
            out.append(line)  # no figure: a note or a menu, left for the boilerplate cleaner
            continue
        out.append(item if item is not None else _plain_row(cells, header_cells))
    return out


# Press-kit entries: a heading names the company ("1. Stålverk Nord AB (Suède) — Sidérurgie"), the line under
# it gives labelled fields ("Montant : 1,8 Md€ | Emplois : 900 | Localisation : Grande-Synthe").
_FIELD_SPLIT_RE = re.compile(r"\s*[|;]\s*|\t+")
_FIELD_RE = re.compile(r"^(?:[-–—•*]\s*)?\**([^\W\d][\w'’ ()/€.-]{1,30}?)\**\s*:\s*(\S.*)$")
_ENTRY_HEAD_RE = re.compile(
    r"^\s*(?:#+\s*|\d{1,2}\s*[.)]\s*|[-–—•*]\s*)?\**\s*(?P<name>[^\n*:—–(|]{2,80}?)\s*(?:\*|\(|—|–|:|$)"
)


_HEADING_SECTOR_RE = re.compile(r"\s[—–]\s*([^—–|:]{3,60})$")


def _field_record(line: str, heading: str | None) -> str | None:
    """A line of labelled fields under an entry heading, as a list item of the heading's company; None when
    the line is not one (fewer than two fields, no money field, no heading to attach it to)."""
    parts = [p for p in _FIELD_SPLIT_RE.split(line.strip()) if p]
    fields = [m for p in parts if (m := _FIELD_RE.match(p))]
    if len(fields) < 2 or len(fields) != len(parts) or not heading:
        return None
    head = _ENTRY_HEAD_RE.match(heading)
    if head is None or (_FIELD_RE.match(heading.strip()) and "**" not in heading):  # a field, not a heading
        return None
    roles = [next((role for role, regex in COLUMN_ROLES if regex.match(f.group(1))), None) for f in fields]
    if "amount" not in roles or "investor" in roles:
        return None
    cells, roles = [head.group("name").strip(), *(f.group(2) for f in fields)], ["investor", *roles]
    kind = _HEADING_SECTOR_RE.search(heading)
    if kind and "sector" not in roles:
        cells, roles = (
            [*cells, kind.group(1)],
            [*roles, "sector"],
        )  # "1. Stålverk Nord AB (Suède) — Sidérurgie"
    return _as_item(cells, roles)


def rewrite_tables(text: str) -> str:
    """The text with each table (consecutive rows of cells, one with a figure at least) rewritten: a row that
    gives an investor and a figure becomes a list item, other rows (a total, a note) plain cells; header and
    separator rows go. A line of cells without any figure (a menu) is left alone."""
    if "|" not in text and "\t" not in text and ";" not in text:
        return text
    out: list[str] = []
    block: list[tuple[str, list[str]]] = []
    headers: list[list[str]] = []

    def flush() -> None:
        headers.extend(cells for _, cells in block if _header_roles(cells) is not None)
        if any(find_money(line) for line, _ in block) or any(
            (roles := _header_roles(cells)) is not None and _header_unit(cells, roles) for _, cells in block
        ):
            first_header = next((c for _, c in block if _header_roles(c) is not None), None)
            previous = headers[-1] if headers and first_header is None else None
            out.extend(_rewrite_block(block, previous))
        else:
            out.extend(line for line, _ in block)
        block.clear()

    for line in text.split("\n"):
        heading = next((o for o in reversed(out) if o.strip()), None) if not block else None
        record = _field_record(line, heading) if ":" in line else None
        if record is not None:
            out.append(record)
            continue
        cells = _cells(line)
        if cells is None:
            flush()
            out.append(line)
        else:
            block.append((line, cells))
    flush()
    return "\n".join(out)
