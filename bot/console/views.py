"""Console pages. Each view: login_required → scope from the viewer → query → template.

A ticket outside the viewer's scope is answered 404 (not 403) so ids do not leak.
"""
from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta

import click
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.console import auth, charts, queries, stats, texts
from bot.console.photos import ticket_photos
from bot.console.accounts import (
    DEMO_PASSWORD, DEMO_REFUSED, AccountError, authenticate, create_account, issue_one_time_password,
    seed_demo_accounts,
)
from bot.console.hotspots import Report, find_hotspots
from bot.console.login_throttle import DEVICE_COOKIE, DEVICE_MAX_AGE, LoginThrottle
from bot.console.measures import GRAINS, today_in_china
from bot.delivery.outbox import add_outgoing, deliver_soon
from bot.runtime.services import services
from handlers import audit
from handlers.policy import ADMIN_ROLES
from handlers.ticket_actions import ActionRequest, available_actions, console_origin, perform
from handlers.tickets import TicketDesk, categories, effective_categories
from models import (
    Department,
    GroupChat,
    InboxMessage,
    OrgUnit,
    Person,
    RoleAssignment,
    Ticket,
    TicketEvent,
    TicketFollower,
)
from models.state_machine import STATES
from models.vocabulary import ACTION_NAMES, PRIORITY_NAMES, ROLE_NAMES, STATE_NAMES, action_name, category_name

log = logging.getLogger(__name__)
bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static", static_url_path="/static", cli_group=None)


# Endpoints that take files bigger than the app's body limit (sized for webhooks): the CSRF
# check reads the form first, so the limit is raised here, before it.
LARGE_UPLOADS = {"console.grid_map.upload": 2 * 1024 * 1024 + 64 * 1024}


@bp.before_request
def _csrf() -> None:
    if request.endpoint in LARGE_UPLOADS:
        request.max_content_length = LARGE_UPLOADS[request.endpoint]
    auth.check_csrf()


@bp.after_request
def _headers(resp: Response) -> Response:
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    # Pages with charts allow inline style attributes (ECharts' tooltips); scripts stay 'self' only.
    styles = "'self' 'unsafe-inline'" if g.get("inline_styles") else "'self'"
    images = " ".join(["'self' data: blob:", *g.get("image_origins", ())])
    resp.headers.setdefault("Content-Security-Policy",
                            f"default-src 'self'; img-src {images}; style-src {styles}; script-src 'self'; "
                            "frame-ancestors 'none'; form-action 'self'")
    if resp.mimetype == "text/html":
        resp.headers.setdefault("Cache-Control", "no-store")
    return resp


@bp.context_processor
def _names() -> dict:
    # The names of codes every console page may show, from the one vocabulary.
    return {"state_names": STATE_NAMES, "state_types": STATES, "action_names": ACTION_NAMES,
            "role_names": ROLE_NAMES, "priority_names": PRIORITY_NAMES}


@bp.app_template_global()
def csrf_token() -> str:
    return auth.csrf_token()


@bp.app_template_filter("pct")
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@bp.app_template_filter("hours")
def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds / 60:.0f} 分钟" if seconds < 3600 else f"{seconds / 3600:.1f} 小时"


@bp.app_template_filter("cn_time")
def cn_time(moment) -> str:
    return queries.fmt_time(moment)


def category_choices() -> dict[str, str]:
    return {code: c.name_zh for code, c in categories().items()}


# --- login -----------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    error, status, headers = None, 200, {}
    if request.method == "POST":
        svc = services()
        username = (request.form.get("username") or "").strip()[:64]
        password = request.form.get("password") or ""
        address = request.remote_addr or ""
        throttle = LoginThrottle(svc.redis, current_app.secret_key)
        known_device = throttle.is_known_device(request.cookies.get(DEVICE_COOKIE), username)
        wait = throttle.admit(address, username, svc.clock.now().timestamp(), known_device=known_device)
        if wait:
            # Decided before the database is asked, identically for any name: nothing tells them apart.
            error, status, headers = texts.THROTTLED.format(seconds=wait), 429, {"Retry-After": str(wait)}
        else:
            with svc.db.session() as db:
                result = authenticate(db, username, password, svc.clock.now())
                db.commit()
            if result.ok:
                throttle.succeeded(address, username)
                auth.start_session(result.account_id, result.person_id)
                log.info("console login account %s", result.account_id)
                target = (url_for(auth.PASSWORD_ENDPOINT) if result.must_change_password
                          else auth.safe_next(request.form.get("next")))
                resp = redirect(target)
                # Marks this browser as the owner's: the account's delay no longer applies to it.
                resp.set_cookie(DEVICE_COOKIE, throttle.device_token(username), max_age=DEVICE_MAX_AGE,
                                path=url_for("console.login").rsplit("/", 1)[0] + "/", httponly=True,
                                samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
                return resp
            error, status = texts.LOGIN_FAILED, 401
    auth.csrf_token()
    return render_template("console/login.html", error=error, next=request.values.get("next", "")), status, headers


@bp.post("/logout")
def logout():
    auth.end_session()
    flash(texts.LOGGED_OUT)
    return redirect(url_for("console.login"))


@bp.get("/")
@auth.login_required
def index():
    return redirect(url_for("console.dashboard"))


# --- tickets -----------------------------------------------------------------------------

def _filter_options(db, viewer):
    units = db.execute(select(OrgUnit).order_by(OrgUnit.code)).scalars().all()
    grids = [u for u in units if u.kind == "grid" and u.id in viewer.grid_ids]
    communities = [u for u in units if u.kind == "community" and any(g.parent_id == u.id for g in grids)]
    depts = db.execute(select(Department).order_by(Department.id)).scalars().all()
    visible_depts = depts if not viewer.is_department_only else [d for d in depts if d.id in viewer.department_ids]
    return {"grids": grids, "communities": communities, "departments": visible_depts,
            "all_departments": depts, "categories": category_choices()}


@bp.get("/tickets")
@auth.login_required
def tickets():
    svc, viewer = services(), g.viewer
    f = queries.TicketFilter.from_args(request.args, category_choices())
    with svc.db.session() as db:
        page = queries.list_tickets(db, viewer.ticket_clause(), f, svc.clock.now())
        options = _filter_options(db, viewer)
        return render_template("console/tickets.html", page=page, f=f, now=svc.clock.now(),
                               category_name=category_name, **options)


def _safe_cell(value):
    # Spreadsheet formula injection: a cell starting with = + - @ is text, not a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.get("/tickets/export.<fmt>")
@auth.login_required
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    svc, viewer = services(), g.viewer
    f = queries.TicketFilter.from_args(request.args, category_choices())
    # Residents' phone, ID and door numbers are masked in an export unless an admin asks for them
    # explicitly (?contacts=1); that request is refused to anyone else and audited when granted.
    contacts = request.args.get("contacts") == "1"
    if contacts:
        auth.require_roles(ADMIN_ROLES)
    stamp = svc.clock.now().astimezone(queries.CHINA).strftime("%Y%m%d%H%M")
    with svc.db.session() as db:
        rows = [[_safe_cell(v) for v in row] for row in
                queries.export_rows(db, viewer.ticket_clause(), f, svc.clock.now(), category_name,
                                    contacts=contacts)]
        if contacts:
            audit.record(db, auth.current_person(db), "export_contacts", now=svc.clock.now(),
                         detail=f"{fmt} rows={len(rows)} {f.to_args()}"[:300])
            db.commit()
    log.info("console export %s rows=%s account=%s contacts=%s", fmt, len(rows), viewer.account_id, contacts)
    # An export holds residents' complaints: never kept by a browser or a proxy cache.
    no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(queries.EXPORT_HEADER)
        writer.writerows(rows)
        data = "\ufeff" + buf.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly
        return Response(data.encode("utf-8"), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename=tickets-{stamp}.csv", **no_store})
    # Third-party and imported only here: openpyxl takes about half a second to import, and
    # only the Excel export needs it.
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("工单")
    ws.append(queries.EXPORT_HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=tickets-{stamp}.xlsx", **no_store})


def _visible_ticket(db, ticket_id: int) -> Ticket:
    ticket = db.execute(
        select(Ticket).where(Ticket.id == ticket_id, g.viewer.ticket_clause())
        .options(selectinload(Ticket.events).selectinload(TicketEvent.actor),
                 selectinload(Ticket.followers).selectinload(TicketFollower.person))
    ).scalar_one_or_none()
    if ticket is None:
        abort(404)
    return ticket


@bp.get("/tickets/<int:ticket_id>")
@auth.login_required
def ticket_detail(ticket_id: int):
    svc = services()
    with svc.db.session() as db:
        ticket = _visible_ticket(db, ticket_id)
        person = db.get(Person, g.viewer.person_id)
        original = db.get(InboxMessage, ticket.source_inbox_id) if ticket.source_inbox_id else None
        actions = available_actions(person, ticket)
        departments = db.execute(select(Department).order_by(Department.id)).scalars().all()
        return render_template(
            "console/ticket.html", t=ticket, original=original, actions=actions, departments=departments,
            category_name=category_name, now=svc.clock.now(), photos=ticket_photos(db, ticket.id),
        )


@bp.post("/tickets/<int:ticket_id>/action")
@auth.login_required
def ticket_action(ticket_id: int):
    svc = services()
    action = request.form.get("action", "")
    asked = ActionRequest(action, note=request.form.get("note", ""),
                          department_id=queries._int(request.form.get("department")), word=action_name(action),
                          target_ticket_id=queries._int((request.form.get("target") or "").strip().lstrip("#＃")))
    now = svc.clock.now()
    with svc.db.session() as db:
        _visible_ticket(db, ticket_id)  # scope first: outside it the ticket does not exist
        person = db.get(Person, g.viewer.person_id)
        result = perform(TicketDesk(db, svc.settings, now), person, ticket_id, asked, console_origin(person))
        if result is None:
            abort(404)
        if not result.ok:
            db.rollback()
            flash(result.message, "error")
            return redirect(url_for("console.ticket_detail", ticket_id=ticket_id)), 303
        outbox_ids = [row.id for row in add_outgoing(db, result.outgoing, now)]
        db.commit()
    deliver_soon(svc, outbox_ids)
    log.info("console action %s on ticket %s by account %s", action, ticket_id, g.viewer.account_id)
    flash(result.message, "ok")
    return redirect(url_for("console.ticket_detail", ticket_id=ticket_id), 303)


# --- dashboard ---------------------------------------------------------------------------

def _period():
    now = services().clock.now()
    today = today_in_china(now)
    start = queries._date(request.args.get("from")) or today - timedelta(days=29)
    end = queries._date(request.args.get("to")) or today
    if end < start:
        start, end = end, start
    if (end - start).days > 731:
        start = end - timedelta(days=731)
    grain = request.args.get("grain", "day")
    return now, start, end, grain if grain in GRAINS else "day"


@bp.get("/dashboard")
@auth.login_required
def dashboard():
    svc, viewer = services(), g.viewer
    now, start, end, grain = _period()
    with svc.db.session() as db:
        scope_key = ("all",) if viewer.is_admin else (sorted(viewer.grid_ids), sorted(viewer.department_ids))
        d = stats.cached_dashboard(db, svc.redis, scope_key, viewer.ticket_clause(), start, end, grain, now,
                                   category_name)
        overdue = stats.overdue_by_department(db, viewer.ticket_clause(), now)
    allow_chart_styles()
    buckets = charts.periods(start, end, grain)
    by_key = {str(f.key): f for f in d.trend}
    trend = [by_key.get(b.isoformat(), stats.Figures(key=b.isoformat())) for b in buckets]
    labels = [charts.period_label(b, grain, with_year=start.year != end.year) for b in buckets]
    rows = list(zip(labels, trend, strict=True))
    figures = {
        "trend": charts.trend(labels, [f.received for f in trend], [f.responded for f in trend],
                              [f.resolved for f in trend], texts.GRAIN_NAMES[grain]),
        "rates": charts.rates(labels, [("办结率", [_pct(f.completion_rate) for f in trend]),
                                       ("按期办结率", [_pct(f.on_time_rate) for f in trend]),
                                       ("满意率", [_pct(f.satisfaction_rate) for f in trend])]),
        "category": charts.category_mix([(f.label, f.received) for f in d.by_category]),
        "grids": charts.horizontal_bars(
            "chart-grids", "网格综合得分排名", [(f.label, round(f.score * 100, 1)) for f in
                                          sorted(d.by_grid, key=lambda f: -f.score)[:15]], max_value=100),
        "overdue": charts.horizontal_bars("chart-overdue", "在办超期工单（按承办部门，件）",
                                          [(label, n) for label, n in overdue], color=charts.PALETTE[3]),
    }
    return render_template("console/dashboard.html", d=d, start=start, end=end, grain=grain,
                           grains=texts.GRAIN_NAMES, charts=figures, trend_rows=rows, overdue=overdue,
                           overdue_total=sum(n for _, n in overdue),
                           grid_rank=sorted(d.by_grid, key=lambda f: -f.score), charts_page=True)


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def allow_chart_styles() -> None:
    """ECharts styles its tooltip with inline style attributes: allowed on pages that draw charts."""
    g.inline_styles = True


def allow_images_from(origins: tuple[str, ...]) -> None:
    """This page's images may also come from these origins (the grid map's configured tile server)."""
    g.image_origins = origins


# --- hot spots -----------------------------------------------------------------------------

HOTSPOT_MAX_TICKETS = 5000


def scope_clusters(db, scope, now, days: int) -> list:
    """Hot spots among the tickets in scope of the last `days` days (area = the grid's name)."""
    followers = (select(TicketFollower.ticket_id, func.count().label("n"))
                 .group_by(TicketFollower.ticket_id).subquery())
    rows = db.execute(
        select(Ticket.id, Ticket.description, Ticket.place_text, Ticket.created_at, Ticket.grid_id,
               Ticket.category, followers.c.n)
        .outerjoin(followers, followers.c.ticket_id == Ticket.id)
        .where(scope, Ticket.created_at >= now - timedelta(days=days), Ticket.state != "merged")
        .order_by(Ticket.id.desc()).limit(HOTSPOT_MAX_TICKETS)
    ).all()
    names = {u.id: u.name for u in db.execute(select(OrgUnit)).scalars()}
    reports = [Report(id=r[0], text=f"{r[2]} {r[1]}", area=str(r[4] or ""), at=r[3], weight=1 + int(r[6] or 0),
                      title=r[1][:60], place=r[2] or "") for r in rows]
    clusters = find_hotspots(reports, threshold=0.35, window_days=days, min_size=3, now=now)
    cats = {r[0]: r[5] for r in rows}
    for c in clusters:
        c.grid_id = int(c.area) if c.area else None
        c.area = names.get(c.grid_id, "未分网格") if c.grid_id else "未分网格"
        top = max({cats[i] for i in c.ids}, key=lambda code: sum(1 for i in c.ids if cats[i] == code))
        c.category = category_name(top)
    return clusters, len(rows)


@bp.get("/hotspots")
@auth.login_required
def hotspots():
    svc, viewer = services(), g.viewer
    now = svc.clock.now()
    days = queries._int(request.args.get("days")) or 7
    days = days if days in (3, 7, 14, 30) else 7
    with svc.db.session() as db:
        clusters, scanned = scope_clusters(db, viewer.ticket_clause(), now, days)
    allow_chart_styles()
    for i, c in enumerate(clusters[:30]):
        c.chart = charts.small_daily(f"chart-hot-{i}", c.daily)
    return render_template("console/hotspots.html", clusters=clusters[:30], days=days, scanned=scanned,
                           charts_page=True)


# --- rankings ------------------------------------------------------------------------------

@bp.get("/ranking")
@auth.login_required
def ranking():
    svc, viewer = services(), g.viewer
    now = svc.clock.now()
    level = request.args.get("level", "department")
    level = level if level in texts.RANK_LEVELS else "department"
    start, end, month = stats.month_bounds(request.args.get("month"), today_in_china(now))
    with svc.db.session() as db:
        rows = stats.ranking(db, viewer.ticket_clause(), start, end, level, now)
    allow_chart_styles()
    ranked = charts.horizontal_bars("chart-ranking", f"{texts.RANK_LEVELS[level]}综合得分（{month}）",
                                    [(f.label, round(f.score * 100, 1)) for f in rows[:15]], max_value=100)
    return render_template("console/ranking.html", rows=rows, level=level, levels=texts.RANK_LEVELS,
                           month=month, ranked=ranked, charts_page=True)


# --- management (read-only) -------------------------------------------------------------------

@bp.get("/org")
@auth.login_required
def org():
    svc, viewer = services(), g.viewer
    with svc.db.session() as db:
        units = [u for u in db.execute(select(OrgUnit).order_by(OrgUnit.code)).scalars() if viewer.sees_unit(u.id)]
        chats = [c for c in db.execute(select(GroupChat).order_by(GroupChat.id)).scalars()
                 if (c.org_unit_id and viewer.sees_unit(c.org_unit_id))
                 or (c.department_id and viewer.sees_department(c.department_id))]
        roles = db.execute(
            select(RoleAssignment).options(selectinload(RoleAssignment.person))
            .where(RoleAssignment.role != "resident").order_by(RoleAssignment.id)
        ).scalars().all()
        roles = [r for r in roles if (r.org_unit_id and viewer.sees_unit(r.org_unit_id))
                 or (r.department_id and viewer.sees_department(r.department_id))]
        depts = db.execute(select(Department).order_by(Department.id)).scalars().all()
        unit_by_id = {u.id: u for u in units}
        dept_by_id = {d.id: d for d in depts}
        return render_template("console/org.html", units=units, chats=chats, roles=roles, depts=depts,
                               unit_by_id=unit_by_id, dept_by_id=dept_by_id,
                               categories=effective_categories(db).values())


# --- CLI ---------------------------------------------------------------------------------------

@bp.cli.command("create-staff-account")
@click.argument("wecom_user_id")
@click.argument("password", required=False)
def create_staff_account(wecom_user_id: str, password: str | None) -> None:
    """Create or reset the console login of a staff member (by WeCom user id).

    Without PASSWORD a random one-time password is printed once; either way the owner must set
    their own at first login. Production refuses PASSWORD: it would sit in shell history.
    """
    svc = services()
    if password is not None and svc.settings.env == "production":
        raise click.ClickException("in production the password is generated: run create-staff-account USER")
    with svc.db.session() as db:
        try:
            if password is None:
                password = issue_one_time_password(db, wecom_user_id, now=svc.clock.now())
                shown = f"one-time password: {password} (shown once; it must be replaced at first login)"
            else:
                create_account(db, wecom_user_id, password, now=svc.clock.now(), must_change=True)
                shown = "the password must be replaced at first login"
        except AccountError as err:
            raise click.ClickException(str(err)) from err
        db.commit()
    click.echo(f"console account ready: {wecom_user_id}\n{shown}")


@bp.cli.command("seed-demo-accounts")
def seed_demo_accounts_command() -> None:
    """Give every demo staff member a console login (password demo1234); refused in production."""
    svc = services()
    if svc.settings.env == "production":
        raise click.ClickException(DEMO_REFUSED.format(command="seed-demo-accounts"))
    with svc.db.session() as db:
        n = seed_demo_accounts(db, now=svc.clock.now())
        db.commit()
    click.echo(f"{n} console accounts created (password {DEMO_PASSWORD})")
