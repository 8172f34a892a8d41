"""Official Account sender: customer-service text inside 48 h, template message outside."""

from __future__ import annotations

import pytest

from bot.delivery.channels.errors import PermanentError, RateLimited, TransientError

from .helpers import TEMPLATE_ID, oa_sender


def test_inside_window_sends_customer_service_text(ns: str, fake, redis_client) -> None:
    assert (
        oa_sender(fake, redis_client, ns).send_to_user("o-inside", "您反映的问题已处理")
        == "custom"
    )
    [message] = fake.state.messages_for("o-inside")
    assert (message.route, message.text) == ("oa_custom", "您反映的问题已处理")


def test_outside_window_falls_back_to_template(ns: str, fake, redis_client) -> None:
    assert (
        oa_sender(fake, redis_client, ns).send_to_user(
            "o-outside", "您反映的问题已处理"
        )
        == "template"
    )
    [message] = fake.state.messages_for("o-outside")
    assert message.route == "oa_template"
    assert message.extra["template_id"] == TEMPLATE_ID
    assert message.text == "您反映的问题已处理"


def test_outside_window_without_template_is_permanent(
    ns: str, fake, redis_client
) -> None:
    with pytest.raises(PermanentError) as info:
        oa_sender(fake, redis_client, ns, template_id="").send_to_user("o-outside", "x")
    assert info.value.errcode == 45015


def test_template_failure_is_typed(ns: str, fake, redis_client) -> None:
    fake.state.oa_templates = {"some-other-template"}
    with pytest.raises(PermanentError) as info:
        oa_sender(fake, redis_client, ns).send_to_user("o-outside", "x")
    assert info.value.errcode == 40037


def test_too_many_customer_messages_is_rate_limited(
    ns: str, fake, redis_client
) -> None:
    fake.state.fail_next("/cgi-bin/message/custom/send", mode=45047)
    with pytest.raises(RateLimited):
        oa_sender(fake, redis_client, ns).send_to_user("o-inside", "x")


def test_timeout_is_transient(ns: str, fake, redis_client) -> None:
    sender = oa_sender(fake, redis_client, ns)
    sender.send_to_user("o-inside", "预热")
    fake.state.fail_next("/cgi-bin/message/custom/send", mode="timeout")
    with pytest.raises(TransientError):
        sender.send_to_user("o-inside", "x")
