"""The console's refusals (400, 401, 403, 404, 405, 413) as Chinese pages in the console's style.

Registered app-wide by the console blueprint but answering only under /console: a 404 for an
unknown console URL never reaches a blueprint's own handler (no blueprint matched the URL), and
the webhooks keep their short plain answers. The page says what happened and where to go next;
it never says whether a ticket outside the viewer's scope exists (that is a 404 like any other).
"""
from __future__ import annotations

import logging

from flask import g, render_template, request
from werkzeug.exceptions import HTTPException

from bot.console import auth, texts
from flask import Blueprint

log = logging.getLogger(__name__)


CONSOLE_PREFIX = "/console"


def console_page(exc: HTTPException):
    if not request.path.startswith(CONSOLE_PREFIX):
        return exc  # not ours: Werkzeug's own answer, as before
    if g.get("viewer") is None:
        try:
            # An unknown URL never ran login_required; the navigation helps a logged-in viewer back.
            g.viewer = auth.load_viewer()
        except Exception:  # noqa: BLE001 — an error page must render even when Redis or the database is down
            g.viewer = None
    title, message = texts.ERROR_PAGES[exc.code]
    return render_template("console/error.html", code=exc.code, title=title, message=message), exc.code


def register(console: Blueprint) -> None:
    """Answer the console's refusals with these pages (app-wide handlers that act only under /console)."""
    for code in texts.ERROR_PAGES:
        console.app_errorhandler(code)(console_page)
