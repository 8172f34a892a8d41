"""Recorded, real-shaped robot payloads (tests/fixtures/robot/*.json, as WeCom's docs and real
callbacks show them) read by the door into what the handlers see."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.delivery.channels import cards
from bot.web.common import BadRequest
from bot.web.robot_messages import ParseSettings, parse_callback, strip_mentions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "robot"
PS = ParseSettings("test-secret", ("网格哨",))


def load(name: str, **replace) -> dict:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return json.loads(text)


def parse(body: dict):
    return parse_callback(body, json.dumps(body, ensure_ascii=False), PS)


def test_text_loses_the_mention_and_keeps_the_quote():
    msg = parse(load("text.json")).message
    assert (msg.msg_type, msg.text, msg.chat_id) == ("text", "3号楼下水道堵了，污水都冒出来了", "wrkSFfCgAAxxxx-example")
    assert msg.quote_text == "已登记工单 #12（下水排水）" and msg.response_url.startswith("https://qyapi.weixin.qq.com/")


def test_an_image_is_a_photo_to_download():
    msg = parse(load("image.json")).message
    assert msg.msg_type == "image" and msg.text == "" and msg.chat_id is None
    assert msg.photo_urls[0].startswith("https://ww-aibot-img-1258476243.cos.ap-guangzhou.myqcloud.com/")


def test_mixed_is_one_message_of_text_and_photos():
    msg = parse(load("mixed.json")).message
    assert (msg.msg_type, msg.text, msg.via, len(msg.photo_urls)) == ("text", "路灯坏了一个星期了", "mixed", 2)


def test_voice_is_its_transcript_marked_as_voice():
    msg = parse(load("voice.json")).message
    assert (msg.msg_type, msg.text, msg.via) == ("text", "小区门口的垃圾三天没人清了", "voice")


def test_file_and_enter_chat_stay_what_they_are():
    assert parse(load("file.json")).message.msg_type == "file"
    assert parse(load("event_enter_chat.json")).message.msg_type == "event"


def test_a_card_press_with_our_key_is_the_typed_command():
    key = cards.sign_key("test-secret", "dispatch", 12, 3)
    found = parse(load("template_card_event.json", EVENT_KEY=key))
    assert found.kind == "click" and found.click.task_id == "gw-t12-3f2a9c1b7d4e"
    assert (found.message.text, found.message.via, found.message.sender_id) == ("派 water #12", "card", "wangfang")


def test_a_card_press_with_a_foreign_key_names_no_action():
    found = parse(load("template_card_event.json"))  # "EVENT_KEY": never signed by us
    assert found.kind == "click" and found.click.key is None and found.message is None


def test_a_stream_refresh_names_only_its_stream():
    found = parse(load("stream_refresh.json"))
    assert (found.kind, found.stream_id, found.message) == ("refresh", "STREAMID", None)
    with pytest.raises(BadRequest):
        parse({"msgtype": "stream", "stream": {}})


@pytest.mark.parametrize("text,expected", [
    ("@网格哨 路灯坏了", "路灯坏了"),
    ("@网格哨\u2005路灯坏了", "路灯坏了"),  # WeCom's four-per-em space after a mention
    ("@网格哨 @网格哨 路灯坏了", "路灯坏了"),
    ("＠网格哨 路灯坏了", "路灯坏了"),
    ("@王芳 路灯坏了", "@王芳 路灯坏了"),  # a person's mention is part of what was said
    ("路灯坏了 @网格哨", "路灯坏了 @网格哨"),  # only leading mentions
    ("@网格哨哨 路灯坏了", "@网格哨哨 路灯坏了"),  # another name that starts the same
])
def test_only_leading_mentions_of_the_bot_are_stripped(text, expected):
    assert strip_mentions(text, ("网格哨",)) == expected


def test_a_bare_mention_asks_for_the_help():
    body = load("text.json")
    body["text"]["content"] = "@网格哨 "
    msg = parse(body).message
    assert (msg.text, msg.via) == ("帮助", "mention")
