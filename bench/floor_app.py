"""The floor: the least any app meeting issue 2 must do before it acks a message.

On top of the echo app (verify, decrypt, parse, encrypt a reply) it does only what the issue
requires before the passive reply, and nothing of the product: one Redis `SET NX EX` for
dedup, and one INSERT of the raw message into the inbox table, committed (durable) before
the reply. No classifier, no handlers, no ticket, no flood limits, no metrics.

Its throughput next to the echo's, in the same run, is the ceiling for GridWhistle's ratio:
whatever the product does beyond this only lowers it.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

import redis
from flask import Flask, Response, request
from sqlalchemy import create_engine, insert
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.replies import TextReply

from models import InboxMessage

INBOX = InboxMessage.__table__


def create_floor_app() -> Flask:
    app = Flask(__name__)
    crypto = WeChatCrypto(os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"])
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=10, max_overflow=20)
    cache = redis.Redis.from_url(os.environ["REDIS_URL"])  # the bench's own db; no default to collide on
    statement = insert(INBOX)

    @app.post("/wecom/callback")
    def callback():
        a = request.args
        plain = crypto.decrypt_message(request.get_data(), a["msg_signature"], a["timestamp"], a["nonce"])
        msg = parse_message(plain)
        if cache.set(f"floor:dedup:wecom:{msg.id}", "1", nx=True, ex=86400):
            now = datetime.now(timezone.utc)
            with engine.begin() as conn:  # commits before the reply, as the inbox must
                conn.execute(statement, {
                    "channel": "wecom", "msg_id": str(msg.id), "msg_type": msg.type, "chat_id": None,
                    "sender_id": msg.source, "text": msg.content or "", "quote_id": None, "quote_text": None,
                    "raw": plain, "sent_at": now, "received_at": now, "status": "received", "attempts": 1,
                })
        reply = TextReply(source=msg.target, target=msg.source, content=msg.content or "").render()
        return Response(crypto.encrypt_message(reply, a["nonce"], a["timestamp"]), mimetype="application/xml")

    return app
