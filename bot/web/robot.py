"""WeCom group robot (智能机器人) callback: encrypted JSON in, encrypted JSON reply out.

The robot's receive id is the empty string, so wechatpy's enterprise crypto is used
with corp id "". The JSON reply envelope is built by hand with its PrpCrypto.
"""
from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, jsonify
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import WeChatException

from bot.intake.inbox import accept_message
from bot.web.common import (
    DECRYPT_ERRORS, BadRequest, answer_url_check, check_timestamp, no_surrogates, parse_json_object, query_params,
    read_body, refuse,
)
from handlers.events import IncomingMessage

bp = Blueprint("robot", __name__)


def _crypto() -> WeChatCrypto:
    s = current_app.config["SETTINGS"]
    return WeChatCrypto(s.robot_token, s.robot_aes_key, "")


def _text_of(part: object) -> str:
    if isinstance(part, dict) and isinstance(part.get("text"), dict):
        content = part["text"].get("content", "")
        return no_surrogates(content) if isinstance(content, str) else ""
    return ""


def incoming_from_json(body: dict, raw: str) -> IncomingMessage:
    sender = body.get("from")
    msg_id, msg_type = body.get("msgid"), body.get("msgtype")
    if not (isinstance(msg_id, str) and msg_id and isinstance(msg_type, str) and isinstance(sender, dict)):
        raise BadRequest(400, "robot message lacks msgid, msgtype or from")
    user = sender.get("userid")
    chat_id = body.get("chatid") if body.get("chattype") == "group" else None
    if not isinstance(user, str) or not user or (chat_id is not None and not isinstance(chat_id, str)):
        raise BadRequest(400, "robot message has a bad from.userid or chatid")
    if len(msg_id) > 64 or len(user) > 64 or (chat_id and len(chat_id) > 64):
        raise BadRequest(400, "identifier too long")
    # JSON may escape a lone surrogate ("\ud800") that UTF-8 cannot carry into the database.
    msg_id, user = no_surrogates(msg_id), no_surrogates(user)
    chat_id = no_surrogates(chat_id) if chat_id else chat_id
    quote = body.get("quote")
    quote_id = quote.get("msgid") if isinstance(quote, dict) else None
    return IncomingMessage(
        channel="robot",
        msg_id=msg_id,
        msg_type=msg_type.lower(),
        sender_id=user,
        text=_text_of(body) if msg_type == "text" else "",
        sent_at=datetime.now(timezone.utc),
        chat_id=chat_id,
        quote_id=no_surrogates(quote_id) if isinstance(quote_id, str) else None,
        quote_text=_text_of(quote) or None,
        raw=raw,
    )


def encrypted_reply(plaintext: str, nonce: str) -> dict:
    s = current_app.config["SETTINGS"]
    crypto = _crypto()
    encrypt = PrpCrypto(crypto.key).encrypt(plaintext, "").decode()
    timestamp = str(int(time.time()))
    return {
        "encrypt": encrypt,
        "msgsignature": _get_signature(s.robot_token, timestamp, nonce, encrypt),
        "timestamp": int(timestamp),
        "nonce": nonce,
    }


@bp.get("/wecom/robot")
def verify_url() -> Response:
    return answer_url_check(_crypto())


@bp.post("/wecom/robot")
def receive() -> Response:
    try:
        p = query_params("msg_signature", "timestamp", "nonce")
        check_timestamp(p["timestamp"])
        envelope = parse_json_object(read_body())
        encrypt = envelope.get("encrypt")
        if not isinstance(encrypt, str) or not encrypt:
            raise BadRequest(400, "missing encrypt field")
        try:
            plain = _crypto().decrypt_message({"Encrypt": encrypt}, p["msg_signature"], p["timestamp"], p["nonce"])
        except WeChatException:
            raise BadRequest(403, "signature check failed") from None
        except DECRYPT_ERRORS:
            raise BadRequest(400, "encrypt is not valid ciphertext") from None
        msg = incoming_from_json(parse_json_object(plain), plain)
    except BadRequest as err:
        return refuse(err)

    reply = accept_message(msg)
    if not reply:
        return Response("", status=200)
    stream = {"msgtype": "stream", "stream": {"id": uuid.uuid4().hex, "finish": True, "content": reply}}
    return jsonify(encrypted_reply(json.dumps(stream, ensure_ascii=False), p["nonce"]))
