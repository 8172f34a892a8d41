"""Per-sender and per-chat flood limits: one noisy account cannot drown a group.

A sender (or a chat) over its per-minute limit gets one polite notice, then silence for
the rest of that minute; the messages are still stored in the inbox (nothing is lost),
they just do not open tickets or make the bot talk. Counters are fixed one-minute windows
in Redis shared by every process; if Redis is down nobody is throttled.
"""
from __future__ import annotations

import logging
import time

import redis

log = logging.getLogger(__name__)
NOTICE = "您发送消息过于频繁，请稍后再试。如有紧急情况请直接联系网格长。"


def check(redis_client: redis.Redis, channel: str, sender: str, chat_id: str | None,
          per_sender: int, per_chat: int) -> str | None:
    """None if the message may proceed; else the reply to give ("" after the first notice)."""
    minute = int(time.time() // 60)
    keys = [(f"gridwhistle:flood:u:{channel}:{sender}:{minute}", per_sender, "sender")]
    if chat_id:
        keys.append((f"gridwhistle:flood:c:{channel}:{chat_id}:{minute}", per_chat, "chat"))
    try:
        pipe = redis_client.pipeline()
        for key, _, _ in keys:
            pipe.incr(key)
            pipe.expire(key, 120)
        counts = pipe.execute()[::2]
    except redis.RedisError:
        return None
    for (_, limit, kind), count in zip(keys, counts):
        if limit and count > limit:
            log.warning("flood limit hit (%s over %s per minute)", kind, limit)
            return NOTICE if count == limit + 1 else ""
    return None
