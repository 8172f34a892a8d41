"""Each test run (and each pytest-xdist worker) gets a PostgreSQL database and a Redis db of its own.

Several runs share one machine (engineers, helpers, CI), so nothing may be fixed: a run creates
``gw_test_<pid>_<worker>`` from the server named by TEST_DATABASE_URL and drops it at the end, and
leases one of Redis's numbered databases (1–15) with a key in db 0 that names its process. A run
that was killed leaves its database and lease behind; the next run drops databases and frees
leases whose process is gone.
"""
from __future__ import annotations

import os
import re
import socket

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

LEASE_PREFIX = "gridwhistle-test-lease:"
LEASE_SECONDS = 6 * 3600
HOST = socket.gethostname()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"gw_test_{os.getpid()}_{re.sub(r'[^a-z0-9]', '', worker.lower())}"


class PrivateDatabase:
    """A database of this run's own on the PostgreSQL server of base_url."""

    def __init__(self, base_url: str):
        self.base = make_url(base_url)
        self.name = run_name()
        self.url = self.base.set(database=self.name).render_as_string(hide_password=False)

    def _admin(self):
        return create_engine(self.base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             connect_args={"connect_timeout": 2})

    def create(self) -> str:
        engine = self._admin()
        try:
            with engine.connect() as conn:
                for (name,) in conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'gw_test_%'")):
                    pid = re.match(r"gw_test_(\d+)_", name)
                    if name == self.name or (pid and not _alive(int(pid.group(1)))):
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        finally:
            engine.dispose()
        return self.url

    def drop(self) -> None:
        engine = self._admin()
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        finally:
            engine.dispose()


class RedisLease:
    """One numbered Redis database for this run, leased through a key in db 0."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.owner = f"{HOST}:{os.getpid()}"
        self.db: int | None = None

    def _lobby(self) -> redis.Redis:
        return redis.Redis.from_url(self.base_url, db=0, socket_connect_timeout=2)

    def acquire(self) -> str:
        lobby = self._lobby()
        try:
            for db in range(1, 16):
                key = f"{LEASE_PREFIX}{db}"
                if lobby.set(key, self.owner, nx=True, ex=LEASE_SECONDS):
                    self.db = db
                    break
                holder = (lobby.get(key) or b"").decode()
                host, _, pid = holder.rpartition(":")
                if host == HOST and pid.isdigit() and not _alive(int(pid)):
                    # A killed run's lease: take it over (GETSET, so two runs cannot both win).
                    if (lobby.getset(key, self.owner) or b"").decode() == holder:
                        lobby.expire(key, LEASE_SECONDS)
                        self.db = db
                        break
        finally:
            lobby.close()
        if self.db is None:
            raise RuntimeError("all 15 Redis test databases are leased by running test runs")
        client = redis.Redis.from_url(self.base_url, db=self.db)
        client.flushdb()
        client.close()
        return str(make_url_with_db(self.base_url, self.db))

    def release(self) -> None:
        if self.db is None:
            return
        lobby = self._lobby()
        try:
            key = f"{LEASE_PREFIX}{self.db}"
            if (lobby.get(key) or b"").decode() == self.owner:
                redis.Redis.from_url(self.base_url, db=self.db).flushdb()
                lobby.delete(key)
        finally:
            lobby.close()


def make_url_with_db(url: str, db: int) -> str:
    """redis://host:port[/n] → the same server, database db."""
    head = re.sub(r"/\d*$", "", url.rstrip("/"))
    return f"{head}/{db}"
