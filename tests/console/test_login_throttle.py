"""Console login: unknown, wrong and throttled answer alike; a progressive delay per address and per
account name instead of a lock, and the owner's own browser is never held back by someone else's guessing."""
from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

import bot.console.accounts as accounts
from models import StaffAccount
from tests.console.helpers import csrf_of, login

_CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


@pytest.fixture(autouse=True)
def frozen(console, monkeypatch):
    """The app's clock stands still unless a test moves it: a hash check takes ~0.2 s of real time,
    which would otherwise run down a one-second wait between two requests."""
    moment = [console.clock.now()]
    monkeypatch.setattr(console.clock, "now", lambda: moment[0])

    def advance(seconds: float) -> None:
        moment[0] += timedelta(seconds=seconds)

    return advance


def _client(app, address: str):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    return c


def _page(resp) -> str:
    return _CSRF.sub("", resp.get_data(as_text=True))


def _fail(app, address: str, username: str, times: int) -> None:
    c = _client(app, address)
    for _ in range(times):
        assert login(c, username, "wrong-password").status_code == 401


def test_unknown_wrong_and_inactive_answer_with_the_same_page(app, console):
    with console.db.session() as s:
        s.execute(select(StaffAccount).where(StaffAccount.username == "linfeng")).scalar_one().active = False
        s.commit()
    answers = [login(_client(app, f"10.0.0.{i}"), name, "wrong-password")
               for i, name in enumerate(("nobody-here", "wangfang", "linfeng"))]
    assert {a.status_code for a in answers} == {401}
    assert len({_page(a) for a in answers}) == 1
    assert "用户名或密码错误" in _page(answers[0])


def test_a_throttled_real_account_and_a_throttled_unknown_name_look_the_same(app, console):
    _fail(app, "10.0.1.1", "wangfang", 5)
    _fail(app, "10.0.1.2", "nobody-here", 5)
    real = login(_client(app, "10.0.1.1"), "wangfang")  # even the right password waits
    unknown = login(_client(app, "10.0.1.2"), "nobody-here")
    assert real.status_code == unknown.status_code == 429
    assert real.headers["Retry-After"] == unknown.headers["Retry-After"] == "1"
    assert _page(real) == _page(unknown)
    assert "秒后再试" in _page(real) and "锁定" not in _page(real)


def test_every_answer_checks_exactly_one_password_hash_or_none_when_throttled(app, console, monkeypatch):
    calls = []
    real_check = accounts.check_password_hash

    def counting(pwhash, password):
        calls.append(1)
        return real_check(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    for address, name in (("10.0.2.1", "nobody-here"), ("10.0.2.2", "wangfang")):
        calls.clear()
        login(_client(app, address), name, "wrong-password")
        assert len(calls) == 1, name
    _fail(app, "10.0.2.3", "wangfang", 4)
    _fail(app, "10.0.2.4", "nobody-2", 5)
    for address, name in (("10.0.2.3", "wangfang"), ("10.0.2.4", "nobody-2")):
        calls.clear()
        assert login(_client(app, address), name, "wrong-password").status_code == 429
        assert calls == [], name


def test_timing_does_not_tell_unknown_from_wrong_nor_a_throttled_real_account_from_a_name(app, console, svc):
    """Medians of interleaved tries, with a loose bound (a factor 3): unknown and wrong each do one full
    hash check; throttled answers do none, for any name. Before, a locked account answered about 30x
    faster than an unknown name. Timed in this thread's CPU time (the request runs in it, through the
    test client), not wall time: other processes sharing the machine once made one median 5x another."""
    kinds = {"unknown": None, "wrong": "linfeng", "throttled-real": "wangfang", "throttled-unknown": "ghost"}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for i in range(9):
        svc.redis.flushdb()
        _fail(app, "10.0.3.201", "wangfang", 5)
        _fail(app, "10.0.3.202", "ghost", 5)
        for kind, name in kinds.items():
            c = _client(app, f"10.0.3.{i}")
            token = csrf_of(c)
            started = time.thread_time()
            c.post("/console/login", data={"username": name or f"nobody-{i}", "password": "wrong-password",
                                           "csrf_token": token})
            times[kind].append(time.thread_time() - started)
    median = {kind: statistics.median(values) for kind, values in times.items()}
    assert 1 / 3 < median["unknown"] / median["wrong"] < 3, times
    assert 1 / 3 < median["throttled-real"] / median["throttled-unknown"] < 3, times


def test_the_delay_grows_then_lets_the_right_password_in(app, console, frozen):
    _fail(app, "10.0.4.1", "wangfang", 5)
    c = _client(app, "10.0.4.2")
    assert login(c, "wangfang").status_code == 429
    frozen(1)
    assert login(c, "wangfang", "wrong-password").status_code == 401  # the sixth try was let through
    resp = login(c, "wangfang")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "2"
    frozen(2)
    assert login(c, "wangfang").status_code == 302


def test_the_account_delay_is_capped_at_a_minute(app, console, frozen):
    _fail(app, "10.0.5.1", "wangfang", 5)
    for i in range(10):
        frozen(61)
        assert login(_client(app, f"10.0.5.{i + 2}"), "wangfang", "wrong-password").status_code == 401
    resp = login(_client(app, "10.0.5.99"), "wangfang")
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) <= 60
    frozen(60)
    assert login(_client(app, "10.0.5.99"), "wangfang").status_code == 302


def test_the_owners_own_browser_is_not_held_back_by_someone_elses_guessing(app, console):
    owner = _client(app, "10.0.6.1")
    assert login(owner, "wangfang").status_code == 302
    owner.post("/console/logout", data={"csrf_token": csrf_of(owner, "/console/dashboard")})
    _fail(app, "10.0.6.10", "wangfang", 5)
    assert login(_client(app, "10.0.6.99"), "wangfang").status_code == 429  # a new browser waits
    assert login(owner, "wangfang").status_code == 302  # hers does not


def test_one_address_is_throttled_across_account_names(app, console):
    c = _client(app, "10.0.7.1")
    for i in range(10):
        assert login(c, f"nobody-{i}", "wrong-password").status_code == 401
    assert login(c, "admin").status_code == 429
    assert login(_client(app, "10.0.7.2"), "admin").status_code == 302


def test_a_success_starts_the_account_afresh(app, console):
    _fail(app, "10.0.8.1", "wangfang", 4)
    assert login(_client(app, "10.0.8.2"), "wangfang").status_code == 302
    _fail(app, "10.0.8.3", "wangfang", 5)  # five more free attempts, none refused


@pytest.mark.parametrize("cookie", ["forged", ""])
def test_a_forged_device_cookie_counts_for_nothing(app, console, cookie):
    _fail(app, "10.0.9.1", "wangfang", 5)
    c = _client(app, "10.0.9.2")
    c.set_cookie("gw_device", cookie, path="/console/")
    assert login(c, "wangfang").status_code == 429


def test_forwarded_for_counts_only_behind_a_trusted_proxy(settings, app, console):
    from dataclasses import replace

    from bot.app import create_app

    c = _client(app, "10.0.10.1")
    for i in range(10):  # a client naming a new address each time is still one address
        c.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{i}"
        assert login(c, f"nobody-{i}", "wrong-password").status_code == 401
    assert login(c, "admin").status_code == 429

    proxied = create_app(replace(settings, trusted_proxies=1))
    p = _client(proxied, "10.0.10.1")  # the load balancer's address
    p.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    assert login(p, "admin").status_code == 302
    proxied.extensions["gridwhistle"].db.dispose()
