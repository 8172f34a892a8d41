"""Fixtures for channel tests: Redis (fakeredis and real), the fake WeChat server, settings.

Every Redis-backed test runs twice: on fakeredis and on the real Redis (this run's own leased
database, see bot/local/isolation.py). The real run is skipped when Redis is unreachable, except
under CI (env CI set), where the root conftest already fails the run. Every key a test writes
lives under its own namespace (fixture ``ns``) and is deleted afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import fakeredis
import pytest
import redis

from bot.delivery.channels.routes import ChannelSettings, Deliverer
from bot.local.fake_wechat import FakeWeChatServer, FakeWeChatState

from .helpers import AGENT_ID, CLIENT_TIMEOUT, TEMPLATE_ID, RedisFactory

@pytest.fixture
def ns() -> str:
    """A key namespace per test. Runs of the suite overlap (several engineers, CI), so
    isolation comes from unique keys, not from FLUSHDB, which would wipe a parallel run."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["fakeredis", "real-redis"])
def redis_factory(request: pytest.FixtureRequest, ns: str, service_urls) -> Iterator[RedisFactory]:
    """Makes independent clients on one store: each client stands for one process."""
    if request.param == "fakeredis":
        server = fakeredis.FakeServer()
        yield lambda: fakeredis.FakeRedis(server=server)
        return
    if service_urls is None:
        pytest.skip("Redis is not reachable")
    real_url = service_urls["redis"]
    probe = redis.Redis.from_url(real_url, socket_connect_timeout=0.5)
    clients: list[redis.Redis] = []

    def make() -> redis.Redis:
        client = redis.Redis.from_url(real_url)
        clients.append(client)
        return client

    yield make
    stale = list(probe.scan_iter(match=f"{ns}:*", count=500))
    if stale:
        probe.delete(*stale)
    for client in clients:
        client.close()
    probe.close()


@pytest.fixture
def redis_client(redis_factory: RedisFactory) -> redis.Redis:
    return redis_factory()


@pytest.fixture
def fake_state() -> FakeWeChatState:
    state = FakeWeChatState(timeout_sleep=CLIENT_TIMEOUT * 2)
    state.add_chat("grid-07", ["wang", "li", "zhao"], name="幸福里7网格")
    state.open_window("o-inside")
    return state


@pytest.fixture
def fake(fake_state: FakeWeChatState) -> Iterator[FakeWeChatServer]:
    with FakeWeChatServer(fake_state) as server:
        yield server


@pytest.fixture
def settings(fake: FakeWeChatServer) -> ChannelSettings:
    st = fake.state
    return ChannelSettings(
        api_base_url=fake.base_url,
        corp_id=st.corp_id,
        corp_secret=st.corp_secret,
        agent_id=AGENT_ID,
        oa_app_id=st.oa_app_id,
        oa_secret=st.oa_secret,
        oa_template_id=TEMPLATE_ID,
        timeout=CLIENT_TIMEOUT,
    )


@pytest.fixture
def deliverer(
    settings: ChannelSettings, redis_client: redis.Redis, ns: str
) -> Deliverer:
    return Deliverer(settings, redis_client, namespace=ns)
