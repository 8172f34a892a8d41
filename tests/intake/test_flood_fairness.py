"""One resident cannot mute a chat (issue #16 item 3): a throttled sender does not count toward the
chat's limit; a busy chat's messages and staff commands over a limit are deferred and processed
later, never dropped; and a flood of "+1" hears "您已在关注" once."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot.intake.inbox import sweep_inbox
from models import InboxMessage, Ticket
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, ref


@pytest.fixture
def chat(app, demo):
    return ChatDriver(app.test_client())


def fresh_minute(needed: float = 20) -> None:
    """The previous minute's count fades as the window slides: start a test where its lines fit in
    one clock minute, so the counts it expects are exact."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.1)


def ticket_state(svc, n: int) -> str:
    with svc.db.session() as s:
        return s.get(Ticket, n).state


def tickets(svc) -> int:
    with svc.db.session() as s:
        return len(s.execute(select(Ticket.id)).all())


def test_300_lines_from_one_resident_do_not_mute_the_chat(chat, svc):
    fresh_minute(40)
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    started = time.monotonic()
    for i in range(300):
        chat.post("chat-g1", "zhoujie", f"哈哈哈哈{i}")
    assert time.monotonic() - started < 60  # the probe's pace: one minute's counters
    # A leader's command and another resident's report are processed at once.
    assert "已办结" in chat.say("chat-g1", "wangfang", f"办结 #{n} 已疏通")
    assert ticket_state(svc, n) == "resolved"
    assert "已登记工单" in chat.say("chat-g1", "chenxin", "小区东门路灯坏了好几天，晚上很黑")
    with svc.db.session() as s:
        kept = s.execute(select(InboxMessage.id).where(InboxMessage.sender_id == "zhoujie")).all()
    assert len(kept) == 300  # the flood itself is kept, never lost


def test_a_busy_chat_defers_messages_and_processes_them_later(chat, svc, monkeypatch):
    fresh_minute()
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    monkeypatch.setattr(svc, "settings", svc.settings.with_overrides(flood_per_chat_per_minute=3))
    for who in ("liuayi", "liqiang"):  # with the report: the chat's three this minute
        chat.say("chat-g1", who, "大家好")
    # Over the chat's limit: no answer now, but kept unprocessed — not "throttled" and forgotten.
    assert chat.say("chat-g1", "wangfang", f"办结 #{n} 已疏通") == ""
    chat.say("chat-g1", "chenxin", "小区东门路灯坏了好几天，晚上很黑")
    assert ticket_state(svc, n) == "new" and tickets(svc) == 1
    svc.clock.advance(120)
    assert sweep_inbox(svc, svc.clock.now()) == 2
    assert ticket_state(svc, n) == "resolved" and tickets(svc) == 2
    # The replies they were owed are pushed into the chat.
    pushed = outbox_texts(svc, "chat-g1")
    assert any("已办结" in t for t in pushed) and any("已登记工单" in t for t in pushed)


def test_staff_over_their_own_limit_are_deferred_not_dropped(chat, svc, monkeypatch):
    fresh_minute()
    ids = [ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", text)) for text in (
        "3号楼下水道堵了，污水都冒出来了", "小区东门路灯坏了好几天，晚上很黑", "楼道里堆满了杂物，有消防隐患")]
    monkeypatch.setattr(svc, "settings", svc.settings.with_overrides(flood_per_sender_per_minute=2))
    replies = [chat.say("chat-g1", "wangfang", f"受理 #{n}") for n in ids]
    assert "频繁" not in replies[-1]
    svc.clock.advance(120)
    sweep_inbox(svc, svc.clock.now())
    assert [ticket_state(svc, n) for n in ids] == ["accepted"] * 3


def test_a_flood_of_plus_ones_hears_already_following_once(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    replies = [chat.say("chat-g1", "liuayi", f"+1 #{n}") for _ in range(12)]
    assert "关注" in replies[0]
    assert sum("您已在关注" in r for r in replies) == 1
    # The reporter pasting the report again: told once too.
    again = [chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了") for _ in range(5)]
    assert sum("您已在关注" in r for r in again) == 1 and tickets(svc) == 1
