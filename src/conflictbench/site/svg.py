"""SVG drawn in Python: the precision–recall chart of a field and the F1 interval of a row.

Every label is escaped; colours and markers are fixed per system index, so a system keeps
its marker across charts; a marker's shape (not only its colour) tells systems apart.
"""

from __future__ import annotations

from html import escape
from typing import Sequence

#: (colour, marker) per system index; colours chosen for contrast on white (≥ 3:1)
PALETTE = ("#1f5fa6", "#b8461b", "#1d7a3a", "#7a2e8e", "#8a6d00", "#00707a", "#a8325e", "#4d4d4d")
MARKERS = ("circle", "square", "diamond", "triangle")
TICKS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
ISO_F1 = (0.2, 0.4, 0.6, 0.8)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def marker(i: int, x: float, y: float, *, r: float = 5.0, fill: str | None = None) -> str:
    c = colour(i)
    f = c if fill is None else fill
    shape = MARKERS[(i // len(PALETTE) + i) % len(MARKERS)]
    style = f'fill="{f}" stroke="{c}" stroke-width="2"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {style}/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {style}/>'
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} '
                f'{x - r - 1:.1f},{y:.1f}" {style}/>')
    return f'<polygon points="{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y + r:.1f} {x - r - 1:.1f},{y + r:.1f}" {style}/>'


def iso_f1_points(f1: float, n: int = 60) -> list[tuple[float, float]]:
    """(recall, precision) on the curve F1 = 2PR/(P+R) = f1, recall from f1/2 to 1."""
    pts = []
    for i in range(n + 1):
        r = f1 / 2 + (1 - f1 / 2) * i / n
        if 2 * r - f1 <= 0:
            continue
        p = f1 * r / (2 * r - f1)
        if 0 <= p <= 1:
            pts.append((r, p))
    return pts


def pr_chart(title: str, points: Sequence[tuple[int, str, float, float, bool]], *, size: int = 360) -> str:
    """A chart of (system index, label, recall, precision, filled) points: axes with ticks at
    0, 0.2, …, 1, labelled; iso-F1 curves labelled; one legend line per point."""
    left, top, right, bottom = 50, 20, 20, 45
    w = size - left - right
    h = size - top - bottom

    def xy(r: float, p: float) -> tuple[float, float]:
        return left + r * w, top + (1 - p) * h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
           f'role="img" aria-labelledby="t-{escape(title)}"><title id="t-{escape(title)}">{escape(title)}</title>',
           f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="#fff" stroke="#555"/>']
    for t in TICKS:
        x, _ = xy(t, 0)
        _, y = xy(0, t)
        out.append(f'<line x1="{x:.1f}" y1="{top + h}" x2="{x:.1f}" y2="{top + h + 5}" stroke="#333"/>'
                   f'<text x="{x:.1f}" y="{top + h + 17}" font-size="11" text-anchor="middle" fill="#222">{t:.1f}</text>')
        out.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#333"/>'
                   f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#222">{t:.1f}</text>')
    for f1 in ISO_F1:
        pts = iso_f1_points(f1)
        out.append('<polyline class="iso" fill="none" stroke="#bbb" stroke-dasharray="3 3" points="'
                   + " ".join("%.1f,%.1f" % xy(r, p) for r, p in pts) + '"/>')
        x, y = xy(1.0, f1 / (2 - f1))  # where the curve meets recall = 1
        out.append(f'<text x="{x - 3:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="end" fill="#555">F1={f1:.1f}</text>')
    out.append(f'<text x="{left + w / 2:.1f}" y="{size - 8}" font-size="12" text-anchor="middle" fill="#222">recall</text>')
    out.append(f'<text x="14" y="{top + h / 2:.1f}" font-size="12" text-anchor="middle" fill="#222" '
               f'transform="rotate(-90 14 {top + h / 2:.1f})">precision</text>')
    for i, label, r, p, filled in points:
        if r != r or p != p:
            continue
        x, y = xy(r, p)
        out.append(f'<g class="pt">{marker(i, x, y, r=4.0 if filled else 7.0, fill=None if filled else "none")}'
                   f'<title>{escape(label)}: P={p:.3f} R={r:.3f}</title></g>')
    out.append("</svg>")
    return "".join(out)


def interval_bar(f1: float, lo: float, hi: float, *, width: int = 160, height: int = 18, label: str = "") -> str:
    """The F1 interval on a 0–1 scale: a line from ``lo`` to ``hi``, a dot at ``f1``, ticks at 0, 0.5, 1."""
    pad = 6
    span = width - 2 * pad

    def x(v: float) -> float:
        return pad + max(0.0, min(1.0, v)) * span

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ci" width="{width}" height="{height}" role="img" '
           f'aria-label="{escape(label)}">',
           f'<line x1="{pad}" y1="{height - 3}" x2="{pad + span}" y2="{height - 3}" stroke="#999"/>']
    for t in (0.0, 0.5, 1.0):
        out.append(f'<line x1="{x(t):.1f}" y1="{height - 6}" x2="{x(t):.1f}" y2="{height}" stroke="#999"/>')
    if lo == lo and hi == hi:
        out.append(f'<line class="iv" x1="{x(lo):.1f}" y1="8" x2="{x(hi):.1f}" y2="8" stroke="#1f5fa6" '
                   f'stroke-width="3"/>')
        for v in (lo, hi):
            out.append(f'<line x1="{x(v):.1f}" y1="3" x2="{x(v):.1f}" y2="13" stroke="#1f5fa6" stroke-width="2"/>')
    if f1 == f1:
        out.append(f'<circle class="pt" cx="{x(f1):.1f}" cy="8" r="3.5" fill="#111"/>')
    out.append("</svg>")
    return "".join(out)
