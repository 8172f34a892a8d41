"""Redis: the real server when REDIS_URL is set, an in-process stand-in otherwise."""
from __future__ import annotations

import threading

import redis

_embedded_server = None
_embedded_lock = threading.Lock()


def connect(url: str) -> redis.Redis:
    if url:
        return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30)
    import fakeredis

    global _embedded_server
    with _embedded_lock:
        if _embedded_server is None:
            # One stand-in per process, so web threads and the in-process worker share it.
            _embedded_server = fakeredis.FakeServer()
    return fakeredis.FakeRedis(server=_embedded_server)
