"""Runs never collide: each run (and xdist worker) has its own PostgreSQL database and Redis db, and
what a killed run left behind is cleaned by the next run; a live run in another PID namespace (whose
process id means nothing here) keeps what it has (bot/local/isolation.py; benchmarks: tests/bench/test_backends.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_SERVER_URL, REDIS_SERVER_URL
from bot.local import isolation
from bot.local.isolation import (
    DB_PREFIX,
    HOST_TAG,
    LEASE_PREFIX,
    PrivateDatabase,
    RedisLease,
    is_private_database,
    private_name,
    run_name,
)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_elsewhere(spawned: list[subprocess.Popen], code: str) -> str:
    """Another test run: a process that takes a database or lease (code prints its name), then stays."""
    proc = subprocess.Popen([sys.executable, "-c", f"{code}\nimport sys, time; sys.stdout.flush(); time.sleep(120)"],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT})
    spawned.append(proc)
    return proc.stdout.readline().strip()


def database_elsewhere(spawned, pid: int) -> str:
    return run_elsewhere(spawned, "from bot.local.isolation import PrivateDatabase\n"
                         f"d = PrivateDatabase({PG_SERVER_URL!r}, pid={pid}); d.create(); print(d.name)")


def lease_elsewhere(spawned) -> str:
    """The Redis url the other run leased."""
    return run_elsewhere(spawned, "from bot.local.isolation import RedisLease\n"
                         f"lease = RedisLease({REDIS_SERVER_URL!r}); print(lease.acquire())")


def kill(proc: subprocess.Popen) -> int:
    proc.kill()
    proc.wait()
    return proc.pid


def databases() -> set[str]:
    engine = create_engine(make_url(PG_SERVER_URL).set(database="postgres"))
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT datname FROM pg_database")).scalars())
    finally:
        engine.dispose()


def lease_holder(db: int) -> str:
    with redis.Redis.from_url(REDIS_SERVER_URL, db=0) as lobby:
        return (lobby.get(f"{LEASE_PREFIX}{db}") or b"").decode()


def test_names_carry_host_process_and_worker(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    assert run_name(42) == f"{DB_PREFIX}42_gw3"
    assert private_name("bench", "Web-hook", 42) == f"gw_bench_{HOST_TAG}_42_webhook"
    assert is_private_database(run_name(42)) and is_private_database("gw_test_42_main")  # before the host tag
    assert is_private_database(private_name("bench", "conversations"))
    for other in ("test", "gridwhistle", "bench", "bench_conversations", "gw_bench_console", "gw_other_1_x"):
        assert not is_private_database(other)


def test_this_run_uses_its_own_database_and_redis_db(services):
    assert make_url(services["database"]).database == run_name()
    db = int(services["redis"].rsplit("/", 1)[1])
    holder = lease_holder(db)
    assert holder.startswith(f"gwtest-{HOST_TAG}-{os.getpid()}-")
    with redis.Redis.from_url(REDIS_SERVER_URL, db=0) as lobby:
        assert holder in {c.get("name") for c in lobby.client_list()}  # the connection that says "alive"


def test_a_killed_runs_database_is_dropped_and_a_live_one_kept_whatever_its_pid(services, spawned, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "isolationcheck")
    killed = database_elsewhere(spawned, pid=os.getpid() + 1_000_000)
    # A live run from another PID namespace: its pid is no process here (the bug this guards against).
    elsewhere = database_elsewhere(spawned, pid=os.getpid() + 2_000_000)
    kill(spawned[0])
    next_run = PrivateDatabase(PG_SERVER_URL, pid=os.getpid() + 3_000_000)
    try:
        next_run.create()
        present = databases()
        assert killed not in present  # the killed run's leftover is gone
        assert {next_run.name, elsewhere, make_url(services["database"]).database} <= present
    finally:
        next_run.drop()
        kill(spawned[1])
        sweeper = PrivateDatabase(PG_SERVER_URL, pid=os.getpid() + 4_000_000)
        sweeper.create()  # drops the one just killed
        sweeper.drop()
    assert not {next_run.name, elsewhere, sweeper.name} & databases()


def test_runs_at_once_lease_different_dbs_and_a_killed_runs_lease_is_flushed_and_freed(services, spawned):
    with ThreadPoolExecutor(3) as pool:
        urls = list(pool.map(lambda _: lease_elsewhere(spawned), range(3)))
    assert len(set(urls)) == 3, urls  # three runs at once: three different dbs
    killed_db, survivor_db = (int(u.rsplit("/", 1)[1]) for u in urls[:2])
    # Which process leased which db is not known (they ran at once): ask the holders' names.
    holders = {db: lease_holder(db) for db in (killed_db, survivor_db)}
    owner_pid = {db: int(holders[db].split("-")[2]) for db in holders}
    by_pid = {p.pid: p for p in spawned}
    kill(by_pid[owner_pid[killed_db]])
    with redis.Redis.from_url(urls[0]) as client:
        client.set("left-behind", "1")
    with redis.Redis.from_url(urls[1]) as client:
        client.set("still-running", "1")

    next_run = RedisLease(REDIS_SERVER_URL)
    next_url = next_run.acquire()
    try:
        assert lease_holder(killed_db) in ("", next_run.owner)  # freed, or taken over by the next run
        with redis.Redis.from_url(urls[0]) as client:
            assert client.get("left-behind") is None  # flushed either way
        assert lease_holder(survivor_db) == holders[survivor_db]  # a live run keeps its db and data
        with redis.Redis.from_url(urls[1]) as client:
            assert client.get("still-running") == b"1"
        assert next_url not in urls[1:]
    finally:
        next_run.release()


def test_a_second_database_under_this_runs_own_name_is_refused_not_dropped(services):
    # A test once built a PrivateDatabase with the run's own name: create() dropped the run's live
    # database and every later test of that worker failed with "database does not exist".
    with pytest.raises(RuntimeError, match="still going"):
        PrivateDatabase(PG_SERVER_URL).create()
    assert make_url(services["database"]).database in databases()


def test_a_database_interrupted_while_being_made_is_dropped_and_its_lock_let_go(services, monkeypatch):
    # CREATE DATABASE can take seconds on a busy server: Ctrl-C (or a bench's SIGTERM) lands there.
    real_text = isolation.text

    def interrupted_after_create(sql, *args, **kwargs):
        if sql.startswith("ALTER DATABASE"):  # the statement after CREATE DATABASE
            raise KeyboardInterrupt
        return real_text(sql, *args, **kwargs)

    monkeypatch.setattr(isolation, "text", interrupted_after_create)
    interrupted = PrivateDatabase(PG_SERVER_URL, pid=os.getpid() + 5_000_000)
    with pytest.raises(KeyboardInterrupt):
        interrupted.create()
    monkeypatch.undo()
    assert interrupted.name not in databases()
    again = PrivateDatabase(PG_SERVER_URL, pid=os.getpid() + 5_000_000)
    again.create()  # the lock was let go: the name is free again
    again.drop()
