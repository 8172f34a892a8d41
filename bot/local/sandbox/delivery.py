"""Deliver what a sandbox member types to the bot exactly as WeCom would.

Group messages go to the group robot webhook (`POST /wecom/robot`, signed and encrypted
JSON with the chatid and an optional quote); direct messages to the app go to the WeCom
app callback (`POST /wecom/callback`, encrypted XML). Like WeCom, we wait `timeout` seconds
for the answer and try `tries` times in all with the same msgid, so a slow bot is retried
and must deduplicate. The answer is decrypted the way WeCom would and returned as text.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

import requests
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.local.callback_client import (
    decrypt_robot_reply,
    robot_callback,
    robot_text,
    wecom_callback,
    wecom_text_xml,
)
from bot.runtime.config import Settings
from bot.web.common import parse_flat_xml

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """The bot did not answer successfully within all tries."""


@dataclass(frozen=True)
class RetryPolicy:
    timeout: float = 5.0  # WeCom's passive-reply window
    tries: int = 3


WECOM_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Delivery:
    reply: str  # the bot's passive reply ("" for none)
    attempts: int


def _post(url: str, params: dict, body: str, content_type: str, policy: RetryPolicy,
          session: requests.Session) -> tuple[requests.Response, int]:
    last: Exception | None = None
    for attempt in range(1, policy.tries + 1):
        try:
            resp = session.post(url, params=params, data=body.encode("utf-8"),
                                headers={"Content-Type": content_type}, timeout=policy.timeout)
        except requests.RequestException as exc:
            log.warning("sandbox delivery attempt %d/%d failed: %s", attempt, policy.tries, type(exc).__name__)
            last = exc
            continue
        if resp.status_code == 200:
            return resp, attempt
        log.warning("sandbox delivery attempt %d/%d: HTTP %s", attempt, policy.tries, resp.status_code)
        last = DeliveryFailed(f"HTTP {resp.status_code}")
        if 400 <= resp.status_code < 500:
            break  # WeCom does not retry a refusal, and neither do we
    raise DeliveryFailed(str(last))


def deliver_group_message(bot_url: str, settings: Settings, *, msgid: str, chat_id: str, user_id: str,
                          text: str, quote_text: str | None = None, quote_id: str | None = None,
                          policy: RetryPolicy = WECOM_RETRY,
                          session: requests.Session | None = None) -> Delivery:
    message = robot_text(msgid, chat_id, user_id, text, quote_text, quote_id)
    callback = robot_callback(settings.robot_token, settings.robot_aes_key, message)
    resp, attempts = _post(f"{bot_url.rstrip('/')}/wecom/robot", callback.params, callback.body,
                           callback.content_type, policy, session or requests.Session())
    if not resp.content.strip():
        return Delivery("", attempts)
    try:
        plain = decrypt_robot_reply(settings.robot_token, settings.robot_aes_key, resp.json())
    except (ValueError, KeyError) as exc:
        raise DeliveryFailed(f"unreadable robot reply ({type(exc).__name__})") from None
    if plain.get("msgtype") == "stream":
        return Delivery(str(plain.get("stream", {}).get("content", "")), attempts)
    if plain.get("msgtype") in ("text", "markdown"):
        return Delivery(str(plain.get(plain["msgtype"], {}).get("content", "")), attempts)
    return Delivery(json.dumps(plain, ensure_ascii=False), attempts)


def deliver_direct_message(bot_url: str, settings: Settings, *, msgid: str, user_id: str, text: str,
                           policy: RetryPolicy = WECOM_RETRY,
                           session: requests.Session | None = None) -> Delivery:
    """A member writes to the app one-to-one (numeric msgid, as WeCom's XML carries)."""
    xml = wecom_text_xml(settings.wecom_corp_id, user_id, text, msgid, settings.wecom_agent_id)
    callback = wecom_callback(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id, xml)
    resp, attempts = _post(f"{bot_url.rstrip('/')}/wecom/callback", callback.params, callback.body,
                           callback.content_type, policy, session or requests.Session())
    body = resp.text.strip()
    if not body or body == "success":
        return Delivery("", attempts)
    envelope = parse_flat_xml(body)
    crypto = WeChatCrypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
    plain = crypto.decrypt_message(body, envelope.get("MsgSignature", ""), envelope.get("TimeStamp", ""),
                                   envelope.get("Nonce", ""))
    return Delivery(parse_flat_xml(plain).get("Content", ""), attempts)


def numeric_msgid() -> str:
    """WeCom app msgids are 64-bit numbers; time-based keeps them unique across restarts."""
    return str(time.time_ns())
