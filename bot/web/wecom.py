"""WeCom self-built app callback: GET URL check and POST encrypted XML (msg_signature).

Nothing to say is an empty 200 body (WeCom's convention; "success" is the Official Account's).
A passive text reply carries no AgentID (WeCom's passive reply format has none). A press on a
template card the app sent (the rating buttons) is answered by replacing the button's name.
"""
from __future__ import annotations

import time
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import WeChatException
from wechatpy.replies import TextReply

from bot.intake.inbox import accept_message
from bot.web.common import (
    DECRYPT_ERRORS, BadRequest, answer_url_check, check_timestamp, parse_flat_xml, query_params, read_body, refuse,
)
from bot.web.xml_messages import incoming_from_xml

bp = Blueprint("wecom", __name__)


def _crypto() -> WeChatCrypto:
    s = current_app.config["SETTINGS"]
    return WeChatCrypto(s.wecom_token, s.wecom_aes_key, s.wecom_corp_id)


@bp.get("/wecom/callback")
def verify_url() -> Response:
    return answer_url_check(_crypto())


@bp.post("/wecom/callback")
def receive() -> Response:
    try:
        p = query_params("msg_signature", "timestamp", "nonce")
        check_timestamp(p["timestamp"])
        envelope = parse_flat_xml(read_body())
        if not envelope.get("Encrypt"):
            raise BadRequest(400, "missing Encrypt element")
        crypto = _crypto()
        try:
            plain = crypto.decrypt_message(envelope, p["msg_signature"], p["timestamp"], p["nonce"])
        except WeChatException:
            raise BadRequest(403, "signature or corp id check failed") from None
        except DECRYPT_ERRORS:
            raise BadRequest(400, "Encrypt is not valid ciphertext") from None
        fields = parse_flat_xml(plain)
        msg = incoming_from_xml("wecom", fields, plain, current_app.config["SETTINGS"].secret_key)
    except BadRequest as err:
        return refuse(err)

    pressed = fields.get("Event") == "template_card_event"
    if pressed and msg.via != "card":
        xml = _button_reply(fields, msg.sender_id, FORGED_BUTTON)  # not a key we signed: nothing runs
        return Response(crypto.encrypt_message(xml, p["nonce"], p["timestamp"]), mimetype="application/xml")
    reply = accept_message(msg)
    if pressed:
        xml = _button_reply(fields, msg.sender_id, reply or "已收到")
    elif not reply:
        return Response("", status=200)
    else:
        xml = TextReply(source=fields.get("ToUserName", ""), target=msg.sender_id, content=reply).render()
    return Response(crypto.encrypt_message(xml, p["nonce"], p["timestamp"]), mimetype="application/xml")


FORGED_BUTTON = "按钮无效，请直接回复文字"
BUTTON_NAME_LIMIT = 24


def _button_reply(fields: dict[str, str], user: str, text: str) -> str:
    """WeCom's passive reply to a card press: the pressed button is replaced by this short text."""
    name = text if len(text) <= BUTTON_NAME_LIMIT else text[: BUTTON_NAME_LIMIT - 1] + "…"
    return (f"<xml><ToUserName><![CDATA[{escape(user)}]]></ToUserName>"
            f"<FromUserName><![CDATA[{escape(fields.get('ToUserName', ''))}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[update_button]]></MsgType>"
            f"<Button><ReplaceName><![CDATA[{name.replace(']]>', '')}]]></ReplaceName></Button></xml>")
