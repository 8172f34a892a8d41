"""Turn a decrypted WeChat/WeCom XML message into one typed IncomingMessage."""
from __future__ import annotations

from datetime import datetime, timezone

from handlers.events import IncomingMessage

from bot.web.common import BadRequest, unix_seconds


def incoming_from_xml(channel: str, fields: dict[str, str], raw: str) -> IncomingMessage:
    msg_type = (fields.get("MsgType") or "").strip().lower()
    sender = (fields.get("FromUserName") or "").strip()
    created = (fields.get("CreateTime") or "").strip()
    if not msg_type or not sender or not created:
        raise BadRequest(400, "message lacks MsgType, FromUserName or CreateTime")
    sent_at = datetime.fromtimestamp(unix_seconds(created, "CreateTime"), tz=timezone.utc)
    # Events carry no MsgId: WeChat says to deduplicate them by sender + time.
    msg_id = (fields.get("MsgId") or "").strip() or f"evt:{sender}:{created}:{fields.get('Event', '')}"
    if len(msg_id) > 64 or len(sender) > 64:
        raise BadRequest(400, "identifier too long")
    return IncomingMessage(
        channel=channel,
        msg_id=msg_id,
        msg_type=msg_type,
        sender_id=sender,
        text=fields.get("Content", "") if msg_type == "text" else "",
        sent_at=sent_at,
        raw=raw,
    )
