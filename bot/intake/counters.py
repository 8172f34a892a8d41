"""Per-message counters, kept in one Redis hash that every web and worker process increments.

The /metrics endpoint (bot/web/metrics.py) reads them back, so a scrape of any one process
shows the whole deployment. Best effort: a message is already safe when it is counted.
"""
from __future__ import annotations

import redis

KEY = "gridwhistle:metrics"
BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5)

# One script call instead of a pipeline of four commands: this runs for every message.
# KEYS[1] the hash; ARGV: the intent's field, classification seconds ('' if none), its bucket field ('' if none).
_RECORD_LUA = """
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if ARGV[2] ~= '' then
  redis.call('HINCRBYFLOAT', KEYS[1], 'classify_sum', ARGV[2])
  redis.call('HINCRBY', KEYS[1], 'classify_count', 1)
  if ARGV[3] ~= '' then redis.call('HINCRBY', KEYS[1], ARGV[3], 1) end
end
return 1
"""


def record_message(redis_client: redis.Redis, intent: str | None, classify_seconds: float | None) -> None:
    """Count one processed message by intent, with the classifier's time if it ran."""
    # Only the smallest bucket that holds it; the scrape adds them up (cumulative).
    bucket = (next((le for le in BUCKETS if classify_seconds <= le), None)
              if classify_seconds is not None else None)
    try:
        args = [f"messages_in:{intent or 'none'}", "" if classify_seconds is None else repr(classify_seconds),
                "" if bucket is None else f"classify_in:{bucket}"]
        redis_client.register_script(_RECORD_LUA)(keys=[KEY], args=args)
    except redis.RedisError:
        pass  # metrics are best effort; the message itself is already safe
