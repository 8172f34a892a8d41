"""A broadcast notice reaching several residents' chats, seen in the browser."""
from __future__ import annotations

import pytest

from tests.local.e2e.sandbox_page import ChatPage, expect, shot

pytestmark = pytest.mark.e2e

NOTICE_TITLE = "停水通知"
NOTICE_BODY = "幸福里社区明天 9:00-12:00 停水检修，请提前储水。"


def broadcast(chat: ChatPage, page) -> None:
    """黄书记 (community staff) sends the notice from her work chat, confirming the count."""
    chat.be("huangshuji")
    chat.enter("chat-c1")
    chat.say(f"通知 幸福里社区：【{NOTICE_TITLE}】{NOTICE_BODY}")
    chat.bot_says("将发送到 2 个群")
    shot(page, "broadcast-confirm")
    chat.say("确认发送")
    chat.bot_says("已")


def test_a_community_notice_reaches_every_grid_chat_of_the_community(page, sandbox_server):
    base, app = sandbox_server
    chat = ChatPage(page, base)
    chat.open()
    broadcast(chat, page)
    for user_id, chat_id in (("zhangdaye", "chat-g1"), ("sunli", "chat-g2")):
        chat.be(user_id)
        chat.enter(chat_id)
        chat.bot_says(NOTICE_TITLE)
        shot(page, f"broadcast-{chat_id}")
    chat.be("zhengshu")  # 扬州路社区 is not 幸福里社区: nothing arrives there
    chat.enter("chat-g3")
    expect(page.locator(".msg.bot .bubble", has_text=NOTICE_TITLE)).to_have_count(0)
