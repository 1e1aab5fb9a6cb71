"""Charts as inline SVG, drawn on the server: no JavaScript library, nothing from a CDN.

Each function returns markup safe to put in a template: every piece is a
`Markup` template whose arguments are escaped by `format`.
"""

from collections.abc import Mapping
from datetime import date

from markupsafe import Markup

PALETTE = (
    "#0b5cad", "#e07b00", "#1d8a4a", "#a3261b", "#6b4fbb",
    "#00838f", "#c2185b", "#5d6d7e", "#9e9d24", "#795548",
)  # fmt: skip
OTHERS = "Lainnya"
WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 36, 22, 8
NOTHING = Markup("")

SVG = Markup(
    '<svg class="chart {}" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
    'xmlns="http://www.w3.org/2000/svg">{}</svg>'
)
RECT = Markup(
    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}</title></rect>'
)
TEXT = Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-size="{}">{}</text>')
LINE = Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9aa7b4"/>')
LEGEND_ITEM = Markup(
    '<li><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="{}"/>'
    "</svg> {}</li>"
)


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _legend(names: list[str]) -> Markup:
    items = NOTHING.join(LEGEND_ITEM.format(colour(i), name) for i, name in enumerate(names))
    return Markup('<ul class="legend">{}</ul>').format(items)


def _series(per_day: Mapping[date, Mapping[str, int]], top: int) -> tuple[list[str], bool]:
    """The keys drawn on their own (biggest first) and whether the rest become "Lainnya"."""
    totals: dict[str, int] = {}
    for counts in per_day.values():
        for key, n in counts.items():
            totals[key] = totals.get(key, 0) + n
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    if len(ranked) <= top:
        return ranked, False
    return ranked[: top - 1], True


def stacked_per_day(
    per_day: Mapping[date, Mapping[str, int]], names: Mapping[str, str], label: str, top: int = 6
) -> Markup:
    """Bars per day, stacked by series (the `top` biggest; the rest as "Lainnya")."""
    shown, rest = _series(per_day, top)
    series = [names.get(k, k) for k in shown] + ([OTHERS] if rest else [])
    days = sorted(per_day)
    peak = max((sum(per_day[d].values()) for d in days), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(days), 1)
    bar_w = max(step * 0.8, 1.0)
    body = [
        LINE.format(LEFT, TOP + plot_h, WIDTH - 4, TOP + plot_h),
        TEXT.format(LEFT - 4, TOP + 10, "end", 11, peak),
        TEXT.format(LEFT - 4, TOP + plot_h, "end", 11, 0),
    ]
    every = max(1, len(days) // 10)
    for i, day in enumerate(days):
        x = LEFT + i * step + (step - bar_w) / 2
        y = float(TOP + plot_h)
        counts = per_day[day]
        parts = [counts.get(key, 0) for key in shown]
        if rest:
            parts.append(sum(n for k, n in counts.items() if k not in shown))
        for index, n in enumerate(parts):
            if n:
                h = plot_h * n / peak
                y -= h
                tip = f"{day:%d/%m}: {series[index]} {n}"
                body.append(RECT.format(x, y, bar_w, h, colour(index), tip))
        if i % every == 0:
            body.append(TEXT.format(x + bar_w / 2, HEIGHT - 6, "middle", 10, f"{day:%d/%m}"))
    svg = SVG.format("per-day", WIDTH, HEIGHT, label, NOTHING.join(body))
    return svg + _legend(series)


def horizontal_bars(values: Mapping[str, float], label: str, unit: str = "") -> Markup:
    """One bar per item, in the order given, its value written at its end."""
    row, label_w = 22, 190
    height = max(row * len(values), row) + 4
    peak = max(values.values(), default=0) or 1
    plot_w = WIDTH - label_w - 70
    body = []
    for i, (name, value) in enumerate(values.items()):
        y = 2 + i * row
        w = plot_w * value / peak
        shown = f"{value:g}{unit}"
        body += [
            TEXT.format(label_w - 6, y + 14, "end", 12, name),
            RECT.format(label_w, y + 3, w, row - 7, colour(0), f"{name}: {shown}"),
            TEXT.format(label_w + w + 4, y + 14, "start", 12, shown),
        ]
    return SVG.format("bars", WIDTH, height, label, NOTHING.join(body))
