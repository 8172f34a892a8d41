"""Values a probe sends to make the webhook stumble: each gets a clear 4xx or a sanitised value, never a 500."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import select
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from bot.local.callback_client import official_callback, robot_text, wecom_callback
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from models import InboxMessage


def _xml(create_time: str, msg_id: str = "odd-1") -> str:
    return ("<xml><ToUserName>x</ToUserName><FromUserName>zhangdaye</FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType>text</MsgType><Content>你好</Content>"
            f"<MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


@pytest.mark.parametrize("create_time", ["99999999999999999999", "²", "１７００００００００", "-5", "1e9"])
def test_absurd_create_time_is_400_on_every_xml_callback(client, demo, create_time):
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, _xml(create_time))
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 400 and b"CreateTime" in resp.data
    cb = official_callback(DEMO_TOKEN, None, "wxgridwhistledemo", _xml(create_time))
    resp = client.post("/wechat/callback", query_string=cb.params, data=cb.body, content_type="text/xml")
    assert resp.status_code == 400 and b"CreateTime" in resp.data


@pytest.mark.parametrize("timestamp", ["²", "99999999999999999999", "１７００００００００", "", "12a"])
@pytest.mark.parametrize("window", [0, 300])
def test_absurd_query_timestamp_is_400(app, window, timestamp):
    app.config["SETTINGS"] = app.config["SETTINGS"].with_overrides(signature_max_age_seconds=window)
    client = app.test_client()
    params = {"msg_signature": "0" * 40, "timestamp": timestamp, "nonce": "n", "echostr": "x"}
    assert client.get("/wecom/robot", query_string=params).status_code == 400
    params = {"signature": "0" * 40, "timestamp": timestamp, "nonce": "n", "echostr": "x"}
    assert client.get("/wechat/callback", query_string=params).status_code == 400


def _post_robot_ascii_json(client, message: dict):
    """As a probe sends it: the JSON escapes the lone surrogate ("\\ud800"), so it encrypts fine."""
    ts, nonce = str(int(time.time())), "probe1"
    encrypt = PrpCrypto(WeChatCrypto(DEMO_TOKEN, DEMO_AES_KEY, "").key).encrypt(json.dumps(message), "").decode()
    params = {"msg_signature": _get_signature(DEMO_TOKEN, ts, nonce, encrypt), "timestamp": ts, "nonce": nonce}
    return client.post("/wecom/robot", query_string=params, data=json.dumps({"encrypt": encrypt}),
                       content_type="application/json")


@pytest.mark.parametrize("text, stored", [
    ("\ud800", "\ufffd"),
    ("3号楼下水道\udfff堵了", "3号楼下水道\ufffd堵了"),
    ("\udbff\ud800", "\ufffd\ufffd"),  # two highs are not a pair
    ("好\ud83d\ude00", "好\U0001f600"),  # a real pair is one emoji, kept
])
def test_lone_surrogate_in_robot_text_is_stored_sanitised(client, demo, svc, text, stored):
    resp = _post_robot_ascii_json(client, robot_text("sur-1", "chat-g1", "zhangdaye", text))
    assert resp.status_code == 200
    with svc.db.session() as s:
        assert s.execute(select(InboxMessage.text)).scalar_one() == stored


def test_lone_surrogate_in_a_quote_or_identifier_is_sanitised(client, demo, svc):
    message = robot_text("sur-\ud800", "chat-g1", "zhangdaye", "+1", quote_text="工单 #1\udc00")
    assert _post_robot_ascii_json(client, message).status_code == 200
    with svc.db.session() as s:
        row = s.execute(select(InboxMessage)).scalar_one()
    assert row.msg_id == "sur-\ufffd" and row.quote_text == "工单 #1\ufffd"
