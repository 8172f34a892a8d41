"""WeCom app sender against the fake server, through wechatpy's real HTTP path."""

from __future__ import annotations

import pytest

from bot.delivery.channels.errors import PermanentError, RateLimited, TransientError

from .helpers import wecom_sender


def test_send_to_chat_arrives(ns: str, fake, redis_client) -> None:
    wecom_sender(fake, redis_client, ns).send_to_chat(
        "grid-07", "工单#12 已派单给王师傅"
    )
    [message] = fake.state.messages_for("grid-07")
    assert message.route == "wecom_chat"
    assert message.text == "工单#12 已派单给王师傅"


def test_send_to_users_arrives_and_reports_invalid_users(
    ns: str, fake, redis_client
) -> None:
    fake.state.known_users = {"wang", "li"}
    invalid = wecom_sender(fake, redis_client, ns).send_to_users(
        ["wang", "li", "ghost"], "请今天处理"
    )
    assert invalid == ("ghost",)
    assert sorted(m.target for m in fake.state.messages_for(route="wecom_user")) == [
        "li",
        "wang",
    ]


def test_send_to_users_duplicate_check_hides_a_retry(
    ns: str, fake, redis_client
) -> None:
    sender = wecom_sender(fake, redis_client, ns)
    sender.send_to_users(["wang"], "同一条提醒")
    sender.send_to_users(["wang"], "同一条提醒")  # a worker retry after a lost response
    sender.send_to_users(["wang"], "另一条提醒")
    assert [m.text for m in fake.state.messages_for("wang")] == [
        "同一条提醒",
        "另一条提醒",
    ]


def test_create_chat_then_send(ns: str, fake, redis_client) -> None:
    sender = wecom_sender(fake, redis_client, ns)
    chat_id = sender.create_chat("幸福里8网格", "wang", ["wang", "li"], "grid08")
    assert chat_id == "grid08"
    sender.send_to_chat(chat_id, "欢迎")
    assert fake.state.messages_for("grid08")[0].extra["members"] == 2


@pytest.mark.parametrize("mode", ["http500", "timeout"])
def test_server_errors_and_timeouts_are_transient(
    ns: str, fake, redis_client, mode: str
) -> None:
    sender = wecom_sender(fake, redis_client, ns)
    sender.send_to_chat(
        "grid-07", "预热"
    )  # token cached, so the fault hits the send itself
    fake.state.fail_next("/cgi-bin/appchat/send", mode=mode)
    with pytest.raises(TransientError):
        sender.send_to_chat("grid-07", "失败")
    assert len(fake.state.messages) == 1


def test_system_busy_is_transient(ns: str, fake, redis_client) -> None:
    fake.state.fail_next("/cgi-bin/message/send", mode=-1)
    with pytest.raises(TransientError) as info:
        wecom_sender(fake, redis_client, ns).send_to_users(["wang"], "x")
    assert info.value.errcode == -1


def test_quota_is_rate_limited(ns: str, fake, redis_client) -> None:
    fake.state.fail_next("/cgi-bin/appchat/send", mode=45009)
    with pytest.raises(RateLimited) as info:
        wecom_sender(fake, redis_client, ns).send_to_chat("grid-07", "x")
    assert info.value.retry_after_seconds > 0


def test_unknown_chat_is_permanent(ns: str, fake, redis_client) -> None:
    with pytest.raises(PermanentError) as info:
        wecom_sender(fake, redis_client, ns).send_to_chat("no-such-chat", "x")
    assert info.value.errcode == 86003


def test_all_recipients_invalid_is_permanent(ns: str, fake, redis_client) -> None:
    fake.state.known_users = {"wang"}
    with pytest.raises(PermanentError) as info:
        wecom_sender(fake, redis_client, ns).send_to_users(["ghost"], "x")
    assert info.value.errcode == 81013


def test_error_chain_is_cut_so_tracebacks_hold_no_token(
    ns: str, fake, redis_client
) -> None:
    sender = wecom_sender(fake, redis_client, ns)
    sender.send_to_chat("grid-07", "预热")
    fake.state.fail_next("/cgi-bin/appchat/send", mode="http500")
    with pytest.raises(TransientError) as info:
        sender.send_to_chat("grid-07", "x")
    assert info.value.__suppress_context__
    assert "access_token" not in str(info.value)
