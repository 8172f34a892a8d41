"""Shared fixtures: an app per test on each backend, and signed-callback helpers.

Backends: "embedded" (SQLite file + in-process Redis stand-in) always; "services"
(PostgreSQL + Redis on 127.0.0.1) when reachable. Under CI (env CI set) the real
services must be there: a missing one fails the run instead of being skipped.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from bot.local.isolation import PG_SERVER_URL, REDIS_SERVER_URL, PrivateDatabase, RedisLease
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN, Settings

ROOT = Path(__file__).resolve().parent.parent
# The servers to use (TEST_DATABASE_URL, TEST_REDIS_URL): each run makes its own database and
# leases its own Redis db on them (bot/local/isolation.py), so runs on one machine never collide.
MODEL_PATH = ROOT / "instance" / "model" / "classifier.joblib"


def _postgres_up() -> bool:
    try:
        engine = create_engine(PG_SERVER_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_SERVER_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _backends() -> list[str]:
    services_up = _postgres_up() and _redis_up()
    if os.environ.get("CI") and not services_up:
        raise pytest.UsageError(
            "CI is set but PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) is unreachable: "
            "the suite must run against the real services in CI"
        )
    return ["embedded", "services"] if services_up else ["embedded"]


BACKENDS = _backends()


@pytest.fixture(scope="session", autouse=True)
def password_hashing_once_per_password():
    """Hash each distinct password once per test process, and check each (hash, password) pair once.

    Why: the console fixture gives ~20 demo staff the same password and every console test logs
    someone in; a real scrypt hash or check costs ~0.1 s, and ~150 setups and ~250 logins spent most
    of their time there. Both functions are pure, so remembering their answers changes no outcome:
    the first hash and the first check of each pair are real, a wrong password still fails, and
    the product's code still calls both. Only the salt is shared between accounts, only in tests.
    """
    from bot.console import accounts

    real_hash, real_check = accounts.generate_password_hash, accounts.check_password_hash
    hashes: dict[tuple, str] = {}
    checks: dict[tuple[str, str], bool] = {}

    def hash_once(password: str, *args, **kwargs) -> str:
        key = (password, args, tuple(sorted(kwargs.items())))
        if key not in hashes:
            hashes[key] = real_hash(password, *args, **kwargs)
        return hashes[key]

    def check_once(pwhash: str, password: str) -> bool:
        if (pwhash, password) not in checks:
            checks[(pwhash, password)] = real_check(pwhash, password)
        return checks[(pwhash, password)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "generate_password_hash", hash_once)
        patch.setattr(accounts, "check_password_hash", check_once)
        yield


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The product's trained classifier (and its digest); trained once if this checkout has none yet."""
    digest = MODEL_PATH.with_name(MODEL_PATH.name + ".sha256")
    if not MODEL_PATH.exists() or not digest.exists():
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        # xdist workers start together: one trains, the others wait for its model.
        with open(MODEL_PATH.parent / ".train.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not MODEL_PATH.exists() or not digest.exists():
                subprocess.run([sys.executable, "-m", "classifier", "train"], cwd=ROOT, check=True)
    return MODEL_PATH


@pytest.fixture(scope="session")
def service_urls():
    """This run's own PostgreSQL database and Redis db (None when the services are not up)."""
    if "services" not in BACKENDS:
        yield None
        return
    database, lease = PrivateDatabase(PG_SERVER_URL), RedisLease(REDIS_SERVER_URL)
    urls = {"database": database.create(), "redis": lease.acquire()}
    yield urls
    lease.release()
    database.drop()


@pytest.fixture
def services(service_urls):
    """The real PostgreSQL and Redis of this run, or a skip where they are not up."""
    if service_urls is None:
        pytest.skip("PostgreSQL and Redis are not reachable")
    return service_urls


@pytest.fixture
def spawned():
    """Other processes a test starts (stand-ins for other test runs, benches): killed at its end."""
    started = []
    yield started
    for proc in started:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory, service_urls):
    """Run the Alembic migrations once per backend for the whole session."""
    from bot.runtime.db import Database, migrate

    urls = {}
    if "embedded" in BACKENDS:
        urls["embedded"] = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if service_urls is not None:
        urls["services"] = service_urls["database"]
    for url in urls.values():
        db = Database(url)
        migrate(db.engine)
        db.dispose()
    return urls


def _clean(db) -> None:
    """Empty every table and restart every id sequence, so each test starts from a fresh database.

    DELETE, not TRUNCATE, on PostgreSQL too: TRUNCATE makes new files for every table and index
    (~0.8 s for the 28 tables here, paid by each of ~350 tests), DELETE on a few demo rows takes
    milliseconds. Children go before parents (reversed metadata order), so no foreign key objects.
    """
    from models import Base

    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        for name in tables:
            conn.execute(text(f"DELETE FROM {name}"))
        if db.is_sqlite:
            if conn.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))
        else:
            conn.execute(text("SELECT setval(seqrelid::regclass, seqstart, false) FROM pg_sequence"))


@pytest.fixture(params=BACKENDS)
def settings(request, migrated, service_urls, model_path, tmp_path) -> Settings:
    backend = request.param
    return Settings(
        env="test",
        database_url=migrated[backend],
        redis_url=service_urls["redis"] if backend == "services" else "",
        job_mode="inprocess",
        classifier_model_path=str(model_path),
        wecom_api_base_url="http://127.0.0.1:9",  # tests that push start a fake server
        wechat_api_base_url="http://127.0.0.1:9",
        photo_dir=str(tmp_path / "photos"),  # never the checkout's instance/photos
    ).validated()


@pytest.fixture
def app(settings):
    from bot.app import create_app

    app = create_app(settings, start_jobs=False)
    svc = app.extensions["gridwhistle"]
    _clean(svc.db)
    svc.redis.flushdb()
    yield app
    svc.db.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def svc(app):
    return app.extensions["gridwhistle"]


@pytest.fixture
def demo(app, svc):
    """The demo district seeded into this test's database."""
    from bot.local.demo import seed_demo

    with svc.db.session() as session:
        seed_demo(session)
        session.commit()
    return svc


DEMO = {"token": DEMO_TOKEN, "aes_key": DEMO_AES_KEY, "corp_id": DEMO_CORP_ID}


BROWSER_GROUP = "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium runs in one xdist worker (one browser, not one per worker),
    and first, so the longest group of the run starts early instead of finishing last.

    tryfirst: xdist reads the xdist_group marks in its own hook, which must come after this one.
    """
    in_browser = [item for item in items if "browser" in getattr(item, "fixturenames", ())]
    for item in in_browser:
        item.add_marker(pytest.mark.xdist_group(BROWSER_GROUP))
    chosen = set(map(id, in_browser))
    items[:] = in_browser + [item for item in items if id(item) not in chosen]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright's sync API allows one per thread)."""
    from tests.browser import chromium_browser

    with chromium_browser() as b:
        yield b


# An S3-compatible endpoint on loopback (moto's server) for the photo store's S3 half; shared by
# the store's unit tests and the photo stories.
@pytest.fixture(scope="module")
def moto_endpoint():
    server_mod = pytest.importorskip("moto.server")
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
