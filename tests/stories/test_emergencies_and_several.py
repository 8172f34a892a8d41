"""Emergencies first, several problems in one message, a report without a place: through the real webhook."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.sweep import sweep_job
from bot.local.callback_client import wecom_callback, wecom_text_xml
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from handlers import reports
from handlers.tickets import TicketDesk
from models import Identity, RoleAssignment, Ticket, TicketEvent
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def numbers(reply: str) -> list[int]:
    return [int(n) for n in re.findall(r"#(\d+)", reply)]


def tickets(svc) -> list[Ticket]:
    with svc.db.session() as s:
        rows = list(s.execute(select(Ticket).order_by(Ticket.id)).scalars())
        for t in rows:
            s.expunge(t)
        return rows


@pytest.mark.parametrize(("text", "number", "category"), [
    ("3号楼着火了快来人", "119", "fire_safety"),
    ("3號樓著火了快來人啊", "119", "fire_safety"),
    ("5栋2单元楼道里全是烟看不清", "119", "fire_safety"),
    ("2单元厨房一股煤气味好浓", "119", None),
    ("樓道有煤氣味好濃", "119", None),
    ("3号楼电梯里困人了", "96333", "elevator"),
    ("電梯困人快來", "96333", "elevator"),
    ("东门口有个老人摔倒了起不来了", "120", None),
    ("樓下阿婆跌低咗起唔到身", "120", None),
    ("有人在撬门3号楼2单元", "110", None),
    ("有個男的拿刀在小區門口", "110", None),
    ("3号楼外墙瓷砖随时要掉下来了", "119", None),
])
def test_each_emergency_is_urgent_with_the_right_number(chat, svc, text, number, category):
    reply = chat.say("chat-g1", "zhangdaye", text)
    assert reply.startswith("【紧急】") and number in reply.split("\n")[0], reply
    assert "紧急工单" in reply
    [ticket] = tickets(svc)
    assert f"#{ticket.id}" in reply
    assert ticket.priority == "urgent"
    assert ticket.deadline_at - ticket.created_at <= timedelta(minutes=reports.URGENT_DEADLINE_MINUTES)
    if category:
        assert ticket.category == category
    # pushed at once: the grid leader directly, the community through its work chat
    assert any(f"紧急工单 #{ticket.id}" in t for t in outbox_texts(svc, "wangfang"))
    assert any(f"紧急工单 #{ticket.id}" in t and number in t for t in outbox_texts(svc, "chat-c1"))
    with svc.db.session() as s:
        actions = list(s.execute(select(TicketEvent.action).where(TicketEvent.ticket_id == ticket.id)).scalars())
    assert actions == ["open", "urgent"]


@pytest.mark.parametrize("text", ["消防演习", "下周三上午小区搞消防演习 大家不要惊慌", "电梯年检", "煤气费怎么交",
                                  "上次着火的事谢谢"])
def test_false_alarms_open_no_urgent_ticket(chat, svc, text):
    reply = chat.say("chat-g1", "zhangdaye", text)
    assert "紧急" not in reply
    assert all(t.priority != "urgent" for t in tickets(svc))


def test_a_neighbour_reporting_the_same_fire_joins_it(chat, svc):
    first = chat.say("chat-g1", "zhangdaye", "3号楼着火了 快来人")
    again = chat.say("chat-g1", "liuayi", "3号楼着火了 好大的烟")
    assert numbers(first)[0] == numbers(again)[0] and "119" in again and "已有紧急工单" in again
    assert len(tickets(svc)) == 1
    n = numbers(first)[0]
    assert sum(f"紧急工单 #{n}" in t for t in outbox_texts(svc, "wangfang")) == 1  # paged once, not per report


def test_several_problems_become_several_tickets_in_one_reply(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", "楼下烧烤店天天半夜吵得睡不着，还有东门那个井盖被人掀了，太危险了")
    opened = tickets(svc)
    assert [t.category for t in opened] == ["noise", "road_traffic"]
    assert "2 个问题" in reply and all(f"#{t.id}" in reply for t in opened)
    assert opened[1].place_text == "东门"
    assert "噪音扰民" in reply and "道路交通" in reply


def test_several_problems_with_an_emergency_put_it_first(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", "一是楼下烧烤店半夜太吵 二是3号楼电梯里困人了")
    opened = tickets(svc)
    assert [(t.category, t.priority) for t in opened] == [("elevator", "urgent"), ("noise", "normal")]
    assert reply.startswith("【紧急】") and "96333" in reply
    assert numbers(reply)[:2] == [t.id for t in opened]
    assert any(f"紧急工单 #{opened[0].id}" in t for t in outbox_texts(svc, "chat-c1"))


@pytest.mark.parametrize(("text", "number", "other"), [
    ("煤气味好重，楼道灯也坏了", "119", "lighting"),
    ("有人被困电梯里了，另外垃圾好几天没清", "96333", "sanitation"),
])
def test_an_emergency_and_another_problem_after_a_comma_are_an_urgent_and_a_normal_ticket(
        chat, svc, text, number, other):
    reply = chat.say("chat-g1", "zhangdaye", text)
    opened = tickets(svc)
    assert [t.priority for t in opened] == ["urgent", "normal"] and opened[1].category == other
    assert reply.startswith("【紧急】") and number in reply.split("\n")[0], reply
    assert "2 个问题" in reply and numbers(reply)[:2] == [t.id for t in opened]
    assert any(f"紧急工单 #{opened[0].id}" in t for t in outbox_texts(svc, "chat-c1"))
    assert not any(f"紧急工单 #{opened[1].id}" in t for t in outbox_texts(svc, "chat-c1"))


@pytest.mark.parametrize("text", ["煤气味很重，我头晕，快来人", "3号楼2单元，电梯里关着两个人，快来人"])
def test_an_emergency_alone_with_commas_inside_stays_one_urgent_ticket(chat, svc, text):
    reply = chat.say("chat-g1", "zhangdaye", text)
    [ticket] = tickets(svc)
    assert ticket.priority == "urgent" and reply.startswith("【紧急】") and "2 个问题" not in reply


def test_numbered_lines_one_ticket_each(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", "网格长你好\n1. 3号楼楼道灯不亮\n2. 5号楼门口垃圾三天没人清运了")
    opened = tickets(svc)
    assert [t.category for t in opened] == ["lighting", "sanitation"]
    assert [t.place_text for t in opened] == ["3号楼", "5号楼"]
    assert "请补充具体位置" not in reply


def test_a_report_without_a_place_asks_for_it_and_the_answer_fills_it(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", "井盖那个太危险了,赶紧弄一下")
    [ticket] = tickets(svc)
    assert "赶紧弄" not in reply and ticket.place_text == ""
    assert f"#{ticket.id}" in reply and "请补充具体位置" in reply
    # The conversation layer hands the sender's next line to fill_place.
    with svc.db.session() as s:
        t = s.get(Ticket, ticket.id)
        desk = TicketDesk(s, svc.settings, svc.clock.now())
        assert reports.awaiting_place(t)
        assert reports.fill_place(desk, t, "就在3号楼东门口", None) == f"已补充工单 #{t.id} 的地点：3号楼东门口。"
        assert reports.fill_place(desk, t, "5号楼", None) is None  # never overwritten
        s.commit()
    assert tickets(svc)[0].place_text == "3号楼东门口"


def test_a_report_with_a_place_does_not_ask(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了")
    assert "地点：3号楼" in reply and "请补充具体位置" not in reply


def test_emoji_only_lines_and_a_long_message_are_safe(chat, svc):
    assert chat.say("chat-g1", "zhoujie", "👍\n😀\n🌹") == ""
    long = "；".join(f"{k}号楼楼道里堆满了杂物没人管" * 6 for k in range(1, 11))
    reply = chat.say("chat-g1", "zhangdaye", long[:2000])
    assert reply and len(tickets(svc)) >= 1


def direct(client, user: str, text: str, msg_id: str):
    """A one-to-one message to the app (WeCom app callback), as a resident sends from 网格哨（应用消息）."""
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, wecom_text_xml(DEMO_CORP_ID, user, text, msg_id))
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200
    return resp


def test_an_emergency_sent_one_to_one_reaches_the_grid_leader_and_the_community(client, demo, svc):
    direct(client, "zhangdaye", "我家厨房一股煤气味好浓", "dm-gas-1")
    [ticket] = tickets(svc)
    assert ticket.priority == "urgent" and ticket.chat_id is None
    assert any(f"紧急工单 #{ticket.id}" in t for t in outbox_texts(svc, "wangfang"))
    assert any(f"紧急工单 #{ticket.id}" in t for t in outbox_texts(svc, "chat-c1"))


def test_an_emergency_from_someone_of_no_grid_reaches_the_district(client, demo, svc):
    direct(client, "stranger-42", "電梯困人 快來", "dm-lift-1")
    [ticket] = tickets(svc)
    assert ticket.priority == "urgent" and ticket.grid_id is None
    with svc.db.session() as s:
        admins = list(s.execute(select(Identity.external_id).join(RoleAssignment, RoleAssignment.person_id
                                == Identity.person_id).where(RoleAssignment.role == "admin")).scalars())
    assert admins and any(f"紧急工单 #{ticket.id}" in t for a in admins for t in outbox_texts(svc, a))


def test_an_unanswered_urgent_ticket_goes_up_after_its_deadline_without_a_second_reminder(chat, svc, app):
    chat.say("chat-g1", "zhangdaye", "3号楼电梯里困人了")

    def about_the_ticket() -> list[str]:
        # Not the daily digest, which the same sweep sends when the clock is past 8:00 in China.
        return [t for t in outbox_texts(svc, "wangfang") if "每日工单简报" not in t]

    before = len(about_the_ticket())
    with app.app_context():
        sweep_job()  # the sweep right after: the urgent push already was the reminder
        assert len(about_the_ticket()) == before
        svc.clock.advance(reports.URGENT_DEADLINE_MINUTES * 60 + 60)
        sweep_job()
    t = tickets(svc)[0]
    assert (t.state, t.level) == ("escalated", "community")
