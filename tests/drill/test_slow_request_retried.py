"""Drill (e) in-process: WeCom retries a message while its first delivery is still being handled.

WeCom gives up on a callback after 5 s and sends the same msgid again, up to three times. The
first attempt is still running (here: a slow classifier); every retry must end in the one inbox
row and the one ticket of the first attempt, and answer with the same reply — whether Redis
remembers the msgid (replay path) or has lost it (the database's unique key decides).
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from models import InboxMessage, Ticket
from tests.chat import ChatDriver

TEXT = "和平里二巷3号后院的配电箱冒火花，还有焦糊味"
SLOW_SECONDS = 1.5


def count(svc, model) -> int:
    with svc.db.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


@pytest.mark.parametrize("redis_forgets", [False, True], ids=["redis-remembers", "redis-lost-the-key"])
def test_retries_during_a_slow_first_attempt_make_one_ticket(app, demo, svc, monkeypatch, redis_forgets):
    real_classify = svc.classify
    started = threading.Event()

    def slow_classify(text):
        started.set()
        time.sleep(SLOW_SECONDS)  # longer than the gap between WeCom's retries here
        return real_classify(text)

    monkeypatch.setattr(svc, "classify", slow_classify)
    # Slower than a replay is willing to wait, as in production (5 s+ handling vs 3 s wait):
    # the retry must then queue behind the first attempt on the database's unique key.
    monkeypatch.setattr("bot.intake.inbox.REPLAY_WAIT_SECONDS", 0.5)
    replies: dict[str, str] = {}

    def deliver(name: str) -> None:
        replies[name] = ChatDriver(app.test_client()).say("chat-g1", "zhangdaye", TEXT, msg_id="slow-1")

    first = threading.Thread(target=deliver, args=("first",))
    first.start()
    assert started.wait(10), "the first attempt never reached the classifier"
    retries = []
    for n in range(2):  # WeCom's second and third tries, while the first is still running
        if redis_forgets:
            svc.redis.delete("gridwhistle:dedup:robot:slow-1")
        t = threading.Thread(target=deliver, args=(f"retry{n}",))
        t.start()
        retries.append(t)
        time.sleep(0.2)
    for t in [first, *retries]:
        t.join(30)

    assert count(svc, InboxMessage) == 1
    assert count(svc, Ticket) == 1
    assert "#1" in replies["first"]
    # Every retry that got an answer got the first attempt's answer, never a second ticket's.
    assert all(replies[f"retry{n}"] in ("", replies["first"]) for n in range(2))
    assert any(replies[f"retry{n}"] == replies["first"] for n in range(2)), replies
