"""Group robot webhook sender: plain requests with a timeout against the fake."""

from __future__ import annotations

import pytest

from bot.delivery.channels.errors import PermanentError, RateLimited, TransientError
from bot.delivery.channels.robot import RobotSender

from .helpers import CLIENT_TIMEOUT, robot_sender

KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def test_send_arrives_with_mentions(fake) -> None:
    robot_sender(fake).send(
        KEY, "新工单：3号楼门口垃圾堆积", mentioned_list=["wang", "@all"]
    )
    [message] = fake.state.messages_for(KEY)
    assert message.route == "robot"
    assert message.text == "新工单：3号楼门口垃圾堆积"
    assert message.extra["mentioned_list"] == ["wang", "@all"]


def test_twenty_first_message_in_a_minute_is_rate_limited(fake) -> None:
    sender = robot_sender(fake)
    for i in range(20):
        sender.send(KEY, f"第{i}条")
    with pytest.raises(RateLimited) as info:
        sender.send(KEY, "第21条")
    assert info.value.errcode == 130101
    assert len(fake.state.messages_for(KEY)) == 20


def test_text_over_2048_bytes_is_rejected_permanently(fake) -> None:
    with pytest.raises(PermanentError) as info:
        robot_sender(fake).send(KEY, "长" * 700)  # 2,100 bytes
    assert info.value.errcode == 40058


def test_unknown_key_is_permanent(fake) -> None:
    fake.state.robot_keys = {KEY}
    with pytest.raises(PermanentError) as info:
        robot_sender(fake).send("not-a-key", "x")
    assert info.value.errcode == 93000


@pytest.mark.parametrize("mode", ["http500", "timeout"])
def test_server_errors_and_timeouts_are_transient(fake, mode: str) -> None:
    fake.state.fail_next("/cgi-bin/webhook/send", mode=mode)
    with pytest.raises(TransientError) as info:
        robot_sender(fake).send(KEY, "x")
    assert KEY not in str(info.value)
    # requests' own message would carry the key: no visible chain may lead to it.
    assert info.value.__cause__ is None
    assert info.value.__context__ is None or info.value.__suppress_context__


def test_connection_refused_is_transient() -> None:
    with pytest.raises(TransientError):
        RobotSender("http://127.0.0.1:9", CLIENT_TIMEOUT).send(KEY, "x")
