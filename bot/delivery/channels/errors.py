"""Typed delivery errors, so the worker decides retry / reschedule / give up by type alone.

wechatpy raises one exception class for everything (``WeChatClientException`` with an errcode,
or no errcode for HTTP failures) and lets requests' timeouts through untouched. All of that is
funnelled through :func:`from_exception` and the single :data:`ERRCODES` table below.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
from redis.exceptions import RedisError
from wechatpy.exceptions import WeChatClientException

__all__ = [
    "ERRCODES",
    "DeliveryError",
    "PermanentError",
    "RateLimited",
    "TransientError",
    "error_for_errcode",
    "error_for_http_status",
    "from_exception",
    "translate_errors",
]


class DeliveryError(Exception):
    """Base class: a message could not be delivered. Never carries the message text."""

    def __init__(self, message: str, *, errcode: int | None = None) -> None:
        super().__init__(message)
        self.errcode = errcode


class TransientError(DeliveryError):
    """Worth retrying with backoff: 5xx, timeouts, connection errors, -1 system busy."""


class RateLimited(DeliveryError):
    """A quota says "not now": reschedule after retry_after_seconds (do not count as a failure)."""

    def __init__(
        self,
        retry_after_seconds: float,
        message: str = "rate limited",
        *,
        errcode: int | None = None,
    ) -> None:
        super().__init__(
            f"{message} (retry after {retry_after_seconds:.2f}s)", errcode=errcode
        )
        self.retry_after_seconds = float(retry_after_seconds)

    @property
    def retry_after(self) -> float:
        """Alias of retry_after_seconds (bot/tasks.py reads this name)."""
        return self.retry_after_seconds


class PermanentError(DeliveryError):
    """Retrying cannot help: bad target, bad configuration, content rejected."""


_T, _R, _P = "transient", "rate", "permanent"

# errcode -> (kind, retry-after seconds for rate limits, short reason). One table for all channels.
ERRCODES: dict[int, tuple[str, float, str]] = {
    -1: (_T, 0, "system busy"),
    45033: (_T, 0, "too many concurrent calls"),
    # Rate limits and quotas.
    45009: (_R, 600, "api daily/minute quota reached"),
    45011: (_R, 60, "api minute quota reached"),
    45047: (_R, 3600, "too many customer-service messages to this user"),
    130101: (_R, 60, "group robot: more than 20 messages a minute"),
    # Token problems that survived wechatpy's one refetch-and-retry: configuration.
    40001: (_P, 0, "invalid credential / secret"),
    40013: (_P, 0, "invalid corpid / appid"),
    40014: (_P, 0, "invalid access_token after refresh"),
    40125: (_P, 0, "invalid appsecret"),
    41001: (_P, 0, "access_token missing"),
    42001: (_P, 0, "access_token expired after refresh"),
    48002: (_P, 0, "api forbidden for this app"),
    60020: (_P, 0, "server ip not in the trusted list"),
    # Bad targets / content.
    40003: (_P, 0, "invalid user id / openid"),
    40007: (_P, 0, "invalid media_id (expired after three days, or never issued to this app)"),
    40037: (_P, 0, "invalid template id"),
    40058: (_P, 0, "invalid parameter (e.g. content too long)"),
    43004: (_P, 0, "user has not followed the account"),
    41006: (_P, 0, "media_id missing"),
    44004: (_P, 0, "empty content"),
    45015: (_P, 0, "outside the 48h customer-service window"),
    81013: (_P, 0, "no valid user, party or tag"),
    86001: (_P, 0, "invalid chatid"),
    86003: (_P, 0, "chat not found"),
    86006: (_P, 0, "invalid chat member count"),
    86215: (_P, 0, "chatid already exists"),
    93000: (_P, 0, "invalid robot webhook key"),
}


def error_for_errcode(errcode: int, context: str = "") -> DeliveryError:
    """Map a WeChat errcode to a typed error. Unknown codes are transient: a bounded number of
    retries is cheap, silently dropping a resident's message is not."""
    kind, retry_after, reason = ERRCODES.get(errcode, (_T, 0, "unknown errcode"))
    message = (
        f"{context}: errcode {errcode} ({reason})"
        if context
        else f"errcode {errcode} ({reason})"
    )
    if kind == _R:
        return RateLimited(retry_after, message, errcode=errcode)
    if kind == _P:
        return PermanentError(message, errcode=errcode)
    return TransientError(message, errcode=errcode)


def error_for_http_status(status: int | None, context: str = "") -> DeliveryError:
    """HTTP-level failures: 5xx/unknown are transient, 429 a rate limit, other 4xx permanent."""
    message = f"{context}: HTTP {status}" if context else f"HTTP {status}"
    if status is None or status >= 500:
        return TransientError(message)
    if status == 429:
        return RateLimited(60, message)
    return PermanentError(message)


def from_exception(exc: BaseException, context: str = "") -> DeliveryError:
    """Turn whatever wechatpy / requests raised into a DeliveryError (message text never included)."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, (requests.Timeout, requests.ConnectionError)):
        return TransientError(
            f"{context}: {type(exc).__name__}" if context else type(exc).__name__
        )
    if isinstance(exc, WeChatClientException):
        if exc.errcode is None:
            response = getattr(exc, "response", None)
            return error_for_http_status(
                getattr(response, "status_code", None), context
            )
        return error_for_errcode(int(exc.errcode), context)
    if isinstance(exc, RedisError):  # shared token / rate-limit store unavailable
        return TransientError(
            f"{context}: redis {type(exc).__name__}" if context else "redis unavailable"
        )
    if isinstance(exc, requests.RequestException):
        return TransientError(
            f"{context}: {type(exc).__name__}" if context else type(exc).__name__
        )
    if isinstance(exc, ValueError):  # undecodable JSON body from a proxy or error page
        return TransientError(
            f"{context}: bad response body" if context else "bad response body"
        )
    raise TypeError(f"not a delivery failure: {type(exc).__name__}") from exc


@contextmanager
def translate_errors(context: str) -> Iterator[None]:
    """Re-raise wechatpy / requests failures as DeliveryError, *without* the original chain.

    The chain is cut (``from None``) because requests' messages carry the full URL, which holds
    the access token or the robot's webhook key; a worker logging the traceback would leak them.
    The original stays reachable as ``__context__`` for a debugger.
    """
    try:
        yield
    except (
        WeChatClientException,
        requests.RequestException,
        RedisError,
        ValueError,
    ) as exc:
        raise from_exception(exc, context) from None
