"""Console dead letters: outbox items that ran out of attempts, and a retry for each (admins).

A retry is the same as `flask outbox-retry ID`: pending, attempts 0, due now, then a delivery
job. The list shows a masked preview only: a dead item may hold a resident's phone number.
"""
from __future__ import annotations

import logging

from flask import Blueprint, flash, g, redirect, render_template, url_for
from sqlalchemy import select, update

from bot.console import auth
from bot.delivery.outbox import deliver_soon
from bot.runtime.services import services
from handlers.policy import ADMIN_ROLES
from handlers.privacy import mask_personal_data
from models import GroupChat, OutboxItem

log = logging.getLogger(__name__)
bp = Blueprint("dead_letters", __name__)

PREVIEW_CHARS = 30
DEAD_PAGE = 200
RETRIED = "已重新排队 {n} 条消息。"
NOT_DEAD = "该消息不在死信中（可能已重试）。"


def preview(text: str | None) -> str:
    """Masked first, cut after: a phone number across the cut is still masked."""
    masked = mask_personal_data(text or "")
    return masked[:PREVIEW_CHARS] + ("…" if len(masked) > PREVIEW_CHARS else "")


@bp.get("/outbox/dead")
@auth.login_required
def index():
    auth.require_roles(ADMIN_ROLES)
    with services().db.session() as db:
        rows = db.execute(select(OutboxItem).where(OutboxItem.state == "dead")
                          .order_by(OutboxItem.id.desc()).limit(DEAD_PAGE)).scalars().all()
        chats = {(c.route_kind, c.route_target): c.name for c in db.execute(select(GroupChat)).scalars()}
        items = [{"id": r.id, "route_kind": r.route_kind, "chat": chats.get((r.route_kind, r.route_target)),
                  "created_at": r.created_at, "attempts": r.attempts, "last_error": r.last_error or "",
                  "preview": preview(r.text), "ticket_id": r.ticket_id} for r in rows]
    return render_template("console/manage_outbox.html", items=items)


@bp.post("/outbox/<int:outbox_id>/retry")
@auth.login_required
def retry(outbox_id: int):
    """Same as `flask outbox-retry ID`: pending, attempts 0, due now, then a delivery job."""
    auth.require_roles(ADMIN_ROLES)
    svc = services()
    now = svc.clock.now()
    with svc.db.session() as db:
        moved = db.execute(update(OutboxItem).where(OutboxItem.id == outbox_id, OutboxItem.state == "dead")
                           .values(state="pending", attempts=0, next_attempt_at=now, last_error=None)).rowcount
        db.commit()
    if moved:
        deliver_soon(svc, [outbox_id])
        log.info("console outbox retry %s by account %s", outbox_id, g.viewer.account_id)
        flash(RETRIED.format(n=1), "ok")
    else:
        flash(NOT_DEAD, "error")
    return redirect(url_for("console.dead_letters.index"), 303)
