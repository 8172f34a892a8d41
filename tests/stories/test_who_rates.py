"""Who may follow, rate, close or reopen a ticket: the outside probe's scenarios, through the real doors.

The probe: an unknown Official Account openid followed and reopened another grid's ticket and was
pushed its resolution with a phone number; a department resolved, followed and rated its own work;
a neighbour who followed closed the reporter's ticket, and the reporter's 不满意 was then refused.
"""
from __future__ import annotations

import itertools
import time

import pytest
from sqlalchemy import select

from bot.local.callback_client import official_callback
from bot.runtime.config import DEMO_TOKEN
from bot.web.common import parse_flat_xml
from handlers.policy import REPORTER_RATING_WINDOW
from models import OutboxItem, Ticket, TicketFollower
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, person_id, ref

_msg_ids = itertools.count(8100)


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def oa_say(client, openid: str, text: str) -> str:
    """A text from a WeChat Official Account follower (plain mode), through /wechat/callback: the reply."""
    xml = (f"<xml><ToUserName>gh_demo</ToUserName><FromUserName>{openid}</FromUserName>"
           f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType><Content>{text}</Content>"
           f"<MsgId>{next(_msg_ids)}</MsgId></xml>")
    cb = official_callback(DEMO_TOKEN, None, "wxgridwhistledemo", xml)
    resp = client.post("/wechat/callback", query_string=cb.params, data=cb.body, content_type="text/xml")
    assert resp.status_code == 200
    return parse_flat_xml(resp.data.decode()).get("Content", "") if resp.data.strip() else ""


def state(svc, n: int) -> tuple[str, str | None]:
    with svc.db.session() as s:
        t = s.get(Ticket, n)
        return t.state, t.satisfaction


def followers(svc, n: int) -> set[int]:
    with svc.db.session() as s:
        return set(s.execute(select(TicketFollower.person_id).where(TicketFollower.ticket_id == n)).scalars())


def report_and_resolve(chat, note: str = "已疏通主管道") -> int:
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    chat.say("chat-g1", "wangfang", f"受理 #{n}")
    chat.say("chat-g1", "wangfang", f"办结 #{n} {note}")
    assert state(chat_svc(chat), n)[0] == "resolved"
    return n


def chat_svc(chat):
    return chat.client.application.extensions["gridwhistle"]


def test_an_unknown_official_account_openid_can_neither_follow_nor_reopen(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    assert "只有本网格的居民" in oa_say(chat.client, "openid-stranger", f"+1 #{n}")
    assert followers(svc, n) == set()
    chat.say("chat-g1", "wangfang", f"受理 #{n}")
    chat.say("chat-g1", "wangfang", f"办结 #{n} 已联系业主13912345678上门疏通")
    assert "没有权限评价" in oa_say(chat.client, "openid-stranger", f"不满意 #{n} 根本没修")
    assert state(svc, n) == ("resolved", None)
    # Nothing about the ticket reached the stranger, least of all the note with the phone number.
    assert not any("13912345678" in t or f"#{n}" in t for t in outbox_texts(svc, "openid-stranger")
                   if "已办结" in t)


def test_a_department_cannot_rate_its_own_work(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    chat.say("chat-g1", "wangfang", f"派 水务局 #{n}")
    chat.say("chat-water", "qianshuiwu", f"报到 #{n}")
    chat.say("chat-water", "qianshuiwu", f"办结 #{n} 已疏通")
    refused_follow = chat.say("chat-water", "qianshuiwu", f"+1 #{n}")
    assert "只有本网格的居民" in refused_follow
    refused = chat.say("chat-water", "qianshuiwu", f"满意 #{n}")
    assert "没有权限评价" in refused
    assert state(svc, n) == ("resolved", None)
    # A grid leader neither.
    assert "没有权限评价" in chat.say("chat-g1", "wangfang", f"满意 #{n}")
    assert state(svc, n) == ("resolved", None)


def test_a_neighbour_waits_for_the_reporter_whose_bad_rating_wins(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    assert "关注" in chat.say("chat-g1", "liuayi", f"我家也是 #{n}")
    chat.say("chat-g1", "wangfang", f"受理 #{n}")
    chat.say("chat-g1", "wangfang", f"办结 #{n} 已联系3号楼2单元501业主，电话13912345678")
    # The neighbour is told, masked, and when she may rate; not asked with buttons.
    told = [t for t in outbox_texts(svc, "liuayi") if "已办结" in t]
    assert told and "13912345678" not in told[-1] and "501" not in told[-1] and "也可以回复" in told[-1]
    with svc.db.session() as s:
        cards = s.execute(select(OutboxItem.card).where(OutboxItem.route_target == "liuayi")).scalars().all()
    assert not any(cards)

    early = chat.say("chat-g1", "liuayi", f"满意 #{n}")
    assert "请先由反映人评价" in early
    assert state(svc, n) == ("resolved", None)
    assert chat.say("chat-g1", "liuayi", "满意") == ""  # nothing she may rate yet: silence in the group

    back = chat.say("chat-g1", "zhangdaye", f"不满意 #{n} 还是有味道")
    assert "退回" in back
    assert state(svc, n) == ("reopened", "不满意")


def test_after_the_reporters_window_a_neighbour_may_rate(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    chat.say("chat-g1", "liuayi", f"+1 #{n}")
    chat.say("chat-g1", "wangfang", f"办结 #{n} 已疏通")
    svc.clock.advance(REPORTER_RATING_WINDOW.total_seconds() + 60)
    assert "评价为「满意」" in chat.say("chat-g1", "liuayi", f"满意 #{n}")
    assert state(svc, n) == ("closed", "满意")


def test_a_resident_of_another_grid_cannot_follow(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    assert "其他网格" in chat.say("chat-g2", "sunli", f"+1 #{n}")
    assert followers(svc, n) == set()
    assert person_id(svc, "sunli") not in followers(svc, n)


def test_two_strangers_reporting_one_drain_each_get_their_own_ticket_and_hear_nothing_of_the_other(chat, svc):
    # No grid is not a place: matching strangers' tickets against each other told the second one the
    # first one's ticket number, category and state.
    first = oa_say(chat.client, "openid-stranger-a", "小区门口下水道堵了，污水都冒出来了")
    a = ref(r"#(\d+)", first)
    second = oa_say(chat.client, "openid-stranger-b", "小区门口下水道堵了，污水都冒出来了")
    b = ref(r"#(\d+)", second)
    assert b != a and f"#{a}" not in second and "已有工单" not in second
    assert f"#{a}" not in "".join(outbox_texts(svc, "openid-stranger-b"))
    with svc.db.session() as s:
        ta, tb = s.get(Ticket, a), s.get(Ticket, b)
        assert ta.grid_id is None and tb.grid_id is None and ta.reporter_id != tb.reporter_id
    assert followers(svc, a) == set() and followers(svc, b) == set()
    # A stranger's own repeat still finds their own ticket rather than opening a third.
    again = oa_say(chat.client, "openid-stranger-b", "小区门口下水道又堵了，污水冒出来了")
    assert f"#{b}" in again and f"#{a}" not in again
