"""Charts as server-side SVG: no script, no CDN, readable in any browser and in a screenshot.

Every bar is one `<rect class="mark" data-key=…>` with a `<title>` (the tooltip), so a test or a
screen reader finds one mark per edition, région, sector or investor. All text is escaped here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from alerts.filters import fold
from alerts.formatting import format_amount
from newswatch.places import region_names

from .francemap import france_map
from .i18n import sector_label
from .queries import Item

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 210
VALUE_WIDTH = 190
PLOT_WIDTH = 360
MAX_LABEL_CHARS = 30
TOP_INVESTORS = 10
MAP_CLASSES = 5


@dataclass(frozen=True)
class Group:
    """Announcements under one key (an edition, a région, a sector, an investor)."""

    key: str
    label: str
    count: int
    amount: float
    with_amount: int


def group(items: Iterable[Item], keys: Callable[[Item], Iterable[tuple[str, str]]]) -> list[Group]:
    counts: Counter[str] = Counter()
    amounts: dict[str, float] = defaultdict(float)
    known: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for item in items:
        for key, label in keys(item):
            labels.setdefault(key, label)
            counts[key] += 1
            if item.amount_eur is not None:
                amounts[key] += item.amount_eur
                known[key] += 1
    return [Group(k, labels[k], counts[k], amounts[k], known[k]) for k in counts]


def by_edition(items: Iterable[Item]) -> list[Group]:
    groups = group(items, lambda i: [(str(i.edition), str(i.edition))] if i.edition is not None else [])
    return sorted(groups, key=lambda g: g.key)


def by_region(items: Iterable[Item]) -> list[Group]:
    """An announcement in several régions counts in each of them."""
    return sorted(group(items, lambda i: i.regions), key=lambda g: (-g.amount, -g.count, fold(g.label)))


def by_sector(items: Iterable[Item], lang: str) -> list[Group]:
    """By main sector (the detector's first label), so amounts are counted once."""
    groups = group(items, lambda i: [(i.sectors[0], sector_label(i.sectors[0], lang))] if i.sectors else [])
    return sorted(groups, key=lambda g: (-g.amount, -g.count, fold(g.label)))


def top_investors(items: Iterable[Item], n: int = TOP_INVESTORS) -> list[Group]:
    """Investors by total amount; names compared folded, shown as most often written."""
    items = list(items)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        spellings[fold(item.investor)][item.investor] += 1
    groups = group(items, lambda i: [(fold(i.investor), spellings[fold(i.investor)].most_common(1)[0][0])])
    return sorted(groups, key=lambda g: (-g.amount, -g.count, g.key))[:n]


# --- SVG ----------------------------------------------------------------------------------------------


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _count_text(n: int, t: Mapping[str, str]) -> str:
    text: str = t["chart_count_one"] if n == 1 else t["chart_count_many"].format(n=n)
    return text


def amount_caption(g: Group, lang: str, t: Mapping[str, str]) -> str:
    amount = format_amount(g.amount, lang) if g.with_amount else t["chart_no_amount"]
    return f"{amount} · {_count_text(g.count, t)}"


def _svg_open(chart_id: str, title: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]


def _empty(chart_id: str, title: str, t: Mapping[str, str]) -> Markup:
    parts = _svg_open(chart_id, title, LABEL_WIDTH + PLOT_WIDTH, 40)
    parts.append(f'<text class="empty" x="0" y="24">{escape(t["chart_empty"])}</text></svg>')
    return Markup("".join(parts))


def hbar_chart(
    chart_id: str,
    title: str,
    groups: Sequence[Group],
    *,
    value: Callable[[Group], float],
    caption: Callable[[Group], str],
    t: Mapping[str, str],
) -> Markup:
    """Horizontal bars: a label on the left, the bar, its figure on the right."""
    if not groups:
        return _empty(chart_id, title, t)
    top = max((value(g) for g in groups), default=0) or 1
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    height = len(groups) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    parts = _svg_open(chart_id, title, width, height)
    for index, g in enumerate(groups):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        length = max(2.0, PLOT_WIDTH * value(g) / top) if value(g) > 0 else 0.0
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<g class="bar" data-key="{escape(g.key)}">'
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end">{escape(_short(g.label))}</text>'
            f'<rect class="mark" data-key="{escape(g.key)}" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}"><title>{escape(g.label)}{escape(t["colon"])} {escape(caption(g))}</title></rect>'
            f'<text class="value" x="{LABEL_WIDTH + length + 6:.1f}" y="{text_y:.1f}">{escape(caption(g))}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def vbar_chart(
    chart_id: str,
    title: str,
    groups: Sequence[Group],
    *,
    value: Callable[[Group], float],
    caption: Callable[[Group], str],
    t: Mapping[str, str],
) -> Markup:
    """Vertical bars, one per key left to right (editions read as a time line)."""
    if not groups:
        return _empty(chart_id, title, t)
    slot, bar, plot, top_room, bottom_room = 130, 64, 200, 36, 28
    width = max(len(groups) * slot, 2 * slot)
    height = top_room + plot + bottom_room
    top = max((value(g) for g in groups), default=0) or 1
    parts = _svg_open(chart_id, title, width, height)
    parts.append(f'<line class="axis" x1="0" x2="{width}" y1="{top_room + plot}" y2="{top_room + plot}"/>')
    for index, g in enumerate(groups):
        x = index * slot + (slot - bar) / 2
        length = max(2.0, plot * value(g) / top) if value(g) > 0 else 0.0
        y = top_room + plot - length
        centre = x + bar / 2
        parts.append(
            f'<g class="bar" data-key="{escape(g.key)}">'
            f'<rect class="mark" data-key="{escape(g.key)}" x="{x:.1f}" y="{y:.1f}" width="{bar}" height="{length:.1f}">'
            f"<title>{escape(g.label)}{escape(t['colon'])} {escape(caption(g))}</title></rect>"
            f'<text class="value" x="{centre:.1f}" y="{y - 6:.1f}" text-anchor="middle">{escape(_value_only(caption(g)))}</text>'
            f'<text class="label" x="{centre:.1f}" y="{height - 8}" text-anchor="middle">{escape(g.label)}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _value_only(caption: str) -> str:
    """Above a narrow bar, only the figure before the " · count" part."""
    return caption.split(" · ")[0]


def _buckets(values: Sequence[float]) -> list[float]:
    """Upper bounds of MAP_CLASSES equal-count classes of the positive values."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    bounds = [
        positive[min(len(positive) - 1, (len(positive) * (k + 1)) // MAP_CLASSES - 1)]
        for k in range(MAP_CLASSES)
    ]
    return sorted(set(bounds))


def region_map(
    chart_id: str, title: str, groups: Sequence[Group], *, lang: str, t: Mapping[str, str]
) -> Markup:
    """Régions coloured by amount announced (equal-count classes), with a legend and a tooltip each."""
    shapes = france_map()
    by_code = {g.key: g for g in groups}
    bounds = _buckets([g.amount for g in groups])
    names = region_names()

    def shade(g: Group | None) -> int:
        if g is None or g.amount <= 0:
            return -1  # no announcement, or none with an amount in euros
        return next(k for k, bound in enumerate(bounds) if g.amount <= bound) + (MAP_CLASSES - len(bounds))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart map" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" viewBox="{shapes.view_box}" width="600" height="570" '
        'preserveAspectRatio="xMidYMid meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for layer in shapes.layers:
        parts.append(f'<g transform="{escape(layer.transform)}">' if layer.transform else "<g>")
        for code, paths in sorted(layer.regions.items()):
            g = by_code.get(code)
            level = shade(g)
            css = "region q-none" if level < 0 else f"region q{level}"
            tip = f"{names.get(code, code)}{t['colon']} " + (
                amount_caption(g, lang, t) if g else t["map_none"]
            )
            parts.append(
                f'<g class="{css}" data-region="{escape(code)}"><title>{escape(tip)}</title>'
                + "".join(f'<path d="{d}"/>' for d in paths)
                + "</g>"
            )
        parts.append("</g>")
    parts.append(_legend(bounds, lang, t))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(bounds: Sequence[float], lang: str, t: Mapping[str, str]) -> str:
    x, y, size = 40, 1500, 44
    rows = [f'<g class="legend"><text x="{x}" y="{y - 20}">{escape(t["map_legend"])}</text>']
    lower = 0.0
    offset = MAP_CLASSES - len(bounds)
    for index, bound in enumerate(bounds):
        top = y + index * (size + 10)
        label = (
            f"{format_amount(lower, lang)} – {format_amount(bound, lang)}"
            if index
            else f"≤ {format_amount(bound, lang)}"
        )
        rows.append(
            f'<rect class="region q{index + offset}" x="{x}" y="{top}" width="{size}" height="{size}"/>'
            f'<text x="{x + size + 14}" y="{top + size * 0.72:.0f}">{escape(label)}</text>'
        )
        lower = bound
    top = y + len(bounds) * (size + 10)
    rows.append(
        f'<rect class="region q-none" x="{x}" y="{top}" width="{size}" height="{size}"/>'
        f'<text x="{x + size + 14}" y="{top + size * 0.72:.0f}">{escape(t["map_none"])}</text></g>'
    )
    return "".join(rows)


def all_charts(items: Sequence[Item], *, lang: str, t: Mapping[str, str]) -> dict[str, Markup]:
    """The charts page's figures, keyed by their element id."""

    def amount(g: Group) -> float:
        return g.amount

    def count(g: Group) -> float:
        return g.count

    def caption(g: Group) -> str:
        return amount_caption(g, lang, t)

    editions = by_edition(items)
    regions = by_region(items)
    return {
        "chart-edition-amount": vbar_chart(
            "chart-edition-amount", t["chart_edition_amount"], editions, value=amount, caption=caption, t=t
        ),
        "chart-edition-count": vbar_chart(
            "chart-edition-count",
            t["chart_edition_count"],
            editions,
            value=count,
            caption=lambda g: _count_text(g.count, t),
            t=t,
        ),
        "chart-region-map": region_map("chart-region-map", t["chart_region_map"], regions, lang=lang, t=t),
        "chart-region-bars": hbar_chart(
            "chart-region-bars", t["chart_region_bars"], regions, value=amount, caption=caption, t=t
        ),
        "chart-sector": hbar_chart(
            "chart-sector", t["chart_sector"], by_sector(items, lang), value=amount, caption=caption, t=t
        ),
        "chart-investors": hbar_chart(
            "chart-investors", t["chart_investors"], top_investors(items), value=amount, caption=caption, t=t
        ),
    }
