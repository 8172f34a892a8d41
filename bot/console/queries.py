"""The ticket list: filters from the query string, scope, sort and pages.

Every value from the request is parsed into a typed TicketFilter first; anything
that does not parse is dropped. SQL is built with SQLAlchemy expressions only,
so user text reaches the database as bound parameters, never as SQL.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from handlers.privacy import mask_personal_data
from models import Department, OrgUnit, Ticket
from models.state_machine import CLOSED_STATES, FIXED_STATES, OPEN_STATES, STATES
from models.vocabulary import state_name

CHINA = ZoneInfo("Asia/Shanghai")
# The "all of a kind" choices of the state filter. Their keys must never be a state's own code
# ("closed" is one): the menu would list two options with the same value and the single state
# could not be chosen. tests/console/test_tickets.py checks they stay apart.
STATE_GROUPS = {"open": OPEN_STATES, "fixed": FIXED_STATES, "closed_all": CLOSED_STATES}
SORTS = {
    "id": Ticket.id, "created": Ticket.created_at, "deadline": Ticket.deadline_at,
    "state": Ticket.state, "category": Ticket.category,
    # "urgent" > "normal": descending puts emergencies first.
    "priority": Ticket.priority,
}
PER_PAGE_CHOICES = (20, 50, 100)
MAX_EXPORT_ROWS = 50_000
# Counting every match of a broad filter over millions of rows costs more than the page
# itself; past this many the list says "10000+" (paging on still works).
COUNT_CAP = 10_000
_TICKET_NO = re.compile(r"^#?(\d{1,9})$")
_ASCII_INT = re.compile(r"[0-9]{1,9}")
# The days a console filter may name. Outside them a day is dropped like any unparsable value:
# 0001-01-01 or 9999-12-31 would overflow when turned into China-time instants (±1 day, UTC).
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _int(value: str | None) -> int | None:
    # ASCII digits only: str.isdigit accepts "²" and "１", which int() refuses or reads oddly.
    value = (value or "").strip()
    return int(value) if _ASCII_INT.fullmatch(value) else None


def _date(value: str | None) -> date | None:
    try:
        day = date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None
    return day if day is None or EARLIEST_DAY <= day <= LATEST_DAY else None


def local_day_start(day: date) -> datetime:
    """Midnight in China for a calendar day, as an aware datetime."""
    return datetime.combine(day, time(0, 0), CHINA)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class TicketFilter:
    state: str = ""
    category: str = ""
    grid: int | None = None
    community: int | None = None
    department: int | None = None
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    sort: str = "id"
    desc: bool = True
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_args(cls, args: Mapping[str, str], categories: Mapping[str, object] = ()) -> TicketFilter:
        state = args.get("state", "")
        if state not in STATES and state not in STATE_GROUPS:
            state = ""
        category = args.get("category", "")
        if category not in categories:
            category = ""
        sort = args.get("sort", "id")
        per_page = _int(args.get("per_page")) or 20
        return cls(
            state=state, category=category, grid=_int(args.get("grid")), community=_int(args.get("community")),
            department=_int(args.get("department")), overdue=args.get("overdue") in ("1", "on", "true"),
            date_from=_date(args.get("from")), date_to=_date(args.get("to")),
            q=(args.get("q") or "").strip()[:100], sort=sort if sort in SORTS else "id",
            desc=args.get("dir", "desc") != "asc", page=max(1, min(_int(args.get("page")) or 1, 100_000)),
            per_page=per_page if per_page in PER_PAGE_CHOICES else 20,
        )

    def to_args(self, **changes) -> dict[str, str]:
        """The query-string form (for links: pages, sorting, export)."""
        values = {**asdict(self), **changes}
        out = {
            "state": values["state"], "category": values["category"], "grid": values["grid"],
            "community": values["community"], "department": values["department"],
            "overdue": "1" if values["overdue"] else "", "from": values["date_from"], "to": values["date_to"],
            "q": values["q"], "sort": values["sort"], "dir": "desc" if values["desc"] else "asc",
            "page": values["page"], "per_page": values["per_page"],
        }
        return {k: str(v) for k, v in out.items() if v not in (None, "", False)}


def apply_filter(stmt: Select, f: TicketFilter, now: datetime) -> Select:
    conds = []
    if f.state in STATE_GROUPS:
        conds.append(Ticket.state.in_(STATE_GROUPS[f.state]))
    elif f.state:
        conds.append(Ticket.state == f.state)
    if f.category:
        conds.append(Ticket.category == f.category)
    if f.grid is not None:
        conds.append(Ticket.grid_id == f.grid)
    if f.community is not None:
        conds.append(Ticket.grid_id.in_(select(OrgUnit.id).where(OrgUnit.parent_id == f.community)))
    if f.department is not None:
        conds.append(Ticket.department_id == f.department)
    if f.overdue:
        conds.append(and_(Ticket.state.in_(OPEN_STATES), Ticket.deadline_at < now))
    if f.date_from:
        conds.append(Ticket.created_at >= local_day_start(f.date_from))
    if f.date_to:
        conds.append(Ticket.created_at < local_day_start(f.date_to + timedelta(days=1)))
    if f.q:
        number = _TICKET_NO.match(f.q)
        pattern = f"%{like_escape(f.q)}%"
        text_match = or_(Ticket.description.ilike(pattern, escape="\\"), Ticket.place_text.ilike(pattern, escape="\\"))
        conds.append(or_(Ticket.id == int(number.group(1)), text_match) if number else text_match)
    return stmt.where(*conds) if conds else stmt


@dataclass
class Page:
    tickets: list[Ticket]
    total: int
    page: int
    per_page: int
    capped: bool = False
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, -(-self.total // self.per_page))
        if self.capped:
            self.pages = max(self.pages, self.page + (1 if len(self.tickets) == self.per_page else 0))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _narrowed(f: TicketFilter) -> bool:
    return bool(f.state or f.category or f.grid is not None or f.community is not None or f.department is not None
                or f.overdue or f.date_from or f.date_to or f.q)


def list_tickets(session: Session, scope, f: TicketFilter, now: datetime) -> Page:
    base = apply_filter(select(Ticket).where(scope), f, now)
    total = session.execute(select(func.count()).select_from(
        base.with_only_columns(Ticket.id).limit(COUNT_CAP + 1).subquery())).scalar_one()
    capped = total > COUNT_CAP
    entity = Ticket
    if not capped or (f.sort not in ("id", "created") and _narrowed(f)):
        # Find the matches first (OFFSET 0 keeps PostgreSQL from flattening the subquery),
        # then sort them: otherwise the planner may walk the whole deadline index hoping to
        # meet the few matching rows early (deadlines follow creation times; it assumes not).
        entity = aliased(Ticket, base.offset(0).subquery())
        base = select(entity)
    column = getattr(entity, SORTS[f.sort].key)
    order = [column.desc() if f.desc else column.asc()]
    if f.sort != "id":
        order.append(entity.id.desc() if f.desc else entity.id.asc())
    rows = session.execute(
        base.options(selectinload(entity.grid), selectinload(entity.department))
        .order_by(*order).limit(f.per_page).offset((f.page - 1) * f.per_page)
    ).scalars().all()
    return Page(list(rows), min(total, COUNT_CAP), f.page, f.per_page, capped)


def export_rows(session: Session, scope, f: TicketFilter, now: datetime, category_name, limit: int = MAX_EXPORT_ROWS,
                contacts: bool = False):
    """Rows for CSV/Excel: no reporter identities, just the work; the residents' words (place,
    description) masked — phone, ID and door numbers — unless `contacts` (an admin's audited ask)."""
    shown = (lambda text: text or "") if contacts else (lambda text: mask_personal_data(text or ""))
    grid, community = aliased(OrgUnit), aliased(OrgUnit)
    stmt = apply_filter(
        select(Ticket.id, Ticket.created_at, Ticket.state, Ticket.category, grid.name, community.name,
               Department.name, Ticket.place_text, Ticket.description, Ticket.deadline_at, Ticket.resolved_at,
               Ticket.on_time, Ticket.satisfaction)
        .outerjoin(grid, grid.id == Ticket.grid_id).outerjoin(community, community.id == grid.parent_id)
        .outerjoin(Department, Department.id == Ticket.department_id).where(scope), f, now)
    column = SORTS[f.sort]
    stmt = stmt.order_by(column.desc() if f.desc else column.asc(), Ticket.id.desc()).limit(limit)
    for r in session.execute(stmt):
        yield [
            r[0], fmt_time(r[1]), state_name(r[2]), category_name(r[3]), r[4] or "", r[5] or "", r[6] or "",
            shown(r[7]), shown(r[8]), fmt_time(r[9]), fmt_time(r[10]),
            "" if r[11] is None else ("是" if r[11] else "否"), r[12] or "",
        ]


EXPORT_HEADER = ["工单号", "登记时间", "状态", "类别", "网格", "社区", "部门", "地点", "问题描述", "期限", "办结时间", "按期", "评价"]


def fmt_time(moment: datetime | None) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if moment else ""
