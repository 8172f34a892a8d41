"""Turn a decrypted WeChat/WeCom XML message into one typed IncomingMessage."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from handlers.events import IncomingMessage

from bot.delivery.channels import cards
from bot.intake import platform_media
from bot.web.common import BadRequest, unix_seconds


def incoming_from_xml(channel: str, fields: dict[str, str], raw: str, secret: str = "") -> IncomingMessage:
    """The message; `secret` verifies a template-card press (WeCom app), turned into its command."""
    msg_type = (fields.get("MsgType") or "").strip().lower()
    sender = (fields.get("FromUserName") or "").strip()
    created = (fields.get("CreateTime") or "").strip()
    if not msg_type or not sender or not created:
        raise BadRequest(400, "message lacks MsgType, FromUserName or CreateTime")
    sent_at = datetime.fromtimestamp(unix_seconds(created, "CreateTime"), tz=timezone.utc)
    event = (fields.get("Event") or "").strip()
    # Events carry no MsgId: WeChat says to deduplicate them by sender + time. A card press also
    # names its card and button, so two presses within one second are two events.
    press = f"{fields.get('TaskId', '')}:{fields.get('EventKey', '')}" if event == "template_card_event" else ""
    tail = f":{hashlib.sha256(press.encode()).hexdigest()[:12]}" if press else ""
    msg_id = (fields.get("MsgId") or "").strip() or f"evt:{sender}:{created}:{event[:16]}{tail}"
    if len(msg_id) > 64 or len(sender) > 64:
        raise BadRequest(400, "identifier too long")
    text, via = fields.get("Content", "") if msg_type == "text" else "", ""
    photos: tuple[str, ...] = ()
    if msg_type == "voice" and (recognition := (fields.get("Recognition") or "").strip()):
        # The Official Account's speech recognition: read as the words it is, marked as voice.
        msg_type, text, via = "text", recognition, "voice"
    elif msg_type == "voice":
        via = "voice"
    elif msg_type == "image":
        # Kept by its MediaId, fetched by the worker through the API base; PicUrl (any host) never is.
        source = platform_media.source_for(channel, fields.get("MediaId") or "")
        photos = (source,) if source else ()
    elif event == "template_card_event" and secret:
        key = cards.read_key(secret, (fields.get("EventKey") or "").strip())
        if key is not None:
            msg_type, text, via = "text", cards.command_text(key), "card"
    return IncomingMessage(
        channel=channel,
        msg_id=msg_id,
        msg_type=msg_type,
        sender_id=sender,
        text=text,
        sent_at=sent_at,
        raw=raw,
        via=via,
        photo_urls=photos,
    )
