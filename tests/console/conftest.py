"""Console fixtures: the demo district with console accounts, tickets made to measure, logins."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console.accounts import seed_demo_accounts
from models import Department, Identity, OrgUnit, Person, Ticket, TicketEvent
from tests.console.helpers import login


@pytest.fixture
def console(demo):
    """The demo district plus a console account (demo1234) for every staff member."""
    with demo.db.session() as session:
        seed_demo_accounts(session)
        session.commit()
    return demo


@pytest.fixture
def login_as(app, console):
    """login_as("wangfang") → a test client logged in as that demo staff member."""
    def _login(username: str):
        c = app.test_client()
        resp = login(c, username)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return c

    return _login


class Maker:
    """Tickets written straight to the database with exactly the figures a test needs."""

    def __init__(self, svc):
        self.svc = svc
        self.now = svc.clock.now()

    def ids(self) -> dict[str, int]:
        with self.svc.db.session() as s:
            units = {u.code: u.id for u in s.execute(select(OrgUnit)).scalars()}
            depts = {d.code: d.id for d in s.execute(select(Department)).scalars()}
            people = {i.external_id: i.person_id for i in s.execute(select(Identity)).scalars()}
        return {**units, **{f"dept:{k}": v for k, v in depts.items()}, **{f"p:{k}": v for k, v in people.items()}}

    def ticket(self, grid: str | None = "G1", *, state: str = "new", category: str = "drainage",
               text: str = "3号楼下水道堵了，污水冒出来", place: str = "", age_hours: float = 1,
               department: str | None = None, deadline_in_hours: float | None = 24,
               response_after_hours: float | None = None, resolve_after_hours: float | None = None,
               on_time: bool | None = None, satisfaction: str | None = None, reporter: str = "zhangdaye") -> int:
        ids = self.ids()
        created = self.now - timedelta(hours=age_hours)
        with self.svc.db.session() as s:
            t = Ticket(
                state=state, category=category, grid_id=ids[grid] if grid else None, description=text,
                place_text=place, reporter_id=ids[f"p:{reporter}"], level="department" if department else "grid",
                assignee_unit_id=ids[grid] if grid else None,
                department_id=ids[f"dept:{department}"] if department else None,
                deadline_at=created + timedelta(hours=deadline_in_hours + age_hours) if deadline_in_hours is not None else None,
                created_at=created,
                first_response_at=created + timedelta(hours=response_after_hours) if response_after_hours is not None else None,
                resolved_at=created + timedelta(hours=resolve_after_hours) if resolve_after_hours is not None else None,
                on_time=on_time, satisfaction=satisfaction,
            )
            s.add(t)
            s.flush()
            s.add(TicketEvent(ticket_id=t.id, actor_id=t.reporter_id, action="open", from_state=None, to_state="new",
                              note="", created_at=created))
            s.commit()
            return t.id


@pytest.fixture
def make(console):
    return Maker(console)


def person_phone(svc, user_id: str, phone: str) -> None:
    with svc.db.session() as s:
        pid = s.execute(select(Identity.person_id).where(Identity.external_id == user_id)).scalar_one()
        s.get(Person, pid).phone = phone
        s.commit()


