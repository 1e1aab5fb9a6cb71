"""What a KPI page shows: the figures, their charts and their wording (console and public)."""

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from backend.kpi import charts
from backend.kpi.service import Figures

STARS = {1: "★1", 2: "★2", 3: "★3", 4: "★4", 5: "★5"}


def hours(value: float | None) -> str:
    """Hours as officers and citizens read them: "45 menit", "6,5 jam", "3,2 hari"."""
    if value is None:
        return "-"
    if value < 1:
        return f"{round(value * 60)} menit"
    if value < 48:
        return f"{value:.1f} jam".replace(".", ",").replace(",0 ", " ")
    return f"{value / 24:.1f} hari".replace(".", ",").replace(",0 ", " ")


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class FiguresView:
    figures: Figures
    channel_chart: Markup
    category_chart: Markup
    rating_chart: Markup
    channels: list[tuple[str, int]]  # (label, complaints), most first
    categories: list[tuple[str, int]]


def build(
    figures: Figures, channel_names: Mapping[str, str], category_names: Mapping[str, str]
) -> FiguresView:
    satisfaction = figures.satisfaction.distribution
    return FiguresView(
        figures=figures,
        channel_chart=charts.stacked_per_day(
            figures.per_day_channel, channel_names, "Laporan per hari menurut kanal"
        ),
        category_chart=charts.stacked_per_day(
            figures.per_day_category, category_names, "Laporan per hari menurut kategori"
        ),
        rating_chart=charts.horizontal_bars(
            {STARS[r]: n for r, n in sorted(satisfaction.items(), reverse=True)},
            "Sebaran nilai kepuasan",
        ),
        channels=[(channel_names.get(k, k), n) for k, n in figures.by_channel.items()],
        categories=[(category_names.get(k, k), n) for k, n in figures.by_category.items()],
    )
