"""Console management pages: notices (通知) to grid chats, the dead-letter outbox, chat and role edits.

Why a module of its own on the console blueprint: these pages change what the bot does
(who is staff, which chat is which grid, what residents are told), so each POST re-checks
role and scope on the server from the database, never from the form. Sending reuses
handlers.broadcast (the same functions as the chat and the CLI) and the outbox: the page
queues rows and delivery jobs, it never calls WeChat itself.

Categories themselves (codes, names, keywords) ship with the code in
classifier/data/categories.csv: the model is trained on them. Their deadline is district
policy, so an admin may change it here; the change is a row in category_override (never a
write into the code tree), read by the ticket loop on every new ticket
(handlers.tickets.category_setting), so every worker sees it at once. The CSV's level is
shown, not edited: every ticket starts with its grid and climbs by whistle or deadline.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from bot.console import auth
from bot.console.viewer import descendants
from bot.console.views import bp
from bot.delivery.outbox import add_outgoing, deliver_soon
from handlers.privacy import mask_personal_data
from bot.runtime.services import services
from models import Broadcast, Department, GroupChat, Identity, OrgUnit, OutboxItem, Person, RoleAssignment
from models.people import ROLE_NAMES_ZH, ROLES

log = logging.getLogger(__name__)

NOTICE_ROLES = ("community_staff", "street_staff", "admin")
UNIT_KINDS_ZH = {"district": "区", "street": "街道", "community": "社区", "grid": "网格"}
TARGET_KINDS_ZH = {"grid": "一个网格", "community": "一个社区", "street": "一个街道", "district": "全区",
                   "tag": "带标签的网格"}
# Which unit kind a role is attached to (department_responder: a department instead).
ROLE_UNIT_KIND = {"resident": "grid", "grid_worker": "grid", "grid_leader": "grid", "community_staff": "community",
                  "street_staff": "street", "admin": "district", "party_member": None}
# Roles a community staff member may give or take within their own grids.
GRID_ROLES = ("resident", "grid_worker", "grid_leader")
ROUTE_KINDS = ("wecom_chat", "robot", "sandbox")
PREVIEW_CHARS = 30
DEAD_PAGE = 200

# Sentences shown by these pages (Chinese).
NOT_ALLOWED = "您没有使用此功能的权限。"
DRAFT_READY = "通知草稿已生成，请核对后确认发送。"
QUEUED = "通知已发送到 {n} 个群，送达情况见下方报告。"
HANDED_TO_SWEEP = "通知涉及 {n} 个群，已转入后台发送，请稍后刷新查看送达报告。"
SCHEDULED = "通知已定时，将于 {at} 发送到 {n} 个群。"
CANCELLED = "通知已取消。"
CANNOT_CANCEL = "该通知已发送或已取消，无法取消。"
NOT_DRAFT = "该通知不是待确认状态，无法再次发送。"
BAD_TIME = "定时时间格式不正确，请重新选择。"
RETRIED = "已重新排队 {n} 条消息。"
NOT_DEAD = "该消息不在死信中（可能已重试）。"
CHAT_SAVED = "群聊绑定已保存。"
CHAT_CREATED = "群聊已登记并绑定。"
CHAT_EXISTS = "该群 ID 已登记，请在列表中修改绑定。"
ROLE_ADDED = "角色已添加。"
ROLE_EXISTS = "此人已有该角色。"
ROLE_REMOVED = "角色已移除。"
NO_PERSON = "没有找到企业微信账号为「{uid}」的人员。"
NO_UNIT = "没有找到编码为「{code}」的单位，或不在您的管辖范围内。"
WRONG_UNIT = "「{role}」需要绑定到{kind}。"
NO_DEPARTMENT = "请选择职能部门。"
SELF_ADMIN = "不能移除自己的管理员角色。"
BAD_ROUTE = "推送方式或推送目标不正确。"
CATEGORY_SAVED = "类别「{name}」的办理设置已保存，新工单按此执行。"
CATEGORY_RESET = "类别「{name}」已恢复默认设置。"
BAD_CATEGORY = "期限不正确：须为 1–{max} 小时的整数。"
CATEGORY_LEVELS_ZH = {"grid": "网格", "community": "社区", "street": "街道", "district": "区级"}
MAX_DEADLINE_HOURS = 720


# --- permissions ------------------------------------------------------------------------------

def _require_any(*roles: str) -> None:
    if not set(g.viewer.roles) & set(roles):
        log.info("console manage refused for account %s on %s", g.viewer.account_id, request.path)
        abort(403)


def _me(db) -> Person:
    person = db.get(Person, g.viewer.person_id)
    if person is None:
        abort(403)
    return person


def _units(db) -> list[OrgUnit]:
    return db.execute(select(OrgUnit).order_by(OrgUnit.code)).scalars().all()


def _unit_by_code(db, code: str) -> OrgUnit | None:
    code = (code or "").strip()
    if not code:
        return None
    return db.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one_or_none()


# --- notices ---------------------------------------------------------------------------------

def _visible_broadcast(db, broadcast_id: int) -> Broadcast:
    """The broadcast if the viewer may see it (author, or its unit in scope); else 404."""
    from handlers.broadcast import _may_manage

    b = db.get(Broadcast, broadcast_id)
    if b is None or not _may_manage(_me(db), b):
        abort(404)
    return b


def _parse_local(value: str | None) -> datetime | None:
    """A datetime-local field ("2026-11-23T09:00") is China time; returns UTC."""
    from handlers.deadlines import CHINA

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
    units = [u for u in _units(db) if viewer.sees_unit(u.id)]
    tags = sorted({t.strip() for u in units if u.kind == "grid"
                   for t in (u.tags or "").replace("，", ",").split(",") if t.strip()})
    return {"units": units, "tags": tags, "kinds": TARGET_KINDS_ZH, "unit_kinds": UNIT_KINDS_ZH}


@bp.get("/notices")
@auth.login_required
def notices():
    _require_any(*NOTICE_ROLES)
    from handlers.broadcast import _may_manage
    from handlers.broadcast_texts import STATUS_ZH

    with services().db.session() as db:
        me = _me(db)
        rows = db.execute(select(Broadcast).options(selectinload(Broadcast.author))
                          .order_by(Broadcast.id.desc()).limit(500)).scalars().all()
        rows = [b for b in rows if _may_manage(me, b)][:100]
        return render_template("console/manage_notices.html", rows=rows, status_names=STATUS_ZH)


@bp.route("/notices/new", methods=["GET", "POST"])
@auth.login_required
def notice_new():
    _require_any(*NOTICE_ROLES)
    from handlers.broadcast import BroadcastError, Tree, create_broadcast, parse_target_phrase

    svc = services()
    form = request.form if request.method == "POST" else {}
    error = None
    with svc.db.session() as db:
        if request.method == "POST":
            kind = form.get("target_kind", "")
            value, scope_unit_id = form.get("unit", ""), None
            if kind == "tag":
                value = form.get("tag", "")
                within = _unit_by_code(db, form.get("unit", ""))
                if within is not None and g.viewer.sees_unit(within.id):
                    scope_unit_id = within.id
                elif value.strip():
                    # No unit chosen: the tag within the viewer's own (broadest) unit, as in the chat.
                    try:
                        scope_unit_id = parse_target_phrase(Tree.load(db), _me(db), f"标签{value.strip()}")[2]
                    except BroadcastError:
                        scope_unit_id = None
            try:
                at = _parse_local(form.get("scheduled_at"))
                b = create_broadcast(db, _me(db), form.get("title", "").strip(), form.get("body", ""), kind,
                                     value, at, svc.clock.now(), scope_unit_id=scope_unit_id)
            except (BroadcastError, ValueError) as err:
                db.rollback()
                error = str(err)
            else:
                db.commit()
                log.info("console notice %s drafted by account %s", b.id, g.viewer.account_id)
                flash(DRAFT_READY, "ok")
                return redirect(url_for("console.notice_detail", broadcast_id=b.id), 303)
        return render_template("console/manage_notice_new.html", form=form, error=error, **_target_options(db)), \
            (400 if error else 200)


@bp.get("/notices/<int:broadcast_id>")
@auth.login_required
def notice_detail(broadcast_id: int):
    _require_any(*NOTICE_ROLES)
    from handlers.broadcast import BroadcastError, delivery_report, resolve_target, Tree, target_chats
    from handlers.broadcast_texts import DELIVERY_ZH, STATUS_ZH

    with services().db.session() as db:
        b = _visible_broadcast(db, broadcast_id)
        chats, report = [], None
        if b.status in ("draft", "scheduled"):
            try:
                target = resolve_target(Tree.load(db), b.author, b.target_kind, b.target_value, b.scope_unit_id)
                chats = target_chats(db, target.grids)
            except BroadcastError as err:
                flash(str(err), "error")
        else:
            report = delivery_report(db, b)
            db.commit()
        return render_template("console/manage_notice.html", b=b, chats=chats, report=report,
                               status_names=STATUS_ZH, delivery_names=DELIVERY_ZH)


@bp.post("/notices/<int:broadcast_id>/send")
@auth.login_required
def notice_send(broadcast_id: int):
    _require_any(*NOTICE_ROLES)
    from handlers.broadcast import INLINE_SEND_LIMIT, confirm_broadcast, local_text

    svc = services()
    now = svc.clock.now()
    with svc.db.session() as db:
        b = _visible_broadcast(db, broadcast_id)
        if b.status != "draft":
            flash(NOT_DRAFT, "error")
            return redirect(url_for("console.notice_detail", broadcast_id=b.id), 303)
        later = b.scheduled_at is not None and b.scheduled_at > now
        if not later and b.group_count > INLINE_SEND_LIMIT:
            # Hundreds of outbox rows in one request: the sweep sends it (due now) instead.
            db.execute(update(Broadcast).where(Broadcast.id == b.id, Broadcast.status == "draft")
                       .values(status="scheduled", scheduled_at=now))
            db.commit()
            flash(HANDED_TO_SWEEP.format(n=b.group_count), "ok")
            return redirect(url_for("console.notice_detail", broadcast_id=b.id), 303)
        pushes = confirm_broadcast(db, b, now)
        ids = [row.id for row in add_outgoing(db, pushes, now)]
        status, count, at = b.status, b.group_count, b.scheduled_at
        db.commit()
    deliver_soon(svc, ids)
    log.info("console notice %s confirmed by account %s: %s rows", broadcast_id, g.viewer.account_id, len(ids))
    if status == "scheduled":
        flash(SCHEDULED.format(at=local_text(at), n=count), "ok")
    else:
        flash(QUEUED.format(n=len(ids)), "ok")
    return redirect(url_for("console.notice_detail", broadcast_id=broadcast_id), 303)


@bp.post("/notices/<int:broadcast_id>/cancel")
@auth.login_required
def notice_cancel(broadcast_id: int):
    _require_any(*NOTICE_ROLES)
    from handlers.broadcast import cancel_broadcast

    with services().db.session() as db:
        b = _visible_broadcast(db, broadcast_id)
        ok = cancel_broadcast(db, b)
        db.commit()
    flash(CANCELLED if ok else CANNOT_CANCEL, "ok" if ok else "error")
    return redirect(url_for("console.notice_detail", broadcast_id=broadcast_id), 303)


# --- dead letters ----------------------------------------------------------------------------

def preview(text: str | None) -> str:
    """Masked first, cut after: a phone number across the cut is still masked."""
    masked = mask_personal_data(text or "")
    return masked[:PREVIEW_CHARS] + ("…" if len(masked) > PREVIEW_CHARS else "")


@bp.get("/outbox/dead")
@auth.login_required
def outbox_dead():
    _require_any("admin")
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
def outbox_retry(outbox_id: int):
    """Same as `flask outbox-retry ID`: pending, attempts 0, due now, then a delivery job."""
    _require_any("admin")
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
    return redirect(url_for("console.outbox_dead"), 303)


# --- chats and roles -------------------------------------------------------------------------

def _is_admin() -> bool:
    return g.viewer.is_admin


def _staff_grids() -> frozenset[int]:
    """Grids under the viewer's community_staff roles only (a grid role elsewhere grants no edits)."""
    if "manage_grids" not in g:
        with services().db.session() as db:
            roots = set(db.execute(select(RoleAssignment.org_unit_id).where(
                RoleAssignment.person_id == g.viewer.person_id, RoleAssignment.role == "community_staff",
                RoleAssignment.org_unit_id.is_not(None))).scalars())
            units = _units(db)
            kind = {u.id: u.kind for u in units}
            g.manage_grids = frozenset(u for u in descendants(units, roots) if kind.get(u) == "grid")
    return g.manage_grids


def _may_edit_grid(unit: OrgUnit | None) -> bool:
    """Admins anywhere; community staff for the grids of their own community."""
    if unit is None:
        return False
    if _is_admin():
        return True
    return unit.kind == "grid" and unit.id in _staff_grids()


def _may_edit_role(role: str, unit: OrgUnit | None) -> bool:
    if _is_admin():
        return True
    return role in GRID_ROLES and _may_edit_grid(unit)


@bp.get("/manage")
@auth.login_required
def manage():
    _require_any("admin", "community_staff")
    viewer = g.viewer
    with services().db.session() as db:
        units = _units(db)
        by_id = {u.id: u for u in units}
        depts = db.execute(select(Department).order_by(Department.id)).scalars().all()
        chats = [c for c in db.execute(select(GroupChat).order_by(GroupChat.id)).scalars()
                 if viewer.is_admin or (c.org_unit_id and _may_edit_grid(by_id.get(c.org_unit_id)))]
        roles = db.execute(select(RoleAssignment).options(selectinload(RoleAssignment.person))
                           .order_by(RoleAssignment.id)).scalars().all()
        roles = [r for r in roles if _may_edit_role(r.role, by_id.get(r.org_unit_id))]
        user_ids = {i.person_id: i.external_id for i in db.execute(
            select(Identity).where(Identity.channel == "wecom")).scalars()}
        grids = [u for u in units if _may_edit_grid(u)]
        editable_units = units if viewer.is_admin else grids
        from handlers.tickets import categories, effective_categories

        return render_template(
            "console/manage_org.html", chats=chats, roles=roles, units=editable_units, grids=grids,
            unit_by_id=by_id, depts=depts, dept_by_id={d.id: d for d in depts}, user_ids=user_ids,
            role_names=ROLE_NAMES_ZH, roles_allowed=ROLES if viewer.is_admin else GRID_ROLES,
            route_kinds=ROUTE_KINDS, categories=effective_categories(db).values(), defaults=categories(),
            levels=CATEGORY_LEVELS_ZH, max_hours=MAX_DEADLINE_HOURS, is_admin=viewer.is_admin)


@bp.post("/manage/categories/<code>")
@auth.login_required
def manage_category(code: str):
    """An admin sets a category's deadline (empty or 恢复默认: the CSV default)."""
    from handlers.tickets import categories
    from models import CategoryOverride

    _require_any("admin")
    default = categories().get(code)
    if default is None:
        abort(404)
    f = request.form
    hours_text = f.get("deadline_hours", "").strip()
    reset = f.get("reset") == "1"
    hours = None
    if not reset:
        if hours_text:
            if not hours_text.isdigit() or not 1 <= int(hours_text) <= MAX_DEADLINE_HOURS:
                return _back(BAD_CATEGORY.format(max=MAX_DEADLINE_HOURS), "error")
            hours = int(hours_text)
    # A value equal to the default is stored as "no override": a later CSV change then applies.
    hours = None if hours == default.deadline_hours else hours
    with services().db.session() as db:
        row = db.get(CategoryOverride, code)
        if hours is None:
            if row is not None:
                db.delete(row)
        else:
            if row is None:
                row = CategoryOverride(code=code)
                db.add(row)
            row.deadline_hours = hours
            row.updated_at, row.updated_by_id = services().clock.now(), g.viewer.person_id
        db.commit()
    log.info("console category %s deadline set to %s hours by account %s", code, hours, g.viewer.account_id)
    return _back((CATEGORY_RESET if hours is None else CATEGORY_SAVED).format(name=default.name_zh))


def _back(message: str, category: str = "ok"):
    flash(message, category)
    return redirect(url_for("console.manage"), 303)


@bp.post("/manage/chats/<int:chat_id>")
@auth.login_required
def manage_chat(chat_id: int):
    """Rebind a chat to a grid (community staff: within their grids); admins also set the route."""
    _require_any("admin", "community_staff")
    with services().db.session() as db:
        chat = db.get(GroupChat, chat_id)
        if chat is None or not (_is_admin() or _may_edit_grid(chat.org_unit)):
            abort(404)
        code = request.form.get("unit", "").strip()
        unit = _unit_by_code(db, code)
        if code and (unit is None or not (_is_admin() or _may_edit_grid(unit))):
            return _back(NO_UNIT.format(code=code), "error")
        if not code and not _is_admin():
            return _back(NO_UNIT.format(code=""), "error")
        chat.org_unit_id = unit.id if unit else None
        if _is_admin():
            kind = request.form.get("route_kind", chat.route_kind).strip()
            target = request.form.get("route_target", chat.route_target).strip()
            if kind not in ROUTE_KINDS or not target or len(target) > 128:
                db.rollback()
                return _back(BAD_ROUTE, "error")
            chat.route_kind, chat.route_target = kind, target
            if unit is not None:
                chat.department_id = None
        db.commit()
    log.info("console chat %s bound to unit %s by account %s", chat_id, unit.id if unit else None,
             g.viewer.account_id)
    return _back(CHAT_SAVED)


@bp.post("/manage/chats")
@auth.login_required
def manage_chat_add():
    """Register a chat the bot was added to (admins): WeCom chat id, name, grid; route defaults to the chat id."""
    _require_any("admin")
    f = request.form
    external_id, name = f.get("external_id", "").strip(), f.get("name", "").strip()
    kind = f.get("route_kind", "wecom_chat").strip()
    target = f.get("route_target", "").strip() or external_id
    if not external_id or not name or kind not in ROUTE_KINDS or len(external_id) > 64 or len(target) > 128:
        return _back(BAD_ROUTE, "error")
    with services().db.session() as db:
        unit = _unit_by_code(db, f.get("unit", ""))
        if unit is None:
            return _back(NO_UNIT.format(code=f.get("unit", "")), "error")
        if db.execute(select(GroupChat.id).where(GroupChat.channel == "wecom",
                                                 GroupChat.external_id == external_id)).first():
            return _back(CHAT_EXISTS, "error")
        db.add(GroupChat(channel="wecom", external_id=external_id, name=name[:100], org_unit_id=unit.id,
                         route_kind=kind, route_target=target, member_count=1))
        db.commit()
    log.info("console chat registered for unit %s by account %s", unit.id, g.viewer.account_id)
    return _back(CHAT_CREATED)


@bp.post("/manage/roles")
@auth.login_required
def manage_role_add():
    _require_any("admin", "community_staff")
    f = request.form
    role, uid = f.get("role", ""), f.get("user_id", "").strip()
    if role not in ROLES:
        abort(400)
    with services().db.session() as db:
        identity = db.execute(select(Identity).where(Identity.channel == "wecom", Identity.external_id == uid)
                              ).scalar_one_or_none()
        if identity is None:
            return _back(NO_PERSON.format(uid=uid[:64]), "error")
        unit, dept = None, None
        if role == "department_responder":
            if not _is_admin():
                abort(403)
            dept = db.execute(select(Department).where(Department.code == f.get("department", ""))
                              ).scalar_one_or_none()
            if dept is None:
                return _back(NO_DEPARTMENT, "error")
        else:
            code = f.get("unit", "").strip()
            unit = _unit_by_code(db, code)
            if unit is None or not _may_edit_role(role, unit):
                return _back(NO_UNIT.format(code=code[:32]), "error")
            want = ROLE_UNIT_KIND.get(role)
            if want and unit.kind != want:
                return _back(WRONG_UNIT.format(role=ROLE_NAMES_ZH[role], kind=UNIT_KINDS_ZH[want]), "error")
        same_unit = (RoleAssignment.org_unit_id == unit.id) if unit else RoleAssignment.org_unit_id.is_(None)
        same_dept = (RoleAssignment.department_id == dept.id) if dept else RoleAssignment.department_id.is_(None)
        exists = db.execute(select(RoleAssignment.id).where(
            RoleAssignment.person_id == identity.person_id, RoleAssignment.role == role, same_unit, same_dept)).first()
        if exists:
            return _back(ROLE_EXISTS, "error")
        db.add(RoleAssignment(person_id=identity.person_id, role=role, org_unit_id=unit.id if unit else None,
                              department_id=dept.id if dept else None))
        db.commit()
    log.info("console role %s added for person %s by account %s", role, identity.person_id, g.viewer.account_id)
    return _back(ROLE_ADDED)


@bp.post("/manage/roles/<int:role_id>/delete")
@auth.login_required
def manage_role_delete(role_id: int):
    _require_any("admin", "community_staff")
    with services().db.session() as db:
        r = db.get(RoleAssignment, role_id)
        if r is None or not _may_edit_role(r.role, r.org_unit):
            abort(404)
        if r.role == "admin" and r.person_id == g.viewer.person_id:
            return _back(SELF_ADMIN, "error")
        person_id, role = r.person_id, r.role
        db.delete(r)
        db.commit()
    log.info("console role %s removed from person %s by account %s", role, person_id, g.viewer.account_id)
    return _back(ROLE_REMOVED)
