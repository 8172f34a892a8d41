"""Deliver what a sandbox member types to the bot exactly as WeCom would.

Group messages go to the group robot webhook (`POST /wecom/robot`, signed and encrypted
JSON with the chatid and an optional quote): text, text with photos (mixed), photos alone,
voice (WeCom's transcript), a template-card press, and stream refreshes while the bot's stream
is unfinished. Direct messages to the app go to the WeCom app callback (`POST /wecom/callback`,
encrypted XML): text, and each photo as its own image message with a MediaId the fake's media/get
serves; so do presses on the app's cards. Like WeCom, we wait `timeout` seconds for
the answer and try `tries` times in all with the same msgid, so a slow bot is retried and must
deduplicate. The answer is decrypted the way WeCom would and returned with its card, if any.
"""
from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass

import requests
from wechatpy.enterprise.crypto import WeChatCrypto

from bot.local.callback_client import (
    decrypt_robot_reply,
    image_xml,
    robot_callback,
    robot_card_event,
    robot_mixed,
    robot_stream_refresh,
    robot_text,
    robot_voice,
    wecom_callback,
    wecom_card_event_xml,
    wecom_text_xml,
)
from bot.runtime.config import Settings
from bot.web.common import parse_flat_xml

log = logging.getLogger(__name__)
BUTTON_NAME = re.compile(r"<ReplaceName><!\[CDATA\[(.*?)\]\]></ReplaceName>", re.S)


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
    card: dict | None = None  # a template card that came with the reply
    update: dict | None = None  # the answer to a card press: {"template_card", "userids"?}


REFRESH_LIMIT = 30  # refreshes of an unfinished stream before the sandbox stops asking (WeCom: 6 min)
REFRESH_PAUSE = 0.2

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


def deliver_robot(bot_url: str, settings: Settings, message: dict, *, policy: RetryPolicy = WECOM_RETRY,
                  session: requests.Session | None = None) -> Delivery:
    """Any robot callback, as WeCom sends it; an unfinished stream is refreshed until it finishes."""
    http = session or requests.Session()
    plain, attempts = _robot_round(bot_url, settings, message, policy, http)
    kind = plain.get("msgtype") if plain else None
    if plain is None:
        return Delivery("", attempts)
    if plain.get("response_type") == "update_template_card":
        return Delivery("", attempts, update=plain)
    if kind in ("stream", "stream_with_template_card"):
        stream = plain.get("stream") or {}
        for _ in range(REFRESH_LIMIT):
            if stream.get("finish", True):
                break
            time.sleep(REFRESH_PAUSE)
            refresh = robot_stream_refresh(f"{message['msgid']}-r{time.time_ns()}", message.get("chatid"),
                                           message["from"]["userid"], str(stream.get("id", "")))
            again, _ = _robot_round(bot_url, settings, refresh, policy, http)
            stream = (again or {}).get("stream") or {"finish": True, "content": stream.get("content", "")}
        return Delivery(str(stream.get("content", "")), attempts, card=plain.get("template_card"))
    if kind == "template_card":
        return Delivery("", attempts, card=plain.get("template_card"))
    if kind in ("text", "markdown"):
        return Delivery(str(plain.get(kind, {}).get("content", "")), attempts)
    return Delivery(json.dumps(plain, ensure_ascii=False), attempts)


def _robot_round(bot_url: str, settings: Settings, message: dict, policy: RetryPolicy,
                 http: requests.Session) -> tuple[dict | None, int]:
    callback = robot_callback(settings.robot_token, settings.robot_aes_key, message)
    resp, attempts = _post(f"{bot_url.rstrip('/')}/wecom/robot", callback.params, callback.body,
                           callback.content_type, policy, http)
    if not resp.content.strip():
        return None, attempts
    try:
        return decrypt_robot_reply(settings.robot_token, settings.robot_aes_key, resp.json()), attempts
    except (ValueError, KeyError) as exc:
        raise DeliveryFailed(f"unreadable robot reply ({type(exc).__name__})") from None


def group_message(*, msgid: str, chat_id: str, user_id: str, text: str, quote_text: str | None = None,
                  quote_id: str | None = None, photo_urls: tuple[str, ...] = (), voice: bool = False,
                  response_url: str = "") -> dict:
    """The callback WeCom sends for what a member posted: text, voice, or text and photos (mixed)."""
    if photo_urls:
        return robot_mixed(msgid, chat_id, user_id, text, list(photo_urls), response_url)
    if voice:
        return robot_voice(msgid, chat_id, user_id, text, response_url)
    return robot_text(msgid, chat_id, user_id, text, quote_text, quote_id, response_url)


def deliver_group_message(bot_url: str, settings: Settings, *, msgid: str, chat_id: str, user_id: str,
                          text: str, quote_text: str | None = None, quote_id: str | None = None,
                          policy: RetryPolicy = WECOM_RETRY, session: requests.Session | None = None,
                          photo_urls: tuple[str, ...] = (), voice: bool = False, response_url: str = "") -> Delivery:
    message = group_message(msgid=msgid, chat_id=chat_id, user_id=user_id, text=text, quote_text=quote_text,
                            quote_id=quote_id, photo_urls=photo_urls, voice=voice, response_url=response_url)
    return deliver_robot(bot_url, settings, message, policy=policy, session=session)


def deliver_card_press(bot_url: str, settings: Settings, *, msgid: str, chat_id: str, user_id: str, task_id: str,
                       event_key: str, selected: dict[str, str] | None = None,
                       policy: RetryPolicy = WECOM_RETRY) -> Delivery:
    message = robot_card_event(msgid, chat_id, user_id, task_id, event_key, selected)
    return deliver_robot(bot_url, settings, message, policy=policy)


def deliver_app_card_press(bot_url: str, settings: Settings, *, user_id: str, task_id: str, event_key: str,
                           policy: RetryPolicy = WECOM_RETRY) -> str:
    """A press on a card the app sent one-to-one; returns the button's new name (WeCom's update_button)."""
    xml = wecom_card_event_xml(settings.wecom_corp_id, user_id, task_id, event_key, settings.wecom_agent_id)
    callback = wecom_callback(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id, xml)
    resp, _ = _post(f"{bot_url.rstrip('/')}/wecom/callback", callback.params, callback.body,
                    callback.content_type, policy, requests.Session())
    body = resp.text.strip()
    if not body:
        return ""
    envelope = parse_flat_xml(body)
    crypto = WeChatCrypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
    plain = crypto.decrypt_message(body, envelope.get("MsgSignature", ""), envelope.get("TimeStamp", ""),
                                   envelope.get("Nonce", ""))
    found = BUTTON_NAME.search(plain)
    return found.group(1) if found else ""


def deliver_direct_message(bot_url: str, settings: Settings, *, msgid: str, user_id: str, text: str,
                           policy: RetryPolicy = WECOM_RETRY,
                           session: requests.Session | None = None) -> Delivery:
    """A member writes to the app one-to-one (numeric msgid, as WeCom's XML carries)."""
    xml = wecom_text_xml(settings.wecom_corp_id, user_id, text, msgid, settings.wecom_agent_id)
    return _app_round(bot_url, settings, xml, policy, session or requests.Session())


def deliver_app_image(bot_url: str, settings: Settings, *, msgid: str, user_id: str, media_id: str, pic_url: str,
                      policy: RetryPolicy = WECOM_RETRY, session: requests.Session | None = None) -> Delivery:
    """A member sends the app a photo one-to-one: its own message, carrying a MediaId (and a PicUrl)."""
    xml = image_xml(settings.wecom_corp_id, user_id, media_id, msgid, pic_url, settings.wecom_agent_id)
    return _app_round(bot_url, settings, xml, policy, session or requests.Session())


def _app_round(bot_url: str, settings: Settings, xml: str, policy: RetryPolicy,
               session: requests.Session) -> Delivery:
    """Post one app callback as WeCom does; the bot's passive text reply, decrypted."""
    callback = wecom_callback(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id, xml)
    resp, attempts = _post(f"{bot_url.rstrip('/')}/wecom/callback", callback.params, callback.body,
                           callback.content_type, policy, session)
    body = resp.text.strip()
    if not body:
        return Delivery("", attempts)
    envelope = parse_flat_xml(body)
    crypto = WeChatCrypto(settings.wecom_token, settings.wecom_aes_key, settings.wecom_corp_id)
    plain = crypto.decrypt_message(body, envelope.get("MsgSignature", ""), envelope.get("TimeStamp", ""),
                                   envelope.get("Nonce", ""))
    return Delivery(parse_flat_xml(plain).get("Content", ""), attempts)


def numeric_msgid() -> str:
    """WeCom app msgids are 64-bit numbers; time-based keeps them unique across restarts."""
    return str(time.time_ns())
