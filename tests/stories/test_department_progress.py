"""The community that handed a ticket to a department hears in its work chat when the department
reports (报到) and when it resolves (办结), whether from its chat or from the console."""
from __future__ import annotations

import re

import pytest

from handlers import texts
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts

REPORT = "3号楼下水道堵了，污水都冒出来了，麻烦尽快来看看"


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def dispatched_ticket(chat) -> int:
    report = chat.say("chat-g1", "zhangdaye", REPORT)
    n = int(re.search(r"#(\d+)", report).group(1))
    chat.say("chat-g1", "wangfang", f"受理 #{n}")
    chat.say("chat-g1", "wangfang", f"上报 #{n} 需要社区协调")
    assert "区水务局" in chat.say("chat-c1", "huangshuji", f"派 水务局 #{n}")
    return n


def test_the_community_chat_hears_the_department_claim_and_resolve(chat, svc):
    n = dispatched_ticket(chat)
    before = len(outbox_texts(svc, "chat-c1"))

    assert "已报到" in chat.say("chat-water", "qianshuiwu", f"报到 #{n}")
    told = outbox_texts(svc, "chat-c1")[before:]
    assert told == [texts.CLAIMED.format(department="区水务局", ticket_id=n)]

    assert "已办结" in chat.say("chat-water", "qianshuiwu", f"办结 #{n} 已疏通主管道")
    told = outbox_texts(svc, "chat-c1")[before:]
    assert told[1:] == [texts.DEPARTMENT_RESOLVED.format(department="区水务局", ticket_id=n, note="已疏通主管道")]
    # The residents' chat hears the resolution as before, and the department's own chat got its
    # passive reply only (no push of its own words back to it).
    assert any("已疏通主管道" in t for t in outbox_texts(svc, "chat-g1"))
    assert not any("已办结" in t for t in outbox_texts(svc, "chat-water"))


def test_a_retried_claim_tells_the_community_once(chat, svc):
    n = dispatched_ticket(chat)
    before = len(outbox_texts(svc, "chat-c1"))
    chat.say("chat-water", "qianshuiwu", f"报到 #{n}", msg_id="claim-once")
    chat.say("chat-water", "qianshuiwu", f"报到 #{n}", msg_id="claim-once")  # WeCom's retry, same msgid
    assert outbox_texts(svc, "chat-c1")[before:] == [texts.CLAIMED.format(department="区水务局", ticket_id=n)]


def test_a_ticket_the_grid_handles_tells_no_work_chat(chat, svc):
    report = chat.say("chat-g1", "zhangdaye", REPORT)
    n = int(re.search(r"#(\d+)", report).group(1))
    before = len(outbox_texts(svc, "chat-c1"))
    chat.say("chat-g1", "wangfang", f"受理 #{n}")
    chat.say("chat-g1", "wangfang", f"办结 #{n} 已疏通")
    assert outbox_texts(svc, "chat-c1")[before:] == []
