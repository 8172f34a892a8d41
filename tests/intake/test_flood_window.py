"""The flood window slides: a flood straddling a minute boundary is limited like any other.

With a counter per clock minute alone, a sender's 5 lines at 10:00:59 and 5 more at 10:01:01 were
each within a limit of 5, so 10 lines in two seconds all went through.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.intake.admission import NOTICE, admit
from models import InboxMessage
from tests.chat import ChatDriver

BOUNDARY = 1_700_000_040.0  # a whole minute, in Unix seconds
LIMIT = 5
_ids = iter(range(10**9))


def send(svc, at: float, sender: str = "zhoujie", chat: str | None = "chat-g1", per_chat: int = 1000):
    return admit(svc.redis, "robot", f"w{next(_ids)}", sender, chat, 600, LIMIT, per_chat, at=at)


def test_a_flood_straddling_a_minute_boundary_is_throttled(app, svc):
    before = [send(svc, BOUNDARY - 1 + i * 0.1) for i in range(LIMIT)]
    assert all(a.throttled is None for a in before)
    after = [send(svc, BOUNDARY + 1 + i * 0.1) for i in range(LIMIT)]
    assert [a.throttled for a in after] == [NOTICE] + [""] * (LIMIT - 1)  # one notice, then silence
    assert {a.limit for a in after} == {"sender"}


def test_the_previous_minute_weighs_less_as_it_slides_out(app, svc):
    for i in range(LIMIT):
        send(svc, BOUNDARY - 60 + i)  # early in the previous minute
    # 45 s into this minute only a quarter of the previous one is within the window: ~1.25 of 5.
    late = [send(svc, BOUNDARY + 45 + i * 0.1) for i in range(LIMIT)]
    assert [a.throttled is None for a in late] == [True, True, True, False, False]
    # A full minute after the flood, a new minute's limit is the sender's again.
    assert send(svc, BOUNDARY + 125).throttled is None


def test_a_busy_chat_straddling_a_minute_boundary_is_deferred(app, svc):
    senders = [f"neighbour{i}" for i in range(2 * LIMIT)]
    before = [send(svc, BOUNDARY - 2 + i * 0.1, sender=s, per_chat=LIMIT) for i, s in enumerate(senders[:LIMIT])]
    after = [send(svc, BOUNDARY + 1 + i * 0.1, sender=s, per_chat=LIMIT) for i, s in enumerate(senders[LIMIT:])]
    assert all(a.throttled is None for a in before)
    assert all(a.limit == "chat" and a.throttled == "" for a in after)  # deferred, never noticed


@pytest.fixture
def chat(app, demo, monkeypatch, svc):
    monkeypatch.setattr(svc, "settings", svc.settings.with_overrides(flood_per_sender_per_minute=LIMIT))
    return ChatDriver(app.test_client())


def test_through_the_webhook_on_the_bots_clock(chat, svc):
    # The bot's clock to 8 seconds before a minute ends: the flood's first half in this minute.
    now = svc.clock.now().timestamp()
    svc.clock.advance(60 - now % 60 - 8)
    first = [chat.say("chat-g1", "zhoujie", f"哈哈哈{i}") for i in range(LIMIT)]
    svc.clock.advance(10)  # its second half just after the boundary
    second = [chat.say("chat-g1", "zhoujie", f"嘿嘿嘿{i}") for i in range(LIMIT)]
    assert not any("频繁" in r for r in first)
    assert sum("频繁" in r for r in second) == 1
    with svc.db.session() as s:
        intents = s.execute(select(InboxMessage.intent).where(InboxMessage.sender_id == "zhoujie")).scalars().all()
    assert len(intents) == 2 * LIMIT and intents.count("throttled") >= LIMIT - 1  # kept, not acted on
