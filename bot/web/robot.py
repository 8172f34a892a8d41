"""WeCom group robot (智能机器人) callback: encrypted JSON in, encrypted JSON reply out.

The robot's receive id is the empty string, so wechatpy's enterprise crypto is used with corp
id "". The JSON reply envelope is built by hand with its PrpCrypto. What the callback carries is
read in bot.web.robot_messages (messages, button presses, stream refreshes); what the reply says
is built in bot.web.robot_replies (streams, cards).
"""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, current_app, jsonify
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import WeChatException

from bot.intake.inbox import accept_message
from bot.runtime.services import services
from bot.web import robot_replies
from bot.web.common import (
    DECRYPT_ERRORS, BadRequest, answer_url_check, check_timestamp, parse_json_object, query_params, read_body,
    refuse,
)
from bot.web.robot_messages import ParseSettings, RobotCallback, parse_callback
from models.vocabulary import state_name

bp = Blueprint("robot", __name__)
log = logging.getLogger(__name__)


def _crypto() -> WeChatCrypto:
    s = current_app.config["SETTINGS"]
    return WeChatCrypto(s.robot_token, s.robot_aes_key, "")


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


def _answer(plain: dict, nonce: str) -> Response:
    return jsonify(encrypted_reply(robot_replies.to_json(plain), nonce))


@bp.get("/wecom/robot")
def verify_url() -> Response:
    return answer_url_check(_crypto())


@bp.post("/wecom/robot")
def receive() -> Response:
    s = current_app.config["SETTINGS"]
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
            raise BadRequest(403, "signature check failed: msg_signature does not match ROBOT_TOKEN") from None
        except DECRYPT_ERRORS:
            raise BadRequest(400, "encrypt is not valid ciphertext for ROBOT_AES_KEY") from None
        names = tuple(n.strip() for n in s.robot_names.split(",") if n.strip())
        callback = parse_callback(parse_json_object(plain), plain, ParseSettings(s.secret_key, names))
    except BadRequest as err:
        return refuse(err)

    svc = services()
    if callback.kind == "refresh":
        return _answer(robot_replies.refresh(svc, callback.stream_id), p["nonce"])
    if callback.kind == "click":
        return _press(svc, callback, p["nonce"])
    msg = callback.message
    reply = accept_message(msg)
    if not reply:
        return Response("", status=200)
    return _answer(robot_replies.reply_with_card(svc, reply, msg.chat_id), p["nonce"])


def _press(svc, callback: RobotCallback, nonce: str) -> Response:
    """A template-card button: the same command as typed, then the card redrawn from the ticket."""
    click = callback.click
    if click.key is None:
        log.warning("card press with a key we never signed; refused")
        return _answer(robot_replies.forged_card(click.task_id, click.presser), nonce)
    msg = callback.message
    before = robot_replies.ticket_version(svc, click.key.ticket_id)
    if before is not None and before[0] != click.key.version:
        # The card was drawn before the ticket moved on: act on nothing, show where it stands now.
        note = robot_replies.MOVED_ON.format(ticket_id=click.key.ticket_id, state=state_name(before[1]))
        return _answer(robot_replies.updated_card(svc, click.key, click.task_id, note, msg.chat_id,
                                                  changed=False, presser=click.presser), nonce)
    reply = accept_message(msg)
    after = robot_replies.ticket_version(svc, click.key.ticket_id)
    changed = after is not None and before is not None and after[0] != before[0]
    return _answer(robot_replies.updated_card(svc, click.key, click.task_id, reply, msg.chat_id,
                                              changed=changed, presser=click.presser), nonce)

