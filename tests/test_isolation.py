"""Runs never collide: each run (and xdist worker) has its own PostgreSQL database and Redis db, and
what a killed run left behind is cleaned by the next run on the same host (tests/isolation.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_SERVER_URL, REDIS_SERVER_URL
from tests.isolation import DB_PREFIX, HOST, LEASE_PREFIX, PrivateDatabase, RedisLease, owner_pid, run_name


@pytest.fixture
def services(service_urls):
    if service_urls is None:
        pytest.skip("PostgreSQL and Redis are not reachable")
    return service_urls


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen]]:
    """Stand-ins for other test runs: live processes that a test may kill."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        proc.kill()
        proc.wait()


def start(processes: list[subprocess.Popen]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    processes.append(proc)
    return proc


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
    assert owner_pid(run_name(42)) == 42
    assert owner_pid("gw_test_42_main") == 42  # named before the host tag: this host's
    assert owner_pid("gw_test_otherhst_42_gw0") is None  # another host's: never ours to drop
    assert owner_pid("test") is None and owner_pid("gridwhistle") is None


def test_this_run_uses_its_own_database_and_redis_db(services):
    assert make_url(services["database"]).database == run_name()
    db = int(services["redis"].rsplit("/", 1)[1])
    assert lease_holder(db) == f"{HOST}:{os.getpid()}"


def test_a_killed_runs_database_is_dropped_by_the_next_run(services, processes, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "isolationcheck")
    killed_run = PrivateDatabase(PG_SERVER_URL, pid=start(processes).pid)
    killed_run.create()
    kill(processes[0])
    other_host = f"gw_test_otherhst_{processes[0].pid}_gw0"
    admin = create_engine(make_url(PG_SERVER_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{other_host}"'))
    next_run = PrivateDatabase(PG_SERVER_URL, pid=start(processes).pid)
    try:
        next_run.create()
        present = databases()
        assert killed_run.name not in present  # the killed run's leftover is gone
        assert {next_run.name, other_host, make_url(services["database"]).database} <= present
    finally:
        next_run.drop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{other_host}" WITH (FORCE)'))
        admin.dispose()
    assert next_run.name not in databases()


def test_runs_at_once_lease_different_dbs_and_a_killed_runs_lease_is_flushed_and_freed(services, processes):
    runs = [RedisLease(REDIS_SERVER_URL, pid=start(processes).pid) for _ in range(3)]
    with ThreadPoolExecutor(len(runs)) as pool:
        urls = list(pool.map(lambda lease: lease.acquire(), runs))
    try:
        assert len(set(urls)) == len(runs), urls  # three runs at once: three different dbs
        killed, survivor, _ = runs
        with redis.Redis.from_url(urls[0]) as client:
            client.set("left-behind", "1")
        kill(processes[0])
        with redis.Redis.from_url(urls[1]) as client:
            client.set("still-running", "1")

        next_run = RedisLease(REDIS_SERVER_URL, pid=start(processes).pid)
        next_url = next_run.acquire()
        try:
            assert lease_holder(killed.db) in ("", next_run.owner)  # freed, or taken over by the next run
            with redis.Redis.from_url(urls[0]) as client:
                assert client.get("left-behind") is None  # flushed either way
            assert lease_holder(survivor.db) == survivor.owner  # a live run keeps its db and data
            with redis.Redis.from_url(urls[1]) as client:
                assert client.get("still-running") == b"1"
            assert next_url not in urls[1:]
        finally:
            next_run.release()
    finally:
        for lease in runs[1:]:
            lease.release()
    assert lease_holder(survivor.db) == ""
