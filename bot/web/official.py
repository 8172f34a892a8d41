"""Official Account callback: plain mode (signature) and safe mode (msg_signature + AES)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.intake.inbox import accept_message
from bot.web.common import (
    DECRYPT_ERRORS, BadRequest, bind_nonce_to_body, check_timestamp, parse_flat_xml, query_params, read_body,
    refuse,
)
from bot.web.xml_messages import incoming_from_xml

bp = Blueprint("wechat", __name__)


def _check_plain_signature(p: dict[str, str]) -> None:
    token = current_app.config["SETTINGS"].wechat_token
    try:
        check_signature(token, p["signature"], p["timestamp"], p["nonce"])
    except InvalidSignatureException:
        raise BadRequest(403, "signature check failed") from None


@bp.get("/wechat/callback")
def verify_url() -> Response:
    try:
        p = query_params("signature", "timestamp", "nonce", "echostr")
        check_timestamp(p["timestamp"])
        _check_plain_signature(p)
    except BadRequest as err:
        return refuse(err)
    # The Official Account URL check answers echostr as it came.
    return Response(p["echostr"], mimetype="text/plain")


@bp.post("/wechat/callback")
def receive() -> Response:
    s = current_app.config["SETTINGS"]
    safe_mode = request.args.get("encrypt_type", "raw").lower() == "aes"
    try:
        p = query_params("signature", "timestamp", "nonce")
        check_timestamp(p["timestamp"])
        _check_plain_signature(p)
        body = parse_flat_xml(read_body())
        crypto = None
        if safe_mode:
            p.update(query_params("msg_signature"))
            if not body.get("Encrypt"):
                raise BadRequest(400, "missing Encrypt element")
            crypto = WeChatCrypto(s.wechat_token, s.wechat_aes_key, s.wechat_app_id)
            try:
                plain = crypto.decrypt_message(body, p["msg_signature"], p["timestamp"], p["nonce"])
            except WeChatException:
                raise BadRequest(403, "signature or app id check failed") from None
            except DECRYPT_ERRORS:
                raise BadRequest(400, "Encrypt is not valid ciphertext") from None
            fields = parse_flat_xml(plain)
        else:
            # Plain mode signs no body: tie this signature to this body for the replay window.
            plain, fields = read_body(), body
            bind_nonce_to_body("wechat", p["timestamp"], p["nonce"], plain)
        msg = incoming_from_xml("wechat", fields, plain)
    except BadRequest as err:
        return refuse(err)

    reply = accept_message(msg)
    if not reply:
        return Response("success", mimetype="text/plain")
    xml = TextReply(source=fields.get("ToUserName", ""), target=msg.sender_id, content=reply).render()
    if crypto is not None:
        xml = crypto.encrypt_message(xml, p["nonce"], p["timestamp"])
    return Response(xml, mimetype="application/xml")
