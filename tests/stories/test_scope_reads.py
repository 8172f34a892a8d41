"""Reads stay within scope (issue #16 item 10): 进度 #n and 议事 #Y show a ticket or a proposal only to
those it concerns — its reporter, followers and grid's residents, and the staff over it."""
from __future__ import annotations

import pytest

from tests.chat import ChatDriver
from tests.stories.helpers import ref
from tests.stories.test_who_rates import oa_say


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def test_progress_only_within_scope(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    assert "不在您所在网格" in chat.say("chat-g2", "sunli", f"进度 #{n}")  # another grid's resident
    assert "不在您所在网格" in chat.say("chat-g2", "zhaomin", f"进度 #{n}")  # another grid's leader
    assert "不在您所在网格" in chat.say("chat-water", "qianshuiwu", f"进度 #{n}")  # not sent to 水务局
    assert "不在您所在网格" in oa_say(chat.client, "openid-stranger", f"进度 #{n}")
    for who, where in (("zhangdaye", "chat-g1"), ("liuayi", "chat-g1"), ("wangfang", "chat-g1"),
                       ("huangshuji", "chat-c1")):
        assert f"工单 #{n}（" in chat.say(where, who, f"进度 #{n}"), who


def test_proposal_status_only_within_scope_and_masked(chat, svc):
    opened = chat.say("chat-g1", "zhangdaye", "议事：建议在3号楼加装电梯，联系我13912345678")
    pid = ref(r"#Y(\d+)", opened)
    assert "13912345678" not in opened
    assert "属于其他网格" in chat.say("chat-g2", "sunli", f"议事 #Y{pid}")
    assert "属于其他网格" in chat.say("chat-water", "qianshuiwu", f"议事 #Y{pid}")
    status = chat.say("chat-g1", "liuayi", f"议事 #Y{pid}")
    assert f"#Y{pid}" in status and "加装电梯" in status and "13912345678" not in status
    assert f"#Y{pid}" in chat.say("chat-c1", "huangshuji", f"议事 #Y{pid}")
