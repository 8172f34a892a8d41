"""The ticket list (filters, search, sort, pages), the detail page, actions and exports."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import OutboxItem, Ticket, TicketEvent
from tests.console.conftest import person_phone
from tests.console.helpers import csrf_of


def listed(page: str) -> set[int]:
    return {int(x) for x in re.findall(r'href="/console/tickets/(\d+)"', page)}


@pytest.fixture
def seeded(make):
    return {
        "drain_g1": make.ticket("G1", category="drainage", text="3号楼下水道堵了", place="幸福里3号楼", age_hours=2),
        "light_g2": make.ticket("G2", category="lighting", text="路灯不亮好几天了", state="accepted", age_hours=30),
        "late_g3": make.ticket("G3", category="sanitation", text="垃圾桶满了没人清 100%", deadline_in_hours=-5,
                               age_hours=50),
        "done_g4": make.ticket("G4", category="drainage", text="雨水井堵塞", state="resolved", age_hours=24 * 10,
                               resolve_after_hours=5, on_time=True, deadline_in_hours=-100),
        "water_g4": make.ticket("G4", category="utilities", text="停水了", state="dispatched", department="water"),
    }


def test_filters(login_as, make, seeded):
    c = login_as("admin")
    ids = make.ids()

    def get(qs: str) -> set[int]:
        return listed(c.get(f"/console/tickets?per_page=100&{qs}").get_data(as_text=True))

    assert get("") == set(seeded.values())
    assert get("state=accepted") == {seeded["light_g2"]}
    assert get("state=open") == set(seeded.values()) - {seeded["done_g4"]}
    assert get("state=fixed") == {seeded["done_g4"]}
    assert get("category=drainage") == {seeded["drain_g1"], seeded["done_g4"]}
    assert get(f"grid={ids['G2']}") == {seeded["light_g2"]}
    assert get(f"community={ids['C1']}") == {seeded["drain_g1"], seeded["light_g2"]}
    assert get(f"department={ids['dept:water']}") == {seeded["water_g4"]}
    assert get("overdue=1") == {seeded["late_g3"]}  # the resolved one is late but no longer open
    assert get("q=下水道") == {seeded["drain_g1"]}
    assert get("q=幸福里3号楼") == {seeded["drain_g1"]}
    assert get(f"q=%23{seeded['light_g2']}") == {seeded["light_g2"]}
    today = make.now.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).date()
    old = today.fromordinal(today.toordinal() - 9)
    assert seeded["done_g4"] not in get(f"from={old.fromordinal(old.toordinal() + 2)}")
    assert get(f"from={old.fromordinal(old.toordinal() - 1)}&to={old.fromordinal(old.toordinal() + 1)}") == {seeded["done_g4"]}


def test_state_filter_options_are_distinct_and_closed_means_closed(login_as, make):
    """"已关闭" picks closed tickets only; the group of every ended state has a value of its own."""
    closed = make.ticket("G1", state="closed", text="已处理完毕关闭")
    rejected = make.ticket("G1", state="rejected", text="不属于受理范围")
    c = login_as("admin")
    page = c.get("/console/tickets").get_data(as_text=True)
    menu = page.split('name="state"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option value="([^"]*)"', menu)
    assert len(values) == len(set(values)), values
    assert listed(c.get("/console/tickets?state=closed").get_data(as_text=True)) == {closed}
    assert listed(c.get("/console/tickets?state=rejected").get_data(as_text=True)) == {rejected}
    assert listed(c.get("/console/tickets?state=closed_all").get_data(as_text=True)) == {closed, rejected}
    chosen = c.get("/console/tickets?state=closed").get_data(as_text=True)
    assert re.search(r'<option value="closed" selected>', chosen)
    assert not re.search(r'<option value="closed_all" selected>', chosen)


@pytest.mark.parametrize("evil", [
    "' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE ticket; --", "\" OR \"\"=\"", "%' UNION SELECT 1 --",
])
def test_search_and_filters_resist_injection(login_as, seeded, console, evil):
    c = login_as("wangfang")
    resp = c.get("/console/tickets", query_string={"q": evil, "state": evil, "grid": evil, "sort": evil,
                                                   "dir": evil, "page": evil, "from": evil, "category": evil})
    assert resp.status_code == 200
    assert listed(resp.get_data(as_text=True)) == set()
    with console.db.session() as s:
        assert s.execute(select(Ticket)).scalars().first() is not None  # the table is still there


def test_percent_in_search_is_literal(login_as, seeded):
    c = login_as("admin")
    assert listed(c.get("/console/tickets?q=100%25").get_data(as_text=True)) == {seeded["late_g3"]}


def test_sort_and_pages(login_as, make):
    ids = [make.ticket("G1", age_hours=i + 1, text=f"第{i}个问题 下水道") for i in range(25)]
    c = login_as("wangfang")
    first = c.get("/console/tickets?per_page=20").get_data(as_text=True)
    assert re.findall(r'href="/console/tickets/(\d+)"', first)[0] == str(max(ids))
    assert "第 1 / 2 页" in first and "共 25 件" in first
    second = listed(c.get("/console/tickets?per_page=20&page=2").get_data(as_text=True))
    assert len(second) == 5
    oldest_first = c.get("/console/tickets?sort=created&dir=asc").get_data(as_text=True)
    assert re.findall(r'href="/console/tickets/(\d+)"', oldest_first)[0] == str(ids[-1])


def test_detail_shows_timeline_followers_and_no_phone(login_as, make, console):
    ticket = make.ticket("G1", text="3号楼下水道堵了，污水冒出来")
    person_phone(console, "zhangdaye", "13800138000")
    page = login_as("wangfang").get(f"/console/tickets/{ticket}").get_data(as_text=True)
    assert "3号楼下水道堵了" in page and "登记" in page and "张大爷" in page and "办理期限" in page
    assert "13800138000" not in page
    assert 'value="accept"' in page and 'value="claim"' not in page  # a grid leader does not 报到


def _act(c, ticket: int, **data):
    token = csrf_of(c, "/console/dashboard")
    return c.post(f"/console/tickets/{ticket}/action", data={"csrf_token": token, **data})


def test_full_loop_from_the_console(login_as, make, console):
    ticket = make.ticket("G1")
    ids = make.ids()
    leader, admin, water = login_as("wangfang"), login_as("admin"), login_as("qianshuiwu")
    assert _act(leader, ticket, action="accept").status_code == 303
    assert "已由" in leader.get(f"/console/tickets/{ticket}").get_data(as_text=True)
    assert _act(water, ticket, action="claim").status_code == 404  # not sent to 水务局 yet: outside its scope
    assert _act(admin, ticket, action="dispatch", department=str(ids["dept:water"]), note="请水务局处理").status_code == 303
    assert _act(water, ticket, action="claim").status_code == 303
    assert _act(water, ticket, action="resolve", note="").status_code == 303  # a note is required
    assert _act(water, ticket, action="resolve", note="已疏通管道").status_code == 303
    assert _act(water, ticket, action="comment", note="回访居民").status_code == 303
    with console.db.session() as s:
        t = s.get(Ticket, ticket)
        assert t.state == "resolved" and t.resolution_note == "已疏通管道" and t.on_time is True
        assert t.first_response_at is not None and t.department_id == ids["dept:water"]
        actions = [e.action for e in s.execute(select(TicketEvent).where(TicketEvent.ticket_id == ticket)
                                               .order_by(TicketEvent.id)).scalars()]
        assert actions == ["open", "accept", "dispatch", "claim", "resolve", "comment"]
        targets = {o.route_target for o in s.execute(select(OutboxItem).where(OutboxItem.ticket_id == ticket)).scalars()}
    assert {"chat-water", "zhangdaye"} <= targets  # the department chat and the reporter hear about it


def test_refused_and_illegal_actions_explain_themselves(login_as, make, console):
    ticket = make.ticket("G1", state="resolved", resolve_after_hours=0.5, on_time=True)
    c = login_as("wangfang")
    resp = _act(c, ticket, action="accept")
    assert resp.status_code == 303
    assert "不能受理" in c.get(f"/console/tickets/{ticket}").get_data(as_text=True)
    sent = make.ticket("G1", state="dispatched", department="water")
    _act(c, sent, action="claim")  # the state allows 报到, a grid leader's role does not
    assert "没有权限" in c.get(f"/console/tickets/{sent}").get_data(as_text=True)
    fresh = make.ticket("G1")
    _act(c, fresh, action="reject", note="")
    assert "请填写驳回理由" in c.get(f"/console/tickets/{fresh}").get_data(as_text=True)
    with console.db.session() as s:
        assert s.get(Ticket, fresh).state == "new"


def test_csv_and_excel_export_of_a_filtered_list(login_as, seeded, make):
    c = login_as("admin")
    resp = c.get("/console/tickets/export.csv?category=drainage")
    assert resp.mimetype == "text/csv" and "attachment" in resp.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["工单号", "登记时间", "状态", "类别"]
    assert {int(r[0]) for r in rows[1:]} == {seeded["drain_g1"], seeded["done_g4"]}
    assert {r[3] for r in rows[1:]} == {"下水排水"}
    xlsx = c.get("/console/tickets/export.xlsx?category=drainage")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = list(sheet.values)
    assert values[0][0] == "工单号" and {int(v[0]) for v in values[1:]} == {seeded["drain_g1"], seeded["done_g4"]}


def test_export_neutralises_spreadsheet_formulas(login_as, make):
    make.ticket("G1", text="=HYPERLINK(\"http://evil\",\"点我\")")
    rows = login_as("admin").get("/console/tickets/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in rows


def test_broad_lists_stop_counting_at_the_cap(login_as, make, monkeypatch):
    from bot.console import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 5)
    for i in range(8):
        make.ticket("G1", age_hours=i + 1)
    c = login_as("wangfang")
    page = c.get("/console/tickets?per_page=20").get_data(as_text=True)
    assert "共 5+ 件" in page and len(listed(page)) == 8
    small = c.get("/console/tickets?per_page=20&q=没有这种问题").get_data(as_text=True)
    assert "共 0 件" in small
