"""The bot's clock. Real time in production; the sandbox and tests may move it forward.

The offset lives in Redis so every web and worker process sees the same "now".
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import redis

log = logging.getLogger(__name__)
OFFSET_KEY = "gridwhistle:clock:offset_seconds"


class Clock:
    def __init__(self, redis_client: redis.Redis, adjustable: bool):
        self.redis = redis_client
        self.adjustable = adjustable

    def offset_seconds(self) -> float:
        if not self.adjustable:
            return 0.0
        try:
            value = self.redis.get(OFFSET_KEY)
        except redis.RedisError:
            return 0.0
        return float(value) if value else 0.0

    def now(self) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=self.offset_seconds())

    def set_offset(self, seconds: float) -> datetime:
        """Put the clock at this offset from real time (the sandbox restoring its saved clock)."""
        if not self.adjustable:
            raise RuntimeError("the clock only moves in the sandbox and in tests")
        self.redis.set(OFFSET_KEY, repr(float(seconds)))
        return self.now()

    def advance(self, seconds: float) -> datetime:
        if not self.adjustable:
            raise RuntimeError("the clock only moves in the sandbox and in tests")
        self.redis.incrbyfloat(OFFSET_KEY, seconds)
        return self.now()
