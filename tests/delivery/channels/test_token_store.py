"""Access tokens: shared through Redis, refreshed once under a lock, retried once on 4200x."""

from __future__ import annotations

import threading

import pytest

from bot.delivery.channels.errors import PermanentError, TransientError
from bot.delivery.channels.official_account import OfficialAccountSender
from bot.delivery.channels.wecom_app import WeComAppSender

from .helpers import AGENT_ID, CLIENT_TIMEOUT, TEMPLATE_ID, RedisFactory, wecom_sender


def test_token_fetched_once_and_shared_between_processes(
    ns: str, fake, redis_factory: RedisFactory
) -> None:
    first = wecom_sender(fake, redis_factory(), ns)
    # Another process: its own client and connection, the same Redis.
    second = wecom_sender(fake, redis_factory(), ns)

    first.send_to_chat("grid-07", "第一条")
    second.send_to_chat("grid-07", "第二条")
    second.send_to_users(["wang"], "第三条")

    assert fake.state.token_fetches["wecom"] == 1
    assert [m.text for m in fake.state.messages] == ["第一条", "第二条", "第三条"]


def test_concurrent_refresh_makes_exactly_one_gettoken_call(
    ns: str, fake, redis_factory: RedisFactory
) -> None:
    fake.state.token_delay = (
        0.2  # keep the first fetch in flight while the others arrive
    )
    senders = [wecom_sender(fake, redis_factory(), ns) for _ in range(8)]
    barrier = threading.Barrier(len(senders))
    tokens: list[str] = []
    errors: list[BaseException] = []

    def worker(sender: WeComAppSender) -> None:
        try:
            barrier.wait()
            tokens.append(sender.client.access_token)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert not errors
    assert fake.state.token_fetches["wecom"] == 1
    assert len(tokens) == 8 and len(set(tokens)) == 1


def test_expired_token_is_refreshed_and_call_retried(
    ns: str, fake, redis_client
) -> None:
    sender = wecom_sender(fake, redis_client, ns)
    sender.send_to_chat("grid-07", "一")
    fake.state.expire_tokens()  # server now answers 42001 for the cached token

    sender.send_to_chat("grid-07", "二")

    assert fake.state.token_fetches["wecom"] == 2
    assert [m.text for m in fake.state.messages] == ["一", "二"]


@pytest.mark.parametrize("errcode", [40014, 42001, 40001])
def test_token_errcode_once_triggers_refresh_and_retry(
    ns: str, fake, redis_client, errcode: int
) -> None:
    sender = wecom_sender(fake, redis_client, ns)
    sender.send_to_chat("grid-07", "预热")
    fake.state.fail_next("/cgi-bin/appchat/send", mode=errcode)

    sender.send_to_chat("grid-07", "重试后送达")

    assert fake.state.token_fetches["wecom"] == 2
    assert fake.state.messages[-1].text == "重试后送达"


def test_persistent_token_error_retries_only_once(ns: str, fake, redis_client) -> None:
    """wechatpy 1.8.18 alone would recurse until RecursionError."""
    sender = wecom_sender(fake, redis_client, ns)
    fake.state.fail_next("/cgi-bin/appchat/send", times=10, mode=42001)

    with pytest.raises(PermanentError) as info:
        sender.send_to_chat("grid-07", "不会送达")

    assert info.value.errcode == 42001
    assert fake.state.calls["/cgi-bin/appchat/send"] == 2
    # The retry flag is reset: the next call works normally.
    fake.state.reset_messages()
    fake.state._faults.clear()
    sender.send_to_chat("grid-07", "恢复")
    assert fake.state.messages[0].text == "恢复"


def test_refresh_skipped_when_another_process_already_replaced_the_stale_token(
    ns: str, fake, redis_factory: RedisFactory
) -> None:
    a = wecom_sender(fake, redis_factory(), ns)
    b = wecom_sender(fake, redis_factory(), ns)
    stale = a.client.access_token
    fake.state.expire_tokens()
    a.client._token_local.stale = stale
    a.client.fetch_access_token()  # process A refreshes after a 42001
    assert fake.state.token_fetches["wecom"] == 2

    b.client._token_local.stale = stale  # B saw 42001 with the same old token
    b.client.fetch_access_token()

    assert fake.state.token_fetches["wecom"] == 2
    assert b.client.access_token == a.client.access_token != stale


def test_gettoken_with_bad_secret_is_permanent(ns: str, fake, redis_client) -> None:
    st = fake.state
    sender = WeComAppSender(
        fake.base_url,
        st.corp_id,
        "wrong",
        AGENT_ID,
        redis_client,
        CLIENT_TIMEOUT,
        f"{ns}:wechat",
    )
    with pytest.raises(PermanentError) as info:
        sender.send_to_chat("grid-07", "x")
    assert info.value.errcode == 40001


@pytest.mark.parametrize("mode", ["http500", "timeout"])
def test_gettoken_failure_is_transient(ns: str, fake, redis_client, mode: str) -> None:
    fake.state.fail_next("/cgi-bin/gettoken", mode=mode)
    with pytest.raises(TransientError):
        wecom_sender(fake, redis_client, ns).send_to_chat("grid-07", "x")


def test_official_account_token_shared_too(
    ns: str, fake, redis_factory: RedisFactory
) -> None:
    st = fake.state
    senders = [
        OfficialAccountSender(
            fake.base_url,
            st.oa_app_id,
            st.oa_secret,
            redis_factory(),
            TEMPLATE_ID,
            CLIENT_TIMEOUT,
            f"{ns}:wechat",
        )
        for _ in range(2)
    ]
    for sender in senders:
        sender.send_to_user("o-inside", "您好")
    assert st.token_fetches["oa"] == 1
