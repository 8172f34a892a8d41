"""Official Account (公众号): replies to residents who wrote in through the account.

Customer-service messages read like a chat but only work within 48 h of the resident's last
message (errcode 45015 after that). Outside the window we fall back to a template message whose
data carries the text, so a ticket update still reaches the resident.
"""

from __future__ import annotations

import logging

from redis import Redis
from wechatpy import WeChatClient as _OfficialClient

from bot.delivery.channels.errors import PermanentError, translate_errors
from bot.delivery.channels.token_store import LockedTokenClientMixin, SharedTokenStorage

logger = logging.getLogger(__name__)

__all__ = ["OUT_OF_WINDOW", "OfficialAccountClient", "OfficialAccountSender"]

OUT_OF_WINDOW = 45015
# Template field values are shown on one card; keep them short enough for any template.
TEMPLATE_VALUE_MAX_CHARS = 200


class OfficialAccountClient(LockedTokenClientMixin, _OfficialClient):
    """wechatpy's Official Account client pointed at base_url, with a Redis-shared, locked token."""

    def token_request(self) -> tuple[str, dict[str, str]]:
        return f"{self.base_url}/cgi-bin/token", {
            "grant_type": "client_credential",
            "appid": self.appid,
            "secret": self.secret,
        }


def template_data(text: str) -> dict[str, dict[str, str]]:
    """Template payload for the fallback: the text in "content", shortened with an ellipsis."""
    value = (
        text
        if len(text) <= TEMPLATE_VALUE_MAX_CHARS
        else text[: TEMPLATE_VALUE_MAX_CHARS - 1] + "…"
    )
    return {"content": {"value": value}}


class OfficialAccountSender:
    """Send text to one resident's openid; raises bot.delivery.channels.errors types."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        secret: str,
        redis: Redis,
        template_id: str,
        timeout: float = 5,
        token_prefix: str = "gridwhistle:wechat",
    ) -> None:
        self.template_id = template_id
        self.client = OfficialAccountClient(
            base_url, app_id, secret, SharedTokenStorage(redis, token_prefix), timeout
        )

    def send_to_user(self, openid: str, text: str) -> str:
        """Customer-service text, or a template message outside the 48 h window.

        Returns "custom" or "template" so callers can record which one the resident got.
        """
        try:
            with translate_errors("message/custom/send"):
                self.client.message.send_text(openid, text)
            return "custom"
        except PermanentError as exc:
            if exc.errcode != OUT_OF_WINDOW or not self.template_id:
                raise
        logger.info("oa: outside 48h window, falling back to template message")
        with translate_errors("message/template/send"):
            self.client.message.send_template(
                openid, self.template_id, template_data(text)
            )
        return "template"
