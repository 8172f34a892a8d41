"""Deliverer: masking for groups, local rate limits, splitting, typed errors, safe logs."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.delivery.channels import (
    ChannelSettings,
    Deliverer,
    PermanentError,
    RateLimited,
    RateLimits,
    Route,
    TransientError,
)
from bot.delivery.channels.text import TEXT_LIMIT_BYTES, strip_part_marker, utf8_len

ROBOT_KEY = "robot-key-3f9a"
REPORT = "3号楼2单元501漏水，楼下已受影响，请联系住户张女士13812345678或5栋1202室李先生"


def test_each_route_kind_arrives(deliverer: Deliverer, fake) -> None:
    deliverer.deliver(Route("wecom_chat", "grid-07", member_count=3), "群消息")
    deliverer.deliver(Route("wecom_user", "wang"), "单聊消息")
    deliverer.deliver(Route("robot", ROBOT_KEY), "机器人消息")
    deliverer.deliver(Route("oa_user", "o-inside"), "客服消息")
    deliverer.deliver(Route("oa_user", "o-outside"), "模板消息")
    got = [(m.route, m.target, m.text) for m in fake.state.messages]
    assert got == [
        ("wecom_chat", "grid-07", "群消息"),
        ("wecom_user", "wang", "单聊消息"),
        ("robot", ROBOT_KEY, "机器人消息"),
        ("oa_custom", "o-inside", "客服消息"),
        ("oa_template", "o-outside", "模板消息"),
    ]


@pytest.mark.parametrize(
    "route", [Route("wecom_chat", "grid-07", 3), Route("robot", ROBOT_KEY)]
)
def test_group_text_is_masked_on_arrival(
    deliverer: Deliverer, fake, route: Route
) -> None:
    deliverer.deliver(route, REPORT)
    [message] = fake.state.messages
    assert "13812345678" not in message.text
    assert "501" not in message.text and "1202" not in message.text
    assert "138****5678" in message.text
    assert "3号楼2单元***" in message.text and "5栋***" in message.text


def test_direct_messages_to_staff_are_not_masked(deliverer: Deliverer, fake) -> None:
    deliverer.deliver(Route("wecom_user", "wang"), REPORT)
    assert fake.state.messages[0].text == REPORT


def test_long_group_text_is_split_into_fitting_parts(
    deliverer: Deliverer, fake
) -> None:
    text = "".join(f"第{i}条：8号楼东侧路灯不亮，已报修。\n" for i in range(200))
    deliverer.deliver(Route("robot", ROBOT_KEY), text)
    parts = [m.text for m in fake.state.messages]
    assert len(parts) > 1
    assert all(utf8_len(p) <= TEXT_LIMIT_BYTES for p in parts)
    assert "".join(strip_part_marker(p) for p in parts) == text


def test_robot_limit_defers_instead_of_dropping(deliverer: Deliverer, fake) -> None:
    route = Route("robot", ROBOT_KEY)
    for i in range(20):
        deliverer.deliver(route, f"通知{i}")
    with pytest.raises(RateLimited) as info:
        deliverer.deliver(route, "第21条")
    assert 0 < info.value.retry_after_seconds <= 3.0
    assert (
        len(fake.state.messages) == 20
    )  # the 21st never reached WeChat (no 130101 either)
    deliverer.deliver(Route("robot", "another-robot"), "另一个机器人不受影响")


def test_corp_budget_counts_group_members(
    ns: str, settings: ChannelSettings, redis_client, fake
) -> None:
    deliverer = Deliverer(
        settings, redis_client, RateLimits(corp_per_minute=100), namespace=ns
    )
    deliverer.deliver(Route("wecom_chat", "grid-07", member_count=60), "一")
    with pytest.raises(RateLimited):
        deliverer.deliver(Route("wecom_chat", "grid-07", member_count=60), "二")
    deliverer.deliver(Route("wecom_user", "wang"), "一个人的消息还放得下")


def test_member_limit_is_per_person(
    ns: str, settings: ChannelSettings, redis_client, fake
) -> None:
    deliverer = Deliverer(
        settings, redis_client, RateLimits(member_per_minute=2), namespace=ns
    )
    deliverer.deliver(Route("wecom_user", "wang"), "1")
    deliverer.deliver(Route("wecom_user", "wang"), "2")
    with pytest.raises(RateLimited):
        deliverer.deliver(Route("wecom_user", "wang"), "3")
    deliverer.deliver(Route("wecom_user", "li"), "3")


def test_typed_errors_pass_through(deliverer: Deliverer, fake) -> None:
    with pytest.raises(PermanentError):
        deliverer.deliver(Route("wecom_chat", "no-such-chat"), "x")
    with pytest.raises(PermanentError):
        deliverer.deliver(Route("robot", ROBOT_KEY), "   ")
    fake.state.known_users = {"li"}
    with pytest.raises(PermanentError):
        deliverer.deliver(Route("wecom_user", "ghost"), "x")


def test_official_account_not_configured(
    ns: str, settings: ChannelSettings, redis_client
) -> None:
    deliverer = Deliverer(replace(settings, oa_app_id=""), redis_client, namespace=ns)
    with pytest.raises(PermanentError):
        deliverer.deliver(Route("oa_user", "o-inside"), "x")


def test_logs_hold_no_text_phone_or_target(
    deliverer: Deliverer, fake, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    deliverer.deliver(Route("wecom_user", "wang"), REPORT)
    deliverer.deliver(Route("robot", ROBOT_KEY), REPORT)
    fake.state.fail_next("/cgi-bin/webhook/send", mode="http500")
    with pytest.raises(TransientError):
        deliverer.deliver(Route("robot", ROBOT_KEY), REPORT + "再次")
    ours = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("bot.")
    )
    assert "delivered kind=robot" in ours and "error=TransientError" in ours
    for secret in ("13812345678", "138****5678", "漏水", ROBOT_KEY, "wang"):
        assert secret not in ours


def test_route_validation_and_repr() -> None:
    with pytest.raises(ValueError):
        Route("sms", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Route("robot", "")
    with pytest.raises(ValueError):
        Route("wecom_chat", "c", member_count=0)
    assert ROBOT_KEY not in repr(Route("robot", ROBOT_KEY))
    assert "secret" not in repr(
        ChannelSettings("u", "corp", "secret", 1, oa_secret="secret")
    )


def test_redis_outage_is_transient(settings: ChannelSettings) -> None:
    dead = redis.Redis(
        host="127.0.0.1",
        port=9,
        socket_connect_timeout=0.2,
        retry=Retry(NoBackoff(), 0),
    )
    deliverer = Deliverer(settings, dead)
    for route in (Route("robot", ROBOT_KEY), Route("oa_user", "o-inside")):
        with pytest.raises(TransientError):
            deliverer.deliver(route, "x")
