"""Production has no demo credentials: the demo seeds refuse, a real account gets a one-time password
that must be replaced at first login. Development keeps demo1234 (the console fixtures use it)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from models import OrgUnit, StaffAccount
from tests.console.helpers import csrf_of, login
from tests.production import production


@pytest.fixture
def prod_app(settings, app):
    prod = create_app(production(settings))
    yield prod
    prod.extensions["gridwhistle"].db.dispose()


def _count(app, model) -> int:
    with app.extensions["gridwhistle"].db.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def test_seed_demo_refuses_in_production(prod_app):
    result = prod_app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "production" in result.output
    assert _count(prod_app, OrgUnit) == 0 and _count(prod_app, StaffAccount) == 0


def test_seed_demo_accounts_refuses_in_production(prod_app, demo):
    result = prod_app.test_cli_runner().invoke(args=["seed-demo-accounts"])
    assert result.exit_code != 0 and "production" in result.output
    assert _count(prod_app, StaffAccount) == 0
    assert login(prod_app.test_client(), "admin", "demo1234").status_code == 401


def test_a_password_on_the_command_line_is_refused_in_production(prod_app, demo):
    result = prod_app.test_cli_runner().invoke(args=["create-staff-account", "wangfang", "chosen-by-operator"])
    assert result.exit_code != 0 and _count(prod_app, StaffAccount) == 0


def _one_time_password(output: str) -> str:
    return re.search(r"one-time password: (\S+)", output).group(1)


def test_a_real_account_gets_a_one_time_password_to_replace_at_first_login(prod_app, demo):
    runner = prod_app.test_cli_runner()
    first = runner.invoke(args=["create-staff-account", "wangfang"])
    assert first.exit_code == 0, first.output
    otp = _one_time_password(first.output)
    assert len(otp) >= 12 and otp != "demo1234"
    again = _one_time_password(runner.invoke(args=["create-staff-account", "linfeng"]).output)
    assert again != otp  # random, never a shared default

    c = prod_app.test_client()
    resp = login(c, "wangfang", otp)
    assert resp.status_code == 302 and resp.location.endswith("/console/password")
    # Nothing else opens until the password is replaced.
    for path in ("/console/dashboard", "/console/tickets", "/console/ranking"):
        resp = c.get(path)
        assert resp.status_code == 302 and resp.location.endswith("/console/password"), path
    page = c.get("/console/password").get_data(as_text=True)
    assert "设置新密码" in page
    token = csrf_of(c, "/console/password")
    short = c.post("/console/password", data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert short.status_code == 400 and "至少" in short.get_data(as_text=True)
    same = c.post("/console/password", data={"csrf_token": token, "password": otp, "confirm": otp})
    assert same.status_code == 400
    mismatch = c.post("/console/password", data={"csrf_token": token, "password": "new-secret-9",
                                                 "confirm": "new-secret-8"})
    assert mismatch.status_code == 400 and "不一致" in mismatch.get_data(as_text=True)
    done = c.post("/console/password", data={"csrf_token": token, "password": "new-secret-9",
                                             "confirm": "new-secret-9"})
    assert done.status_code == 302 and done.location.endswith("/console/dashboard")
    assert c.get("/console/dashboard").status_code == 200
    # The one-time password is spent; the new one works from a fresh browser.
    assert login(prod_app.test_client(), "wangfang", otp).status_code == 401
    assert login(prod_app.test_client(), "wangfang", "new-secret-9").location.endswith("/console/dashboard")


def test_development_keeps_demo_passwords(app, demo):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo-accounts"]).exit_code == 0
    resp = login(app.test_client(), "admin", "demo1234")
    assert resp.status_code == 302 and resp.location.endswith("/console/dashboard")
