"""Official Account plain mode signs only token/timestamp/nonce, not the body: in production a
signed triple is good for one body within a 5-minute window, so a captured one cannot carry a forged message."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select
from wechatpy.utils import WeChatSigner

from bot.app import create_app
from bot.local.callback_client import official_callback
from bot.runtime.config import Settings
from models import InboxMessage
from tests.production import production


def _text_xml(sender: str, text: str, msg_id: str) -> str:
    return (f"<xml><ToUserName>gh_demo</ToUserName><FromUserName>{sender}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType><Content>{text}</Content>"
            f"<MsgId>{msg_id}</MsgId></xml>")


def _rows(app) -> int:
    with app.extensions["gridwhistle"].db.session() as s:
        return s.execute(select(func.count()).select_from(InboxMessage)).scalar()


@pytest.fixture
def prod_app(settings, app):
    """Production settings on this test's database and Redis (the `app` fixture cleaned them)."""
    prod = create_app(production(settings))
    yield prod
    prod.extensions["gridwhistle"].db.dispose()


def test_production_defaults_the_replay_window_to_five_minutes():
    assert Settings().signature_window_seconds == 0  # development: recorded vectors still verify
    assert Settings(env="production").signature_window_seconds == 300
    assert Settings(env="production", signature_max_age_seconds=60).signature_window_seconds == 60
    assert Settings.from_env({"SIGNATURE_MAX_AGE_SECONDS": "120"}).signature_window_seconds == 120


def test_a_signed_triple_cannot_carry_a_second_forged_body(prod_app):
    c = prod_app.test_client()
    real = official_callback("RealWechatToken", None, "wxrealapp", _text_xml("openid-real", "你好", "7001"))
    assert c.post("/wechat/callback", query_string=real.params, data=real.body,
                  content_type="text/xml").status_code == 200
    forged = _text_xml("openid-victim", "3号楼下水道堵了", "7002")
    resp = c.post("/wechat/callback", query_string=real.params, data=forged, content_type="text/xml")
    assert resp.status_code == 403
    assert _rows(prod_app) == 1


def test_wechats_own_retry_of_the_same_body_still_gets_its_answer(prod_app):
    c = prod_app.test_client()
    cb = official_callback("RealWechatToken", None, "wxrealapp", _text_xml("openid-real", "你好", "7003"))
    first = c.post("/wechat/callback", query_string=cb.params, data=cb.body, content_type="text/xml")
    again = c.post("/wechat/callback", query_string=cb.params, data=cb.body, content_type="text/xml")
    # The same answer; its CreateTime is the moment of each reply (they may fall in two seconds).
    def without_time(body: bytes) -> bytes:
        return re.sub(rb"<CreateTime>\d+</CreateTime>", b"", body)

    assert first.status_code == again.status_code == 200 and without_time(first.data) == without_time(again.data)
    assert _rows(prod_app) == 1


def test_a_callback_older_than_the_window_is_refused(prod_app):
    ts, nonce = str(int(time.time()) - 301), "old-nonce"
    signer = WeChatSigner()
    signer.add_data("RealWechatToken", ts, nonce)
    resp = prod_app.test_client().post(
        "/wechat/callback", query_string={"signature": signer.signature, "timestamp": ts, "nonce": nonce},
        data=_text_xml("openid-real", "你好", "7004"), content_type="text/xml")
    assert resp.status_code == 403
    assert _rows(prod_app) == 0
