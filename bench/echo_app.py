"""The baseline: a bare wechatpy echo app (verify, decrypt, parse, encrypt a reply).

Our webhook does all of this plus the inbox, dedup, classification and the ticket loop;
the ratio of the two in one run is the honest figure on a noisy machine.
"""
from __future__ import annotations

import os

from flask import Flask, Response, request
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.replies import TextReply


def create_echo_app() -> Flask:
    app = Flask(__name__)
    crypto = WeChatCrypto(os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"])

    @app.post("/wecom/callback")
    def callback():
        a = request.args
        plain = crypto.decrypt_message(request.get_data(), a["msg_signature"], a["timestamp"], a["nonce"])
        msg = parse_message(plain)
        reply = TextReply(source=msg.target, target=msg.source, content=msg.content or "").render()
        return Response(crypto.encrypt_message(reply, a["nonce"], a["timestamp"]), mimetype="application/xml")

    return app
