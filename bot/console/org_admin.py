"""Console org administration: which chat is which grid, who holds which role, category deadlines.

These pages change what the bot does (who is staff, which chat is which grid), so each POST
re-checks role and scope on the server from the database, never from the form. Admins edit
everything; community staff edit the chats and grid roles of their own community's grids.

Categories themselves (codes, names, keywords) ship with the code in
classifier/data/categories.csv: the model is trained on them. Their deadline is district
policy, so an admin may change it here; the change is a row in category_override (never a
write into the code tree), read by the ticket loop on every new ticket
(handlers.tickets.category_setting), so every worker sees it at once. The CSV's level is
shown, not edited: every ticket starts with its grid and climbs by whistle or deadline.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.console import auth
from bot.console.org_units import all_units, descendants, unit_by_code
from bot.runtime.services import services
from handlers.policy import ADMIN, ADMIN_ROLES, GRID_ASSIGNABLE_ROLES, ORG_EDIT_ROLES, ROLE_UNIT_KIND
from handlers.tickets import categories, effective_categories
from models import ROLES, CategoryOverride, Department, GroupChat, Identity, OrgUnit, RoleAssignment
from models.vocabulary import UNIT_KIND_NAMES, role_name

log = logging.getLogger(__name__)
bp = Blueprint("org_admin", __name__)

ROUTE_KINDS = ("wecom_chat", "robot", "sandbox")
MAX_DEADLINE_HOURS = 720

# Sentences shown by these pages (Chinese).
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


def _is_admin() -> bool:
    return g.viewer.is_admin


def _staff_grids() -> frozenset[int]:
    """Grids under the viewer's community_staff roles only (a grid role elsewhere grants no edits)."""
    if "manage_grids" not in g:
        with services().db.session() as db:
            roots = set(db.execute(select(RoleAssignment.org_unit_id).where(
                RoleAssignment.person_id == g.viewer.person_id, RoleAssignment.role == "community_staff",
                RoleAssignment.org_unit_id.is_not(None))).scalars())
            units = all_units(db)
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
    return role in GRID_ASSIGNABLE_ROLES and _may_edit_grid(unit)


def _back(message: str, category: str = "ok"):
    flash(message, category)
    return redirect(url_for("console.org_admin.index"), 303)


@bp.get("/manage")
@auth.login_required
def index():
    auth.require_roles(ORG_EDIT_ROLES)
    viewer = g.viewer
    with services().db.session() as db:
        units = all_units(db)
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
        return render_template(
            "console/manage_org.html", chats=chats, roles=roles, units=editable_units, grids=grids,
            unit_by_id=by_id, depts=depts, dept_by_id={d.id: d for d in depts}, user_ids=user_ids,
            roles_allowed=ROLES if viewer.is_admin else GRID_ASSIGNABLE_ROLES,
            route_kinds=ROUTE_KINDS, categories=effective_categories(db).values(), defaults=categories(),
            levels=UNIT_KIND_NAMES, max_hours=MAX_DEADLINE_HOURS, is_admin=viewer.is_admin)


@bp.post("/manage/categories/<code>")
@auth.login_required
def category(code: str):
    """An admin sets a category's deadline (empty or 恢复默认: the CSV default)."""
    auth.require_roles(ADMIN_ROLES)
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


@bp.post("/manage/chats/<int:chat_id>")
@auth.login_required
def chat(chat_id: int):
    """Rebind a chat to a grid (community staff: within their grids); admins also set the route."""
    auth.require_roles(ORG_EDIT_ROLES)
    with services().db.session() as db:
        row = db.get(GroupChat, chat_id)
        if row is None or not (_is_admin() or _may_edit_grid(row.org_unit)):
            abort(404)
        code = request.form.get("unit", "").strip()
        unit = unit_by_code(db, code)
        if code and (unit is None or not (_is_admin() or _may_edit_grid(unit))):
            return _back(NO_UNIT.format(code=code), "error")
        if not code and not _is_admin():
            return _back(NO_UNIT.format(code=""), "error")
        row.org_unit_id = unit.id if unit else None
        if _is_admin():
            kind = request.form.get("route_kind", row.route_kind).strip()
            target = request.form.get("route_target", row.route_target).strip()
            if kind not in ROUTE_KINDS or not target or len(target) > 128:
                db.rollback()
                return _back(BAD_ROUTE, "error")
            row.route_kind, row.route_target = kind, target
            if unit is not None:
                row.department_id = None
        db.commit()
    log.info("console chat %s bound to unit %s by account %s", chat_id, unit.id if unit else None,
             g.viewer.account_id)
    return _back(CHAT_SAVED)


@bp.post("/manage/chats")
@auth.login_required
def chat_add():
    """Register a chat the bot was added to (admins): WeCom chat id, name, grid; route defaults to the chat id."""
    auth.require_roles(ADMIN_ROLES)
    f = request.form
    external_id, name = f.get("external_id", "").strip(), f.get("name", "").strip()
    kind = f.get("route_kind", "wecom_chat").strip()
    target = f.get("route_target", "").strip() or external_id
    if not external_id or not name or kind not in ROUTE_KINDS or len(external_id) > 64 or len(target) > 128:
        return _back(BAD_ROUTE, "error")
    with services().db.session() as db:
        unit = unit_by_code(db, f.get("unit", ""))
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
def role_add():
    auth.require_roles(ORG_EDIT_ROLES)
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
            unit = unit_by_code(db, code)
            if unit is None or not _may_edit_role(role, unit):
                return _back(NO_UNIT.format(code=code[:32]), "error")
            want = ROLE_UNIT_KIND.get(role)
            if want and unit.kind != want:
                return _back(WRONG_UNIT.format(role=role_name(role), kind=UNIT_KIND_NAMES[want]), "error")
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
def role_delete(role_id: int):
    auth.require_roles(ORG_EDIT_ROLES)
    with services().db.session() as db:
        r = db.get(RoleAssignment, role_id)
        if r is None or not _may_edit_role(r.role, r.org_unit):
            abort(404)
        if r.role == ADMIN and r.person_id == g.viewer.person_id:
            return _back(SELF_ADMIN, "error")
        person_id, role = r.person_id, r.role
        db.delete(r)
        db.commit()
    log.info("console role %s removed from person %s by account %s", role, person_id, g.viewer.account_id)
    return _back(ROLE_REMOVED)
