"""Tencent's official test vectors through the real webhooks (WECHAT-PROTOCOL.md)."""
from __future__ import annotations

import pytest

from handlers import texts

WECOM = dict(token="QDG6eK", aes_key="jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", corp_id="wx5823bf96d3bd56c7")
WECOM_HELLO = (
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo"
    "+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wi"
    "SpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZ"
    "xZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k"
    "22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS"
    "8R07+qN+E7Q==]]></Encrypt></xml>"
)
OA = dict(token="spamtest", aes_key="abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", app_id="wx2c2769f8efd9abc2")
OA_BODY = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53R"
    "EIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE32"
    "8HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWw"
    "MrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6Oewpusj"
    "Z4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
)


def _content(reply: bytes) -> str:
    import re

    from bot.local.callback_client import decrypt_wecom_reply

    plain = decrypt_wecom_reply(WECOM["token"], WECOM["aes_key"], WECOM["corp_id"], reply.decode())
    return re.search(r"<Content><!\[CDATA\[(.*)\]\]></Content>", plain, re.S).group(1)


@pytest.fixture
def wecom_app(settings):
    from bot.app import create_app

    return create_app(settings.with_overrides(
        wecom_token=WECOM["token"], wecom_aes_key=WECOM["aes_key"], wecom_corp_id=WECOM["corp_id"],
        wechat_token=OA["token"], wechat_aes_key=OA["aes_key"], wechat_app_id=OA["app_id"],
    ), start_jobs=False)


@pytest.fixture
def vclient(app, wecom_app):  # `app` cleans the database; wecom_app shares it
    return wecom_app.test_client()


def test_wecom_url_check_answers_the_plaintext_alone(vclient):
    resp = vclient.get("/wecom/callback", query_string={
        "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589",
        "nonce": "263014780",
        "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    })
    assert resp.status_code == 200
    assert resp.data == b"1616140317555161061"


def test_wecom_url_check_with_wrong_signature_is_403(vclient):
    resp = vclient.get("/wecom/callback", query_string={
        "msg_signature": "0" * 40, "timestamp": "1409659589", "nonce": "263014780",
        "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    })
    assert resp.status_code == 403


def test_wecom_hello_vector_is_stored_once(vclient, wecom_app):
    from sqlalchemy import select

    from models import InboxMessage

    params = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813",
              "nonce": "1372623149"}
    first = vclient.post("/wecom/callback", query_string=params, data=WECOM_HELLO, content_type="text/xml")
    again = vclient.post("/wecom/callback", query_string=params, data=WECOM_HELLO, content_type="text/xml")
    assert first.status_code == again.status_code == 200
    # A retry gets the same answer, not a second one. "hello" one-to-one is a greeting, answered with
    # the welcome; each passive reply is encrypted afresh, so the plaintexts are compared.
    assert _content(first.data) == _content(again.data) == texts.WELCOME
    with wecom_app.extensions["gridwhistle"].db.session() as s:
        rows = s.execute(select(InboxMessage)).scalars().all()
    assert [(r.channel, r.msg_id, r.sender_id, r.text, r.status) for r in rows] == [
        ("wecom", "4561255354251345929", "mycreate", "hello", "processed")
    ]
    assert "<AgentID>218</AgentID>" in rows[0].raw


def test_official_account_safe_mode_vector(vclient, wecom_app):
    from sqlalchemy import select

    from models import InboxMessage

    params = {"signature": "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a", "timestamp": "1409735669",
              "nonce": "1320562132", "encrypt_type": "aes", "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa"}
    resp = vclient.post("/wechat/callback", query_string=params, data=OA_BODY, content_type="text/xml")
    assert resp.status_code == 200
    with wecom_app.extensions["gridwhistle"].db.session() as s:
        row = s.execute(select(InboxMessage)).scalar_one()
    assert (row.channel, row.sender_id, row.text, row.msg_id) == (
        "wechat", "oyORnuP8q7ou2gfYjqLzSIWZf0rs", "abcdteT", "6054768590064713728")


def test_official_account_url_check_echoes(vclient):
    resp = vclient.get("/wechat/callback", query_string={
        "signature": "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a", "timestamp": "1409735669",
        "nonce": "1320562132", "echostr": "hello-echo"})
    assert resp.status_code == 200 and resp.data == b"hello-echo"


def test_timestamp_window_refuses_old_vectors_when_configured(settings, app):
    from bot.app import create_app

    strict = create_app(settings.with_overrides(
        wecom_token=WECOM["token"], wecom_aes_key=WECOM["aes_key"], wecom_corp_id=WECOM["corp_id"],
        signature_max_age_seconds=300), start_jobs=False)
    resp = strict.test_client().post("/wecom/callback", query_string={
        "msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813",
        "nonce": "1372623149"}, data=WECOM_HELLO, content_type="text/xml")
    assert resp.status_code == 403


def test_robot_url_check_decrypts_echostr_with_empty_receive_id(client):
    from wechatpy.crypto import _get_signature
    from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

    from bot.runtime.config import DEMO_AES_KEY, DEMO_TOKEN

    key = WeChatCrypto(DEMO_TOKEN, DEMO_AES_KEY, "").key
    echostr = PrpCrypto(key).encrypt("8226445651294710", "").decode()
    params = {"timestamp": "1700000000", "nonce": "n1", "echostr": echostr,
              "msg_signature": _get_signature(DEMO_TOKEN, "1700000000", "n1", echostr)}
    resp = client.get("/wecom/robot", query_string=params)
    assert resp.status_code == 200 and resp.data == b"8226445651294710"
    assert client.get("/wecom/robot", query_string={**params, "msg_signature": "0" * 40}).status_code == 403
