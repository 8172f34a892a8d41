"""The errcode table and exception translation."""

from __future__ import annotations

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from bot.delivery.channels.errors import (
    ERRCODES,
    PermanentError,
    RateLimited,
    TransientError,
    error_for_errcode,
    error_for_http_status,
    from_exception,
)


@pytest.mark.parametrize(
    ("errcode", "kind"),
    [
        (-1, TransientError),
        (45009, RateLimited),
        (45047, RateLimited),
        (130101, RateLimited),
        (40003, PermanentError),
        (86003, PermanentError),
        (93000, PermanentError),
        (45015, PermanentError),
        (999999, TransientError),  # unknown: retry a bounded number of times
    ],
)
def test_errcode_table(errcode: int, kind: type) -> None:
    error = error_for_errcode(errcode, "x")
    assert type(error) is kind
    assert error.errcode == errcode


def test_rate_limited_exposes_the_wait_under_both_names() -> None:
    error = RateLimited(2.5)
    assert error.retry_after_seconds == error.retry_after == 2.5


def test_rate_limits_carry_a_positive_wait() -> None:
    for errcode, (kind, _, _) in ERRCODES.items():
        if kind == "rate":
            assert error_for_errcode(errcode).retry_after_seconds > 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (500, TransientError),
        (502, TransientError),
        (429, RateLimited),
        (404, PermanentError),
        (None, TransientError),
    ],
)
def test_http_status(status: int | None, kind: type) -> None:
    assert type(error_for_http_status(status)) is kind


def test_from_exception_covers_requests_and_wechatpy() -> None:
    assert isinstance(from_exception(requests.ReadTimeout()), TransientError)
    assert isinstance(from_exception(requests.ConnectionError()), TransientError)
    assert isinstance(
        from_exception(WeChatClientException(130101, "too fast")), RateLimited
    )
    assert isinstance(from_exception(WeChatClientException(None, None)), TransientError)
    with pytest.raises(TypeError):
        from_exception(KeyError("not ours"))
