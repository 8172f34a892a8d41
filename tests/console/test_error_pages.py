"""The console's refusals are Chinese pages in the console's own style, not Werkzeug's English ones."""
from __future__ import annotations

import pytest


def _is_console_page(resp) -> bool:
    page = resp.get_data(as_text=True)
    return 'lang="zh-CN"' in page and "console.css" in page and "网格哨" in page


def test_a_grid_leader_on_the_notices_page_gets_a_chinese_403(login_as):
    resp = login_as("wangfang").get("/console/notices")
    assert resp.status_code == 403 and _is_console_page(resp)
    page = resp.get_data(as_text=True)
    assert "没有权限" in page and "Forbidden" not in page
    assert "数据看板" in page  # the navigation is still there, so the way back is one click


@pytest.mark.parametrize("path", ["/console/no-such-page", "/console/tickets/999999"])
def test_a_missing_console_page_is_a_chinese_404(login_as, make, path):
    resp = login_as("wangfang").get(path)
    assert resp.status_code == 404 and _is_console_page(resp)
    page = resp.get_data(as_text=True)
    assert "页面不存在" in page and "Not Found" not in page


def test_a_missing_page_before_login_is_chinese_too(app, console):
    resp = app.test_client().get("/console/no-such-page")
    assert resp.status_code == 404 and _is_console_page(resp)


def test_a_post_without_csrf_token_is_a_chinese_400(app, console):
    c = app.test_client()
    c.get("/console/login")
    resp = c.post("/console/login", data={"username": "admin", "password": "demo1234"})
    assert resp.status_code == 400 and _is_console_page(resp)
    assert "页面已过期" in resp.get_data(as_text=True)


def test_a_wrong_method_is_a_chinese_405(login_as):
    resp = login_as("wangfang").post("/console/dashboard")
    assert resp.status_code in (400, 405) and _is_console_page(resp)


def test_pages_outside_the_console_keep_their_plain_answers(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and "console.css" not in resp.get_data(as_text=True)
