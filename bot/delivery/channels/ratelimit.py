"""Redis token buckets shared by all processes, checked and charged atomically by a Lua script.

WeChat enforces its limits by silently dropping (app messages over 200 per member per minute)
or by errcodes (robot 130101). Counting on our side lets the worker hold a message back and
reschedule it instead of losing it. ``acquire`` never sleeps and never drops: it answers 0
(charged, go) or the seconds to wait (nothing charged).

Several buckets can be charged all-or-nothing in one call (:func:`acquire_all`), so a group
send that fits the per-robot bucket but not the corp-wide one does not leak tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from redis import Redis

__all__ = ["TokenBucket", "acquire_all"]

# KEYS: bucket keys. ARGV[1]: now in seconds ("" = Redis server TIME, shared by all hosts),
# then per bucket: refill rate per second, capacity, cost.
_LUA = """
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local wait = 0
local levels = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[(i - 1) * 3 + 2])
  local burst = tonumber(ARGV[(i - 1) * 3 + 3])
  local cost = tonumber(ARGV[(i - 1) * 3 + 4])
  local state = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(state[1])
  local ts = tonumber(state[2])
  if tokens == nil or ts == nil then
    tokens = burst
    ts = now
  end
  local elapsed = now - ts
  if elapsed < 0 then elapsed = 0 end
  tokens = math.min(burst, tokens + elapsed * rate)
  levels[i] = tokens
  if tokens < cost then
    local w = (cost - tokens) / rate
    if w > wait then wait = w end
  end
end
if wait > 0 then
  return tostring(wait)
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[(i - 1) * 3 + 2])
  local burst = tonumber(ARGV[(i - 1) * 3 + 3])
  local cost = tonumber(ARGV[(i - 1) * 3 + 4])
  redis.call('HSET', key, 'tokens', tostring(levels[i] - cost), 'ts', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst / rate * 1000) + 1000)
end
return '0'
"""


@dataclass(frozen=True)
class TokenBucket:
    """``rate_per_minute`` tokens a minute, at most ``burst`` saved up (burst defaults to the rate)."""

    redis: Redis
    key: str
    rate_per_minute: float
    burst: float | None = None

    def __post_init__(self) -> None:
        if self.rate_per_minute <= 0:
            raise ValueError("rate_per_minute must be positive")

    @property
    def capacity(self) -> float:
        return float(self.burst if self.burst is not None else self.rate_per_minute)

    def acquire(self, cost: float = 1, now: float | None = None) -> float:
        """0.0 if cost tokens were taken, else the seconds until they will be there."""
        return acquire_all([(self, cost)], now=now)


def acquire_all(
    charges: Sequence[tuple[TokenBucket, float]], now: float | None = None
) -> float:
    """Charge every (bucket, cost) or none; 0.0 if charged, else the longest wait in seconds.

    All buckets must use the same Redis. ``now`` is for tests; by default Redis' clock is used
    so processes on different hosts agree. A cost above a bucket's capacity can never be met
    and raises ValueError rather than returning a wait that would repeat forever.
    """
    if not charges:
        return 0.0
    redis = charges[0][0].redis
    keys: list[str] = []
    args: list[str] = ["" if now is None else repr(float(now))]
    for bucket, cost in charges:
        if bucket.redis is not redis:
            raise ValueError("all buckets in one acquire must share a Redis client")
        if cost > bucket.capacity:
            raise ValueError(f"cost {cost} exceeds bucket capacity {bucket.capacity}")
        keys.append(bucket.key)
        args += [
            repr(bucket.rate_per_minute / 60.0),
            repr(bucket.capacity),
            repr(float(cost)),
        ]
    script = redis.register_script(_LUA)
    wait = float(script(keys=keys, args=args))
    return wait if wait > 0 else 0.0
