"""Every view checks scope on the server: tries to cross it get 404, lists leave it out."""
from __future__ import annotations

import pytest

from tests.console.helpers import csrf_of


@pytest.fixture
def tickets(make):
    return {
        "G1": make.ticket("G1", text="G1 幸福里3号楼下水道堵了"),
        "G2": make.ticket("G2", text="G2 幸福里二网格路灯不亮"),
        "G3": make.ticket("G3", text="G3 扬州路商铺油烟扰民"),
        "G4": make.ticket("G4", text="G4 光明社区垃圾没人清"),
        "water": make.ticket("G4", text="G4 光明社区自来水停水", state="dispatched", department="water"),
    }


VISIBLE = {
    "wangfang": {"G1"},                       # grid leader G1
    "huangshuji": {"G1", "G2"},               # community C1
    "songkezhang": {"G1", "G2", "G3"},        # street S1
    "qianshuiwu": {"water"},                  # 区水务局
    "admin": {"G1", "G2", "G3", "G4", "water"},
}


@pytest.mark.parametrize("user", sorted(VISIBLE))
def test_each_role_sees_exactly_its_scope(login_as, tickets, user):
    c = login_as(user)
    listing = c.get("/console/tickets?per_page=100").get_data(as_text=True)
    export = c.get("/console/tickets/export.csv").get_data(as_text=True)
    for key, ticket_id in tickets.items():
        detail = c.get(f"/console/tickets/{ticket_id}")
        if key in VISIBLE[user]:
            assert detail.status_code == 200, (user, key)
            assert f"#{ticket_id}<" in listing and f"\n{ticket_id}," in export
        else:
            assert detail.status_code == 404, (user, key)
            assert f"#{ticket_id}<" not in listing and f"\n{ticket_id}," not in export


def test_actions_outside_scope_are_404_and_change_nothing(login_as, tickets, console):
    c = login_as("wangfang")
    token = csrf_of(c, f"/console/tickets/{tickets['G1']}")
    resp = c.post(f"/console/tickets/{tickets['G2']}/action", data={"action": "accept", "csrf_token": token})
    assert resp.status_code == 404
    resp = c.post(f"/console/tickets/{tickets['water']}/action",
                  data={"action": "resolve", "note": "已处理", "csrf_token": token})
    assert resp.status_code == 404
    from models import Ticket

    with console.db.session() as s:
        assert s.get(Ticket, tickets["G2"]).state == "new"
        assert s.get(Ticket, tickets["water"]).state == "dispatched"


def test_filters_cannot_widen_scope(login_as, tickets):
    c = login_as("wangfang")
    page = c.get("/console/tickets?grid=999&community=1&department=1").get_data(as_text=True)
    assert "没有符合条件的工单" in page
    for other in ("G2", "G3", "G4"):
        page = c.get(f"/console/tickets?q=%23{tickets[other]}").get_data(as_text=True)
        assert f"#{tickets[other]}<" not in page


def test_figures_follow_scope(login_as, tickets):
    page = login_as("wangfang").get("/console/dashboard").get_data(as_text=True)
    assert 'id="kpi-received">1<' in page
    page = login_as("songkezhang").get("/console/dashboard").get_data(as_text=True)
    assert 'id="kpi-received">3<' in page
    page = login_as("admin").get("/console/dashboard").get_data(as_text=True)
    assert 'id="kpi-received">5<' in page


def test_org_page_lists_only_own_units(login_as, console):
    page = login_as("wangfang").get("/console/org").get_data(as_text=True)
    assert "幸福里第一网格" in page and "光明第一网格" not in page
    page = login_as("admin").get("/console/org").get_data(as_text=True)
    assert "光明第一网格" in page and "区水务局" in page
