"""WeCom group robot (群机器人) webhook: the simplest way into an existing group chat.

No access token, just a secret key in the URL. Treat the key like a password: it is never
logged. Limits: 20 messages a minute per robot, text up to 2,048 bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import requests

from bot.delivery.channels.errors import (
    error_for_errcode,
    error_for_http_status,
    translate_errors,
)

logger = logging.getLogger(__name__)

__all__ = ["RobotSender"]


class RobotSender:
    """POST text to ``{base_url}/cgi-bin/webhook/send?key=KEY``; raises bot.delivery.channels.errors types."""

    def __init__(
        self, base_url: str, timeout: float = 5, session: requests.Session | None = None
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/cgi-bin/webhook/send"
        self.timeout = timeout
        self._http = session or requests.Session()

    def send(
        self, key: str, text: str, mentioned_list: Sequence[str] | None = None
    ) -> None:
        payload: dict[str, object] = {"msgtype": "text", "text": {"content": text}}
        if mentioned_list:
            payload["text"]["mentioned_list"] = list(mentioned_list)  # type: ignore[index]
        with translate_errors("webhook/send"):  # cuts the chain: URLs hold the key
            res = self._http.post(
                self.url, params={"key": key}, json=payload, timeout=self.timeout
            )
        if res.status_code != 200:
            raise error_for_http_status(res.status_code, "webhook/send")
        with translate_errors("webhook/send"):
            body = res.json()
        errcode = int(body.get("errcode", 0)) if isinstance(body, dict) else -1
        if errcode:
            raise error_for_errcode(errcode, "webhook/send")

    def respond(self, response_url: str, text: str) -> None:
        """The 智能机器人's late reply: one markdown POST to the callback's response_url.

        The URL was checked against the WeCom API origin when it was queued (bot.intake.media_url);
        it is good for one call within an hour, so a failure is not retried blindly.
        """
        payload = {"msgtype": "markdown", "markdown": {"content": text}}
        with translate_errors("aibot/response"):  # cuts the chain: the URL holds a one-time code
            res = self._http.post(response_url, json=payload, timeout=self.timeout, allow_redirects=False)
        if res.status_code != 200:
            raise error_for_http_status(res.status_code, "aibot/response")
        with translate_errors("aibot/response"):
            body = res.json()
        errcode = int(body.get("errcode", 0)) if isinstance(body, dict) else -1
        if errcode:
            raise error_for_errcode(errcode, "aibot/response")
