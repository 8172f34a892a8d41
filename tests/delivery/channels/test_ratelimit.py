"""Redis token buckets: allowed first, then a wait; shared by every process."""

from __future__ import annotations

import pytest

from bot.delivery.channels.ratelimit import TokenBucket, acquire_all

from .helpers import RedisFactory

T0 = 1_800_000_000.0


def test_robot_burst_of_25_allows_20_then_asks_to_wait(ns: str, redis_client) -> None:
    bucket = TokenBucket(redis_client, f"{ns}:rl:robot:k1", rate_per_minute=20)
    waits = [bucket.acquire() for _ in range(25)]
    assert waits[:20] == [0.0] * 20
    assert all(w > 0 for w in waits[20:])
    assert all(w <= 60 / 20 * 5 for w in waits[20:])


def test_shared_across_bucket_instances_and_clients(
    ns: str,
    redis_factory: RedisFactory,
) -> None:
    a = TokenBucket(redis_factory(), f"{ns}:rl:robot:k2", 20)
    b = TokenBucket(redis_factory(), f"{ns}:rl:robot:k2", 20)
    results = [(a if i % 2 else b).acquire(now=T0) for i in range(25)]
    assert results.count(0.0) == 20
    assert a.acquire(now=T0) > 0 and b.acquire(now=T0) > 0


def test_refills_over_time_and_wait_is_exact(ns: str, redis_client) -> None:
    bucket = TokenBucket(redis_client, f"{ns}:rl:robot:k3", 20)  # one token every 3 s
    for _ in range(20):
        assert bucket.acquire(now=T0) == 0
    assert bucket.acquire(now=T0) == pytest.approx(3.0)
    assert bucket.acquire(now=T0 + 1.5) == pytest.approx(1.5)
    assert bucket.acquire(now=T0 + 3.0) == 0
    assert bucket.acquire(now=T0 + 3.0) > 0


def test_a_denied_request_charges_nothing(ns: str, redis_client) -> None:
    robot = TokenBucket(redis_client, f"{ns}:rl:robot:k4", 20)
    corp = TokenBucket(redis_client, f"{ns}:rl:corp", 100)
    assert acquire_all([(corp, 95)], now=T0) == 0
    # The robot bucket has room, the corp one does not: neither is charged.
    assert acquire_all([(robot, 1), (corp, 10)], now=T0) > 0
    assert acquire_all([(robot, 20)], now=T0) == 0


def test_group_send_costs_its_member_count(ns: str, redis_client) -> None:
    corp = TokenBucket(redis_client, f"{ns}:rl:corp2", 20_000)
    assert corp.acquire(500, now=T0) == 0
    assert corp.acquire(19_500, now=T0) == 0
    wait = corp.acquire(100, now=T0)
    assert wait == pytest.approx(100 / (20_000 / 60))


def test_cost_above_capacity_is_an_error(ns: str, redis_client) -> None:
    with pytest.raises(ValueError):
        TokenBucket(redis_client, f"{ns}:rl:x", 20).acquire(21)
