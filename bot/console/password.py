"""The set-password page: where an operator-issued (one-time) password is replaced by the owner's own.

A blueprint of its own, nested under the console's like the management pages. login_required sends an account that must
change its password here and nowhere else; after the change the session is renewed, so a cookie
captured while the one-time password was in use dies with it.
"""
from __future__ import annotations

import logging

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from bot.console import auth, texts
from bot.console.accounts import MIN_PASSWORD_LENGTH, AccountError, change_password
from bot.runtime.services import services

log = logging.getLogger(__name__)
bp = Blueprint("account", __name__)


@bp.route("/password", methods=["GET", "POST"])
@auth.login_required
def password():
    viewer, error = g.viewer, None
    if request.method == "POST":
        new, confirm = request.form.get("password") or "", request.form.get("confirm") or ""
        if new != confirm:
            error = texts.PASSWORD_MISMATCH
        else:
            svc = services()
            with svc.db.session() as db:
                try:
                    change_password(db, viewer.account_id, new)
                    db.commit()
                except AccountError as err:
                    error = str(err)
        if error is None:
            log.info("console account %s set its own password", viewer.account_id)
            auth.start_session(viewer.account_id, viewer.person_id)
            flash(texts.PASSWORD_CHANGED, "ok")
            return redirect(url_for("console.dashboard"))
    return render_template("console/password.html", error=error, min_length=MIN_PASSWORD_LENGTH,
                           must_change=viewer.must_change_password), (400 if error else 200)
