"""Frozen dataclasses at the boundary between bot/ (the door) and handlers/ (the business)."""
from __future__ import annotations

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

    @property
    def identity_channel(self) -> str:
        return "wechat" if self.channel == "wechat" else "wecom"


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


@dataclass(frozen=True)
class Outcome:
    """What handling one message causes: the passive reply and the pushes."""

    reply: str = ""
    outgoing: tuple[OutgoingMessage, ...] = ()
    intent: str | None = None
