"""Admission of one message in one Redis round trip: first sight (dedup) and flood limits.

Dedup: `SET NX EX` on the message's key says whether Redis has seen it before; the
database's unique key stays the authority. Flood: a sender over its per-minute limit gets one
polite notice, then silence for the rest of that minute; their messages are still stored in the
inbox (nothing is lost), they just do not open tickets or make the bot talk. A throttled sender's
lines do not count toward the chat's limit, so one resident cannot mute a chat; a message over
the chat's limit (a genuinely busy chat) is deferred — stored unprocessed for the sweep to process
a little later — never dropped. So are a staff member's over their own limit (the inbox decides:
it knows who is staff). Counters are fixed one-minute windows shared by every process. Both happen in one
Lua script because every Redis round trip is paid on the webhook's hot path; a repeat is
never counted against the flood limits. If Redis is down, the database decides on dedup
and nobody is throttled.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

import redis

log = logging.getLogger(__name__)
NOTICE = "您发送消息过于频繁，请稍后再试。如有紧急情况请直接联系网格长。"

# KEYS[1] the dedup key, KEYS[2] the sender's counter, KEYS[3] the chat's (optional);
# ARGV[1] dedup TTL, ARGV[2] counter TTL, ARGV[3] the sender's limit (0: none).
# Returns {0} for a repeat, else {1, sender count[, chat count]}: the chat is counted only
# while the sender is within their own limit.
_ADMIT_LUA = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {0} end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
local out = {1, n}
local limit = tonumber(ARGV[3])
if #KEYS >= 3 and (limit == 0 or n <= limit) then
  local c = redis.call('INCR', KEYS[3])
  if c == 1 then redis.call('EXPIRE', KEYS[3], ARGV[2]) end
  out[#out + 1] = c
end
return out
"""

_ADMIT_SHA = hashlib.sha1(_ADMIT_LUA.encode()).hexdigest()


@dataclass(frozen=True)
class Admission:
    # True: Redis has not seen this message before; False: a repeat; None: Redis is down.
    first: bool | None
    # None: may proceed; else the reply to give instead ("" after the first notice).
    throttled: str | None = None
    # Which limit: "sender" (this sender floods) or "chat" (the chat is busy: defer, never drop).
    limit: str | None = None
    # The reply to the script carried along (`also`), None if there was none or it failed.
    also: Any = None


def dedup_key(channel: str, msg_id: str) -> str:
    return f"gridwhistle:dedup:{channel}:{msg_id}"


def admit(redis_client: redis.Redis, channel: str, msg_id: str, sender: str, chat_id: str | None,
          dedup_ttl: int, per_sender: int, per_chat: int, minute: int | None = None,
          also: tuple | None = None) -> Admission:
    """`minute` is the window a message counts in: now, unless the channel knows when it was sent
    (the archive's backlog after downtime was not a flood when it was written).
    `also`: another script call (script, sha, keys, args) to carry on the same round trip — the
    conversation memory's read for this message (bot.runtime.conversation_memory)."""
    minute = int(time.time() // 60) if minute is None else minute
    limits = [(f"gridwhistle:flood:u:{channel}:{sender}:{minute}", per_sender, "sender")]
    if chat_id:
        limits.append((f"gridwhistle:flood:c:{channel}:{chat_id}:{minute}", per_chat, "chat"))
    try:
        # register_script is local (no round trip); the call is EVALSHA, reloaded after a restart.
        keys = [dedup_key(channel, msg_id)] + [key for key, _, _ in limits]
        calls = [(_ADMIT_LUA, _ADMIT_SHA, keys, [dedup_ttl, 120, per_sender or 0])] + ([also] if also else [])
        result, *carried = _scripts(redis_client, calls)
    except redis.RedisError:
        log.warning("redis unavailable for dedup and flood limits; the database decides")
        return Admission(first=None)
    extra = carried[0] if carried and not isinstance(carried[0], Exception) else None
    if not result[0]:
        return Admission(first=False, also=extra)
    for (_, limit, kind), count in zip(limits, result[1:]):
        if limit and count > limit:
            log.warning("flood limit hit (%s over %s per minute)", kind, limit)
            return Admission(first=True, throttled=NOTICE if count == limit + 1 and kind == "sender" else "",
                             limit=kind, also=extra)
    return Admission(first=True, also=extra)


def _scripts(redis_client: redis.Redis, calls: list) -> list:
    """Run Lua scripts by EVALSHA in one round trip; one missing after a Redis restart is loaded and
    run again alone (never the others: the admission script must not run twice)."""
    pipe = redis_client.pipeline(transaction=False)
    for _, sha, keys, args in calls:
        pipe.execute_command("EVALSHA", sha, len(keys), *keys, *args)
    results = pipe.execute(raise_on_error=False)
    for i, (script, sha, keys, args) in enumerate(calls):
        if isinstance(results[i], redis.exceptions.NoScriptError):
            redis_client.script_load(script)
            results[i] = redis_client.execute_command("EVALSHA", sha, len(keys), *keys, *args)
    if isinstance(results[0], Exception):
        raise results[0]
    return results


def forget(redis_client: redis.Redis, channel: str, msg_id: str) -> None:
    """Drop the dedup mark, so WeChat's retry is processed rather than replayed as nothing."""
    try:
        redis_client.delete(dedup_key(channel, msg_id))
    except redis.RedisError:
        pass
