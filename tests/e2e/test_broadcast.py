"""A broadcast notice reaching several residents' chats, seen in the browser."""
from __future__ import annotations

import pytest

from tests.e2e.sandbox_page import ChatPage, expect, shot

pytestmark = pytest.mark.e2e

NOTICE_TITLE = "停水通知"
NOTICE_BODY = "幸福里社区明天 9:00-12:00 停水检修，请提前储水。"


def broadcast(app, *, title: str, body: str, unit_code: str) -> None:
    """Send a notice to every residents' chat under unit_code through the bot's own feature.

    Fill this in with the notice feature's entry point (console action or staff chat command)
    once it exists; the rest of the test needs no change.
    """
    raise NotImplementedError


@pytest.mark.skip(reason="broadcast notices are not built yet (no send entry point for models.Notice); "
                         "fill in broadcast() in this file when they are")
def test_a_community_notice_reaches_every_grid_chat_of_the_community(page, sandbox_server):
    base, app = sandbox_server
    chat = ChatPage(page, base)
    chat.open()
    broadcast(app, title=NOTICE_TITLE, body=NOTICE_BODY, unit_code="C1")
    for user_id, chat_id in (("zhangdaye", "chat-g1"), ("sunli", "chat-g2")):
        chat.be(user_id)
        chat.enter(chat_id)
        chat.bot_says(NOTICE_TITLE)
        shot(page, f"broadcast-{chat_id}")
    chat.be("zhengshu")  # 扬州路社区 is not 幸福里社区: nothing arrives there
    chat.enter("chat-g3")
    expect(page.locator(".msg.bot .bubble", has_text=NOTICE_TITLE)).to_have_count(0)
