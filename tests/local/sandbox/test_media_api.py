"""The sandbox as WeCom: listening modes, photos, voice, card buttons in chats and in direct messages."""
from __future__ import annotations

import base64

from sqlalchemy import select

from models import InboxMessage, Photo, Ticket
from tests.media_helpers import image_bytes

REPORT = "3号楼下水道堵了，污水都冒出来了"


def data_url(fmt: str = "JPEG") -> str:
    return f"data:image/{fmt.lower()};base64,{base64.b64encode(image_bytes(fmt)).decode()}"


def post(api, chat_id: str, sender: str, **body):
    return api.http.post(f"{api.base}/chats/{chat_id}/messages", json={"sender": sender, **body}, timeout=30)


def press(api, chat_id: str, sender: str, message: dict, text: str, selected=None):
    card = message["card_for"].get(sender) or message["card"]
    key = next(b["key"] for b in card["button_list"] if b["text"] == text)
    return api.http.post(f"{api.base}/chats/{chat_id}/cards", timeout=30,
                         json={"sender": sender, "message": message["id"], "key": key, "selected": selected})


def test_each_chat_says_how_it_listens(api):
    chats = {c["chat_id"]: c for c in api.chats()["chats"]}
    assert [chats[f"chat-g{n}"]["listening"] for n in range(1, 6)] == ["all"] * 4 + ["mentions"]
    assert {m["user_id"] for m in chats["chat-g5"]["members"]} == {"luoling", "heshu", "jiangnan"}


def test_a_mentions_chat_delivers_only_lines_that_at_the_bot(api, live):
    quiet = post(api, "chat-g5", "heshu", text=REPORT).json()
    assert quiet["delivered"] is False and quiet["reply"] is None
    heard = post(api, "chat-g5", "heshu", text=f"@网格哨 {REPORT}").json()
    assert heard["delivered"] is True and "已登记工单 #1" in heard["reply"]["text"]
    with live[1].extensions["gridwhistle"].db.session() as s:
        assert s.execute(select(InboxMessage.text)).scalars().all() == [REPORT]  # one message, no mention
        assert s.get(Ticket, 1).grid.name == "光明第二网格"
    assert [m["delivered"] for m in api.messages("chat-g5")[:2]] == [False, True]


def test_a_push_to_a_mentions_chat_arrives_through_its_robot(api):
    card = post(api, "chat-g5", "heshu", text=f"@网格哨 {REPORT}").json()["reply"]
    accepted = press(api, "chat-g5", "luoling", card, "受理").json()
    assert "已由" in accepted["update"]["template_card"]["sub_title_text"]
    post(api, "chat-g5", "luoling", text="@网格哨 办结 #1 已疏通")
    assert any("已办结" in m["text"] for m in api.direct("heshu"))


def test_a_photo_with_words_opens_a_ticket_with_the_photo(api, live):
    answer = post(api, "chat-g1", "zhangdaye", text=REPORT, photos=[data_url(), data_url("PNG")]).json()
    assert "已收到 2 张照片" in answer["reply"]["text"] and len(answer["message"]["photos"]) == 2
    with live[1].extensions["gridwhistle"].db.session() as s:
        assert [(p.ticket_id, p.state) for p in s.execute(select(Photo)).scalars()] == [(1, "stored")] * 2


def test_voice_in_an_archive_chat_is_kept_as_a_voice_note_without_words(api, live):
    """The archive keeps a voice message's audio only (no transcript): stored, not answered."""
    answer = post(api, "chat-g1", "zhangdaye", text=REPORT, voice=True).json()
    assert answer["message"]["via"] == "voice" and answer["reply"] is None and answer["via"] == "archive"
    with live[1].extensions["gridwhistle"].db.session() as s:
        assert [(m.channel, m.msg_type) for m in s.execute(select(InboxMessage)).scalars()] == [("archive", "voice")]
    assert post(api, "chat-g5", "heshu", text=f"@网格哨 {REPORT}", voice=True).json()["delivered"] is False


def test_bad_photos_are_refused_with_a_reason(api):
    for photos in (["data:text/html;base64,PGI+"], [data_url()] * 10, "nope"):
        resp = post(api, "chat-g1", "zhangdaye", text=REPORT, photos=photos)
        assert resp.status_code == 400 and "照片" in resp.json()["error"]


def test_card_buttons_work_and_a_refusal_is_only_the_pressers(api):
    # Buttons come with the robot's passive reply (a mentions chat); archive chats get pushed text.
    card_msg = post(api, "chat-g5", "heshu", text=f"@网格哨 {REPORT}").json()["reply"]
    assert [b["text"] for b in card_msg["card"]["button_list"]] == ["受理", "上报", "办结"]
    refused = press(api, "chat-g5", "jiangnan", card_msg, "受理").json()
    assert refused["update"]["userids"] == ["jiangnan"]
    stored = next(m for m in api.messages("chat-g5") if m["id"] == card_msg["id"])
    assert "没有权限" in stored["card_for"]["jiangnan"]["sub_title_text"]
    assert stored["card"] == card_msg["card"]  # the leader still sees the buttons
    accepted = press(api, "chat-g5", "luoling", stored, "受理").json()
    assert accepted["message"]["card"]["main_title"]["desc"] == "状态：已受理" and accepted["message"]["card_for"] == {}


def test_a_button_that_is_not_on_the_card_is_refused(api):
    card_msg = post(api, "chat-g5", "heshu", text=f"@网格哨 {REPORT}").json()["reply"]
    resp = api.http.post(f"{api.base}/chats/chat-g5/cards", timeout=30, json={
        "sender": "luoling", "message": card_msg["id"], "key": "accept.1.1.0000000000000000"})
    assert resp.status_code == 400


def test_the_resident_rates_with_the_direct_message_buttons(api, live):
    post(api, "chat-g1", "zhangdaye", text=REPORT)
    post(api, "chat-g1", "wangfang", text="办结 #1 已疏通")
    asked = [m for m in api.direct("zhangdaye") if m["card"]][-1]
    key = next(b["key"] for b in asked["card"]["button_list"] if b["text"] == "满意")
    done = api.http.post(f"{api.base}/users/zhangdaye/cards", json={"message": asked["id"], "key": key}, timeout=30)
    assert done.status_code == 200 and "满意" in done.json()["message"]["card_done"]
    with live[1].extensions["gridwhistle"].db.session() as s:
        assert s.get(Ticket, 1).satisfaction == "满意"
    again = api.http.post(f"{api.base}/users/zhangdaye/cards", json={"message": asked["id"], "key": key}, timeout=30)
    assert again.status_code == 400  # a pressed card has no buttons left


def dm(api, user_id: str, **body):
    return api.http.post(f"{api.base}/users/{user_id}/messages", json=body, timeout=30)


def test_a_photo_sent_to_the_app_one_to_one_is_fetched_by_media_id_and_joins_the_report(api, live):
    asked = dm(api, "zhangdaye", photos=[data_url("PNG")])
    assert asked.status_code == 201, asked.text
    assert "已收到 1 张照片，请补充文字说明" in asked.json()["reply"]["text"]
    assert len(asked.json()["message"]["photos"]) == 1  # the transcript shows the photo
    opened = dm(api, "zhangdaye", text=REPORT, photos=[data_url()]).json()
    # The photo went first, as its own image message, then the words: the report takes both photos.
    assert "已登记工单 #1" in opened["reply"]["text"]
    assert [r["text"][:8] for r in opened["replies"]] == ["已收到 1 张照", "已登记工单 #1"]
    svc = live[1].extensions["gridwhistle"]
    with svc.db.session() as s:
        kept = [(p.sender_channel, p.chat_external_id, p.ticket_id, p.state)
                for p in s.execute(select(Photo).order_by(Photo.id)).scalars()]
        channels = s.execute(select(InboxMessage.channel, InboxMessage.msg_type).order_by(InboxMessage.id)).all()
    assert kept == [("wecom", None, 1, "stored")] * 2
    assert [tuple(c) for c in channels] == [("wecom", "image"), ("wecom", "image"), ("wecom", "text")]
    sandbox = live[1].extensions["sandbox"]
    with sandbox.fake.state.lock:
        paths = dict(sandbox.fake.state.calls)
    assert paths.get("/cgi-bin/media/get") == 2
    assert not any(p.startswith("/wework-pic/") for p in paths)  # PicUrl is never fetched


def test_a_direct_message_needs_words_or_photos(api):
    assert dm(api, "zhangdaye").status_code == 400
    assert dm(api, "zhangdaye", photos=["data:text/plain;base64,aGk="]).status_code == 400
