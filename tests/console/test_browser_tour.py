"""The console on a lived-in district, in a real browser (Playwright + Debian Chromium): the admin's
dashboard with its ECharts charts, the grid map, hot spots and rankings; then a grid leader, who
sees her grid only. Screenshots go to test-artifacts/ (the README's come from this test).

The district's history is seeded by `seed_history` (E2E_HISTORY_DAYS days, 30 unless set), or
copied from a database it already ran on (E2E_SEEDED_DB: a SQLite file, e.g. after
`python -m bench.bench_history`), which is how the README's year-long screenshots are taken.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser import console_login, live_console

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def seeded(tmp_path, model_path):
    from bot.local.history import seed_history

    db_file = tmp_path / "district.db"
    if os.environ.get("E2E_SEEDED_DB"):
        shutil.copy(os.environ["E2E_SEEDED_DB"], db_file)
    with live_console(db_file, model_path, boundaries=True) as (url, svc):
        with svc.db.session() as s:
            seed_history(s, svc.settings, svc.clock.now(), int(os.environ.get("E2E_HISTORY_DAYS", "30")))
        yield url


def _login(browser, url: str, user: str, viewport=(1366, 900)):
    return console_login(browser, url, user, viewport)


def _shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=full_page)


def _drawn(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-drawn='1'] canvas")


def test_admin_and_grid_leader_tour_the_seeded_district(browser, seeded):
    url = seeded
    context, page, errors = _login(browser, url, "admin")
    for chart in ("#chart-trend", "#chart-rates", "#chart-category", "#chart-grids"):
        _drawn(page, chart)
    assert int(page.inner_text("#kpi-received")) > 50
    # The trend's table has every day of the period, the last one whole (not "12-0").
    last_day = page.locator("#table-trend tbody tr").last.locator("td").first.text_content()
    assert len(last_day) == 5 and last_day[2] == "-"
    # A tooltip appears over the trend (ECharts, with the app's CSP).
    box = page.locator("#chart-trend canvas").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.5)
    page.wait_for_function("() => [...document.querySelectorAll('#chart-trend div')].some("
                           "d => d.textContent.includes('收到') && getComputedStyle(d).display !== 'none')")
    _shot(page, "01-dashboard")
    page.goto(f"{url}/console/dashboard?grain=week&from=" +
              page.evaluate("() => new Date(Date.now() - 364 * 864e5).toISOString().slice(0, 10)"))
    _drawn(page, "#chart-trend")
    _shot(page, "02-dashboard-year-by-week", full_page=False)

    page.goto(f"{url}/console/map")
    _drawn(page, "#grid-map")
    assert page.locator("#table-map tbody tr").count() == 5
    _shot(page, "03-map-open")
    page.goto(f"{url}/console/map?measure=overdue")
    _drawn(page, "#grid-map")
    # A grid is a click away from its tickets: click the middle of the map's first table row's grid.
    page.locator("#table-map tbody tr a").first.click()
    page.wait_for_url("**/console/tickets?grid=*")
    assert page.locator("table.tickets tbody tr").count() >= 1

    page.goto(f"{url}/console/hotspots?days=30")
    assert page.locator("section.hotspot").count() >= 1
    _drawn(page, "#chart-hot-0")
    _shot(page, "04-hotspots")
    page.goto(f"{url}/console/ranking?level=grid")
    _drawn(page, "#chart-ranking")
    assert page.locator("table.ranking tbody tr").count() == 5
    _shot(page, "05-ranking")
    assert errors == []
    context.close()

    context, page, errors = _login(browser, url, "wangfang", viewport=(390, 844))
    _drawn(page, "#chart-trend")
    _shot(page, "06-grid-leader-dashboard")
    page.goto(f"{url}/console/map")
    _drawn(page, "#grid-map")
    rows = page.locator("#table-map tbody tr")
    assert rows.count() == 1 and "幸福里第一网格" in rows.first.inner_text()
    _shot(page, "07-grid-leader-map")
    page.goto(f"{url}/console/ranking?level=grid")
    assert "幸福里第二网格" not in page.inner_text("table.ranking")
    assert errors == []
    context.close()
