"""WeCom (企业微信) self-built app: pushes into app-created group chats and to staff members.

Built on ``wechatpy.enterprise.WeChatClient`` for the protocol, with three fixes for 1.8.18:
the API base URL comes from config (tests and the sandbox use the local fake), gettoken goes to
that same base (upstream hard-codes qyapi.weixin.qq.com) with a timeout, and the token lives in
Redis behind a refresh lock (see token_store).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from redis import Redis
from wechatpy.enterprise import WeChatClient as _EnterpriseClient

from bot.delivery.channels.errors import translate_errors
from bot.delivery.channels.token_store import LockedTokenClientMixin, SharedTokenStorage

logger = logging.getLogger(__name__)

__all__ = ["WeComAppSender", "WeComClient"]

# WeCom silently drops repeats of the same content to the same member within this window, which
# makes a worker retry after a lost response harmless for direct messages.
DUPLICATE_CHECK_SECONDS = 1800


class WeComClient(LockedTokenClientMixin, _EnterpriseClient):
    """wechatpy's WeCom client pointed at base_url, with a Redis-shared, locked token."""

    def token_request(self) -> tuple[str, dict[str, str]]:
        return f"{self.base_url}/cgi-bin/gettoken", {
            "corpid": self.corp_id,
            "corpsecret": self.secret,
        }


class WeComAppSender:
    """Send text as the WeCom app. Raises bot.delivery.channels.errors types, never wechatpy's."""

    def __init__(
        self,
        base_url: str,
        corp_id: str,
        secret: str,
        agent_id: int | str,
        redis: Redis,
        timeout: float = 5,
        token_prefix: str = "gridwhistle:wechat",
    ) -> None:
        self.agent_id = int(agent_id)
        self.client = WeComClient(
            base_url, corp_id, secret, SharedTokenStorage(redis, token_prefix), timeout
        )

    def send_to_chat(self, chat_id: str, text: str) -> None:
        """appchat/send: one text into an app-created group chat."""
        with translate_errors("appchat/send"):
            self.client.appchat.send_text(chat_id, text)

    def send_to_users(self, user_ids: Sequence[str], text: str) -> tuple[str, ...]:
        """message/send with WeCom's duplicate check on; returns the user ids WeCom rejected."""
        msg = {
            "msgtype": "text",
            "text": {"content": text},
            "safe": 0,
            "enable_duplicate_check": 1,
            "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
        }
        with translate_errors("message/send"):
            result = self.client.message.send(self.agent_id, list(user_ids), msg=msg)
        invalid = tuple(u for u in str(result.get("invaliduser") or "").split("|") if u)
        if invalid:
            logger.warning(
                "message/send: %d of %d recipients invalid", len(invalid), len(user_ids)
            )
        return invalid

    def send_card_to_users(self, user_ids: Sequence[str], card: dict) -> tuple[str, ...]:
        """message/send with a template card (buttons); returns the user ids WeCom rejected."""
        msg = {"msgtype": "template_card", "template_card": card, "enable_duplicate_check": 1,
               "duplicate_check_interval": DUPLICATE_CHECK_SECONDS}
        with translate_errors("message/send"):
            result = self.client.message.send(self.agent_id, list(user_ids), msg=msg)
        return tuple(u for u in str(result.get("invaliduser") or "").split("|") if u)

    def create_chat(
        self, name: str, owner: str, user_ids: Sequence[str], chat_id: str | None = None
    ) -> str:
        """appchat/create (2-2000 members, at most 1000 chats a day); returns the chat id."""
        with translate_errors("appchat/create"):
            result = self.client.appchat.create(
                chat_id=chat_id, name=name, owner=owner, user_list=list(user_ids)
            )
        return str(result["chatid"])
