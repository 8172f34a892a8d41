"""The console in a real browser (Playwright + Debian Chromium): roles, filters, an action, charts, scope.

Skipped with the reason when Chromium or playwright is missing, unless CI is set (then it fails),
like tests/local/e2e. The browser is launched by path; nothing is ever downloaded.
"""
from __future__ import annotations


import pytest

from tests.browser import console_login, live_console
from tests.console.conftest import Maker

pytestmark = pytest.mark.e2e


@pytest.fixture
def chromium(browser):
    return browser  # the one session-wide browser (tests/conftest.py): Playwright allows one per thread


@pytest.fixture
def live(tmp_path, model_path):
    with live_console(tmp_path / "console.db", model_path) as (url, svc):
        make = Maker(svc)
        tickets = {
            "g1": make.ticket("G1", text="幸福里3号楼下水道堵了，污水冒出来", category="drainage"),
            "g1_light": make.ticket("G1", text="楼道灯坏了好几天", category="lighting", age_hours=3),
            "g2": make.ticket("G2", text="二网格垃圾桶满了没人清", category="sanitation"),
        }
        yield url, tickets


def _login(browser, url: str, user: str, *, phone: bool = False):
    context, page, _ = console_login(browser, url, user, viewport=(390, 844) if phone else (1280, 900))
    return context, page


def test_grid_leader_on_a_phone(chromium, live):
    url, tickets = live
    context, page = _login(chromium, url, "wangfang", phone=True)
    assert page.inner_text("#kpi-received") == "2"
    page.wait_for_selector("#chart-trend[data-drawn='1'] canvas")  # ECharts drew it, on a phone too
    assert page.locator(".echart[data-drawn='1']").count() >= 4 and page.locator("#chart-trend canvas").first.is_visible()
    page.click("button.menu-toggle")
    page.click("nav >> text=工单")
    page.select_option("select[name=category]", "drainage")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.tickets tbody tr").count() == 1
    page.click(f"a[href='/console/tickets/{tickets['g1']}']")
    page.click("form.action-accept button")
    assert "已由" in page.inner_text(".flash.ok")
    assert "已受理" in page.inner_text("h1")
    # Another grid's ticket does not exist for this leader.
    resp = page.goto(f"{url}/console/tickets/{tickets['g2']}")
    assert resp.status == 404
    context.close()


def test_dispatch_claim_resolve_across_roles(chromium, live):
    url, tickets = live
    admin_ctx, admin = _login(chromium, url, "admin")
    admin.goto(f"{url}/console/tickets/{tickets['g1_light']}")
    admin.select_option("form.action-dispatch select[name=department]", label="区城管委")
    admin.click("form.action-dispatch button")
    assert "已派单至区城管委" in admin.inner_text(".flash.ok")
    admin_ctx.close()
    dept_ctx, dept = _login(chromium, url, "fengchengguan")
    dept.goto(f"{url}/console/tickets")
    assert dept.locator("table.tickets tbody tr").count() == 1
    dept.click(f"a[href='/console/tickets/{tickets['g1_light']}']")
    dept.click("form.action-claim button")
    dept.fill("form.action-resolve input[name=note]", "已更换灯泡")
    dept.once("dialog", lambda d: d.accept())
    dept.click("form.action-resolve button")
    assert "已办结" in dept.inner_text("h1") and "已更换灯泡" in dept.inner_text(".timeline")
    dept_ctx.close()


def test_wrong_password_is_refused(chromium, live):
    url, _ = live
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{url}/console/login")
    page.fill("input[name=username]", "wangfang")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text(".flash.error")
    context.close()
