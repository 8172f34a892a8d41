"""Each test run (and each pytest-xdist worker) gets a PostgreSQL database and a Redis db of its own.

Several runs share one machine (engineers, helpers, CI), so nothing may be fixed: a run creates
``gw_test_<host>_<pid>_<worker>`` on the server named by TEST_DATABASE_URL and drops it at the end,
and leases one of Redis's numbered databases (1–15) with a key in db 0 that names its host and
process. A run that was killed leaves its database and lease behind; the next run on the same
host drops every database and frees (after flushing) every lease whose process is gone. Another
host's databases and leases are never touched: a process id means nothing across hosts.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import socket

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

LEASE_PREFIX = "gridwhistle-test-lease:"
LEASE_SECONDS = 6 * 3600
REDIS_DATABASES = range(1, 16)  # db 0 holds the leases
HOST = socket.gethostname()
# PostgreSQL names are short (63 bytes): the host goes in as 8 hex digits of its hash.
HOST_TAG = hashlib.sha1(HOST.encode()).hexdigest()[:8]
DB_PREFIX = f"gw_test_{HOST_TAG}_"


def alive(pid: int) -> bool:
    """Whether a process with this id runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_name(pid: int | None = None) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{DB_PREFIX}{pid or os.getpid()}_{re.sub(r'[^a-z0-9]', '', worker.lower())}"


def owner_pid(database: str) -> int | None:
    """The process that created a test database of this host (None for other hosts' and others')."""
    found = (re.fullmatch(rf"{DB_PREFIX}(\d+)_[a-z0-9]+", database)
             # Before the host tag (2026-12-03) names had none; they can only be this machine's.
             or re.fullmatch(r"gw_test_(\d+)_[a-z0-9]+", database))
    return int(found.group(1)) if found else None


class PrivateDatabase:
    """A database of this run's own on the PostgreSQL server of base_url."""

    def __init__(self, base_url: str, *, pid: int | None = None):
        self.base = make_url(base_url)
        self.name = run_name(pid)
        self.url = self.base.set(database=self.name).render_as_string(hide_password=False)

    def _admin(self):
        return create_engine(self.base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             connect_args={"connect_timeout": 2})

    def create(self) -> str:
        """Drop the databases killed runs of this host left behind, then create this run's."""
        engine = self._admin()
        try:
            with engine.connect() as conn:
                names = conn.execute(text(r"SELECT datname FROM pg_database WHERE datname LIKE 'gw\_test\_%'"))
                for name in names.scalars().all():
                    pid = owner_pid(name)
                    if name == self.name or (pid is not None and not alive(pid)):
                        try:
                            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                        except SQLAlchemyError as exc:  # another run dropping it at the same moment
                            log.warning("could not drop leftover test database %s: %s", name, exc)
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
                # A test database need not survive a server crash: commits stop waiting for the
                # disk (visibility and locking are unchanged, so no test gets weaker).
                conn.execute(text(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off'))
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

    def __init__(self, base_url: str, *, pid: int | None = None):
        self.base_url = base_url
        self.owner = f"{HOST}:{pid or os.getpid()}"
        self.db: int | None = None

    def _client(self, db: int) -> redis.Redis:
        return redis.Redis.from_url(make_url_with_db(self.base_url, db), socket_connect_timeout=2)

    def _flush(self, db: int) -> None:
        with self._client(db) as client:
            client.flushdb()

    @staticmethod
    def _dead(holder: str) -> bool:
        host, _, pid = holder.rpartition(":")
        return host == HOST and pid.isdigit() and not alive(int(pid))

    def _swap(self, lobby: redis.Redis, key: str, expected: str, new: str | None) -> bool:
        """Compare and set (or delete, new=None) the lease key, atomically (WATCH/MULTI)."""
        with lobby.pipeline() as pipe:
            try:
                pipe.watch(key)
                if (pipe.get(key) or b"").decode() != expected:
                    return False
                pipe.multi()
                if new is None:
                    pipe.delete(key)
                else:
                    pipe.set(key, new, ex=LEASE_SECONDS)
                pipe.execute()
                return True
            except redis.WatchError:  # someone else changed it first
                return False

    def acquire(self) -> str:
        """Lease the first free db; on the way, flush and free every lease of a dead process."""
        lobby = self._client(0)
        try:
            for db in REDIS_DATABASES:
                key = f"{LEASE_PREFIX}{db}"
                if self.db is None and lobby.set(key, self.owner, nx=True, ex=LEASE_SECONDS):
                    self.db = db
                    continue
                holder = (lobby.get(key) or b"").decode()
                if not (holder and self._dead(holder) and self._swap(lobby, key, holder, self.owner)):
                    continue
                # A killed run's lease, now ours: its data goes; keep it if we still need a db.
                self._flush(db)
                if self.db is None:
                    self.db = db
                else:
                    self._swap(lobby, key, self.owner, None)
        finally:
            lobby.close()
        if self.db is None:
            raise RuntimeError("all 15 Redis test databases are leased by running test runs (each xdist worker "
                               "holds one): wait for a run to end, or run with fewer workers (-n)")
        self._flush(self.db)
        return make_url_with_db(self.base_url, self.db)

    def release(self) -> None:
        if self.db is None:
            return
        lobby = self._client(0)
        try:
            key = f"{LEASE_PREFIX}{self.db}"
            if (lobby.get(key) or b"").decode() == self.owner:
                self._flush(self.db)
                self._swap(lobby, key, self.owner, None)
        finally:
            lobby.close()
        self.db = None


def make_url_with_db(url: str, db: int) -> str:
    """redis://host:port[/n] → the same server, database db."""
    head = re.sub(r"/\d*$", "", url.rstrip("/"))
    return f"{head}/{db}"
