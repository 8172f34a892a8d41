"""One account flooding a group gets one polite notice; others are unaffected; nothing is lost."""
from __future__ import annotations

from sqlalchemy import func, select

from models import InboxMessage
from tests.chat import ChatDriver


def test_flooding_sender_is_throttled_with_one_notice(app, demo, svc):
    chat = ChatDriver(app.test_client())
    limit = svc.settings.flood_per_sender_per_minute
    replies = [chat.say("chat-g1", "zhoujie", f"哈哈哈{i}") for i in range(limit + 5)]
    notices = [r for r in replies if "频繁" in r]
    assert len(notices) == 1
    # A neighbour in the same chat is not affected.
    assert "已登记工单" in chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了")
    with svc.db.session() as s:
        stored = s.execute(select(func.count()).select_from(InboxMessage)
                           .where(InboxMessage.sender_id == "zhoujie")).scalar()
    assert stored == limit + 5  # throttled, never lost


def test_wechat_retries_do_not_count_against_the_flood_limit(app, demo, svc):
    # WeChat retries a slow answer up to three times; a busy resident must not be throttled for it.
    chat = ChatDriver(app.test_client())
    limit = svc.settings.flood_per_sender_per_minute
    for i in range(limit - 2):
        chat.say("chat-g1", "zhoujie", f"哈哈哈{i}")
    first = chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了", msg_id="slow-1")
    assert "已登记工单" in first
    for _ in range(3):
        assert chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了", msg_id="slow-1") == first
    for _ in range(3):
        chat.say("chat-g1", "zhoujie", "哈哈哈 again", msg_id="zj-retry")
    # zhoujie's limit-th message (one of them delivered three times): still not throttled.
    assert "频繁" not in chat.say("chat-g1", "zhoujie", "楼道灯坏了好几天了")
