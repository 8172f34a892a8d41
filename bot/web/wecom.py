"""WeCom self-built app callback: GET URL check and POST encrypted XML (msg_signature)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.replies import TextReply
from wechatpy.exceptions import WeChatException

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
        msg = incoming_from_xml("wecom", fields, plain)
    except BadRequest as err:
        return refuse(err)

    reply = accept_message(msg)
    if not reply:
        return Response("success", mimetype="text/plain")
    xml = TextReply(source=fields.get("ToUserName", ""), target=msg.sender_id, content=reply).render()
    return Response(crypto.encrypt_message(xml, p["nonce"], p["timestamp"]), mimetype="application/xml")
