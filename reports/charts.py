"""Bar and line charts as inline SVG, drawn on the server: the admin's statistics page needs
no JavaScript and no CDN (officers' machines may have no internet).

Pure functions from labels and series to SVG markup. Every text (titles, labels, series
names) is escaped through `format_html`; the result is safe to put in a template as is.
Each chart is an image with a <title> and a <desc> naming every value, and every bar and
point carries its own <title>, so the figures are readable without seeing the drawing.
An empty chart, or one whose values are all 0, draws without dividing by zero.

Text widths are estimated (no font metrics on the server): about 0.62 em per character.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CURRENT = "#417690"  # the admin's own blue
PREVIOUS = "#e0a04a"  # orange: told apart from blue by colour-blind readers too
FONT = 12
CHAR = FONT * 0.62  # estimated width of one character (wide sans fonts)
TEXT = 'font-family="inherit" fill="currentColor"'


@dataclass(frozen=True)
class Series:
    """One set of values, one per label (e.g. the batches of 2024), drawn in one colour."""

    name: str
    values: Sequence[int | Decimal | float]
    colour: str = CURRENT


def number(value) -> str:
    """1,234 for counts; 1,234.50 for money (a Decimal with decimal places: PostgreSQL's
    sums of counts are Decimals too, without them); floats as briefly as exact."""
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
        return f"{value:,.2f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def nice_ticks(maximum, count: int = 5) -> list[float]:
    """Axis ticks from 0 past `maximum`, at steps of 1, 2 or 5 times a power of ten, whole
    numbers when the values are. A maximum of 0 (or less) gives 0 and 1."""
    maximum = float(maximum)
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    steps = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 10) for i in range(steps + 1)]


def _integer(series: Sequence[Series]) -> bool:
    return all(isinstance(v, int) for s in series for v in s.values)


def _ticks(series: Sequence[Series]) -> list[float]:
    maximum = max((float(v) for s in series for v in s.values), default=0)
    ticks = nice_ticks(maximum)
    if _integer(series) and ticks[1] < 1:  # counts: no axis at 0.2 batches
        ticks = [float(i) for i in range(max(1, math.ceil(maximum)) + 1)]
    return ticks


def _fit(text: str, width: float) -> str:
    """The label cut to fit `width` (estimated), with an ellipsis; full text in <title>s."""
    chars = max(3, int(width / CHAR))
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "\u2026"


def _description(labels, series, unit) -> str:
    parts = []
    for index, label in enumerate(labels):
        values = ", ".join(f"{s.name} {number(s.values[index])}" for s in series)
        parts.append(f"{label}: {values}")
    if not parts:
        return _("No data for this period.")
    return f"{unit}. " + "; ".join(parts) + "."


def _svg(chart_id, title, description, width, height, body) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'font-size="{font}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<text x="0" y="16" font-size="{big}" font-weight="bold" {text}>{title}</text>'
        "{body}</svg>",
        id=chart_id,
        w=width,
        h=height,
        font=FONT,
        big=FONT + 2,
        title=title,
        desc=description,
        text=mark_safe(TEXT),
        body=body,
    )


def _legend(series: Sequence[Series], x: float, y: float) -> SafeString:
    items = []
    for s in series:
        items.append(
            format_html(
                '<g class="legend-item"><rect x="{x}" y="{y}" width="12" height="12" '
                'fill="{colour}"/><text x="{tx}" y="{ty}" {text}>{name}</text></g>',
                x=_f(x),
                y=_f(y - 10),
                colour=s.colour,
                tx=_f(x + 16),
                ty=_f(y),
                text=mark_safe(TEXT),
                name=s.name,
            )
        )
        x += 16 + len(s.name) * CHAR + 18
    return mark_safe("".join(items))


def _empty(chart_id, title, width) -> SafeString:
    body = format_html(
        '<text x="0" y="48" class="no-data" {text}>{message}</text>',
        text=mark_safe(TEXT),
        message=_("No data for this period."),
    )
    return _svg(chart_id, title, _("No data for this period."), width, 64, body)


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    width: int = 640,
) -> SafeString:
    """Horizontal grouped bars: one group per label, one bar per series in the series'
    order (e.g. this year above the year before), each bar with its value at its end."""
    labels = [str(label) for label in labels]
    if not labels or not series:
        return _empty(chart_id, title, width)
    bar, gap, top = 14, 10, 52
    band = bar * len(series) + gap
    label_width = min(max(len(label) for label in labels) * CHAR + 10, width * 0.34)
    longest_value = max(len(number(v)) for s in series for v in s.values)
    left, right = label_width, width - (longest_value * CHAR + 12)
    ticks = _ticks(series)
    scale = (right - left) / ticks[-1]
    bottom = top + band * len(labels)
    height = bottom + 44

    parts = [_legend(series, 0, 38)]
    for tick in ticks:
        x = left + tick * scale
        parts.append(
            format_html(
                '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="currentColor" '
                'stroke-opacity="{opacity}"/>'
                '<text x="{x}" y="{ty}" text-anchor="middle" class="tick" {text}>{label}</text>',
                x=_f(x),
                top=top - 4,
                bottom=bottom,
                opacity="0.5" if tick == 0 else "0.12",
                ty=bottom + 16,
                text=mark_safe(TEXT),
                label=number(tick),
            )
        )
    parts.append(
        format_html(
            '<text x="{x}" y="{y}" text-anchor="middle" class="axis-label" {text}>{unit}</text>',
            x=_f((left + right) / 2),
            y=bottom + 36,
            text=mark_safe(TEXT),
            unit=unit,
        )
    )
    for index, label in enumerate(labels):
        y0 = top + index * band
        bars = []
        for number_in_group, s in enumerate(series):
            value = s.values[index]
            y = y0 + number_in_group * bar
            length = float(value) * scale
            bars.append(
                format_html(
                    '<rect class="bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}">'
                    "<title>{label}, {name}: {value} {unit}</title></rect>"
                    '<text x="{vx}" y="{vy}" class="value" {text}>{value}</text>',
                    x=_f(left),
                    y=_f(y),
                    w=_f(length),
                    h=bar - 2,
                    colour=s.colour,
                    label=label,
                    name=s.name,
                    value=number(value),
                    unit=unit,
                    vx=_f(left + length + 4),
                    vy=_f(y + bar - 4),
                    text=mark_safe(TEXT),
                )
            )
        parts.append(
            format_html(
                '<g class="group"><text x="{x}" y="{y}" text-anchor="end" class="label" {text}>'
                "<title>{label}</title>{short}</text>{bars}</g>",
                x=_f(left - 6),
                y=_f(y0 + len(series) * bar / 2 + 3),
                text=mark_safe(TEXT),
                label=label,
                short=_fit(label, label_width - 10),
                bars=mark_safe("".join(bars)),
            )
        )
    body = mark_safe("".join(parts))
    return _svg(chart_id, title, _description(labels, series, unit), width, height, body)


def line_chart(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    axis: str = "",
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """One line per series over the labels (e.g. months), each point with its value: the
    higher of the two above its point, the lower below, so they do not collide. Zeros are
    not written out (the point sits on the axis), nor are values where points are dense;
    each point's <title> names it all the same."""
    labels = [str(label) for label in labels]
    if not labels or not series:
        return _empty(chart_id, title, width)
    ticks = _ticks(series)
    tick_width = max(len(number(t)) for t in ticks) * CHAR
    left, right, top, bottom = tick_width + 28, width - 16, 60, height - 48
    scale = (bottom - top) / ticks[-1]
    step = (right - left) / (len(labels) - 1) if len(labels) > 1 else 0
    label_room = max(len(label) for label in labels) * CHAR + 8
    every = max(1, math.ceil(label_room / step)) if step else 1  # x labels that fit
    show_values = step == 0 or step >= 26

    def x_of(index):
        return left + index * step if step else (left + right) / 2

    def y_of(value):
        return bottom - float(value) * scale

    parts = [_legend(series, 0, 38)]
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="currentColor" '
                'stroke-opacity="{opacity}"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" class="tick" {text}>{label}</text>',
                x1=_f(left),
                x2=_f(right),
                y=_f(y_of(tick)),
                opacity="0.5" if tick == 0 else "0.12",
                tx=_f(left - 6),
                ty=_f(y_of(tick) + 4),
                text=mark_safe(TEXT),
                label=number(tick),
            )
        )
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" class="tick" {text}>{label}</text>',
                    x=_f(x_of(index)),
                    y=bottom + 16,
                    text=mark_safe(TEXT),
                    label=label,
                )
            )
    parts.append(
        format_html(
            '<text x="{x}" y="{y}" text-anchor="middle" class="axis-label" {text}>{axis}</text>'
            '<text transform="translate(12 {my}) rotate(-90)" text-anchor="middle" '
            'class="axis-label" {text}>{unit}</text>',
            x=_f((left + right) / 2),
            y=bottom + 36,
            my=_f((top + bottom) / 2),
            text=mark_safe(TEXT),
            axis=axis,
            unit=unit,
        )
    )
    for rank, s in enumerate(series):
        points = " ".join(f"{_f(x_of(i))},{_f(y_of(v))}" for i, v in enumerate(s.values))
        dots = []
        for index, value in enumerate(s.values):
            others = [float(o.values[index]) for o in series if o is not s]
            above = all(float(value) > o or (float(value) == o and rank == 0) for o in others)
            if not above and y_of(value) + 16 > bottom - 4:  # no room above the month names
                above = True
            dots.append(
                format_html(
                    '<circle class="point" cx="{x}" cy="{y}" r="3.5" fill="{colour}">'
                    "<title>{label}, {name}: {value} {unit}</title></circle>",
                    x=_f(x_of(index)),
                    y=_f(y_of(value)),
                    colour=s.colour,
                    label=labels[index],
                    name=s.name,
                    value=number(value),
                    unit=unit,
                )
            )
            if show_values and value:  # a 0 on the axis says nothing the axis does not
                dots.append(
                    format_html(
                        '<text x="{x}" y="{y}" text-anchor="middle" class="value" {text}>'
                        "{value}</text>",
                        x=_f(x_of(index)),
                        y=_f(y_of(value) + (-8 if above else 16)),
                        text=mark_safe(TEXT),
                        value=number(value),
                    )
                )
        parts.append(
            format_html(
                '<g class="series"><polyline points="{points}" fill="none" stroke="{colour}" '
                'stroke-width="2"/>{dots}</g>',
                points=points,
                colour=s.colour,
                dots=mark_safe("".join(dots)),
            )
        )
    body = mark_safe("".join(parts))
    return _svg(chart_id, title, _description(labels, series, unit), width, height, body)
