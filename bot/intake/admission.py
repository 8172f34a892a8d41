"""Admission of one message in one Redis round trip: first sight (dedup) and flood limits.

Dedup: `SET NX EX` on the message's key says whether Redis has seen it before; the
database's unique key stays the authority. Flood: a sender over its per-minute limit gets one
polite notice, then silence while they keep it up; their messages are still stored in the
inbox (nothing is lost), they just do not open tickets or make the bot talk. A throttled sender's
lines do not count toward the chat's limit, so one resident cannot mute a chat; a message over
the chat's limit (a genuinely busy chat) is deferred — stored unprocessed for the sweep to process
a little later — never dropped. So are a staff member's over their own limit (the inbox decides:
it knows who is staff).

The window slides: a counter per clock minute, shared by every process, and a message is
measured against this minute's count plus the previous minute's weighted by how much of it still
lies within the last 60 seconds. With fixed minutes, a flood straddling a minute boundary counted
half in each and got through up to twice the limit; weighted, 20 lines at 10:00:59 still count
as ~19.7 at 10:01:01. (It assumes the previous minute's lines were spread evenly: a limit may
bite a few seconds early or late, never at twice the rate. Exact sliding logs would keep a
timestamp per line for every sender.) Both happen in one Lua script because every Redis round
trip is paid on the webhook's hot path; a repeat is never counted against the flood limits. If
Redis is down, the database decides on dedup and nobody is throttled.
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

# The window and its weights in milliseconds, so Lua and Python do the same integer arithmetic.
WINDOW_MS = 60_000

# KEYS[1] the dedup key, KEYS[2], KEYS[3] the sender's counters for this minute and the previous
# one, KEYS[4], KEYS[5] the chat's (optional); ARGV[1] dedup TTL, ARGV[2] counter TTL, ARGV[3] the
# sender's limit (0: none), ARGV[4] the previous minute's weight (ms of it within the window).
# Returns {0} for a repeat, else {1, sender now, sender before[, chat now, chat before]}: the chat
# is counted only while the sender is within their own limit.
_ADMIT_LUA = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return {0} end
local weight = tonumber(ARGV[4])
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
local before = tonumber(redis.call('GET', KEYS[3]) or '0')
local out = {1, n, before}
local limit = tonumber(ARGV[3])
if #KEYS >= 5 and (limit == 0 or n * 60000 + before * weight <= limit * 60000) then
  local c = redis.call('INCR', KEYS[4])
  if c == 1 then redis.call('EXPIRE', KEYS[4], ARGV[2]) end
  out[#out + 1] = c
  out[#out + 1] = tonumber(redis.call('GET', KEYS[5]) or '0')
end
return out
"""

_ADMIT_SHA = hashlib.sha1(_ADMIT_LUA.encode()).hexdigest()
# A minute's counter is read as "the previous minute" until the end of the next one.
COUNTER_TTL_SECONDS = 2 * WINDOW_MS // 1000


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


def window(at: float) -> tuple[int, int]:
    """The clock minute of `at` (Unix seconds) and the previous minute's weight: how many of its
    milliseconds still lie within the 60 seconds before `at`."""
    minute, into = divmod(int(at * 1000), WINDOW_MS)
    return minute, WINDOW_MS - into


def over(count: int, before: int, weight: int, limit: int) -> bool:
    """Whether the sliding count (this minute's plus the previous one's weighted) exceeds limit."""
    return count * WINDOW_MS + before * weight > limit * WINDOW_MS


def admit(redis_client: redis.Redis, channel: str, msg_id: str, sender: str, chat_id: str | None,
          dedup_ttl: int, per_sender: int, per_chat: int, at: float | None = None,
          also: tuple | None = None) -> Admission:
    """`at` is when a message counts (Unix seconds): now, unless the caller knows better (the
    bot's clock, or when the archive's line was sent: a backlog after downtime was not a flood
    when it was written).
    `also`: another script call (script, sha, keys, args) to carry on the same round trip — the
    conversation memory's read for this message (bot.runtime.conversation_memory)."""
    minute, weight = window(time.time() if at is None else at)
    limits = [(f"gridwhistle:flood:u:{channel}:{sender}:", per_sender, "sender")]
    if chat_id:
        limits.append((f"gridwhistle:flood:c:{channel}:{chat_id}:", per_chat, "chat"))
    try:
        # register_script is local (no round trip); the call is EVALSHA, reloaded after a restart.
        keys = [dedup_key(channel, msg_id)] + [f"{prefix}{m}" for prefix, _, _ in limits for m in (minute, minute - 1)]
        calls = [(_ADMIT_LUA, _ADMIT_SHA, keys, [dedup_ttl, COUNTER_TTL_SECONDS, per_sender or 0, weight])]
        result, *carried = _scripts(redis_client, calls + ([also] if also else []))
    except redis.RedisError:
        log.warning("redis unavailable for dedup and flood limits; the database decides")
        return Admission(first=None)
    extra = carried[0] if carried and not isinstance(carried[0], Exception) else None
    if not result[0]:
        return Admission(first=False, also=extra)
    counted = zip(result[1::2], result[2::2])  # (this minute, the previous one) per limit counted
    for (_, limit, kind), (count, before) in zip(limits, counted):
        if limit and over(count, before, weight, limit):
            log.warning("flood limit hit (%s over %s per minute)", kind, limit)
            # The notice once, with the line that first goes over: the one before it was within.
            first_over = not over(count - 1, before, weight, limit)
            return Admission(first=True, throttled=NOTICE if first_over and kind == "sender" else "",
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
