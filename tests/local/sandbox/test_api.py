"""The sandbox JSON API without a browser: chats, posting, quoting, pushes, retries, the clock."""
from __future__ import annotations

import re
import socket
import time

import requests
from sqlalchemy import func, select

from bot.local.sandbox.delivery import RetryPolicy
from models import InboxMessage, Ticket

REPORT = "3号楼下水道堵了，污水都冒出来了"


def ticket_no(text: str) -> int:
    found = re.search(r"#(\d+)", text)
    assert found, text
    return int(found.group(1))


def test_chats_list_grids_members_and_role_names(api):
    data = api.chats()
    chats = {c["chat_id"]: c for c in data["chats"]}
    g1 = chats["chat-g1"]
    assert g1["grid"] == "幸福里第一网格"
    members = {m["user_id"]: m for m in g1["members"]}
    assert members["wangfang"]["name"] == "王芳"
    assert members["wangfang"]["roles"] == ["网格长（幸福里第一网格）"]
    assert "zhangdaye" in members and "huangshuji" not in members
    # The community's work chat holds its staff and the grid leaders below it.
    c1 = {m["user_id"] for m in chats["chat-c1"]["members"]}
    assert {"huangshuji", "wangfang", "zhaomin"} <= c1 and "zhangdaye" not in c1
    assert chats["chat-water"]["unit"] == "区水务局"
    assert {m["user_id"] for m in chats["chat-water"]["members"]} == {"qianshuiwu"}
    assert data["chats"][0]["grid"] is not None  # residents' chats first
    people = {p["user_id"]: p for p in data["people"]}
    assert "chat-g1" in people["wangfang"]["chats"] and "chat-c1" in people["wangfang"]["chats"]


def test_report_gets_its_ticket_number_and_the_transcript_is_in_order(api):
    posted = api.say("chat-g1", "zhangdaye", REPORT)
    assert posted["reply"]["text"].startswith("已登记工单 #")
    messages = api.messages("chat-g1")
    assert [(m["sender"], m["sender_name"], m["from_bot"]) for m in messages] == [
        ("zhangdaye", "张大爷", False), ("bot", "网格哨", True),
    ]
    assert messages[0]["text"] == REPORT
    assert messages[0]["id"] < messages[1]["id"]
    assert all(m["time"] for m in messages)


def test_quoting_the_bot_message_lets_the_grid_leader_accept(api, live):
    bot_msg = api.say("chat-g1", "zhangdaye", REPORT)["reply"]
    n = ticket_no(bot_msg["text"])
    answer = api.say("chat-g1", "wangfang", "受理", quote=bot_msg["id"])
    assert f"工单 #{n} 已由" in answer["reply"]["text"] and "受理" in answer["reply"]["text"]
    assert answer["message"]["quote"] == {"id": bot_msg["id"], "sender_name": "网格哨", "text": bot_msg["text"]}
    svc = live[1].extensions["gridwhistle"]
    with svc.db.session() as s:
        assert s.get(Ticket, n).state == "accepted"
        # The quote travelled in the callback's quote field, as WeCom sends it.
        row = s.execute(select(InboxMessage).where(InboxMessage.text == "受理")).scalar_one()
        assert row.quote_text == bot_msg["text"] and row.chat_id == "chat-g1"


def test_bad_posts_are_refused_plainly(api):
    quoted = api.say("chat-g1", "zhangdaye", REPORT)["reply"]
    assert api.post("chat-nope", "zhangdaye", "你好").status_code == 404
    assert api.post("chat-g1", "huangshuji", "你好").status_code == 400  # not a member
    assert api.post("chat-g1", "zhangdaye", "   ").status_code == 400
    assert api.post("chat-g1", "zhangdaye", "x" * 2001).status_code == 400
    other = api.post("chat-c1", "wangfang", "受理", quote=quoted["id"])
    assert other.status_code == 400 and "引用" in other.json()["error"]
    assert api.post("chat-g1", "wangfang", "受理", quote=999999).status_code == 400


def test_escalation_reaches_the_community_chat_and_the_reporter_through_the_fake_wecom(api, live):
    bot_msg = api.say("chat-g1", "zhangdaye", REPORT)["reply"]
    n = ticket_no(bot_msg["text"])
    api.say("chat-g1", "wangfang", "上报 积水严重", quote=bot_msg["id"])
    c1 = api.messages("chat-c1")
    assert len(c1) == 1 and c1[0]["from_bot"] and f"工单 #{n} 已上报" in c1[0]["text"]
    assert REPORT in c1[0]["text"]
    dms = api.direct("zhangdaye")
    assert any(f"工单 #{n}" in m["text"] and "上报" in m["text"] for m in dms)
    fake = live[1].extensions["sandbox"].fake.state
    assert [m.target for m in fake.messages_for(route="wecom_chat")] == ["chat-c1"]
    assert "zhangdaye" in {m.target for m in fake.messages_for(route="wecom_user")}

    resolved = api.say("chat-c1", "huangshuji", "办结 已疏通", quote=c1[0]["id"])
    assert f"工单 #{n} 已办结：已疏通" in resolved["reply"]["text"]
    assert any("已办结：已疏通" in m["text"] for m in api.messages("chat-g1") if m["from_bot"])
    rated = api.say("chat-g1", "zhangdaye", "满意")
    assert "评价为「满意」" in rated["reply"]["text"]
    with live[1].extensions["gridwhistle"].db.session() as s:
        ticket = s.get(Ticket, n)
        assert (ticket.state, ticket.satisfaction) == ("closed", "满意")


def test_a_slow_bot_is_retried_with_the_same_msgid_and_opens_one_ticket(api, live, monkeypatch):
    app = live[1]
    sandbox, svc = app.extensions["sandbox"], app.extensions["gridwhistle"]
    # Enough tries that a loaded machine still sees a retry after the slow first handling ends.
    sandbox.policy = RetryPolicy(timeout=0.6, tries=10)
    real = svc.classify
    calls = []

    def slow(text):
        calls.append(text)
        time.sleep(1.0)  # longer than the sandbox's (WeCom's) reply window
        return real(text)

    monkeypatch.setattr(svc, "classify", slow)
    posted = api.say("chat-g1", "zhangdaye", REPORT)
    assert posted["attempts"] >= 2
    assert posted["reply"]["text"].startswith("已登记工单 #")
    assert len(calls) == 1  # the retries were deduplicated, not handled again
    with svc.db.session() as s:
        assert s.scalar(select(func.count(Ticket.id))) == 1
        rows = s.execute(select(InboxMessage.msg_id)).scalars().all()
    assert rows == [posted["message"]["msgid"]]
    assert [m["from_bot"] for m in api.messages("chat-g1")] == [False, True]


def test_an_unreachable_bot_is_tried_three_times_then_reported_in_the_chat(api, live):
    sandbox = live[1].extensions["sandbox"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        sandbox.bot_url = f"http://127.0.0.1:{s.getsockname()[1]}"  # nothing listens there
    sandbox.policy = RetryPolicy(timeout=0.5, tries=3)
    resp = api.post("chat-g1", "zhangdaye", REPORT)
    assert resp.status_code == 502
    assert "已重试 3 次" in resp.json()["error"]
    assert [m["note"] for m in api.messages("chat-g1")] == ["", "system"]


def test_advancing_the_clock_fires_reminders_and_overdue_escalation(api):
    n = ticket_no(api.say("chat-g1", "zhangdaye", REPORT)["reply"]["text"])
    assert api.advance(0).status_code == 400
    assert api.advance("60").status_code == 400
    before = api.http.get(api.base + "/clock").json()
    moved = api.advance(60 * 24 * 10)
    assert moved.status_code == 200
    body = moved.json()
    assert body["offset_minutes"] - before["offset_minutes"] == 60 * 24 * 10
    assert body["sweep"]["pushes"] >= 1
    g1 = [m["text"] for m in api.messages("chat-g1") if m["from_bot"]]
    assert any(f"工单 #{n} 已超期，已自动上报" in t for t in g1)
    assert any(f"工单 #{n}" in m["text"] for m in api.messages("chat-c1"))


def test_direct_messages_to_the_app_get_the_passive_reply(api):
    resp = api.http.post(api.base + "/users/zhangdaye/messages", json={"text": "帮助"}, timeout=30)
    assert resp.status_code == 201, resp.text
    dms = api.direct("zhangdaye")
    assert [m["from_bot"] for m in dms] == [False, True]
    assert "网格哨 使用说明" in dms[1]["text"]
    assert api.http.post(api.base + "/users/nobody/messages", json={"text": "你好"}).status_code == 404


def test_the_page_is_served_and_never_writes_html_from_text(live):
    base = live[0]
    page = requests.get(base + "/sandbox", timeout=10)
    assert page.status_code == 200 and "网格哨" in page.text
    script = requests.get(base + "/sandbox/static/sandbox/app.js", timeout=10)
    assert script.status_code == 200
    assert "innerHTML" not in script.text and "insertAdjacentHTML" not in script.text
