"""Server-side SVG plots for the console: small, dependency-free, every label escaped."""

from __future__ import annotations

from html import escape

PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"]
WIDTH, HEIGHT, PAD = 640, 240, 40


def _frame(title: str, body: str, legend: list[tuple[str, str]]) -> str:
    keys = "".join(f'<rect x="{PAD + i * 105}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{PAD + 14 + i * 105}" y="{HEIGHT - 5}" font-size="11">{escape(label)}</text>'
                   for i, (label, colour) in enumerate(legend))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" class="chart" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><title>{escape(title)}</title>'
            f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 10}" y2="{HEIGHT - PAD}" stroke="#999"/>'
            f"{body}{keys}</svg>")


def bars(title: str, values: dict[str, float]) -> str:
    if not values:
        return _frame(title, f'<text x="{PAD}" y="{HEIGHT / 2}">no data yet</text>', [])
    top = max(values.values()) or 1
    slot = (WIDTH - PAD - 10) / len(values)
    body = ""
    for i, (label, value) in enumerate(values.items()):
        h = (HEIGHT - 2 * PAD - 10) * value / top
        x = PAD + i * slot + slot * 0.15
        body += (f'<rect x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                 f'fill="{PALETTE[0]}"><title>{escape(label)}: {value:g}</title></rect>'
                 f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD - h - 4:.1f}" font-size="11" '
                 f'text-anchor="middle">{value:g}</text>'
                 f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - PAD + 14:.1f}" font-size="11" '
                 f'text-anchor="middle">{escape(label)}</text>')
    return _frame(title, body, [])


def lines(title: str, series: dict[str, dict], low: float | None = None, high: float | None = None) -> str:
    """One line per series over shared x keys (e.g. weeks)."""
    xs = sorted({x for points in series.values() for x in points})
    if not xs:
        return _frame(title, f'<text x="{PAD}" y="{HEIGHT / 2}">no data yet</text>', [])
    values = [v for points in series.values() for v in points.values()]
    low = min(values + ([low] if low is not None else []))
    high = max(values + ([high] if high is not None else []))
    span = (high - low) or 1
    step = (WIDTH - PAD - 20) / max(len(xs) - 1, 1)

    def point(x: object, v: float) -> str:
        return f"{PAD + xs.index(x) * step:.1f},{HEIGHT - PAD - (HEIGHT - 2 * PAD - 10) * (v - low) / span:.1f}"

    body = (f'<text x="4" y="{PAD}" font-size="11">{high:g}</text>'
            f'<text x="4" y="{HEIGHT - PAD}" font-size="11">{low:g}</text>')
    body += "".join(f'<text x="{PAD + i * step:.1f}" y="{HEIGHT - PAD + 14}" font-size="10" text-anchor="middle">'
                    f"{escape(str(x)[5:] if len(str(x)) == 10 else str(x))}</text>" for i, x in enumerate(xs))
    legend = []
    for n, (name, points) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        path = " ".join(point(x, v) for x, v in sorted(points.items()))
        body += f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>'
        body += "".join(f'<circle cx="{point(x, v).split(",")[0]}" cy="{point(x, v).split(",")[1]}" r="3" '
                        f'fill="{colour}"><title>{escape(name)} {escape(str(x))}: {v:.2f}</title></circle>'
                        for x, v in points.items())
        legend.append((name, colour))
    return _frame(title, body, legend)
