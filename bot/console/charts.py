"""Charts as inline SVG rendered on the server: no CDN, no JavaScript, testable as text.

Labels and titles are escaped; numbers are formatted by the caller's function.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

PALETTE = ("#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2")


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(items: Sequence[tuple[str, float | None]], *, title: str = "", max_value: float | None = None,
              fmt: Callable[[float], str] = _num, width: int = 480, bar_height: int = 22) -> Markup:
    """Horizontal bars (long Chinese labels read better sideways, also on a phone)."""
    label_w, pad = 120, 6
    height = pad * 2 + bar_height * max(1, len(items)) + (20 if title else 0)
    top = pad + (20 if title else 0)
    peak = max_value if max_value is not None else max((v or 0 for _, v in items), default=0) or 1
    parts = [(f'<svg class="chart bar" viewBox="0 0 {width} {height}" role="img" '
              f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">')]
    if title:
        parts.append(f'<text x="{pad}" y="16" class="chart-title">{escape(title)}</text>')
    if not items:
        parts.append(f'<text x="{pad}" y="{top + 15}" class="chart-empty">暂无数据</text>')
    span = width - label_w - 60
    for i, (label, value) in enumerate(items):
        y = top + i * bar_height
        w = 0 if value is None else max(1.0, span * (value / peak))
        text = "—" if value is None else fmt(value)
        parts.append(
            f'<text x="{label_w - 4}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" class="chart-label">'
            f'{escape(str(label)[:10])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{bar_height - 6}" fill="{PALETTE[0]}" rx="2">'
            f'<title>{escape(str(label))}：{escape(text)}</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}" class="chart-value">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, title: str = "",
               max_value: float | None = None, width: int = 640, height: int = 220) -> Markup:
    """Lines over time; a None value breaks the line (no data that day)."""
    left, right, top, bottom = 40, 10, 28 if title else 10, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max_value if max_value is not None else max(
        (v for _, vals in series for v in vals if v is not None), default=0) or 1
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v / peak)

    parts = [(f'<svg class="chart line" viewBox="0 0 {width} {height}" role="img" '
              f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">')]
    if title:
        parts.append(f'<text x="4" y="16" class="chart-title">{escape(title)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>')
    parts.append(f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" class="chart-label">{_num(peak)}</text>')
    parts.append(f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="chart-label">0</text>')
    if not n:
        parts.append(f'<text x="{left + 4}" y="{top + plot_h / 2}" class="chart-empty">暂无数据</text>')
    step = max(1, n // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 18}" text-anchor="middle" class="chart-label">'
                         f'{escape(label[5:] if len(label) == 10 else label)}</text>')
    for k, (name, values) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        segments, current = [], []
        for i, v in enumerate(values):
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        for seg in segments:
            if len(seg) == 1:
                cx, cy = seg[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{color}"/>')
            else:
                parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(seg)}"/>')
        parts.append(f'<rect x="{left + k * 110}" y="{height - 10}" width="10" height="8" fill="{color}"/>'
                     f'<text x="{left + 14 + k * 110}" y="{height - 2}" class="chart-label">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
