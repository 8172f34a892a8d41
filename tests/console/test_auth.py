"""Console access: login, CSRF, session rotation, accounts and the CLI (throttling: test_login_throttle.py)."""
from __future__ import annotations

import pytest

from bot.console.accounts import AccountError, create_account
from tests.console.helpers import csrf_of, login


def test_pages_need_login(app, console):
    c = app.test_client()
    for path in ("/console/", "/console/dashboard", "/console/tickets", "/console/tickets/1", "/console/hotspots",
                 "/console/ranking", "/console/org", "/console/tickets/export.csv"):
        resp = c.get(path)
        assert resp.status_code == 302 and "/console/login" in resp.location, path


def test_login_lands_on_dashboard_in_chinese(app, console):
    c = app.test_client()
    resp = login(c, "wangfang")
    assert resp.status_code == 302 and resp.location.endswith("/console/dashboard")
    page = c.get("/console/dashboard").get_data(as_text=True)
    assert "数据看板" in page and "王芳" in page


def test_wrong_password_and_unknown_user_look_the_same(app, console):
    c = app.test_client()
    a = login(c, "wangfang", "wrong-password")
    b = login(c, "nobody-here", "wrong-password")
    assert a.status_code == b.status_code == 401
    assert "用户名或密码错误" in a.get_data(as_text=True) and "用户名或密码错误" in b.get_data(as_text=True)


def test_residents_have_no_console(app, console):
    with console.db.session() as s:
        with pytest.raises(AccountError):
            create_account(s, "zhangdaye", "long-enough-pw", now=console.clock.now())
        with pytest.raises(AccountError):
            create_account(s, "wangfang", "short", now=console.clock.now())
    assert login(app.test_client(), "zhangdaye").status_code == 401


def test_post_without_csrf_token_is_refused(app, console, make):
    c = app.test_client()
    c.get("/console/login")
    assert c.post("/console/login", data={"username": "admin", "password": "demo1234"}).status_code == 400
    assert c.post("/console/login", data={"username": "admin", "password": "demo1234",
                                          "csrf_token": "forged"}).status_code == 400
    ticket = make.ticket("G1")
    assert login(c, "admin").status_code == 302
    resp = c.post(f"/console/tickets/{ticket}/action", data={"action": "accept"})
    assert resp.status_code == 400
    token = csrf_of(c, f"/console/tickets/{ticket}")
    resp = c.post(f"/console/tickets/{ticket}/action", data={"action": "accept", "csrf_token": token})
    assert resp.status_code == 303


def test_login_rotates_session_and_logout_kills_it(app, console):
    c = app.test_client()
    c.get("/console/login")
    with c.session_transaction() as sess:
        before_csrf = sess.get("csrf")
        sess["console_sid"] = "planted-by-attacker"
    assert login(c, "admin").status_code == 302
    with c.session_transaction() as sess:
        sid, csrf = sess["console_sid"], sess["csrf"]
    assert sid != "planted-by-attacker" and csrf != before_csrf
    # A copy of the cookie works until logout, and never after.
    copy = app.test_client()
    with copy.session_transaction() as sess:
        sess["console_sid"], sess["csrf"] = sid, csrf
    assert copy.get("/console/dashboard").status_code == 200
    resp = c.post("/console/logout", data={"csrf_token": csrf})
    assert resp.status_code == 302
    assert copy.get("/console/dashboard").status_code == 302
    assert c.get("/console/dashboard").status_code == 302


def test_no_open_redirect_after_login(app, console):
    c = app.test_client()
    token = csrf_of(c)
    for target, expected in (("//evil.example/x", "/console/dashboard"), ("https://evil.example", "/console/dashboard"),
                             ("/console/tickets?state=open", "/console/tickets?state=open")):
        resp = c.post("/console/login", data={"username": "admin", "password": "demo1234", "csrf_token": token,
                                              "next": target})
        assert resp.location.endswith(expected)
        token = csrf_of(c)


def test_security_headers(app, console):
    resp = app.test_client().get("/console/login")
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


def test_cli_creates_and_resets_accounts(app, console):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-staff-account", "linfeng", "new-password-1"])
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "linfeng", "new-password-1").status_code == 302
    bad = runner.invoke(args=["create-staff-account", "zhangdaye", "new-password-1"])
    assert bad.exit_code != 0 and "没有工作人员角色" in bad.output
    assert runner.invoke(args=["seed-demo-accounts"]).exit_code == 0
