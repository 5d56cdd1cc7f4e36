"""Server-side SVG charts for the console, each with its table and CSV from the same numbers.

A chart is its data (`Chart`): the SVG, the table beside it and the CSV download are three
renderings of one series dict, so they cannot disagree. Every point carries its value in
`data-value` and in a hover title; every label is escaped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4d7c0f"]
WIDTH, HEIGHT = 660, 320
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 34, 86  # plot margins: y labels, title, x labels and two legend rows
LEGEND_COLUMNS = 4
WEEK = "week starting (Monday)"

Number = float | int | Decimal


def _x_text(x: object) -> str:
    return x.isoformat() if isinstance(x, date) else str(x)


def _short(x: object) -> str:
    return x.strftime("%d %b") if isinstance(x, date) else str(x)


def _fmt(value: Number) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:g}"


@dataclass
class Chart:
    key: str  # names its CSV download
    title: str
    y_label: str  # with the unit
    series: dict[str, dict]  # series name -> x (a week's Monday, or a label) -> value
    kind: str = "line"  # or "bar" (one series)
    x_label: str = WEEK
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def xs(self) -> list:
        found = list(dict.fromkeys(x for points in self.series.values() for x in points))
        return found if self.kind == "bar" else sorted(found)  # bar categories keep their order

    def table(self) -> tuple[list[str], list[list[str]]]:
        names = list(self.series)
        return [self.x_label, *names], [[_x_text(x), *(_fmt(self.series[n][x]) if x in self.series[n] else ""
                                                       for n in names)] for x in self.xs]

    def csv(self) -> str:
        out = io.StringIO()
        head, rows = self.table()
        writer = csv.writer(out)
        writer.writerow(head)
        writer.writerows(rows)
        return out.getvalue()

    def svg(self) -> str:
        xs = self.xs
        values = [float(v) for points in self.series.values() for v in points.values()]
        title = escape(self.title)
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{title}" class="chart" '
                f'data-chart="{escape(self.key)}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
                f'<title>{title}</title><text x="{LEFT}" y="18" font-size="14" font-weight="bold">{title}</text>')
        if not values:
            return head + f'<text x="{LEFT}" y="{HEIGHT / 2}">No data in this period.</text></svg>'
        low = min([*values, *([self.low] if self.low is not None else []), *([0.0] if self.kind == "bar" else [])])
        high = max([*values, *([self.high] if self.high is not None else [])])
        if high == low:
            high = low + 1
        bottom, plot_h, plot_w = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP, WIDTH - LEFT - RIGHT

        def y(v: float) -> float:
            return bottom - plot_h * (v - low) / (high - low)

        body = [f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#999"/>',
                f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#999"/>']
        for tick in (low, (low + high) / 2, high):
            body.append(f'<line x1="{LEFT - 4}" y1="{y(tick):.1f}" x2="{WIDTH - RIGHT}" y2="{y(tick):.1f}" '
                        f'stroke="#eee"/><text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="10" '
                        f'text-anchor="end">{tick:,.4g}</text>')
        body.append(f'<text transform="translate(14 {TOP + plot_h / 2:.0f}) rotate(-90)" font-size="11" '
                    f'text-anchor="middle">{escape(self.y_label)}</text>')
        body.append(f'<text x="{LEFT + plot_w / 2:.0f}" y="{bottom + 32}" font-size="11" text-anchor="middle">'
                    f'{escape(self.x_label)}</text>')
        slot = plot_w / max(len(xs), 1)
        every = max(1, len(xs) // 14)  # at most 14 x labels
        for i, x in enumerate(xs):
            if i % every == 0:
                body.append(f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{bottom + 14}" font-size="10" '
                            f'text-anchor="middle">{escape(_short(x))}</text>')
        legend = []
        for n, (name, points) in enumerate(self.series.items()):
            colour = PALETTE[n % len(PALETTE)]
            lx, ly = LEFT + (n % LEGEND_COLUMNS) * 150, HEIGHT - 34 + 18 * (n // LEGEND_COLUMNS)
            legend.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" fill="{colour}"/>'
                          f'<text x="{lx + 14}" y="{ly + 9}" font-size="11">{escape(name)}</text>')
            marks, path = [], []
            for i, x in enumerate(xs):
                if x not in points:
                    continue
                value = points[x]
                cx, cy = LEFT + slot * (i + 0.5), y(float(value))
                hover = f"<title>{escape(name)}, {escape(_x_text(x))}: {escape(_fmt(value))}</title>"
                data = f'data-series="{escape(name)}" data-x="{escape(_x_text(x))}" data-value="{_fmt(value)}"'
                if self.kind == "bar":
                    marks.append(f'<rect class="mark" {data} x="{cx - slot * 0.35:.1f}" y="{cy:.1f}" '
                                 f'width="{slot * 0.7:.1f}" height="{bottom - cy:.1f}" fill="{colour}">{hover}</rect>'
                                 f'<text x="{cx:.1f}" y="{cy - 4:.1f}" font-size="10" text-anchor="middle">'
                                 f"{escape(_fmt(value))}</text>")
                else:
                    path.append(f"{cx:.1f},{cy:.1f}")
                    marks.append(f'<circle class="mark" {data} cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" '
                                 f'fill="{colour}">{hover}</circle>')
            if path:
                body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(path)}"/>')
            body.extend(marks)
        return head + "".join(body) + ("".join(legend) if self.kind != "bar" or len(self.series) > 1 else "") \
            + "</svg>"
