"""Console management pages: notices to grid chats, dead letters, chat bindings and roles.

Pushes go through the real outbox worker to a local fake WeCom (tests/fake_api.py),
so "reaches the chats" means the fake received the messages.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.privacy import mask_personal_data
from handlers import broadcast_texts as BT
from handlers.deadlines import CHINA
from models import Broadcast, GroupChat, Identity, OrgUnit, OutboxItem, RoleAssignment
from tests import fake_api
from tests.fake_api import deliver, outbox_rows, sweep
from tests.chat import ChatDriver
from tests.console.helpers import csrf_of

# The broadcast tests' fixtures: every channel pointed at a local fake WeCom.
fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

NOTICE = "明天上午9点到12点停水，请提前储水。"


def grid_targets(fake) -> list[str]:
    return sorted(m.target for m in fake.state.messages_for(route="wecom_chat") if m.target.startswith("chat-g"))


def compose(c, **fields):
    token = csrf_of(c, "/console/notices/new")
    data = {"title": "停水通知", "body": NOTICE, "target_kind": "community", "unit": "C1", "csrf_token": token}
    data.update(fields)
    return c.post("/console/notices/new", data=data)


def post(c, path: str, data: dict | None = None, token_page: str = "/console/notices"):
    return c.post(path, data={"csrf_token": csrf_of(c, token_page), **(data or {})})


def broadcasts(svc) -> list[Broadcast]:
    with svc.db.session() as s:
        rows = s.execute(select(Broadcast).order_by(Broadcast.id)).scalars().all()
        s.expunge_all()
        return rows


def finish_delivery(app, svc) -> None:
    """Jobs run inline in tests; deliver whatever is still pending (idempotent: claim skips sent rows)."""
    for row in outbox_rows(svc):
        if row.state == "pending":
            deliver(app, row.id)


# --- permissions and CSRF ----------------------------------------------------------------------

@pytest.mark.parametrize("user", ["wangfang", "qianshuiwu"])
def test_grid_leaders_and_departments_are_refused(login_as, user):
    c = login_as(user)
    for path in ("/console/notices", "/console/notices/new", "/console/outbox/dead", "/console/manage"):
        assert c.get(path).status_code == 403, path
    token = csrf_of(c, "/console/tickets")
    assert c.post("/console/notices/new", data={"body": "x", "target_kind": "grid", "unit": "G1",
                                                "csrf_token": token}).status_code == 403
    assert c.post("/console/manage/roles", data={"user_id": "zhangdaye", "role": "admin", "unit": "D",
                                                 "csrf_token": token}).status_code == 403


def test_residents_and_anonymous_are_refused(app, console):
    c = app.test_client()
    assert c.get("/console/notices").status_code == 302  # to the login page
    assert c.post("/console/notices/new", data={"body": "x"}).status_code in (400, 401)
    from tests.console.helpers import login

    assert login(c, "zhangdaye").status_code == 401  # residents have no console account
    assert c.get("/console/manage").status_code == 302


def test_menu_shows_only_the_pages_a_role_may_use(login_as):
    leader = login_as("wangfang").get("/console/tickets").get_data(as_text=True)
    assert "/console/notices" not in leader and "/console/manage" not in leader
    staff = login_as("huangshuji").get("/console/tickets").get_data(as_text=True)
    assert "/console/notices" in staff and "/console/manage" in staff and "/console/outbox/dead" not in staff
    street = login_as("songkezhang").get("/console/tickets").get_data(as_text=True)
    assert "/console/notices" in street and "/console/manage" not in street
    admin = login_as("admin").get("/console/tickets").get_data(as_text=True)
    assert "/console/outbox/dead" in admin and "/console/manage" in admin


def test_community_staff_may_not_reach_the_dead_letters(login_as):
    c = login_as("huangshuji")
    assert c.get("/console/outbox/dead").status_code == 403
    assert post(c, "/console/outbox/1/retry").status_code == 403


def test_posts_need_the_csrf_token(login_as, console):
    c = login_as("huangshuji")
    resp = c.post("/console/notices/new", data={"body": NOTICE, "target_kind": "community", "unit": "C1"})
    assert resp.status_code == 400
    resp = compose(c, csrf_token="forged")
    assert resp.status_code == 400
    assert broadcasts(console) == []
    admin = login_as("admin")
    assert admin.post("/console/manage/roles", data={"user_id": "zhangdaye", "role": "grid_worker",
                                                     "unit": "G1"}).status_code == 400


def test_community_staff_cannot_send_outside_their_community(login_as, console, fake_wechat):
    c = login_as("huangshuji")
    for kind, unit in (("community", "C3"), ("street", "S1"), ("district", "D"), ("grid", "G4")):
        resp = compose(c, target_kind=kind, unit=unit)
        assert resp.status_code == 400, (kind, unit)
        assert "不在您的管辖范围内" in resp.get_data(as_text=True)
    resp = compose(c, target_kind="tag", tag="老旧小区", unit="")
    assert resp.status_code == 303  # a tag reaches only the tagged grids inside C1
    (b,) = broadcasts(console)
    assert b.group_count == 1 and b.scope_unit_id == _unit_id(console, "C1")

    # A notice drafted by another community is not there for huangshuji (404, not 403).
    other = login_as("guozhuren")
    assert compose(other, target_kind="community", unit="C3").status_code == 303
    theirs = broadcasts(console)[-1].id
    assert c.get(f"/console/notices/{theirs}").status_code == 404
    assert post(c, f"/console/notices/{theirs}/send").status_code == 404
    assert f"#B{theirs}" not in c.get("/console/notices").get_data(as_text=True)
    assert fake_wechat.state.messages == []


# --- notices -------------------------------------------------------------------------------------

def test_a_console_notice_reaches_the_grid_chats_with_a_report(app, login_as, console, fake_wechat):
    c = login_as("huangshuji")
    resp = compose(c)
    assert resp.status_code == 303
    (b,) = broadcasts(console)
    assert (b.status, b.group_count, b.target_label) == ("draft", 2, "幸福里社区")
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert '<b id="group-count">2</b>' in page and "幸福里第一网格居民群" in page and "确认发送" in page
    assert fake_wechat.state.messages == []  # nothing leaves before the confirmation

    resp = post(c, f"/console/notices/{b.id}/send")
    assert resp.status_code == 303
    finish_delivery(app, console)
    assert grid_targets(fake_wechat) == ["chat-g1", "chat-g2"]
    assert fake_wechat.state.messages_for("chat-g1")[0].text.startswith("【通知】停水通知\n明天上午9点")

    page = c.get(f"/console/notices/{b.id}").get_data(as_text=True)
    assert '<b id="sent">2</b>' in page and '<b id="failed">0</b>' in page and "已送达" in page
    assert broadcasts(console)[0].status == "sent"
    listing = c.get("/console/notices").get_data(as_text=True)
    assert f"#B{b.id}" in listing and "已发送" in listing

    # A second confirm sends nothing more.
    post(c, f"/console/notices/{b.id}/send")
    finish_delivery(app, console)
    assert grid_targets(fake_wechat) == ["chat-g1", "chat-g2"]


def test_a_scheduled_notice_waits_and_can_be_cancelled(app, login_as, console, fake_wechat):
    c = login_as("songkezhang")
    at = (console.clock.now() + timedelta(days=1)).astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")
    assert compose(c, target_kind="street", unit="S1", scheduled_at=at).status_code == 303
    (b,) = broadcasts(console)
    assert b.group_count == 3
    post(c, f"/console/notices/{b.id}/send")
    b = broadcasts(console)[0]
    assert b.status == "scheduled" and b.scheduled_at.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M") == at
    assert outbox_rows(console, "broadcast") == [] and fake_wechat.state.messages == []
    page = c.get(f"/console/notices/{b.id}").get_data(as_text=True)
    assert "取消定时" in page and "新华街道" in page
    post(c, f"/console/notices/{b.id}/cancel")
    assert broadcasts(console)[0].status == "cancelled"
    past = (console.clock.now() - timedelta(hours=1)).astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")
    resp = compose(c, target_kind="street", unit="S1", scheduled_at=past)
    assert resp.status_code == 400 and "已经过去" in resp.get_data(as_text=True)


def test_a_big_notice_is_handed_to_the_sweep(app, login_as, console, fake_wechat, monkeypatch):
    import handlers.broadcast

    monkeypatch.setattr(handlers.broadcast, "INLINE_SEND_LIMIT", 3)  # the district has 5 grid chats
    c = login_as("admin")
    assert compose(c, target_kind="district", unit="D").status_code == 303
    b = broadcasts(console)[0]
    post(c, f"/console/notices/{b.id}/send")
    b = broadcasts(console)[0]
    assert b.status == "scheduled" and outbox_rows(console, "broadcast") == []
    sweep(app)
    finish_delivery(app, console)
    assert grid_targets(fake_wechat) == ["chat-g1", "chat-g2", "chat-g3", "chat-g4"]
    assert len(fake_wechat.state.messages_for(route="robot", target="demo-robot-key-g5")) == 1  # G5: its robot
    assert '<b id="sent">5</b>' in c.get(f"/console/notices/{b.id}").get_data(as_text=True)


# --- dead letters --------------------------------------------------------------------------------

def test_dead_letters_are_masked_and_retry_delivers(app, login_as, console, fake_wechat):
    secret = "张大爷 电话13812345678 住3号楼2单元501室，下水道堵了很多天一直没人管"
    now = console.clock.now()
    with console.db.session() as s:
        s.add(OutboxItem(dedup_key="t:dead1", route_kind="wecom_chat", route_target="chat-g1", text=secret,
                         state="dead", attempts=8, last_error="errcode 45009", created_at=now,
                         next_attempt_at=now))
        s.commit()
        item_id = s.execute(select(OutboxItem.id)).scalar_one()
    c = login_as("admin")
    page = c.get("/console/outbox/dead").get_data(as_text=True)
    assert "幸福里第一网格居民群" in page and "errcode 45009" in page and "wecom_chat" in page
    assert "13812345678" not in page and "501" not in page and "一直没人管" not in page

    assert c.post(f"/console/outbox/{item_id}/retry").status_code == 400  # no CSRF token
    assert outbox_rows(console, "t:dead1")[0].state == "dead"
    assert post(c, f"/console/outbox/{item_id}/retry", token_page="/console/outbox/dead").status_code == 303
    finish_delivery(app, console)
    row = outbox_rows(console, "t:dead1")[0]
    assert row.state == "sent" and row.attempts == 1
    # Group chats get the channel's masked text; what matters here is that it arrived once.
    assert [m.text for m in fake_wechat.state.messages_for("chat-g1")] == [mask_personal_data(secret)]
    assert "没有发送失败的消息" in c.get("/console/outbox/dead").get_data(as_text=True)
    resp = post(c, f"/console/outbox/{item_id}/retry", token_page="/console/outbox/dead")  # not dead any more
    finish_delivery(app, console)
    assert resp.status_code == 303 and len(fake_wechat.state.messages_for("chat-g1")) == 1


# --- chat bindings and roles ---------------------------------------------------------------------

def _chat(svc, external_id: str) -> GroupChat:
    with svc.db.session() as s:
        chat = s.execute(select(GroupChat).where(GroupChat.external_id == external_id)).scalar_one()
        s.expunge_all()
        return chat


def _unit_id(svc, code: str) -> int:
    with svc.db.session() as s:
        return s.execute(select(OrgUnit.id).where(OrgUnit.code == code)).scalar_one()


def test_binding_a_chat_changes_where_notices_go(app, login_as, console, fake_wechat):
    staff = login_as("huangshuji")
    g3 = _chat(console, "chat-g3")
    assert post(staff, f"/console/manage/chats/{g3.id}", {"unit": "G1"}, "/console/manage").status_code == 404
    g2 = _chat(console, "chat-g2")
    post(staff, f"/console/manage/chats/{g2.id}", {"unit": "G3"}, "/console/manage")  # G3 is not theirs
    assert _chat(console, "chat-g2").org_unit_id == _unit_id(console, "G2")

    admin = login_as("admin")
    resp = post(admin, f"/console/manage/chats/{g3.id}",
                {"unit": "G1", "route_kind": "wecom_chat", "route_target": "chat-g3"}, "/console/manage")
    assert resp.status_code == 303
    assert _chat(console, "chat-g3").org_unit_id == _unit_id(console, "G1")
    # chat-g3 now belongs to G1: a notice to G1 reaches it, and huangshuji (C1) may manage it.
    assert "chat-g3" in staff.get("/console/manage").get_data(as_text=True)
    assert compose(admin, target_kind="grid", unit="G1").status_code == 303
    b = broadcasts(console)[-1]
    assert b.group_count == 2
    post(admin, f"/console/notices/{b.id}/send")
    finish_delivery(app, console)
    assert grid_targets(fake_wechat) == ["chat-g1", "chat-g3"]

    # A grid role elsewhere grants no edits: wangfang leads G1 and is made community staff of C2.
    post(admin, "/console/manage/roles", {"user_id": "wangfang", "role": "community_staff", "unit": "C2"},
         "/console/manage")
    mixed = login_as("wangfang")
    g1 = _chat(console, "chat-g1")
    assert post(mixed, f"/console/manage/chats/{g1.id}", {"unit": "G3"}, "/console/manage").status_code == 404
    assert _chat(console, "chat-g1").org_unit_id == _unit_id(console, "G1")

    # Registering a new chat the bot was added to.
    resp = post(admin, "/console/manage/chats", {"name": "幸福里第二网格二群", "external_id": "chat-g2b",
                                                 "unit": "G2", "route_kind": "wecom_chat"}, "/console/manage")
    assert resp.status_code == 303
    new = _chat(console, "chat-g2b")
    assert (new.org_unit_id, new.route_target) == (_unit_id(console, "G2"), "chat-g2b")
    assert post(staff, "/console/manage/chats", {"name": "x", "external_id": "y", "unit": "G1"},
                "/console/manage").status_code == 403


def test_role_edits_change_what_the_bot_allows(app, login_as, console, fake_wechat):
    chat = ChatDriver(app.test_client())
    assert chat.say("chat-g1", "zhangdaye", f"通知 幸福里社区：{NOTICE}") == BT.NOT_ALLOWED

    admin = login_as("admin")
    resp = post(admin, "/console/manage/roles", {"user_id": "zhangdaye", "role": "community_staff", "unit": "C1"},
                "/console/manage")
    assert resp.status_code == 303
    assert chat.say("chat-g1", "zhangdaye", f"通知 幸福里社区：{NOTICE}").startswith("通知草稿 #B")
    # A role on the wrong kind of unit is refused.
    post(admin, "/console/manage/roles", {"user_id": "liuayi", "role": "community_staff", "unit": "G1"},
         "/console/manage")
    with console.db.session() as s:
        person_of = {i.external_id: i.person_id for i in s.execute(select(Identity)).scalars()}
        assert s.execute(select(RoleAssignment).where(RoleAssignment.person_id == person_of["liuayi"],
                                                      RoleAssignment.role == "community_staff")).first() is None
        role_id = s.execute(select(RoleAssignment.id).where(RoleAssignment.person_id == person_of["huangshuji"],
                                                            RoleAssignment.role == "community_staff")).scalar_one()
        admin_role = s.execute(select(RoleAssignment.id).where(RoleAssignment.role == "admin")).scalar_one()

    staff = login_as("huangshuji")
    # Community staff: grid roles in their own grids only.
    assert post(staff, "/console/manage/roles", {"user_id": "liuayi", "role": "grid_worker", "unit": "G1"},
                "/console/manage").status_code == 303
    post(staff, "/console/manage/roles", {"user_id": "liuayi", "role": "grid_worker", "unit": "G4"}, "/console/manage")
    post(staff, "/console/manage/roles", {"user_id": "liuayi", "role": "community_staff", "unit": "C1"},
         "/console/manage")
    with console.db.session() as s:
        got = {(r.role, r.org_unit.code) for r in s.execute(select(RoleAssignment).where(
            RoleAssignment.person_id == person_of["liuayi"])).scalars()}
    assert got == {("resident", "G1"), ("grid_worker", "G1")}
    assert post(staff, f"/console/manage/roles/{admin_role}/delete", token_page="/console/manage").status_code == 404
    assert post(staff, f"/console/manage/roles/{role_id}/delete", token_page="/console/manage").status_code == 404

    # The admin cannot lock themselves out, but can take huangshuji's staff role away.
    post(admin, f"/console/manage/roles/{admin_role}/delete", token_page="/console/manage")
    with console.db.session() as s:
        assert s.get(RoleAssignment, admin_role) is not None
    assert post(admin, f"/console/manage/roles/{role_id}/delete", token_page="/console/manage").status_code == 303
    assert chat.say("chat-c1", "huangshuji", f"通知 幸福里社区：{NOTICE}") == BT.NOT_ALLOWED
    assert staff.get("/console/notices").status_code == 302  # no console role left: back to the login page
