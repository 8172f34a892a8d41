"""Photos sent one-to-one to the Official Account or the WeCom app: fetched by MediaId, not by URL.

Their callbacks (MsgType image) carry a PicUrl, on whatever host Tencent chooses, which is never
fetched, and a MediaId, good for three days, which the platform's temporary-media API turns into
the bytes: `GET {base}/cgi-bin/media/get?access_token=…&media_id=…` on the configured API base
(WECHAT_API_BASE_URL for the Official Account, WECOM_API_BASE_URL for the app; the local fake in
tests and the sandbox), with the app's shared access token (bot.delivery.channels.token_store).

The webhook keeps the MediaId as the photo's source, `wechat-media:<id>` or `wecom-media:<id>`, in
the Photo row's source_url (as the archive keeps `wecom-archive:<sdkfileid>`). The worker
(bot.intake.photos) downloads it with its own size-capped GET and checks, stores and reports it
as any photo; the bytes are the image itself (no AES step, unlike the robot's).

A refusal comes back as HTTP 200 with JSON (`{"errcode": 40007, "errmsg": "invalid media_id"}`),
never an image: a token error (40001/40014/42001) refreshes the token once and retries; any other
errcode is raised as the typed error bot.delivery.channels.errors gives it. Neither the token nor
a URL carrying it is ever logged or put in an error.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from bot.delivery.channels.errors import error_for_errcode, translate_errors
from bot.delivery.channels.token_store import TOKEN_ERRCODES

log = logging.getLogger(__name__)

# The photo's source as kept in Photo.source_url, by the callback's channel.
SOURCE_PREFIX = {"wechat": "wechat-media:", "wecom": "wecom-media:"}
MEDIA_PATH = "/cgi-bin/media/get"
INVALID_MEDIA_ID = 40007
# Tencent's media ids are URL-safe base64-like strings of 30-100 characters; anything else is not one.
_MEDIA_ID = re.compile(r"[A-Za-z0-9_\-@.=+/]{1,256}")
# An errcode answer is a few dozen bytes; a body larger than this is not one.
_ERROR_BODY_MAX = 4096

# (url, query parameters) -> the response body; the worker's capped GET (bot.intake.photos.fetch).
GetBytes = Callable[[str, dict[str, str]], bytes]


def source_for(channel: str, media_id: str) -> str | None:
    """The photo source for an image callback's MediaId (None: not a media id we can ask for)."""
    media_id = media_id.strip()
    if channel not in SOURCE_PREFIX or not _MEDIA_ID.fullmatch(media_id):
        return None
    return SOURCE_PREFIX[channel] + media_id


def parse(source: str) -> tuple[str, str] | None:
    """(channel, media id) of a source made by source_for; None for a URL or an archive file."""
    for channel, prefix in SOURCE_PREFIX.items():
        if source.startswith(prefix):
            return channel, source[len(prefix):]
    return None


def client_for(deliverer, channel: str):
    """The channel's API client (its token shared with every sender); None when not configured."""
    if channel == "wechat":
        return deliverer.oa.client if deliverer.oa is not None else None
    return deliverer.wecom.client


def errcode_of(body: bytes) -> int | None:
    """The errcode of an error answer; None when the body is not one (an image, or something else)."""
    if len(body) > _ERROR_BODY_MAX or not body.lstrip().startswith(b"{"):
        return None
    try:
        answer = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return None
    errcode = answer.get("errcode") if isinstance(answer, dict) else None
    if isinstance(errcode, bool) or not isinstance(errcode, (int, str)) or not str(errcode).lstrip("-").isdigit():
        return None
    return int(errcode) or None


def download(client, media_id: str, get_bytes: GetBytes) -> bytes:
    """The media's bytes as the API served them; a DeliveryError (errors.py) when it refused.

    A body that is neither an errcode nor an image is returned as it came: the caller's image
    check refuses it.
    """
    url = client.base_url + MEDIA_PATH
    with translate_errors("gettoken"):
        token = client.access_token
    body = get_bytes(url, {"access_token": token, "media_id": media_id})
    errcode = errcode_of(body)
    if errcode in TOKEN_ERRCODES:
        log.info("media/get: access token refused (errcode %s); refreshing it once", errcode)
        with translate_errors("gettoken"):
            token = client.refresh_rejected(token)
        body = get_bytes(url, {"access_token": token, "media_id": media_id})
        errcode = errcode_of(body)
    if errcode is None:
        return body
    raise error_for_errcode(errcode, "media/get")
