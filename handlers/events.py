"""Frozen dataclasses at the boundary between bot/ (the door) and handlers/ (the business)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

# Channels an identity or message can come from. WeCom app and group robot share
# one user-id space inside a corp, so both are "wecom" for identities.
CHANNELS = ("wecom", "robot", "wechat")


@dataclass(frozen=True)
class IncomingMessage:
    channel: str  # "wecom" (self-built app), "robot" (group robot), "wechat" (Official Account)
    msg_id: str
    msg_type: str  # text, image, voice, event, …
    sender_id: str
    text: str
    sent_at: datetime
    chat_id: str | None = None  # group chat id, None for a one-to-one message
    quote_id: str | None = None
    quote_text: str | None = None
    raw: str = field(default="", repr=False, compare=False)
    # How the text came, when not typed: "voice" (a speech transcript), "mixed" (text and photos in
    # one message), "card" (a template-card button, turned into the command it stands for).
    via: str = ""
    # Download URLs of the photos the message carries (short-lived; the worker fetches them).
    photo_urls: tuple[str, ...] = ()
    # The robot's one-shot URL for a reply that is ready after the passive window.
    response_url: str | None = field(default=None, repr=False)

    @property
    def identity_channel(self) -> str:
        return "wechat" if self.channel == "wechat" else "wecom"

    def extras_json(self) -> str | None:
        """What the inbox row keeps beyond the text, so a retry rebuilds this very message."""
        extras = {k: v for k, v in (("via", self.via), ("photos", list(self.photo_urls)),
                                    ("response_url", self.response_url)) if v}
        return json.dumps(extras, ensure_ascii=False) if extras else None


def extras_fields(extras: str | None) -> dict:
    """IncomingMessage keyword arguments from an inbox row's `extras` (see extras_json)."""
    try:
        data = json.loads(extras) if extras else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        return {}
    photos = data.get("photos")
    return {
        "via": data.get("via") if isinstance(data.get("via"), str) else "",
        "photo_urls": tuple(u for u in photos if isinstance(u, str)) if isinstance(photos, list) else (),
        "response_url": data.get("response_url") if isinstance(data.get("response_url"), str) else None,
    }


@dataclass(frozen=True)
class OutgoingMessage:
    """One push through the outbox: a chat or a person, reached by route."""

    route_kind: str
    route_target: str
    text: str
    dedup_key: str
    member_count: int = 1
    ticket_id: int | None = None
    notice_id: int | None = None
    # Buttons to send with the text where the route can carry them, e.g. "rate:12" (满意 / 基本满意 /
    # 不满意 for ticket 12); bot/ renders them per channel, and the text alone still says what to type.
    card: str | None = None
    # STAFF_MASKED: staff text, already masked where it was written (handlers.privacy.mask_staff_text
    # keeps official hotlines); the delivery must not mask it again with the residents' rules.
    # None: the delivery masks anything a group will read.
    masked: str | None = None


STAFF_MASKED = "staff"


@dataclass(frozen=True)
class Outcome:
    """What handling one message causes: the passive reply and the pushes."""

    reply: str = ""
    outgoing: tuple[OutgoingMessage, ...] = ()
    intent: str | None = None
    # True: the reply is already masked where it was written (staff text with official numbers);
    # the door must not mask it again before it goes into a group.
    reply_masked: bool = False
