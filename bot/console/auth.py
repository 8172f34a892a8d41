"""Console login: server-side sessions in Redis, CSRF token on every POST, scope per request.

Why a Redis-backed session id inside Flask's signed cookie: login replaces the id
(session fixation), logout deletes it server-side (a copied cookie dies with it),
and an idle session expires on its own.
"""
from __future__ import annotations

import functools
import hmac
import logging
import secrets
from collections.abc import Iterable
from dataclasses import replace

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from bot.console.viewer import Viewer, build_viewer
from bot.runtime.services import services
from models import Person, StaffAccount

log = logging.getLogger(__name__)

SESSION_TTL_SECONDS = 12 * 3600
# Where an account with an operator-issued password is sent until it sets its own.
PASSWORD_ENDPOINT = "console.account.password"
_KEY = "gridwhistle:console:session:{}"


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Every POST carries the session's token (form field or X-CSRF-Token header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        log.info("console CSRF check failed on %s", request.path)
        abort(400, description="csrf")


def start_session(account_id: int, person_id: int) -> None:
    """A fresh session id and CSRF token on every login: nothing from before survives."""
    old = session.get("console_sid")
    if old:
        services().redis.delete(_KEY.format(old))
    session.clear()
    sid = secrets.token_urlsafe(32)
    services().redis.set(_KEY.format(sid), f"{account_id}:{person_id}", ex=SESSION_TTL_SECONDS)
    session["console_sid"] = sid
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = False


def end_session() -> None:
    sid = session.get("console_sid")
    if sid:
        services().redis.delete(_KEY.format(sid))
    session.clear()


def load_viewer() -> Viewer | None:
    sid = session.get("console_sid")
    if not sid:
        return None
    svc = services()
    value = svc.redis.get(_KEY.format(sid))
    if not value:
        return None
    svc.redis.expire(_KEY.format(sid), SESSION_TTL_SECONDS)
    account_id, person_id = (int(x) for x in (value.decode() if isinstance(value, bytes) else value).split(":"))
    with svc.db.session() as db:
        account = db.get(StaffAccount, account_id)
        person = db.get(Person, person_id)
        if account is None or not account.active or person is None or account.person_id != person.id:
            return None
        viewer = build_viewer(db, person, account.id, account.username)
        return replace(viewer, must_change_password=account.must_change_password) if viewer else None


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        viewer = load_viewer()
        if viewer is None:
            if request.method == "GET":
                return redirect(url_for("console.login", next=request.full_path if request.args else request.path))
            abort(401)
        g.viewer = viewer
        if viewer.must_change_password and request.endpoint != PASSWORD_ENDPOINT:
            if request.method == "GET":
                return redirect(url_for(PASSWORD_ENDPOINT))
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def require_roles(roles: Iterable[str]) -> None:
    """403 unless the viewer holds one of the roles (checked on the server for every request)."""
    if not g.viewer.holds_any(roles):
        log.info("console page refused for account %s on %s", g.viewer.account_id, request.path)
        abort(403)


def current_person(db: Session) -> Person:
    """The viewer's Person, loaded in this session (scope rules read its roles)."""
    person = db.get(Person, g.viewer.person_id)
    if person is None:
        abort(403)
    return person


def safe_next(target: str | None) -> str:
    """Only same-site console paths after login (no open redirect)."""
    # Printable ASCII only: CR/LF would split the Location header (a 500, or header injection), and a
    # console URL the app itself builds is always percent-encoded.
    if (target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target
            and all("!" <= ch <= "~" for ch in target)):
        return target
    return url_for("console.dashboard")
