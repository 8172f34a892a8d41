"""Each test run (and each pytest-xdist worker) and each benchmark run gets a PostgreSQL database and a
Redis db of its own on the shared servers.

Several runs share one machine (engineers, helpers, CI, `make bench` beside `make test`), so nothing
may be fixed: a run creates ``gw_<kind>_<host>_<pid>_<label>`` (kind ``test`` with the xdist worker as
label, or ``bench`` with the benchmark's name) on the server named by TEST_DATABASE_URL and drops it
at the end, and leases one of Redis's numbered databases (1–15) with a key in db 0 that names its
owner. Tests and benchmarks draw from one pool of leases and one family of names, so neither can
flush or drop what the other holds.

A run that was killed leaves its database and lease behind; the next run (of either kind) drops and
frees them. Whether the owner still runs is asked of the servers, not of the process table: runs in
other containers or PID namespaces share these servers while their process ids mean nothing here (a
run once dropped a live run's database because its pid looked dead from another namespace). So each
owner keeps one connection open for its whole life — on PostgreSQL holding a session advisory lock
named after its database, on Redis a client named after its lease — and the servers release both the
moment the process dies.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import secrets
import socket

import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.runtime.config import with_database_driver

log = logging.getLogger(__name__)

# The shared servers the private databases and Redis dbs are made on.
PG_SERVER_URL = with_database_driver(
    os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"))
REDIS_SERVER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")

# The key's name predates benchmarks; it stays, so runs of older checkouts share the one pool.
LEASE_PREFIX = "gridwhistle-test-lease:"
LEASE_SECONDS = 6 * 3600
REDIS_DATABASES = range(1, 16)  # db 0 holds the leases
HOST = socket.gethostname()
# PostgreSQL names are short (63 bytes): the host goes in as 8 hex digits of its hash.
HOST_TAG = hashlib.sha1(HOST.encode()).hexdigest()[:8]
KINDS = ("test", "bench")
DB_PREFIX = f"gw_test_{HOST_TAG}_"


def private_name(kind: str, label: str, pid: int | None = None) -> str:
    """gw_<kind>_<host>_<pid>_<label>: whose database it is, so another run can tell a leftover."""
    assert kind in KINDS, kind
    return f"gw_{kind}_{HOST_TAG}_{pid or os.getpid()}_{re.sub(r'[^a-z0-9]', '', label.lower())}"


def run_name(pid: int | None = None) -> str:
    """This test run's (or xdist worker's) database."""
    return private_name("test", os.environ.get("PYTEST_XDIST_WORKER", "main"), pid)


def is_private_database(name: str) -> bool:
    """A database some test or bench run made (with or without the host tag, which older runs did not add)."""
    return re.fullmatch(r"gw_(?:test|bench)_(?:[0-9a-f]{8}_)?\d+_[a-z0-9]+", name) is not None


def _lock_key(name: str):
    # One advisory lock per private database, taken in the server's "postgres" database (advisory
    # locks are per database; every run's admin connection meets there).
    return text("SELECT pg_try_advisory_lock(hashtext(:name))").bindparams(name=name)


class PrivateDatabase:
    """A database of this run's own on the PostgreSQL server of base_url."""

    def __init__(self, base_url: str, *, name: str | None = None, pid: int | None = None, suffix: str = ""):
        """name: a private_name() (default: this test run's, run_name). suffix: a second database of this
        run (a test's own, say), named after the run's so that another run's cleanup still knows whose
        it is; letters and digits only."""
        self.base = make_url(base_url)
        self.name = (name or run_name(pid)) + suffix
        assert is_private_database(self.name), self.name
        self.url = self.base.set(database=self.name).render_as_string(hide_password=False)
        self._engine = None
        self._life = None  # the connection whose advisory lock says "this run is alive"

    def _admin(self):
        return create_engine(self.base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             connect_args={"connect_timeout": 2})

    def create(self) -> str:
        """Take this run's lock, drop the databases of runs that died (nobody holds their lock), create ours."""
        self._engine = self._admin()
        self._life = self._engine.connect()
        if not self._life.execute(_lock_key(self.name)).scalar():
            self._life.close()
            self._engine.dispose()
            self._life = self._engine = None
            raise RuntimeError(f"database {self.name} belongs to a run still going (its lock is held)")
        try:
            with self._engine.connect() as conn:
                names = conn.execute(text(r"SELECT datname FROM pg_database WHERE datname LIKE 'gw\_%'"))
                for name in names.scalars().all():
                    if is_private_database(name) and (name == self.name or self._owner_gone(conn, name)):
                        try:
                            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                        except SQLAlchemyError as exc:  # another run dropping it at the same moment
                            log.warning("could not drop leftover database %s: %s", name, exc)
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
                # A test or bench database need not survive a server crash: commits stop waiting for
                # the disk (visibility and locking are unchanged, so no test gets weaker).
                conn.execute(text(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off'))
        except BaseException:
            # Ours by the lock, so whatever was made goes (Ctrl-C during a slow CREATE DATABASE, say).
            with contextlib.suppress(SQLAlchemyError):
                self.drop()
            raise
        return self.url

    @staticmethod
    def _owner_gone(conn, name: str) -> bool:
        """Nobody holds the database's lock: its run ended without dropping it (we let the lock go again)."""
        if not conn.execute(_lock_key(name)).scalar():
            return False
        conn.execute(text("SELECT pg_advisory_unlock(hashtext(:name))").bindparams(name=name))
        return True

    def drop(self) -> None:
        engine = self._engine or self._admin()
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        finally:
            if self._life is not None:
                self._life.close()
                self._life = None
            engine.dispose()
            self._engine = None


class RedisLease:
    """One numbered Redis database for this run, leased through a key in db 0.

    The key names the owner; the owner keeps a client connection named the same open until it
    releases the lease, so a lease whose name no connected client carries belongs to a run that died.
    """

    def __init__(self, base_url: str, *, pid: int | None = None, kind: str = "test"):
        assert kind in KINDS, kind
        self.base_url = base_url
        # Client names may not hold spaces; the random part tells apart two runs with one pid
        # (two PID namespaces on one host).
        self.owner = f"gw{kind}-{HOST_TAG}-{pid or os.getpid()}-{secrets.token_hex(4)}"
        self.db: int | None = None
        self._life: redis.Redis | None = None

    def _client(self, db: int) -> redis.Redis:
        return redis.Redis.from_url(make_url_with_db(self.base_url, db), socket_connect_timeout=2)

    def _flush(self, db: int) -> None:
        with self._client(db) as client:
            client.flushdb()

    @staticmethod
    def _dead(lobby: redis.Redis, holder: str) -> bool:
        """No connected client carries the holder's name: its run is gone (killed, or its container stopped)."""
        return holder not in {c.get("name") for c in lobby.client_list()}

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
        # The connection that says "alive" for as long as this run leases its db.
        self._life = redis.Redis.from_url(make_url_with_db(self.base_url, 0), socket_connect_timeout=2,
                                          client_name=self.owner)  # named again on any reconnect
        self._life.ping()
        lobby = self._client(0)
        try:
            for db in REDIS_DATABASES:
                key = f"{LEASE_PREFIX}{db}"
                if self.db is None and lobby.set(key, self.owner, nx=True, ex=LEASE_SECONDS):
                    self.db = db
                    continue
                holder = (lobby.get(key) or b"").decode()
                if not (holder and self._dead(lobby, holder) and self._swap(lobby, key, holder, self.owner)):
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
            self._life.close()
            raise RuntimeError("all 15 Redis databases are leased by running test runs and benches (each xdist "
                               "worker holds one): wait for a run to end, or run with fewer workers (-n)")
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
            if self._life is not None:
                self._life.close()
                self._life = None
        self.db = None


def make_url_with_db(url: str, db: int) -> str:
    """redis://host:port[/n] → the same server, database db."""
    head = re.sub(r"/\d*$", "", url.rstrip("/"))
    return f"{head}/{db}"
