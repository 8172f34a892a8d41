"""Console notices (通知) to grid group chats: list, compose, check, send or schedule, cancel.

Sending reuses handlers.broadcast (the same functions as the chat and the CLI) and the outbox:
the page queues rows and delivery jobs, it never calls WeChat itself. Every POST re-checks
role and scope on the server from the database, never from the form.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from bot.console import auth
from bot.console.org_units import all_units, unit_by_code
from bot.delivery.outbox import add_outgoing, deliver_soon
from bot.runtime.services import services
# The module, not its names: INLINE_SEND_LIMIT is read at each send (tests lower it).
from handlers import broadcast
from handlers.broadcast_texts import DELIVERY_ZH, STATUS_ZH
from handlers.deadlines import CHINA
from handlers.policy import BROADCAST_ROLES
from models import Broadcast
from models.vocabulary import UNIT_KIND_NAMES

log = logging.getLogger(__name__)
bp = Blueprint("notices", __name__)

TARGET_KINDS_ZH = {"grid": "一个网格", "community": "一个社区", "street": "一个街道", "district": "全区",
                   "tag": "带标签的网格"}

# Sentences shown by these pages (Chinese).
DRAFT_READY = "通知草稿已生成，请核对后确认发送。"
QUEUED = "通知已发送到 {n} 个群，送达情况见下方报告。"
HANDED_TO_SWEEP = "通知涉及 {n} 个群，已转入后台发送，请稍后刷新查看送达报告。"
SCHEDULED = "通知已定时，将于 {at} 发送到 {n} 个群。"
CANCELLED = "通知已取消。"
CANNOT_CANCEL = "该通知已发送或已取消，无法取消。"
NOT_DRAFT = "该通知不是待确认状态，无法再次发送。"
BAD_TIME = "定时时间格式不正确，请重新选择。"


def _visible_broadcast(db, broadcast_id: int) -> Broadcast:
    """The broadcast if the viewer may see it (author, or its unit in scope); else 404."""
    b = db.get(Broadcast, broadcast_id)
    if b is None or not broadcast.may_manage(auth.current_person(db), b):
        abort(404)
    return b


def _parse_local(value: str | None) -> datetime | None:
    """A datetime-local field ("2026-11-23T09:00") is China time; returns UTC."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(BAD_TIME) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)
    return at.astimezone(timezone.utc)


def _target_options(db) -> dict:
    viewer = g.viewer
    units = [u for u in all_units(db) if viewer.sees_unit(u.id)]
    tags = sorted({t.strip() for u in units if u.kind == "grid"
                   for t in (u.tags or "").replace("，", ",").split(",") if t.strip()})
    return {"units": units, "tags": tags, "kinds": TARGET_KINDS_ZH, "unit_kinds": UNIT_KIND_NAMES}


def _to_detail(broadcast_id: int):
    return redirect(url_for("console.notices.detail", broadcast_id=broadcast_id), 303)


@bp.get("/notices")
@auth.login_required
def index():
    auth.require_roles(BROADCAST_ROLES)
    with services().db.session() as db:
        me = auth.current_person(db)
        rows = db.execute(select(Broadcast).options(selectinload(Broadcast.author))
                          .order_by(Broadcast.id.desc()).limit(500)).scalars().all()
        rows = [b for b in rows if broadcast.may_manage(me, b)][:100]
        return render_template("console/manage_notices.html", rows=rows, status_names=STATUS_ZH)


@bp.route("/notices/new", methods=["GET", "POST"])
@auth.login_required
def new():
    auth.require_roles(BROADCAST_ROLES)
    svc = services()
    form = request.form if request.method == "POST" else {}
    error = None
    with svc.db.session() as db:
        if request.method == "POST":
            kind = form.get("target_kind", "")
            value, scope_unit_id = form.get("unit", ""), None
            if kind == "tag":
                value = form.get("tag", "")
                within = unit_by_code(db, form.get("unit", ""))
                if within is not None and g.viewer.sees_unit(within.id):
                    scope_unit_id = within.id
                elif value.strip():
                    # No unit chosen: the tag within the viewer's own (broadest) unit, as in the chat.
                    try:
                        scope_unit_id = broadcast.parse_target_phrase(
                            broadcast.Tree.load(db), auth.current_person(db), f"标签{value.strip()}")[2]
                    except broadcast.BroadcastError:
                        scope_unit_id = None
            try:
                at = _parse_local(form.get("scheduled_at"))
                b = broadcast.create_broadcast(db, auth.current_person(db), form.get("title", "").strip(),
                                               form.get("body", ""), kind, value, at, svc.clock.now(),
                                               scope_unit_id=scope_unit_id)
            except (broadcast.BroadcastError, ValueError) as err:
                db.rollback()
                error = str(err)
            else:
                db.commit()
                log.info("console notice %s drafted by account %s", b.id, g.viewer.account_id)
                flash(DRAFT_READY, "ok")
                return _to_detail(b.id)
        return render_template("console/manage_notice_new.html", form=form, error=error, **_target_options(db)), \
            (400 if error else 200)


@bp.get("/notices/<int:broadcast_id>")
@auth.login_required
def detail(broadcast_id: int):
    auth.require_roles(BROADCAST_ROLES)
    with services().db.session() as db:
        b = _visible_broadcast(db, broadcast_id)
        chats, report = [], None
        if b.status in ("draft", "scheduled"):
            try:
                target = broadcast.resolve_target(broadcast.Tree.load(db), b.author, b.target_kind, b.target_value,
                                                  b.scope_unit_id)
                chats = broadcast.target_chats(db, target.grids)
            except broadcast.BroadcastError as err:
                flash(str(err), "error")
        else:
            report = broadcast.delivery_report(db, b)
            db.commit()
        return render_template("console/manage_notice.html", b=b, chats=chats, report=report,
                               status_names=STATUS_ZH, delivery_names=DELIVERY_ZH)


@bp.post("/notices/<int:broadcast_id>/send")
@auth.login_required
def send(broadcast_id: int):
    auth.require_roles(BROADCAST_ROLES)
    svc = services()
    now = svc.clock.now()
    with svc.db.session() as db:
        b = _visible_broadcast(db, broadcast_id)
        if b.status != "draft":
            flash(NOT_DRAFT, "error")
            return _to_detail(b.id)
        later = b.scheduled_at is not None and b.scheduled_at > now
        if not later and b.group_count > broadcast.INLINE_SEND_LIMIT:
            # Hundreds of outbox rows in one request: the sweep sends it (due now) instead.
            db.execute(update(Broadcast).where(Broadcast.id == b.id, Broadcast.status == "draft")
                       .values(status="scheduled", scheduled_at=now))
            db.commit()
            flash(HANDED_TO_SWEEP.format(n=b.group_count), "ok")
            return _to_detail(b.id)
        pushes = broadcast.confirm_broadcast(db, b, now)
        ids = [row.id for row in add_outgoing(db, pushes, now)]
        status, count, at = b.status, b.group_count, b.scheduled_at
        db.commit()
    deliver_soon(svc, ids)
    log.info("console notice %s confirmed by account %s: %s rows", broadcast_id, g.viewer.account_id, len(ids))
    if status == "scheduled":
        flash(SCHEDULED.format(at=broadcast.local_text(at), n=count), "ok")
    else:
        flash(QUEUED.format(n=len(ids)), "ok")
    return _to_detail(broadcast_id)


@bp.post("/notices/<int:broadcast_id>/cancel")
@auth.login_required
def cancel(broadcast_id: int):
    auth.require_roles(BROADCAST_ROLES)
    with services().db.session() as db:
        b = _visible_broadcast(db, broadcast_id)
        ok = broadcast.cancel_broadcast(db, b)
        db.commit()
    flash(CANCELLED if ok else CANNOT_CANCEL, "ok" if ok else "error")
    return _to_detail(broadcast_id)
