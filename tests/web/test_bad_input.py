"""Bad input gets a clear 4xx or a polite reply, is logged without personal data, never a 500."""
from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from bot.local.callback_client import (
    decrypt_wecom_reply, official_callback, robot_callback, robot_text, wecom_callback, wecom_text_xml,
)
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from models import InboxMessage, Ticket
from tests.chat import ChatDriver

OTHER_KEY = "+4RhRnG+XMwggb55vLWNvNXVa1LN03HVd6RXfb8ZDxc"


def count(svc, model) -> int:
    with svc.db.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def post_robot(client, params, body, content_type="application/json"):
    return client.post("/wecom/robot", query_string=params, data=body, content_type=content_type)


def good_robot(text="你好"):
    return robot_callback(DEMO_TOKEN, DEMO_AES_KEY, robot_text("bad-1", "chat-g1", "zhangdaye", text))


def test_wrong_signature_is_403(client, svc):
    cb = good_robot()
    resp = post_robot(client, {**cb.params, "msg_signature": "f" * 40}, cb.body)
    assert resp.status_code == 403
    assert count(svc, InboxMessage) == 0


def test_wrong_key_is_refused(client, svc):
    cb = robot_callback(DEMO_TOKEN, OTHER_KEY, robot_text("bad-2", "chat-g1", "u", "hi"))
    assert post_robot(client, cb.params, cb.body).status_code in (400, 403)
    assert count(svc, InboxMessage) == 0


def test_wrong_corp_id_is_403_not_500(client, svc):
    xml = wecom_text_xml("ww-someone-else", "zhangdaye", "你好", "777")
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, "ww-someone-else", xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 403


@pytest.mark.parametrize("body, status", [
    ("not json at all", 400),
    ("[1, 2, 3]", 400),
    ('{"encrypt": 42}', 400),
    ('{"encrypt": "@@@not-base64@@@"}', 403),  # signature is checked first
    ("", 400),
])
def test_malformed_robot_bodies(client, body, status):
    cb = good_robot()
    assert post_robot(client, cb.params, body).status_code == status


def test_garbage_ciphertext_with_valid_signature_is_400(client):
    from wechatpy.crypto import _get_signature

    encrypt = "AAAA" * 5  # valid base64, wrong block size
    params = {"timestamp": "1700000000", "nonce": "n1",
              "msg_signature": _get_signature(DEMO_TOKEN, "1700000000", "n1", encrypt)}
    assert post_robot(client, params, json.dumps({"encrypt": encrypt})).status_code == 400


def test_decrypted_payload_that_is_not_a_message_is_400(client):
    cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, {"hello": "world"})
    assert post_robot(client, cb.params, cb.body).status_code == 400


@pytest.mark.parametrize("xml", [
    "<xml><Encrypt>abc</Encrypt>",  # truncated
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>',
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    "<xml><Encrypt>&lol2;</Encrypt></xml>",
    "<notxml><Encrypt>abc</Encrypt></notxml>",
    "<xml><ToUserName>x</ToUserName></xml>",  # no Encrypt
])
def test_hostile_or_broken_xml_is_400(client, xml):
    params = {"msg_signature": "0" * 40, "timestamp": "1700000000", "nonce": "n"}
    resp = client.post("/wecom/callback", query_string=params, data=xml, content_type="text/xml")
    assert resp.status_code == 400


def test_non_utf8_body_is_400(client):
    params = {"msg_signature": "0" * 40, "timestamp": "1700000000", "nonce": "n"}
    resp = client.post("/wecom/callback", query_string=params, data="<xml>中文</xml>".encode("gbk"),
                       content_type="text/xml")
    assert resp.status_code == 400


def test_huge_body_is_413(client, svc):
    cb = good_robot()
    resp = post_robot(client, cb.params, "x" * (svc.settings.max_body_bytes + 1))
    assert resp.status_code == 413


def test_missing_query_parameters_are_400(client):
    assert client.post("/wecom/robot", data="{}", content_type="application/json").status_code == 400
    assert client.get("/wecom/callback").status_code == 400
    assert client.get("/wechat/callback").status_code == 400


def test_image_message_gets_a_polite_text_reply(client, demo):
    xml = wecom_text_xml(DEMO_CORP_ID, "zhangdaye", "", "img-1", msg_type="image")
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200
    plain = decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, resp.data.decode())
    assert "暂时只能处理文字消息" in plain


def test_robot_voice_message_without_a_transcript_is_asked_to_type(client, demo):
    msg = {"msgid": "v1", "chatid": "chat-g1", "chattype": "group", "from": {"userid": "zhangdaye"},
           "msgtype": "voice", "voice": {"content": ""}}
    chat = ChatDriver(client)
    cb = robot_callback(chat.token, chat.aes_key, msg)
    resp = post_robot(client, cb.params, cb.body)
    assert resp.status_code == 200
    from bot.local.callback_client import decrypt_robot_reply

    assert "文字" in decrypt_robot_reply(DEMO_TOKEN, DEMO_AES_KEY, resp.get_json())["stream"]["content"]


def test_event_is_an_empty_answer(client, demo):
    # WeCom's "nothing to say" is an empty 200 body; "success" is the Official Account's convention.
    xml = ("<xml><ToUserName>x</ToUserName><FromUserName>zhangdaye</FromUserName><CreateTime>1700000000"
           "</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1</AgentID></xml>")
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200 and resp.data == b""


def test_official_account_plain_mode_wrong_signature(client):
    cb = official_callback(DEMO_TOKEN, None, "wxgridwhistledemo", "<xml/>")
    resp = client.post("/wechat/callback", query_string={**cb.params, "signature": "0" * 40}, data=cb.body,
                       content_type="text/xml")
    assert resp.status_code == 403


def test_official_account_plain_mode_text(client, demo, svc):
    xml = ("<xml><ToUserName>gh_demo</ToUserName><FromUserName>openid-1</FromUserName><CreateTime>1700000000"
           "</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>9001</MsgId></xml>")
    cb = official_callback(DEMO_TOKEN, None, "wxgridwhistledemo", xml)
    resp = client.post("/wechat/callback", query_string=cb.params, data=cb.body, content_type="text/xml")
    assert resp.status_code == 200
    assert count(svc, InboxMessage) == 1


def test_logs_carry_no_message_text_or_phone(client, demo, caplog):
    caplog.set_level(logging.DEBUG)
    ChatDriver(client).say("chat-g1", "zhangdaye", "我电话13812345678，5号楼2单元501下水道堵了")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "13812345678" not in logged and "下水道堵了" not in logged and "501" not in logged


def test_group_reply_masks_phone_and_door_numbers(client, demo):
    reply = ChatDriver(client).say("chat-g1", "zhangdaye", "我电话13812345678，5号楼2单元501下水道堵了")
    assert "13812345678" not in reply and "501" not in reply


def test_a_failing_handler_keeps_the_message_for_the_worker(client, demo, svc, app, monkeypatch):
    import handlers.loop as loop

    def boom(*a, **k):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(loop.TicketDesk, "open", boom)
    assert ChatDriver(client).say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水冒出来了", msg_id="keep-1") == ""
    with svc.db.session() as s:
        row = s.execute(select(InboxMessage)).scalar_one()
        assert row.status == "failed"
    monkeypatch.undo()
    from bot.intake.inbox import process_inbox

    with app.app_context():
        reply = process_inbox(svc, row.id)
    assert "已登记工单" in reply
    assert count(svc, Ticket) == 1


def test_a_reply_owed_after_a_failed_first_try_is_pushed_to_the_chat(client, demo, svc, app, monkeypatch):
    import handlers.loop as loop

    monkeypatch.setattr(loop.TicketDesk, "open", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    ChatDriver(client).say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水冒出来了", msg_id="owed-1")
    monkeypatch.undo()
    from bot.sweep import sweep_job

    with app.app_context():
        svc.clock.advance(3600)
        sweep_job()
    from models import OutboxItem

    with svc.db.session() as s:
        pushed = s.execute(select(OutboxItem.text).where(OutboxItem.route_target == "chat-g1")).scalars().all()
    assert any("已登记工单" in t for t in pushed)
