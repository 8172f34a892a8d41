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
