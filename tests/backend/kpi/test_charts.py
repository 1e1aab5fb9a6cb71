"""The server-drawn SVG charts: escaped text, proportional bars, small series grouped."""

import re
from datetime import date

from backend.kpi import charts

DAY1, DAY2 = date(2026, 3, 1), date(2026, 3, 2)


def _heights(svg: str) -> list[float]:
    return [
        float(h)
        for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)
    ]


def test_text_is_escaped() -> None:
    svg = str(charts.stacked_per_day({DAY1: {"x": 1}}, {"x": "<script>"}, 'a"b'))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'aria-label="a&#34;b"' in svg


def test_bars_are_proportional_to_the_counts() -> None:
    svg = str(charts.stacked_per_day({DAY1: {"a": 4}, DAY2: {"a": 2}}, {}, "chart"))
    tall, short = _heights(svg)
    assert tall == 2 * short


def test_series_beyond_the_top_become_lainnya() -> None:
    per_day = {DAY1: {f"k{i}": 10 - i for i in range(8)}}
    svg = str(charts.stacked_per_day(per_day, {}, "chart", top=3))
    assert svg.count("<li>") == 3
    assert "k1" in svg
    assert "k2" not in svg
    assert f"{DAY1:%d/%m}: {charts.OTHERS} {sum(range(3, 9))}" in svg


def test_horizontal_bars_write_their_values() -> None:
    svg = str(charts.horizontal_bars({"Satu": 1, "Dua": 2}, "chart", " jam"))
    assert ">2 jam</text>" in svg
    assert _heights(svg) == [15.0, 15.0]
