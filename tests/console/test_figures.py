"""The dashboard's figures, computed from tickets whose answers we know; rankings; charts."""
from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from bot.console import charts, measures, stats


@pytest.fixture
def known(make):
    """Six tickets in the period (plus a merged one and an old one that must not count)."""
    make.ticket("G1", state="closed", age_hours=48, response_after_hours=1, resolve_after_hours=10,
                on_time=True, satisfaction="满意", category="drainage")
    make.ticket("G1", state="resolved", age_hours=47, response_after_hours=2, resolve_after_hours=30,
                on_time=False, category="drainage")
    make.ticket("G2", state="accepted", age_hours=46, response_after_hours=3, category="lighting")
    make.ticket("G3", state="rejected", age_hours=45, response_after_hours=4, category="noise")
    make.ticket("G4", state="new", age_hours=44, category="noise")
    make.ticket("G4", state="closed", age_hours=43, response_after_hours=1, resolve_after_hours=5,
                on_time=True, satisfaction="基本满意", category="sanitation")
    make.ticket("G1", state="merged", age_hours=42, category="drainage")
    make.ticket("G1", state="closed", age_hours=24 * 40, response_after_hours=1, resolve_after_hours=1,
                on_time=True, satisfaction="不满意")


def kpi(page: str, name: str) -> str:
    return re.search(rf'id="kpi-{name}">([^<]*)<', page).group(1)


def test_dashboard_figures_match_hand_computed_values(login_as, known):
    page = login_as("admin").get("/console/dashboard").get_data(as_text=True)
    assert kpi(page, "received") == "6"
    assert kpi(page, "responded") == "5"
    assert kpi(page, "resolved") == "3"
    assert kpi(page, "completion") == "60.0%"        # 3 / (6 − 1 rejected)
    assert kpi(page, "ontime") == "66.7%"            # 2 / 3
    assert kpi(page, "satisfaction") == "100.0%"     # (满意 + 基本满意) / 2 rated
    assert kpi(page, "response-avg") == "2.2 小时"    # (1+2+3+4+1) / 5
    assert "P90 3.6 小时" in page                     # percentile_cont over [1,1,2,3,4]
    assert kpi(page, "resolve-avg") == "15.0 小时"    # (10+30+5) / 3
    assert "P90 26.0 小时" in page
    assert kpi(page, "open") == "2"                   # the accepted one and the new one
    assert page.count("data-chart=") >= 4 and "工单趋势" in page and "三率趋势" in page
    assert "vendor/echarts.min.js" in page and "<svg" not in page


def test_breakdowns_and_trend(console, known, make):
    now = make.now
    today = measures.today_in_china(now)
    from datetime import timedelta

    from bot.console.views import category_name
    from models import Ticket  # noqa: F401

    with console.db.session() as s:
        from sqlalchemy import true

        d = stats.dashboard(s, true(), today - timedelta(days=29), today, "day", now, category_name)
        by_grid = {f.label: f for f in d.by_grid}
        assert by_grid["幸福里第一网格"].received == 2 and by_grid["幸福里第一网格"].resolved == 2
        assert by_grid["幸福里第一网格"].on_time_rate == 0.5
        by_cat = {f.key: f for f in d.by_category}
        assert by_cat["noise"].received == 2 and by_cat["noise"].completion_rate == 0.0
        by_comm = {f.label: f.received for f in d.by_community}
        assert by_comm == {"幸福里社区": 3, "扬州路社区": 1, "光明社区": 2}
        assert sum(f.received for f in d.trend) == 6
        week = stats.dashboard(s, true(), today - timedelta(days=29), today, "week", now, category_name)
        month = stats.dashboard(s, true(), today - timedelta(days=29), today, "month", now, category_name)
        assert sum(f.received for f in week.trend) == sum(f.received for f in month.trend) == 6
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(f.key)) for f in week.trend + month.trend)


def test_department_ranking_orders_by_the_three_rates(login_as, make):
    for _ in range(2):
        make.ticket("G1", state="closed", department="water", age_hours=1, response_after_hours=0.2,
                    resolve_after_hours=0.5, on_time=True, satisfaction="满意")
    make.ticket("G2", state="resolved", department="urban", age_hours=1, response_after_hours=0.2,
                resolve_after_hours=0.9, on_time=False)
    make.ticket("G2", state="claimed", department="urban", age_hours=1, response_after_hours=0.2)
    month = (make.now.astimezone(ZoneInfo("Asia/Shanghai")) - __import__("datetime").timedelta(hours=1)).strftime("%Y-%m")
    page = login_as("admin").get(f"/console/ranking?month={month}&level=department").get_data(as_text=True)
    assert page.index("区水务局") < page.index("区城管委")
    assert "100.0" in page and "20.0" in page  # 0.4·50% + 0.3·0% + 0.3·0% = 20
    street = login_as("admin").get(f"/console/ranking?month={month}&level=street").get_data(as_text=True)
    assert "新华街道" in street and "朝阳街道" not in street
    # A grid leader's ranking only covers the grid's own tickets.
    mine = login_as("wangfang").get(f"/console/ranking?month={month}&level=department").get_data(as_text=True)
    assert "区水务局" in mine and "区城管委" not in mine


def test_chart_options_keep_labels_as_data_and_fill_every_period():
    from datetime import date

    bars = charts.horizontal_bars("x", "类别", [("<script>alert(1)</script>", 3), ("排水", None)])
    assert bars.option["yAxis"]["data"][0] == "<script>alert(1)</script>"  # data, escaped by the template
    assert bars.option["series"][0]["data"] == [3, None]
    days = charts.periods(date(2026, 11, 28), date(2026, 12, 3), "day")
    assert len(days) == 6 and days[-1] == date(2026, 12, 3)
    # The last label is whole (the SVG chart showed "12-0"); a range over a new year says the year.
    assert charts.period_label(days[-1], "day", with_year=False) == "12-03"
    assert charts.period_label(date(2026, 1, 5), "day", with_year=True) == "2026-01-05"
    assert charts.periods(date(2026, 11, 4), date(2026, 12, 3), "week")[0] == date(2026, 11, 2)  # a Monday
    assert [charts.period_label(m, "month", with_year=True) for m in
            charts.periods(date(2025, 12, 15), date(2026, 2, 1), "month")] == ["2025-12", "2026-01", "2026-02"]
    mix = charts.category_mix([(f"类{i}", 10 - i) for i in range(10)] + [("零", 0)], top=3)
    assert [d["name"] for d in mix.option["series"][0]["data"]] == ["类0", "类1", "类2", "其他类别"]
    assert mix.option["series"][0]["data"][-1]["value"] == sum(10 - i for i in range(3, 10))


def test_dashboard_escapes_labels_inside_chart_attributes(login_as, make):
    make.ticket("G1", text="<img src=x onerror=alert(1)>", category="drainage", age_hours=2)
    page = login_as("admin").get("/console/dashboard").get_data(as_text=True)
    assert "<img src=x" not in page
    trend_row = re.search(r'<table id="table-trend">.*?</table>', page, re.S).group(0)
    assert trend_row.count("<tr>") >= 30  # every day of the 30, tickets or not


def test_cached_dashboard_is_reused_but_never_stale(login_as, make, console):
    make.ticket("G1", age_hours=2)
    c = login_as("admin")
    assert kpi(c.get("/console/dashboard").get_data(as_text=True), "received") == "1"
    keys = list(console.redis.scan_iter("gridwhistle:console:dash:*"))
    assert len(keys) == 1
    assert kpi(c.get("/console/dashboard").get_data(as_text=True), "received") == "1"
    assert len(list(console.redis.scan_iter("gridwhistle:console:dash:*"))) == 1  # reused
    make.ticket("G2", age_hours=1)
    assert kpi(c.get("/console/dashboard").get_data(as_text=True), "received") == "2"  # new data, new key
    # Another viewer's scope never reads the admin's cached figures.
    assert kpi(login_as("wangfang").get("/console/dashboard").get_data(as_text=True), "received") == "1"
