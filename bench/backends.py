"""A benchmark run's own PostgreSQL database and Redis db on the shared servers, taken the tests' way.

Benchmarks run beside test runs and other engineers' benchmarks on one machine: a fixed database
name or Redis db number gets dropped or flushed under someone else's feet. So a run creates
``gw_bench_<host>_<pid>_<bench>`` and leases a Redis db from the pool the test runs lease from
(bot/local/isolation.py), and gives both back when it ends: normally, on an exception, on Ctrl-C
and on SIGTERM. A run killed harder leaves them behind, and the next test or bench run drops and
flushes them (the servers tell it their owner is gone).
"""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import redis
from sqlalchemy.exc import SQLAlchemyError

from bot.local.isolation import PG_SERVER_URL, REDIS_SERVER_URL, PrivateDatabase, RedisLease, private_name

log = logging.getLogger(__name__)


@contextmanager
def private_services(bench: str, *, with_redis: bool = True) -> Iterator[dict[str, str] | None]:
    """{"database_url", "redis_url"} of this run's own database and Redis db ("" with with_redis=False),
    or None when the servers are unreachable: the bench then uses its embedded stand-ins."""
    database = PrivateDatabase(PG_SERVER_URL, name=private_name("bench", bench))
    lease = RedisLease(REDIS_SERVER_URL, kind="bench") if with_redis else None
    # From before the database is made: CREATE DATABASE can take seconds on a busy server.
    with _sigterm_unwinds():
        urls = _take(database, lease)
        if urls is None:
            yield None
            return
        try:
            yield urls
        finally:
            _give_back(database, lease)


def _take(database: PrivateDatabase, lease: RedisLease | None) -> dict[str, str] | None:
    try:
        database_url = database.create()
    except SQLAlchemyError as exc:
        log.info("PostgreSQL unreachable (%s): embedded backends", exc)
        return None
    try:
        redis_url = lease.acquire() if lease else ""
    except redis.RedisError as exc:
        log.info("Redis unreachable (%s): embedded backends", exc)
        database.drop()
        return None
    except BaseException:  # all 15 Redis dbs leased, or Ctrl-C meanwhile
        _give_back(database, lease)
        raise
    return {"database_url": database_url, "redis_url": redis_url}


def _give_back(database: PrivateDatabase, lease: RedisLease | None) -> None:
    """Each on its own: one failing (a server gone meanwhile) must not keep the other."""
    if lease is not None:
        try:
            lease.release()
        except redis.RedisError as exc:
            log.warning("could not release Redis db %s (the next run frees it): %s", lease.db, exc)
    try:
        database.drop()
    except SQLAlchemyError as exc:
        log.warning("could not drop %s (the next run drops it): %s", database.name, exc)


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """SIGTERM (a CI timeout, `kill`) unwinds the stack as Ctrl-C does, so the finally above runs.

    KeyboardInterrupt, not SystemExit: bench/__main__ goes on to the next benchmark after a
    SystemExit, and a terminated `make bench` must stop.
    """
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
