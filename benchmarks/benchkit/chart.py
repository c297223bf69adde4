"""A dependency-free SVG chart of the ratios (mlops-hooks time / other tool's time).

One row per (case, other command): a bar from 1x to the median ratio on a log scale (left of
the 1x line mlops-hooks is faster), a whisker for the per-round min-max, and a tick at the
target bound. Green: target holds, red: it fails, blue: no target for that pair.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .measure import Case
from .report import ratio

CHAR_W = 6.6  # approximate width of one character at font-size 12, for the label column
COLORS = {True: "#2e9d4f", False: "#d0453c", None: "#4a7fbf"}


@dataclass
class Row:
    """One bar."""

    label: str
    median: float
    low: float
    high: float
    target: float | None
    holds: bool | None


def rows(cases: Sequence[Case]) -> list[Row]:
    """The bars of every measured (case, other command) pair, floors included."""
    out: list[Row] = []
    for case in cases:
        if case.skipped:
            continue
        for command in case.anchors:
            ratios = case.ratios(command.label)
            if not ratios:
                continue
            target = next((t for t in case.targets if t.anchor == command.label), None)
            out.append(
                Row(
                    f"{case.short or case.title} vs {command.label}",
                    statistics.median(ratios),
                    min(ratios),
                    max(ratios),
                    target.max_ratio if target else None,
                    case.verdict(target) if target else None,
                )
            )
    return out


def axis(data: Sequence[Row]) -> tuple[float, float]:
    """Whole decades covering every value and target, at least 0.1x to 10x."""
    values = [v for r in data for v in (r.low, r.high, r.target) if v]
    low = min([0.1, *values])
    high = max([10.0, *values])
    return 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))


def _scale(low: float, high: float, left: float, width: float) -> Callable[[float], float]:
    span = math.log10(high) - math.log10(low)

    def x(value: float) -> float:
        clamped = min(max(value, low), high)
        return left + (math.log10(clamped) - math.log10(low)) / span * width

    return x


def svg(data: Sequence[Row], title: str) -> str:
    """The chart as an SVG document."""
    longest = max((len(r.label) for r in data), default=20)
    label_w, plot_w, value_w, row_h, top = int(longest * CHAR_W) + 20, 480, 70, 22, 58
    width = max(label_w + plot_w + value_w + 20, 780)
    height = top + row_h * max(len(data), 1) + 46
    left = label_w
    low, high = axis(data)
    _x = _scale(low, high, left, plot_w)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
        'font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}</text>',
        '<text x="10" y="40" fill="#555">mlops-hooks time / other command\'s time (median of '
        "paired rounds; log scale; left of 1x = mlops-hooks faster; | = target)</text>",
    ]
    bottom = top + row_h * len(data)
    ticks = [10.0**e for e in range(round(math.log10(low)), round(math.log10(high)) + 1)]
    for tick in ticks:
        x = _x(tick)
        stroke = "#333" if tick == 1 else "#ddd"
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{stroke}"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#555">{tick:g}x</text>'
        )
    one = _x(1)
    for i, row in enumerate(data):
        y = top + i * row_h
        mid = y + row_h / 2
        x = _x(row.median)
        color = COLORS[row.holds]
        parts.append(
            f'<text x="{left - 8}" y="{mid + 4:.1f}" text-anchor="end">{escape(row.label)}</text>'
        )
        parts.append(
            f'<rect x="{min(x, one):.1f}" y="{y + 4}" width="{max(abs(x - one), 1.5):.1f}" '
            f'height="{row_h - 8}" fill="{color}" opacity="0.85"/>'
        )
        if row.high > row.low:
            x1, x2 = _x(row.low), _x(row.high)
            parts.append(
                f'<line x1="{x1:.1f}" y1="{mid:.1f}" x2="{x2:.1f}" y2="{mid:.1f}" '
                'stroke="#222" stroke-width="1"/>'
            )
        if row.target is not None:
            tx = _x(row.target)
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + row_h - 1}" '
                'stroke="#000" stroke-width="2.5"/>'
            )
        parts.append(f'<text x="{left + plot_w + 8}" y="{mid + 4:.1f}">{ratio(row.median)}x</text>')
    if not data:
        parts.append(f'<text x="{left}" y="{top + 14}">no ratios measured</text>')
    legend_y = height - 10
    for j, (text, key) in enumerate(
        (("target holds", True), ("fails", False), ("no target", None))
    ):
        lx = 10 + j * 130
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{COLORS[key]}"/>'
        )
        parts.append(f'<text x="{lx + 18}" y="{legend_y}">{text}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
