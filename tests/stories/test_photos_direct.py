"""Photos sent one-to-one to the Official Account or the WeCom app, through the real callbacks and worker.

The callbacks are signed and encrypted as Tencent sends them (the Official Account in safe mode, the
app's AES XML); each carries a MediaId (and a PicUrl that must never be fetched). The fake API serves
the photo at media/get by that id to the right app's token, with the real errcode answers. The test
app runs jobs inline after the commit, so the download has happened when the callback returns.
"""
from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select
from wechatpy.crypto import WeChatCrypto as OACrypto

from bot.intake import photos as worker
from bot.local.callback_client import (
    decrypt_wecom_reply, image_xml, official_callback, wecom_callback, wecom_text_xml,
)
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from bot.web.common import parse_flat_xml
from handlers import texts
from models import InboxMessage, Photo, Ticket
from tests import fake_api
from tests.chat import ChatDriver
from tests.media_helpers import image_bytes

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

OA_APP_ID = "wxgridwhistledemo"
OPENID = "oJ-granny-photo-0001"
REPORT = "3号楼下水道堵了，污水都冒出来了"
MEDIA_GET = "/cgi-bin/media/get"
TRAP = "/mmbiz_jpg/picurl-must-not-be-fetched"
ASK_FOR_WORDS = "已收到 1 张照片，请补充文字说明"

_ids = iter(range(7_100_000_000, 7_200_000_000))


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


# -- the two doors, as Tencent calls them -------------------------------------------------------------
def oa_callback(xml: str):
    return official_callback(DEMO_TOKEN, DEMO_AES_KEY, OA_APP_ID, xml)  # safe mode: AES + msg_signature


def oa_post(client, cb) -> str:
    """Post an Official Account callback; the bot's passive reply, decrypted ("" for none)."""
    resp = client.post("/wechat/callback", query_string=cb.params, data=cb.body, content_type="text/xml")
    assert resp.status_code == 200, resp.data
    body = resp.get_data(as_text=True)
    if body == "success":
        return ""
    envelope = parse_flat_xml(body)
    plain = OACrypto(DEMO_TOKEN, DEMO_AES_KEY, OA_APP_ID).decrypt_message(
        body, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    return parse_flat_xml(plain).get("Content", "")


def oa_image(client, fake_wechat, media_id: str, openid: str = OPENID) -> str:
    xml = image_xml("gh_demo", openid, media_id, str(next(_ids)), pic_url=fake_wechat.base_url + TRAP)
    return oa_post(client, oa_callback(xml))


def oa_text(client, text: str, openid: str = OPENID) -> str:
    xml = (f"<xml><ToUserName><![CDATA[gh_demo]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
           f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           f"<Content><![CDATA[{text}]]></Content><MsgId>{next(_ids)}</MsgId></xml>")
    return oa_post(client, oa_callback(xml))


def app_post(client, xml: str) -> str:
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200, resp.data
    body = resp.get_data(as_text=True)
    if not body:
        return ""
    return parse_flat_xml(decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, body)).get("Content", "")


def app_image(client, fake_wechat, user: str, media_id: str) -> str:
    xml = image_xml(DEMO_CORP_ID, user, media_id, str(next(_ids)), pic_url=fake_wechat.base_url + TRAP,
                    agent_id=1000002)
    return app_post(client, xml)


# -- what to look at -----------------------------------------------------------------------------------
def photos(svc, **where) -> list[Photo]:
    with svc.db.session() as s:
        rows = s.execute(select(Photo).filter_by(**where).order_by(Photo.id)).scalars().all()
        s.expunge_all()
        return rows


def calls(fake_wechat, path: str) -> int:
    with fake_wechat.state.lock:
        return fake_wechat.state.calls[path]


def bot_log(caplog) -> str:
    """Everything the bot's own loggers wrote (the fake server's request log is not the bot's)."""
    return "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records if r.name.startswith("bot"))


def issued_tokens(fake_wechat) -> list[str]:
    with fake_wechat.state.lock:
        return list(fake_wechat.state._tokens)


def oa_media(fake_wechat, data: bytes | None = None) -> str:
    return fake_wechat.state.add_temp_media(data or image_bytes(), kind="oa")


# -- the stories -----------------------------------------------------------------------------------------
def test_an_oa_photo_then_the_words_open_a_ticket_with_the_photo_stored(chat, client, svc, fake_wechat):
    sent = image_bytes("PNG", color="#c33")
    assert ASK_FOR_WORDS in oa_image(client, fake_wechat, oa_media(fake_wechat, sent))
    with svc.db.session() as s:
        assert s.execute(select(Ticket)).first() is None  # a photo alone opens nothing
    waiting = photos(svc)
    assert [(p.sender_channel, p.sender_id, p.state, p.ticket_id) for p in waiting] == [
        ("wechat", OPENID, "stored", None)]

    reply = oa_text(client, REPORT)
    assert "已登记工单 #1" in reply
    stored = photos(svc, ticket_id=1)
    assert [(p.state, p.role, p.content_type) for p in stored] == [("stored", "report", "image/png")]
    assert svc.photo_store.get(stored[0].storage_key) == sent  # the resident's bytes, as sent
    assert svc.photo_store.get(stored[0].thumb_key)[:3] == b"\xff\xd8\xff"
    assert stored[0].source_url == ""  # the media id is of no use once the bytes are ours
    assert calls(fake_wechat, MEDIA_GET) == 1
    assert calls(fake_wechat, TRAP) == 0  # PicUrl, on a host we do not choose, is never fetched


def test_a_wecom_app_photo_alone_waits_for_the_words_and_a_later_report_takes_it(chat, client, svc, fake_wechat):
    media_id = fake_wechat.state.add_temp_media(image_bytes(), kind="wecom")
    assert ASK_FOR_WORDS in app_image(client, fake_wechat, "zhangdaye", media_id)
    with svc.db.session() as s:
        assert s.execute(select(Ticket)).first() is None
        row = s.execute(select(InboxMessage)).scalar_one()
        assert (row.channel, row.msg_type, row.intent) == ("wecom", "image", "photo")
    assert [(p.sender_channel, p.state, p.ticket_id, p.chat_external_id) for p in photos(svc)] == [
        ("wecom", "stored", None, None)]
    # The same member reports in the grid chat: the photo sent privately goes with the report.
    assert "已登记工单 #1" in chat.say("chat-g1", "zhangdaye", REPORT)
    assert [(p.ticket_id, p.role) for p in photos(svc)] == [(1, "report")]


def test_the_app_and_the_oa_tokens_each_fetch_only_their_own_apps_media(chat, client, svc, fake_wechat):
    # An Official Account media id asked for with the app's token is refused (40007), like Tencent does.
    app_image(client, fake_wechat, "zhangdaye", oa_media(fake_wechat))
    assert [(p.state, p.last_error[:10]) for p in photos(svc)] == [("failed", "media_gone")]


def test_an_invalid_media_id_tells_the_sender_directly_and_nothing_else_breaks(chat, client, svc, fake_wechat):
    fake_wechat.state.open_window(OPENID)  # they just wrote: the customer-service window is open
    media_id = oa_media(fake_wechat)
    fake_wechat.state.expire_temp_media()  # past its three days: media/get answers 40007
    oa_image(client, fake_wechat, media_id)
    photo = photos(svc)[0]
    assert (photo.state, photo.attempts, photo.source_url) == ("failed", 1, "")
    assert photo.last_error.startswith("media_gone") and "40007" in photo.last_error
    told = fake_wechat.state.messages_for(target=OPENID, route="oa_custom")
    assert [m.text for m in told] == [worker.FAILED_TEXT.format(reason=worker.REASONS["media_gone"])]
    assert calls(fake_wechat, MEDIA_GET) == 1  # not retried: no retry brings an expired id back

    # The resident carries on: the report opens its ticket, without the lost photo.
    assert "已登记工单 #1" in oa_text(client, REPORT)
    assert [(p.state, p.ticket_id) for p in photos(svc)] == [("failed", None)]
    assert svc_sweep_leaves_it(svc, fake_wechat)


def svc_sweep_leaves_it(svc, fake_wechat) -> bool:
    """A failed photo is never swept up again."""
    before = calls(fake_wechat, MEDIA_GET)
    svc.clock.advance(3600)
    worker.sweep_photos(svc, svc.clock.now())
    return calls(fake_wechat, MEDIA_GET) == before


def test_an_expired_token_is_refreshed_once_and_the_photo_kept(chat, client, svc, fake_wechat, caplog):
    oa_image(client, fake_wechat, oa_media(fake_wechat))  # the first token
    assert fake_wechat.state.token_fetches["oa"] == 1
    fake_wechat.state.expire_tokens()  # Tencent now answers 42001 to it
    caplog.set_level(logging.DEBUG, logger="bot")
    oa_image(client, fake_wechat, oa_media(fake_wechat))
    assert [p.state for p in photos(svc)] == ["stored", "stored"]
    assert fake_wechat.state.token_fetches["oa"] == 2
    assert calls(fake_wechat, MEDIA_GET) == 3  # one, then 42001 and the retry with the new token
    logged = bot_log(caplog)
    assert "errcode 42001" in logged and not any(t in logged for t in issued_tokens(fake_wechat))


def test_a_token_refused_again_after_its_refresh_is_retried_later_not_refused(chat, client, svc, fake_wechat,
                                                                                  app, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    fake_wechat.state.fail_next(MEDIA_GET, times=2, mode=42001)
    oa_image(client, fake_wechat, oa_media(fake_wechat))
    photo = photos(svc)[0]
    assert (photo.state, photo.attempts) == ("pending", 1)  # refreshed once, not in a loop
    assert calls(fake_wechat, MEDIA_GET) == 2 and fake_wechat.state.token_fetches["oa"] == 2
    tokens = issued_tokens(fake_wechat)
    assert "42001" in photo.last_error and not any(t in photo.last_error for t in tokens)
    assert not any(t in bot_log(caplog) for t in tokens) and "access_token=" not in bot_log(caplog)
    svc.clock.advance(60)
    fake_api.sweep(app)  # the worker's backoff has passed: the next try works
    assert [p.state for p in photos(svc)] == ["stored"]


def test_a_duplicate_delivery_of_one_image_callback_keeps_one_photo(chat, client, svc, fake_wechat):
    xml = image_xml("gh_demo", OPENID, oa_media(fake_wechat), str(next(_ids)))
    cb = oa_callback(xml)
    first = oa_post(client, cb)
    again = oa_post(client, cb)  # WeChat's retry: same MsgId, same signature
    assert ASK_FOR_WORDS in first and again == first
    assert len(photos(svc)) == 1
    assert calls(fake_wechat, MEDIA_GET) == 1


def test_a_media_answer_that_is_not_an_image_is_refused_by_the_worker_check(chat, client, svc, fake_wechat):
    fake_wechat.state.open_window(OPENID)
    oa_image(client, fake_wechat, oa_media(fake_wechat, b"%PDF-1.4 not a photo"))
    assert [(p.state, p.last_error[:9]) for p in photos(svc)] == [("failed", "not_image")]
    assert "不是图片" in fake_wechat.state.messages_for(target=OPENID, route="oa_custom")[0].text


def test_an_image_callback_without_a_usable_media_id_is_asked_to_type(chat, client, svc, fake_wechat):
    xml = image_xml(DEMO_CORP_ID, "zhangdaye", "not a media id", str(next(_ids)), agent_id=1000002)
    assert app_post(client, xml) == texts.NON_TEXT
    assert photos(svc) == [] and calls(fake_wechat, MEDIA_GET) == 0


def test_a_text_through_the_app_is_untouched(chat, client, svc):
    assert "已登记工单 #1" in app_post(client, wecom_text_xml(DEMO_CORP_ID, "zhangdaye", REPORT, str(next(_ids))))
    assert photos(svc) == []
