"""Category deadlines: an admin's change in the console reaches new tickets."""
from __future__ import annotations

from sqlalchemy import select

from handlers.deadlines import WorkCalendar, add_working_hours
from handlers.tickets import categories, category_setting
from models import CategoryOverride, Ticket
from tests import fake_api
from tests.chat import ChatDriver
from tests.console.helpers import csrf_of

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

REPORT = "3号楼下水道堵了，污水都冒出来了"


def _save(c, code: str, **fields):
    return c.post(f"/console/manage/categories/{code}",
                  data={"csrf_token": csrf_of(c, "/console/notices"), **fields})


def _newest_ticket(svc) -> Ticket:
    with svc.db.session() as s:
        t = s.execute(select(Ticket).order_by(Ticket.id.desc())).scalars().first()
        s.expunge(t)
        return t


def _hours_given(app, t: Ticket, hours: int):
    s = app.extensions["gridwhistle"].settings
    return add_working_hours(t.created_at, hours, WorkCalendar.parse(s.working_hours, s.working_days))


def test_an_admin_changes_a_deadline_and_new_tickets_follow_it(app, login_as, console, fake_wechat):
    default = categories()["drainage"]
    chat = ChatDriver(app.test_client())
    assert "#1" in chat.say("chat-g1", "zhangdaye", REPORT)
    first = _newest_ticket(console)
    assert first.category == "drainage" and first.deadline_at == _hours_given(app, first, default.deadline_hours)

    admin = login_as("admin")
    page = admin.get("/console/manage").get_data(as_text=True)
    assert 'action="/console/manage/categories/drainage"' in page
    resp = _save(admin, "drainage", deadline_hours=str(default.deadline_hours * 3))
    assert resp.status_code == 303
    assert "已调整" in admin.get("/console/manage").get_data(as_text=True)
    assert f"<td>{default.deadline_hours * 3}</td>" in admin.get("/console/org").get_data(as_text=True)

    assert "#2" in chat.say("chat-g2", "sunli", "5号楼下水道返水，地漏冒污水")
    second = _newest_ticket(console)
    assert second.category == "drainage"
    assert second.deadline_at == _hours_given(app, second, default.deadline_hours * 3)
    with console.db.session() as s:
        cat = category_setting(s, "drainage")
        assert (cat.level, cat.deadline_hours) == (default.level, default.deadline_hours * 3)

    # 恢复默认 removes the override: the CSV value applies again.
    assert _save(admin, "drainage", reset="1").status_code == 303
    with console.db.session() as s:
        assert s.get(CategoryOverride, "drainage") is None
        assert category_setting(s, "drainage") == default


def test_only_admins_edit_categories_and_values_are_checked(login_as, console):
    staff = login_as("huangshuji")
    page = staff.get("/console/manage").get_data(as_text=True)
    assert "/console/manage/categories/" not in page
    assert _save(staff, "drainage", deadline_hours="1").status_code == 403
    admin = login_as("admin")
    for bad in ({"deadline_hours": "0"}, {"deadline_hours": "9999"}, {"deadline_hours": "1.5"},
                {"deadline_hours": "abc"}, {"deadline_hours": "-3"}):
        assert _save(admin, "drainage", **bad).status_code == 303
    assert _save(admin, "no_such_category", deadline_hours="5").status_code == 404
    with console.db.session() as s:
        assert s.execute(select(CategoryOverride)).first() is None
