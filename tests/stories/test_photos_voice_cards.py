"""Photos, voice, mixed messages and card buttons through the real robot webhook and the worker's jobs.

The fake WeCom API serves each photo AES-encrypted at an expiring URL, exactly as WeCom does; the
test app runs jobs inline after the commit, so a callback's photos are downloaded, decrypted and
stored by the time the test looks.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.delivery.channels import cards
from bot.local.callback_client import (
    robot_card_event, robot_image, robot_mixed, robot_stream_refresh, robot_text, robot_voice,
)
from models import InboxMessage, Photo, Ticket, TicketEvent
from tests import fake_api
from tests.chat import ChatDriver
from tests.media_helpers import image_bytes, msg_id

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

REPORT = "3号楼下水道堵了，污水都冒出来了"


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def photo_url(fake_wechat, data: bytes | None = None, **kw) -> str:
    return fake_wechat.base_url + fake_wechat.state.add_media(data or image_bytes(), **kw)


def photos(svc, **where) -> list[Photo]:
    with svc.db.session() as s:
        rows = s.execute(select(Photo).filter_by(**where).order_by(Photo.id)).scalars().all()
        s.expunge_all()
        return rows


def test_a_mention_is_not_part_of_the_ticket(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", f"@网格哨 {REPORT}")
    assert "已登记工单 #1" in reply
    with svc.db.session() as s:
        assert s.get(Ticket, 1).description == REPORT
        assert s.execute(select(InboxMessage.text)).scalar_one() == REPORT


def test_a_mixed_message_opens_one_ticket_with_its_photos(chat, svc, fake_wechat):
    urls = [photo_url(fake_wechat), photo_url(fake_wechat, image_bytes("PNG"))]
    plain = chat.answer(robot_mixed(msg_id(), "chat-g1", "zhangdaye", f"@网格哨 {REPORT}", urls))
    content = plain["stream"]["content"]
    assert "已登记工单 #1" in content and "已收到 2 张照片" in content
    stored = photos(svc, ticket_id=1)
    assert [(p.state, p.role, p.content_type) for p in stored] == [
        ("stored", "report", "image/jpeg"), ("stored", "report", "image/png")]
    assert svc.photo_store.get(stored[0].storage_key) == image_bytes()  # decrypted: the resident's bytes
    assert svc.photo_store.get(stored[0].thumb_key)[:3] == b"\xff\xd8\xff"
    assert stored[0].source_url == ""  # the signed URL is dropped once the bytes are ours
    # The reply in a grid chat carries the ticket's card for staff.
    assert plain["msgtype"] == "stream_with_template_card"
    assert [b["text"] for b in plain["template_card"]["button_list"]] == ["受理", "上报", "办结"]


def test_a_photo_alone_waits_for_the_words_that_follow(chat, svc, fake_wechat):
    plain = chat.answer(robot_image(msg_id(), "chat-g1", "zhangdaye", photo_url(fake_wechat)))
    assert "已收到 1 张照片，请补充文字说明" in plain["stream"]["content"]
    with svc.db.session() as s:
        assert s.execute(select(Ticket)).first() is None  # a photo alone opens nothing
    assert "已登记工单 #1" in chat.say("chat-g1", "zhangdaye", REPORT)
    assert [p.ticket_id for p in photos(svc)] == [1]
    with svc.db.session() as s:
        notes = s.execute(select(TicketEvent.note).where(TicketEvent.action == "photo")).scalars().all()
    assert notes == ["附反映照片 1 张"]


def test_a_photo_of_someone_else_is_not_attached(chat, svc, fake_wechat):
    chat.answer(robot_image(msg_id(), "chat-g1", "liuayi", photo_url(fake_wechat)))
    chat.say("chat-g1", "zhangdaye", REPORT)
    assert [p.ticket_id for p in photos(svc)] == [None]


def test_a_photo_older_than_the_window_is_not_attached(chat, svc, fake_wechat, app):
    chat.answer(robot_image(msg_id(), "chat-g1", "zhangdaye", photo_url(fake_wechat)))
    svc.clock.advance((svc.settings.photo_window_minutes + 1) * 60)
    chat.say("chat-g1", "zhangdaye", REPORT)
    assert [p.ticket_id for p in photos(svc)] == [None]


def test_staff_resolve_with_a_photo_stores_the_resolution_photo(chat, svc, fake_wechat):
    chat.say("chat-g1", "zhangdaye", REPORT)
    plain = chat.answer(robot_mixed(msg_id(), "chat-g1", "wangfang", "办结 #1 已疏通", [photo_url(fake_wechat)]))
    assert "工单 #1 已办结：已疏通" in plain["stream"]["content"] and "已收到 1 张照片" in plain["stream"]["content"]
    assert [(p.ticket_id, p.role) for p in photos(svc)] == [(1, "resolution")]
    # In the ticket's own chat a resolved ticket's card asks the resident to rate.
    assert [b["text"] for b in plain["template_card"]["button_list"]] == ["满意", "基本满意", "不满意"]


def test_voice_transcript_is_read_as_text_and_marked(chat, svc):
    plain = chat.answer(robot_voice(msg_id(), "chat-g1", "zhangdaye", f"@网格哨 {REPORT}"))
    assert "已登记工单 #1" in plain["stream"]["content"]
    with svc.db.session() as s:
        row = s.execute(select(InboxMessage)).scalar_one()
        assert (row.msg_type, row.text, '"via": "voice"' in row.extras) == ("text", REPORT, True)


def test_an_empty_transcript_is_asked_to_type(chat):
    assert "打字" in chat.answer(robot_voice(msg_id(), "chat-g1", "zhangdaye", ""))["stream"]["content"]


def press(chat, plain: dict, user: str, text: str, chat_id: str = "chat-g1", selected=None) -> dict:
    card = plain["template_card"]
    key = next(b["key"] for b in card["button_list"] if b["text"] == text)
    return chat.answer(robot_card_event(msg_id(), chat_id, user, card["task_id"], key, selected))


def test_the_leader_presses_accept_and_everyone_sees_the_new_card(chat, svc):
    opened = chat.answer(robot_text(msg_id(), "chat-g1", "zhangdaye", REPORT))
    answer = press(chat, opened, "wangfang", "受理")
    assert answer["response_type"] == "update_template_card" and "userids" not in answer
    card = answer["template_card"]
    assert card["task_id"] == opened["template_card"]["task_id"]
    assert card["main_title"]["desc"] == "状态：已受理" and "已由" in card["sub_title_text"]
    assert [b["text"] for b in card["button_list"]] == ["上报", "办结"]
    with svc.db.session() as s:
        assert s.get(Ticket, 1).state == "accepted"


def test_a_resident_pressing_accept_is_refused_and_only_their_card_says_so(chat, svc):
    opened = chat.answer(robot_text(msg_id(), "chat-g1", "zhangdaye", REPORT))
    answer = press(chat, opened, "liuayi", "受理")
    assert answer["userids"] == ["liuayi"]
    assert "没有权限" in answer["template_card"]["sub_title_text"]
    with svc.db.session() as s:
        assert s.get(Ticket, 1).state == "new"


def test_a_press_on_a_card_drawn_before_the_ticket_moved_on_changes_nothing(chat, svc):
    opened = chat.answer(robot_text(msg_id(), "chat-g1", "zhangdaye", REPORT))
    chat.say("chat-g1", "wangfang", "受理 #1")  # typed commands keep working
    answer = press(chat, opened, "wangfang", "办结")
    assert answer["userids"] == ["wangfang"]
    assert "已有新进展（当前：已受理）" in answer["template_card"]["sub_title_text"]
    assert [b["text"] for b in answer["template_card"]["button_list"]] == ["上报", "办结"]  # the fresh card
    with svc.db.session() as s:
        assert s.get(Ticket, 1).state == "accepted"


def test_a_forged_event_key_runs_nothing(chat, svc):
    chat.say("chat-g1", "zhangdaye", REPORT)
    forged = f"accept.1.1.{'0' * 16}"
    answer = chat.answer(robot_card_event(msg_id(), "chat-g1", "liuayi", "gw-t1-x", forged))
    assert answer["userids"] == ["liuayi"] and "按钮无效" in answer["template_card"]["main_title"]["title"]
    with svc.db.session() as s:
        assert s.get(Ticket, 1).state == "new"
        assert s.execute(select(InboxMessage).where(InboxMessage.text.like("受理%"))).first() is None


def test_dispatch_from_a_work_chat_uses_the_selected_department(chat, svc):
    chat.say("chat-g1", "zhangdaye", REPORT)
    chat.say("chat-g1", "wangfang", "上报 #1")
    plain = chat.answer(robot_text(msg_id(), "chat-c1", "huangshuji", "进度 #1"))
    card = plain["template_card"]
    assert [b["text"] for b in card["button_list"]] == ["报到", "办结", "上报", "派单"]
    assert {"id": "water", "text": "区水务局"} in card["button_selection"]["option_list"]
    answer = press(chat, plain, "huangshuji", "派单", "chat-c1", {cards.DEPARTMENT_QUESTION: "water"})
    assert "区水务局" in answer["template_card"]["sub_title_text"]
    with svc.db.session() as s:
        assert s.get(Ticket, 1).department.code == "water"


def test_residents_rate_with_the_rating_buttons(chat, svc):
    chat.say("chat-g1", "zhangdaye", REPORT)
    resolved = chat.answer(robot_text(msg_id(), "chat-g1", "wangfang", "办结 #1 已疏通"))
    answer = press(chat, resolved, "zhangdaye", "满意")
    assert "评价为「满意」" in answer["template_card"]["sub_title_text"]
    with svc.db.session() as s:
        assert (s.get(Ticket, 1).state, s.get(Ticket, 1).satisfaction) == ("closed", "满意")


def test_a_stream_refresh_gets_the_same_content_and_an_unknown_one_finishes_empty(chat):
    opened = chat.answer(robot_text(msg_id(), "chat-g1", "zhangdaye", REPORT))
    stream_id = opened["stream"]["id"]
    again = chat.answer(robot_stream_refresh(msg_id(), "chat-g1", "zhangdaye", stream_id))
    assert again == {"msgtype": "stream", "stream": {"id": stream_id, "finish": True,
                                                     "content": opened["stream"]["content"]}}
    unknown = chat.answer(robot_stream_refresh(msg_id(), "chat-g1", "zhangdaye", "nope"))
    assert unknown["stream"] == {"id": "nope", "finish": True, "content": ""}
