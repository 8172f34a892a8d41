"""The console in a real browser (Playwright + Debian Chromium): roles, filters, an action, charts, scope.

Skipped with the reason when Chromium or playwright is missing, unless CI is set (then it fails),
like tests/local/e2e. The browser is launched by path; nothing is ever downloaded.
"""
from __future__ import annotations


import pytest

from tests.console.conftest import Maker

pytestmark = pytest.mark.e2e


@pytest.fixture
def chromium(browser):
    return browser  # the one session-wide browser (tests/conftest.py): Playwright allows one per thread


@pytest.fixture
def live(tmp_path, model_path):
    from bot.app import create_app
    from bot.runtime.config import Settings
    from bot.console.accounts import seed_demo_accounts
    from bot.runtime.db import migrate
    from bot.local.demo import seed_demo
    from bot.local.sandbox.live import LiveServer

    settings = Settings(env="test", database_url=f"sqlite:///{tmp_path / 'console.db'}", job_mode="inprocess",
                        classifier_model_path=str(model_path), wecom_api_base_url="http://127.0.0.1:9",
                        wechat_api_base_url="http://127.0.0.1:9").validated()
    app = create_app(settings, start_jobs=False)
    svc = app.extensions["gridwhistle"]
    migrate(svc.db.engine)
    svc.redis.flushdb()
    with svc.db.session() as s:
        seed_demo(s)
        seed_demo_accounts(s)
        s.commit()
    make = Maker(svc)
    tickets = {
        "g1": make.ticket("G1", text="幸福里3号楼下水道堵了，污水冒出来", category="drainage"),
        "g1_light": make.ticket("G1", text="楼道灯坏了好几天", category="lighting", age_hours=3),
        "g2": make.ticket("G2", text="二网格垃圾桶满了没人清", category="sanitation"),
    }
    with LiveServer(app) as server:
        yield server.url, tickets
    svc.db.dispose()


def _login(browser, url: str, user: str, *, phone: bool = False):
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{url}/console/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
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
