"""Constants and small builders shared by the channel tests (kept out of conftest on purpose:
conftest modules should not be imported by tests)."""

from __future__ import annotations

from collections.abc import Callable

import redis

from bot.delivery.channels.official_account import OfficialAccountSender
from bot.delivery.channels.robot import RobotSender
from bot.delivery.channels.wecom_app import WeComAppSender
from bot.local.fake_wechat import FakeWeChatServer

CLIENT_TIMEOUT = 0.5  # the fake's "timeout" fault sleeps longer than this
AGENT_ID = 1000002
TEMPLATE_ID = "tpl-progress"

RedisFactory = Callable[[], redis.Redis]


def wecom_sender(
    fake: FakeWeChatServer,
    redis_client: redis.Redis,
    ns: str,
    secret: str | None = None,
) -> WeComAppSender:
    """A WeCom sender on the fake whose Redis keys live under the test's namespace."""
    st = fake.state
    return WeComAppSender(
        fake.base_url,
        st.corp_id,
        secret or st.corp_secret,
        AGENT_ID,
        redis_client,
        CLIENT_TIMEOUT,
        token_prefix=f"{ns}:wechat",
    )


def oa_sender(
    fake: FakeWeChatServer,
    redis_client: redis.Redis,
    ns: str,
    template_id: str = TEMPLATE_ID,
) -> OfficialAccountSender:
    st = fake.state
    return OfficialAccountSender(
        fake.base_url,
        st.oa_app_id,
        st.oa_secret,
        redis_client,
        template_id,
        CLIENT_TIMEOUT,
        token_prefix=f"{ns}:wechat",
    )


def robot_sender(fake: FakeWeChatServer) -> RobotSender:
    return RobotSender(fake.base_url, CLIENT_TIMEOUT)
