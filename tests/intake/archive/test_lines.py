"""What the archive hears and what it leaves alone: own lines, other chats, recalls, photos, busy chats."""
from __future__ import annotations

import time

from sqlalchemy import select

from bot.intake.photos import download_photo_job
from bot.local.callback_client import robot_text
from models import InboxMessage, OutboxItem, Photo
from tests.chat import ChatDriver
from tests.intake.archive.conftest import pull
from tests.intake.archive.test_pull import REPORT, inbox, tickets
from tests.media_helpers import image_bytes


def ms() -> int:
    return int(time.time() * 1000)


def line(archive, room: str, sender: str, msgtype: str, body: dict, **more) -> dict:
    message = {"msgid": f"{time.time_ns()}_{sender}", "action": "send", "from": sender, "tolist": [],
               "roomid": room, "msgtime": ms(), "msgtype": msgtype, **body, **more}
    archive.record(message)
    return message


def test_the_bots_own_lines_other_chats_and_direct_messages_are_skipped(app, svc, archive):
    archive.record(archive.text("chat-g1", "wbRobotOfOurs00000000", "已登记工单 #1"))  # a robot: "wb…"
    archive.record(archive.text("wr-not-bound-anywhere", "zhangdaye", REPORT))
    archive.record(archive.text("", "zhangdaye", REPORT))  # one-to-one with a colleague
    archive.record(archive.text("chat-g5", "heshu", REPORT))  # a mentions chat: the robot's
    result = pull(app)
    assert result.skipped == {"own": 1, "unbound": 1, "direct": 1, "robot_hears": 1}
    assert inbox(svc) == [] and result.cursor == 4


def test_configured_own_senders_are_skipped(app, svc, archive, settings):
    svc.use_settings(settings.with_overrides(archive_own_senders="gridwhistle-app"))
    archive.record(archive.text("chat-g1", "gridwhistle-app", "通知：明天停水"))
    assert pull(app).skipped == {"own": 1}


def test_a_chat_bound_by_its_archive_roomid(app, svc, archive):
    from models import GroupChat

    with svc.db.session() as s:
        s.execute(GroupChat.__table__.update().where(GroupChat.external_id == "chat-g2")
                  .values(archive_room_id="wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA"))
        s.commit()
    archive.record(archive.text("wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA", "sunli", REPORT))
    pull(app)
    assert [(r.chat_id, r.sender_id) for r in inbox(svc)] == [("chat-g2", "sunli")]


def test_a_recall_marks_the_inbox_row(app, svc, archive):
    first = archive.text("chat-g1", "zhangdaye", "说错了")
    archive.record(first)
    archive.record({"msgid": "recall-1", "action": "recall", "from": "zhangdaye", "tolist": [], "roomid": "chat-g1",
                    "msgtime": ms(), "msgtype": "revoke", "revoke": {"pre_msgid": first["msgid"]}})
    result = pull(app)
    assert result.recalled == 1
    rows = inbox(svc)
    assert len(rows) == 1 and rows[0].msg_id == first["msgid"] and rows[0].recalled_at is not None


def test_an_unknown_msgtype_is_kept_without_a_reply(app, svc, archive, fake_wechat):
    line(archive, "chat-g1", "zhangdaye", "sphfeed", {"sphfeed": {"feed_type": 4}})
    line(archive, "chat-g1", "zhangdaye", "emotion", {"emotion": {"type": 1}})
    result = pull(app)
    assert result.accepted == 2
    assert [(r.msg_type, r.status) for r in inbox(svc)] == [("sphfeed", "processed"), ("emotion", "processed")]
    assert fake_wechat.state.messages_for("chat-g1") == []  # no "please write words" after every sticker


def test_a_photo_goes_through_the_same_photo_store(app, svc, archive, fake_wechat):
    file_id = archive.add_media(image_bytes())
    item = {"type": "text", "content": '{"content": "' + REPORT + '"}'}
    photo = {"type": "image", "content": '{"md5sum": "x", "filesize": 1, "sdkfileid": "' + file_id + '"}'}
    line(archive, "chat-g1", "zhangdaye", "mixed", {"mixed": {"item": [item, photo]}})
    pull(app)  # the in-process jobs run inline: the download ran already
    with svc.db.session() as s:
        stored = s.execute(select(Photo)).scalar_one()
        assert (stored.state, stored.ticket_id, stored.content_type) == ("stored", 1, "image/jpeg")
    assert svc.photo_store.get(stored.storage_key) == image_bytes()
    assert tickets(svc) == 1


def test_a_photo_the_archive_no_longer_has_fails_clearly(app, svc, archive):
    line(archive, "chat-g1", "zhangdaye", "image", {"image": {"md5sum": "x", "filesize": 1, "sdkfileid": "gone"}})
    pull(app)
    with svc.db.session() as s:
        photo = s.execute(select(Photo)).scalar_one()
        assert photo.state == "failed" and photo.last_error.startswith("expired")
    with app.app_context():
        assert download_photo_job(photo.id) == "skipped"


def test_a_busy_chat_gets_one_message_acknowledging_several_reports(app, svc, archive, fake_wechat):
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT))
    archive.record(archive.text("chat-g1", "liuayi", "5号楼电梯坏了，困了两个老人"))
    archive.record(archive.text("chat-g1", "chenxin", "小区门口路灯不亮好几天了"))
    archive.record(archive.text("chat-g2", "sunli", "2号楼楼道里堆满了杂物，消防通道堵了"))
    result = pull(app)
    assert result.replies == 2  # one per chat
    (busy,) = fake_wechat.state.messages_for("chat-g1", route="wecom_chat")
    assert busy.text.startswith("网格哨收到 3 条消息：")
    assert "① 张大爷：已登记工单 #1" in busy.text and "② 刘阿姨：" in busy.text and "③ 陈欣：" in busy.text
    (single,) = fake_wechat.state.messages_for("chat-g2", route="wecom_chat")
    assert single.text.startswith("已登记工单 #")
    with svc.db.session() as s:  # the replies (other pushes, e.g. an emergency's alerts, have their own keys)
        keys = s.execute(select(OutboxItem.dedup_key).where(OutboxItem.route_kind == "wecom_chat",
                                                            OutboxItem.route_target.in_(["chat-g1", "chat-g2"]))).scalars()
        assert sorted(k[:8] for k in keys) == ["archive:", "archive:"]


def test_a_line_heard_by_robot_and_archive_is_handled_once(app, svc, archive, client):
    chat = ChatDriver(client)
    # chat-g1 listens to all: its @-line is the robot's (answered passively), the archive skips its copy
    assert "已登记工单 #1" in chat.answer(robot_text("robot-msg-1", "chat-g1", "zhangdaye", "@网格哨 " + REPORT))[
        "stream"]["content"]
    archive.record(archive.text("chat-g1", "zhangdaye", "@网格哨 " + REPORT))
    archive.record(archive.text("chat-g1", "liuayi", "5号楼电梯坏了"))  # no @: the archive's
    assert pull(app).skipped == {"robot_hears": 1}
    assert sorted((r.channel, r.sender_id) for r in inbox(svc)) == [("archive", "liuayi"), ("robot", "zhangdaye")]
    # chat-g5 listens to mentions: every line is the robot's
    archive.record(archive.text("chat-g5", "heshu", "楼下垃圾没人清"))
    assert pull(app).skipped == {"robot_hears": 1}
    assert tickets(svc) == 2


def test_a_backlog_is_not_a_flood(app, svc, archive, settings):
    """Limits count the minute a line was sent: 30 lines over 30 minutes by one sender are not throttled."""
    svc.use_settings(settings.with_overrides(flood_per_sender_per_minute=5))
    start = ms() - 3600_000
    for i in range(30):
        archive.record(archive.text("chat-g1", "zhangdaye", f"第{i}条 大家好", sent_ms=start + i * 60_000))
    pull(app)
    with svc.db.session() as s:
        assert s.execute(select(InboxMessage.intent).where(InboxMessage.intent == "throttled")).all() == []
