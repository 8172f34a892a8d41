"""Chart options for Apache ECharts (served by the app: static/vendor/echarts.min.js), built here.

The server decides what a chart shows; the page's script (static/console_charts.js) only hands
each option to ECharts. Options are plain JSON (no JavaScript functions: formatters are ECharts'
string templates), written into a data attribute that Jinja escapes, so a label can never
become markup. Every chart has the same figures as a table next to it (screen readers, print).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#9ca3af"]
# What every chart offers: its save-as-PNG button (with a Chinese file name) and a tooltip.
_TOOLBOX = {"right": 8, "feature": {"saveAsImage": {"title": "保存为图片", "pixelRatio": 2}}}


@dataclass(frozen=True)
class Chart:
    """One chart on a page: its element id, a title for people who cannot see it, the option."""

    id: str
    title: str
    option: dict
    height: int = 320


def _base(title: str, file_name: str) -> dict:
    toolbox = {**_TOOLBOX, "feature": {"saveAsImage": {**_TOOLBOX["feature"]["saveAsImage"], "name": file_name}}}
    return {"color": PALETTE, "title": {"text": title, "left": 8, "top": 4, "textStyle": {"fontSize": 14}},
            "toolbox": toolbox, "animation": False}


def periods(start: date, end: date, grain: str) -> list[date]:
    """Every bucket start from start to end (days; Mondays; first days of months), gaps included."""
    if grain == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]
    if grain == "month":
        out, cur = [], start.replace(day=1)
        while cur <= end:
            out.append(cur)
            cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def period_label(day: date, grain: str, *, with_year: bool) -> str:
    """11-03, 2026-11-03 (a range over a new year), 2026-11 for a month: never cut short."""
    if grain == "month":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}-{day.month:02d}-{day.day:02d}" if with_year else f"{day.month:02d}-{day.day:02d}"


def _axis(labels: list[str]) -> dict:
    return {"type": "category", "data": labels, "boundaryGap": True,
            "axisLabel": {"hideOverlap": True, "fontSize": 11}, "axisTick": {"alignWithLabel": True}}


def _zoom(n: int) -> list[dict]:
    # A long period opens on its last ~3 months; drag or scroll to see the rest.
    start = 0 if n <= 92 else round(100 * (1 - 92 / n))
    return [{"type": "inside", "start": start, "end": 100},
            {"type": "slider", "start": start, "end": 100, "height": 18, "bottom": 8}]


def trend(labels: list[str], received: Sequence[int], responded: Sequence[int], resolved: Sequence[int],
          grain_name: str) -> Chart:
    option = _base(f"工单趋势（{grain_name}，件）", "工单趋势")
    option.update({
        "tooltip": {"trigger": "axis"}, "legend": {"top": 28},
        "grid": {"left": 44, "right": 20, "top": 64, "bottom": 64},
        "xAxis": _axis(labels), "yAxis": {"type": "value", "minInterval": 1},
        "dataZoom": _zoom(len(labels)),
        "series": [{"name": "收到", "type": "bar", "data": list(received), "barMaxWidth": 18},
                   {"name": "受理", "type": "line", "data": list(responded), "showSymbol": False},
                   {"name": "办结", "type": "line", "data": list(resolved), "showSymbol": False}],
    })
    return Chart("chart-trend", "工单趋势", option, 340)


def rates(labels: list[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> Chart:
    option = _base("三率趋势（%）", "三率趋势")
    option.update({
        "tooltip": {"trigger": "axis"}, "legend": {"top": 28},
        "grid": {"left": 44, "right": 20, "top": 64, "bottom": 64},
        "xAxis": _axis(labels), "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "dataZoom": _zoom(len(labels)),
        "series": [{"name": name, "type": "line", "data": list(values), "showSymbol": False, "connectNulls": False}
                   for name, values in series],
    })
    return Chart("chart-rates", "三率趋势", option, 340)


def category_mix(items: Sequence[tuple[str, int]], top: int = 9) -> Chart:
    """A ring of the categories: the biggest `top`, the rest as 其他类别."""
    items = sorted(items, key=lambda kv: -kv[1])
    shown = [{"name": name, "value": n} for name, n in items[:top] if n]
    rest = sum(n for _, n in items[top:])
    if rest:
        shown.append({"name": "其他类别", "value": rest})
    option = _base("类别构成（收到，件）", "类别构成")
    option.update({
        "tooltip": {"trigger": "item", "formatter": "{b}：{c} 件（{d}%）"},
        "legend": {"type": "scroll", "orient": "vertical", "right": 4, "top": 40, "bottom": 10},
        "series": [{"name": "类别", "type": "pie", "radius": ["38%", "68%"], "center": ["38%", "56%"],
                    "data": shown, "label": {"formatter": "{b}\n{d}%", "fontSize": 11},
                    "avoidLabelOverlap": True}],
    })
    return Chart("chart-category", "类别构成", option)


def horizontal_bars(chart_id: str, title: str, items: Sequence[tuple[str, float | None]], *, unit: str = "",
                    max_value: float | None = None, color: str = PALETTE[0], file_name: str = "") -> Chart:
    """Bars sideways (long Chinese names read better so), the first item on top."""
    items = list(items)
    option = _base(title, file_name or title)
    x_axis: dict = {"type": "value", "minInterval": 1}
    if max_value is not None:
        x_axis["max"] = max_value
    if unit:
        x_axis["axisLabel"] = {"formatter": "{value}" + unit}
    option.update({
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 48, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": x_axis,
        "yAxis": {"type": "category", "inverse": True, "data": [name for name, _ in items],
                  "axisLabel": {"width": 110, "overflow": "truncate"}},
        "series": [{"name": title, "type": "bar", "data": [v for _, v in items], "itemStyle": {"color": color},
                    "barMaxWidth": 22, "label": {"show": True, "position": "right",
                                                 "formatter": "{c}" + unit, "fontSize": 11}}],
    })
    return Chart(chart_id, title, option, max(160, 48 + 28 * max(1, len(items))))


def small_daily(chart_id: str, days: Sequence[tuple[str, int]]) -> Chart:
    """A hot spot's reports per day: a small bar chart without title or toolbox."""
    option = {"color": PALETTE, "animation": False, "tooltip": {"trigger": "axis", "formatter": "{b}：{c} 件"},
              "grid": {"left": 28, "right": 8, "top": 10, "bottom": 24},
              "xAxis": _axis([d[5:] if len(d) == 10 else d for d, _ in days]),
              "yAxis": {"type": "value", "minInterval": 1},
              "series": [{"name": "反映", "type": "bar", "data": [n for _, n in days], "barMaxWidth": 14}]}
    return Chart(chart_id, "每日反映", option, 150)
