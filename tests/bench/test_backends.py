"""Benchmarks take a database and a Redis db of their own the tests' way (bench/backends.py): never
one a live test run (or bench) holds, given back however the bench ends, and swept up by the next
run when the bench was killed. Real processes on the real servers, as in tests/test_isolation.py."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import backends
from bot.local.isolation import (
    HOST_TAG,
    LEASE_PREFIX,
    PG_SERVER_URL,
    REDIS_SERVER_URL,
    PrivateDatabase,
    RedisLease,
    private_name,
)
from tests.conftest import ROOT

# A bench that takes its services, says which, and waits for a line on stdin; then it fails.
BENCH = """
import json, sys
from bench.backends import private_services
with private_services("isolationcheck") as services:
    print(json.dumps(services), flush=True)
    sys.stdin.readline()
    raise RuntimeError("the bench failed")
"""


def start_bench(spawned: list[subprocess.Popen]) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-c", BENCH], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    spawned.append(proc)
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return proc, json.loads(line)


def databases() -> set[str]:
    engine = create_engine(make_url(PG_SERVER_URL).set(database="postgres"))
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT datname FROM pg_database")).scalars())
    finally:
        engine.dispose()


def db_number(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def lease_holder(db: int) -> str:
    with redis.Redis.from_url(REDIS_SERVER_URL, db=0) as lobby:
        return (lobby.get(f"{LEASE_PREFIX}{db}") or b"").decode()


def test_a_bench_beside_a_live_test_run_takes_neither_its_database_nor_its_redis_db(services, spawned):
    with redis.Redis.from_url(services["redis"]) as mine:
        mine.set("test-run-data", "1")
    proc, taken = start_bench(spawned)

    name = make_url(taken["database_url"]).database
    assert name == private_name("bench", "isolationcheck", proc.pid)
    assert name in databases() and make_url(services["database"]).database in databases()
    assert db_number(taken["redis_url"]) != db_number(services["redis"])
    assert lease_holder(db_number(taken["redis_url"])).startswith(f"gwbench-{HOST_TAG}-{proc.pid}-")
    with redis.Redis.from_url(services["redis"]) as mine:
        assert mine.get("test-run-data") == b"1"  # taking a lease flushed nobody else's db

    # A test run starting now sweeps leftovers: the live bench's are not leftovers.
    next_run, next_lease = PrivateDatabase(PG_SERVER_URL, pid=os.getpid() + 3_000_000), RedisLease(REDIS_SERVER_URL)
    try:
        next_run.create()
        assert db_number(next_lease.acquire()) not in (db_number(taken["redis_url"]), db_number(services["redis"]))
        assert name in databases()
        assert lease_holder(db_number(taken["redis_url"])).startswith(f"gwbench-{HOST_TAG}-{proc.pid}-")
    finally:
        next_lease.release()
        next_run.drop()


@pytest.mark.parametrize("ending", ["exception", "ctrl-c", "sigterm"])
def test_a_bench_gives_its_database_and_redis_db_back_however_it_ends(services, spawned, ending):
    proc, taken = start_bench(spawned)
    name, db = make_url(taken["database_url"]).database, db_number(taken["redis_url"])
    with redis.Redis.from_url(taken["redis_url"]) as client:
        client.set("bench-data", "1")
    if ending == "exception":
        proc.stdin.write("go on\n")
        proc.stdin.flush()
    else:
        proc.send_signal(signal.SIGINT if ending == "ctrl-c" else signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode != 0  # it failed or was stopped, and still cleaned up:
    assert name not in databases()
    assert not lease_holder(db).startswith(f"gwbench-{HOST_TAG}-{proc.pid}-")
    with redis.Redis.from_url(taken["redis_url"]) as client:
        assert client.get("bench-data") is None


def test_a_killed_benchs_database_and_redis_db_are_dropped_and_flushed_by_the_next_run(services, spawned):
    proc, taken = start_bench(spawned)
    name, db = make_url(taken["database_url"]).database, db_number(taken["redis_url"])
    with redis.Redis.from_url(taken["redis_url"]) as client:
        client.set("left-behind", "1")
    owner = lease_holder(db)
    assert name in databases() and owner.startswith(f"gwbench-{HOST_TAG}-{proc.pid}-")
    proc.kill()  # no finally runs
    proc.wait()

    # Other engineers' runs may sweep first (and take the freed db): only "gone" is certain.
    next_run, next_lease = PrivateDatabase(PG_SERVER_URL, pid=os.getpid() + 4_000_000), RedisLease(REDIS_SERVER_URL)
    try:
        next_run.create()
        next_lease.acquire()
        assert name not in databases()
        assert lease_holder(db) != owner
        with redis.Redis.from_url(taken["redis_url"]) as client:
            assert client.get("left-behind") is None
    finally:
        next_lease.release()
        next_run.drop()


def test_without_postgresql_the_bench_runs_embedded(monkeypatch):
    monkeypatch.setattr(backends, "PG_SERVER_URL", "postgresql+psycopg2://postgres@127.0.0.1:1/postgres")
    with backends.private_services("isolationcheck") as taken:
        assert taken is None


def test_without_redis_the_database_already_made_is_dropped_and_the_bench_runs_embedded(services, monkeypatch):
    monkeypatch.setattr(backends, "REDIS_SERVER_URL", "redis://127.0.0.1:1")
    with backends.private_services("isolationcheck") as taken:
        assert taken is None
        assert private_name("bench", "isolationcheck") not in databases()
