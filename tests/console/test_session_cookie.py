"""The console's session cookie: never sent cross-site, never read by scripts, HTTPS-only in production."""
from __future__ import annotations

from bot.app import create_app
from tests.console.helpers import login
from tests.production import production


def _cookie_attributes(resp) -> set[str]:
    (header,) = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("session=")]
    return {part.strip().lower() for part in header.split(";")[1:]}


def test_login_cookie_is_samesite_lax_and_httponly(app, console):
    resp = login(app.test_client(), "wangfang")
    assert resp.status_code == 302
    attrs = _cookie_attributes(resp)
    assert "samesite=lax" in attrs and "httponly" in attrs
    assert "secure" not in attrs  # development runs on http://127.0.0.1


def test_production_cookie_is_also_secure(settings, console):
    app = create_app(production(settings))
    c = app.test_client()
    resp = login(c, "wangfang")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    assert {"samesite=lax", "httponly", "secure"} <= _cookie_attributes(resp)
    app.extensions["gridwhistle"].db.dispose()
