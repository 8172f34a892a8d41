"""What every callback does the same way: bounded bodies, safe parsing, clear 4xx answers."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import struct
import time
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
import redis
from flask import Response, current_app, request

from bot.runtime.services import services

log = logging.getLogger(__name__)


class BadRequest(Exception):
    """The caller sent something we refuse; status and a short reason go back to it."""

    def __init__(self, status: int, reason: str):
        self.status, self.reason = status, reason
        super().__init__(reason)


def refuse(err: BadRequest) -> Response:
    # The reason names what was wrong, never the content (which may carry personal data).
    log.warning("refused %s %s: %s %s", request.method, request.path, err.status, err.reason)
    return Response(err.reason, status=err.status, mimetype="text/plain")


def query_params(*names: str) -> dict[str, str]:
    values = {}
    for name in names:
        value = request.args.get(name)
        if not value:
            raise BadRequest(400, f"missing query parameter {name}")
        values[name] = value
    return values


# Unix seconds as WeChat writes them: ASCII digits only (str.isdigit also accepts "²" and
# full-width digits, which int() then refuses), at most 11 of them (good until the year 5138).
_UNIX_SECONDS = re.compile(r"[0-9]{1,11}")
# Lone UTF-16 surrogates: JSON may carry them ("\ud800"), UTF-8 cannot encode them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unix_seconds(value: str, name: str) -> int:
    """A timestamp field as an int, or a 400 naming the field."""
    if not _UNIX_SECONDS.fullmatch(value):
        raise BadRequest(400, f"{name} must be Unix seconds (ASCII digits)")
    return int(value)


def no_surrogates(value: str) -> str:
    """The text with lone surrogates replaced by U+FFFD, so it can be stored, logged and sent."""
    return _SURROGATE.sub("\ufffd", value)


def check_timestamp(timestamp: str) -> None:
    """Reject stale or future timestamps when a window is configured (0 = off)."""
    seconds = unix_seconds(timestamp, "timestamp")
    window = current_app.config["SETTINGS"].signature_window_seconds
    if window and abs(time.time() - seconds) > window:
        raise BadRequest(403, "timestamp outside the allowed window")


def bind_nonce_to_body(channel: str, timestamp: str, nonce: str, body: str) -> None:
    """Within the replay window, a signed (timestamp, nonce) is good for one body only.

    For callbacks whose signature does not cover the body (the Official Account's plain mode):
    the first body seen with a triple is remembered (Redis SET NX, expiring with the window), and
    a different body under the same triple is refused as forged. The same body again is WeChat's
    own retry (or a harmless replay): the inbox answers it once, as for any retry. Off when the
    window is off (nothing would ever expire). If Redis is down, the timestamp window alone holds,
    as the inbox's database key alone holds dedup then.
    """
    window = current_app.config["SETTINGS"].signature_window_seconds
    if not window:
        return
    if len(nonce) > 64:
        raise BadRequest(400, "nonce too long")
    key = f"gridwhistle:nonce:{channel}:{timestamp}:{nonce}"
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    try:
        r = services().redis
        if r.set(key, digest, nx=True, ex=window):
            return
        seen = r.get(key)
    except redis.RedisError:
        log.warning("redis unavailable: %s nonces not remembered, timestamp window only", channel)
        return
    seen = seen.decode() if isinstance(seen, bytes) else seen
    if seen is not None and seen != digest:
        raise BadRequest(403, "signature already used for another body")


def read_body() -> str:
    """The request body as text: size-limited, UTF-8, never empty."""
    limit = current_app.config["SETTINGS"].max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise BadRequest(413, f"body over {limit} bytes")
    # get_data, not request.data: WeChat may post XML with a form content type.
    raw = request.stream.read(limit + 1) if request.content_length is None else request.get_data(cache=True)
    if len(raw) > limit:
        raise BadRequest(413, f"body over {limit} bytes")
    if not raw.strip():
        raise BadRequest(400, "empty body")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "body is not UTF-8") from None


def parse_flat_xml(text: str) -> dict[str, str]:
    """WeChat's flat <xml><Tag>value</Tag>…</xml> as a dict; DTDs and entities refused."""
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise BadRequest(400, f"malformed XML ({type(exc).__name__})") from None
    if root.tag != "xml":
        raise BadRequest(400, "XML root must be <xml>")
    return {child.tag: (child.text or "") for child in root}


def parse_json_object(text: str) -> dict:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest(400, "malformed JSON") from None
    if not isinstance(value, dict):
        raise BadRequest(400, "JSON body must be an object")
    return value


# What wechatpy's decryption raises on ciphertext that is not what it claims to be
# (bad base64, wrong block size, wrong padding, lying length prefix, non-UTF-8).
DECRYPT_ERRORS = (ValueError, TypeError, IndexError, struct.error, UnicodeDecodeError)


def answer_url_check(crypto) -> Response:
    """WeCom's URL check (app and robot alike): decrypt echostr, answer the plaintext alone.

    No quotes, BOM or newline around it, or WeCom rejects the URL.
    """
    from wechatpy.exceptions import WeChatException

    try:
        p = query_params("msg_signature", "timestamp", "nonce", "echostr")
        check_timestamp(p["timestamp"])
        try:
            plain = crypto.check_signature(p["msg_signature"], p["timestamp"], p["nonce"], p["echostr"])
        except WeChatException:
            raise BadRequest(403, "signature or receive id check failed") from None
        except DECRYPT_ERRORS:
            raise BadRequest(400, "echostr is not valid ciphertext") from None
    except BadRequest as err:
        return refuse(err)
    return Response(plain, mimetype="text/plain")
