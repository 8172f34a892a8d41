"""Urgent tickets in the console: the list shows and sorts priority, the ticket page shows it."""
from __future__ import annotations

import re

from models import Ticket


def order(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'href="/console/tickets/(\d+)"', page)]


def test_list_shows_and_sorts_priority(login_as, make, console):
    normal_old = make.ticket("G1", text="路灯不亮", age_hours=5)
    urgent = make.ticket("G1", text="3号楼电梯里困人了", age_hours=3)
    normal_new = make.ticket("G1", text="垃圾没人清", age_hours=1)
    with console.db.session() as s:
        s.get(Ticket, urgent).priority = "urgent"
        s.commit()
    c = login_as("wangfang")
    page = c.get("/console/tickets?sort=priority&dir=desc").get_data(as_text=True)
    assert "优先级" in page and "紧急" in page
    assert order(page) == [urgent, normal_new, normal_old]
    page = c.get("/console/tickets?sort=priority&dir=asc").get_data(as_text=True)
    assert order(page)[-1] == urgent
    detail = c.get(f"/console/tickets/{urgent}").get_data(as_text=True)
    assert "优先级" in detail and "priority-urgent" in detail
    assert "priority-urgent" not in c.get(f"/console/tickets/{normal_old}").get_data(as_text=True)
