"""Where a message goes (Route) and the one entry point the worker calls (Deliverer.deliver).

``deliver`` is the policy layer over the senders: mask personal data for anything a group will
read, check the shared rate limits (raising RateLimited instead of sleeping, so the worker can
reschedule the job and stay free), split over-long text, pick the sender, and log only what is
safe: route kind, a hashed target, lengths and errcodes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal, get_args

from redis import Redis
from redis.exceptions import RedisError

from bot.delivery.channels.errors import (
    DeliveryError,
    PermanentError,
    RateLimited,
    TransientError,
)
from bot.delivery.channels.official_account import OfficialAccountSender
from bot.delivery.channels.ratelimit import TokenBucket, acquire_all
from bot.delivery.channels.robot import RobotSender
from bot.delivery.channels.text import TEXT_LIMIT_BYTES, split_text, utf8_len
from bot.delivery.channels.wecom_app import WeComAppSender
from handlers.events import STAFF_MASKED
from handlers.privacy import mask_personal_data, short_hash

logger = logging.getLogger(__name__)

__all__ = ["ChannelSettings", "Deliverer", "RateLimits", "Route", "RouteKind"]

RouteKind = Literal["wecom_chat", "wecom_user", "robot", "oa_user", "robot_response"]
ROUTE_KINDS: frozenset[str] = frozenset(get_args(RouteKind))
# A robot's response_url answers in the chat the message came from: a group, as far as masking goes.
GROUP_KINDS: frozenset[str] = frozenset({"wecom_chat", "robot", "robot_response"})


@dataclass(frozen=True)
class Route:
    """A destination: a WeCom app chat id, a WeCom user id, a robot webhook key or an openid.

    member_count matters for app chats: WeCom's corp-wide quota counts person-messages.
    """

    kind: RouteKind
    target: str
    member_count: int = 1

    def __post_init__(self) -> None:
        if self.kind not in ROUTE_KINDS:
            raise ValueError(f"unknown route kind {self.kind!r}")
        if not self.target:
            raise ValueError("route target is empty")
        if self.member_count < 1:
            raise ValueError("member_count must be at least 1")

    def __repr__(self) -> str:
        """Targets (robot keys, openids) stay out of reprs and therefore out of logs."""
        return f"Route(kind={self.kind!r}, target=#{short_hash(self.target)}, member_count={self.member_count})"


@dataclass(frozen=True)
class ChannelSettings:
    """Everything the channels need, passed in explicitly (the app/worker reads config).

    api_base_url is the WeCom API root (https://qyapi.weixin.qq.com or the fake's URL); the
    Official Account lives on another host in production (https://api.weixin.qq.com), so it
    has its own optional root, defaulting to api_base_url (one fake serves both).
    """

    api_base_url: str
    corp_id: str
    corp_secret: str
    agent_id: int
    oa_app_id: str = ""
    oa_secret: str = ""
    oa_template_id: str = ""
    timeout: float = 5.0
    oa_api_base_url: str | None = None
    robot_base_url: str | None = None

    def __repr__(self) -> str:  # never print secrets
        return f"ChannelSettings(api_base_url={self.api_base_url!r}, corp_id={self.corp_id!r}, agent_id={self.agent_id})"


@dataclass(frozen=True)
class RateLimits:
    """WeCom's published limits; lower them to keep a safety margin."""

    robot_per_minute: int = 20
    member_per_minute: int = 200
    corp_per_minute: int = 20_000


@dataclass
class Deliverer:
    """Delivery policy over the senders. One per process; safe to share between threads.

    namespace prefixes every Redis key (shared tokens, rate-limit buckets), so several
    deployments or test runs can share one Redis without seeing each other's state.
    """

    settings: ChannelSettings
    redis: Redis
    limits: RateLimits = field(default_factory=RateLimits)
    namespace: str = "gridwhistle"
    limit_bytes: int = TEXT_LIMIT_BYTES

    def __post_init__(self) -> None:
        s = self.settings
        self.wecom = WeComAppSender(
            s.api_base_url,
            s.corp_id,
            s.corp_secret,
            s.agent_id,
            self.redis,
            s.timeout,
            token_prefix=f"{self.namespace}:wechat",
        )
        self.robot = RobotSender(s.robot_base_url or s.api_base_url, s.timeout)
        self.oa: OfficialAccountSender | None = None
        if s.oa_app_id:
            self.oa = OfficialAccountSender(
                s.oa_api_base_url or s.api_base_url,
                s.oa_app_id,
                s.oa_secret,
                self.redis,
                s.oa_template_id,
                s.timeout,
                token_prefix=f"{self.namespace}:wechat",
            )

    # -- rate limits ---------------------------------------------------------------------------
    def _bucket(self, name: str, per_minute: int) -> TokenBucket:
        return TokenBucket(self.redis, f"{self.namespace}:ratelimit:{name}", per_minute)

    def _charges(self, route: Route, parts: int) -> list[tuple[TokenBucket, float]]:
        lim = self.limits
        # Robot keys are secrets: not even in Redis key names.
        target = short_hash(route.target)
        if route.kind == "robot":
            return [(self._bucket(f"robot:{target}", lim.robot_per_minute), parts)]
        if route.kind == "wecom_chat":
            return [
                (self._bucket("corp", lim.corp_per_minute), parts * route.member_count)
            ]
        if route.kind == "wecom_user":
            return [
                (self._bucket(f"member:{target}", lim.member_per_minute), parts),
                (self._bucket("corp", lim.corp_per_minute), parts),
            ]
        return []  # Official Account quotas are per API call per day; 45009 covers them

    # -- delivery ------------------------------------------------------------------------------
    def deliver(self, route: Route, text: str, card: dict | None = None, masked: str | None = None) -> None:
        """Deliver text to route or raise TransientError / RateLimited / PermanentError.

        If a multi-part message fails midway, the parts already sent stay sent; a retry resends
        them (WeCom's duplicate check hides repeats in direct messages).
        """
        if route.kind in GROUP_KINDS and masked != STAFF_MASKED:
            # Staff text masked where it was written keeps its official hotlines; the rest is
            # masked here with the residents' rules before any group reads it.
            text = mask_personal_data(text)
        if not text.strip():
            raise PermanentError("empty message")
        parts = split_text(text, self.limit_bytes)
        log_ctx = (
            route.kind,
            short_hash(route.target),
            len(text),
            utf8_len(text),
            len(parts),
        )
        try:
            wait = acquire_all(self._charges(route, len(parts)))
        except ValueError as exc:  # more parts than a bucket can ever hold
            raise PermanentError(f"message too long for {route.kind} limits") from exc
        except RedisError as exc:
            raise TransientError("rate-limit store unavailable") from exc
        if wait > 0:
            logger.info(
                "deliver deferred kind=%s target=#%s chars=%d bytes=%d parts=%d wait=%.1fs",
                *log_ctx,
                wait,
            )
            raise RateLimited(wait, "local rate limit")
        try:
            if card is not None and route.kind == "wecom_user" and len(parts) == 1:
                # The buttons go with the text (the card's text carries it; WeCom shows no separate bubble).
                if self.wecom.send_card_to_users([route.target], card):
                    raise PermanentError("recipient not valid for this app", errcode=81013)
                parts = []
            for part in parts:
                self._send_one(route, part)
        except DeliveryError as exc:
            logger.warning(
                "deliver failed kind=%s target=#%s chars=%d bytes=%d parts=%d error=%s errcode=%s",
                *log_ctx,
                type(exc).__name__,
                exc.errcode,
            )
            raise
        logger.info("delivered kind=%s target=#%s chars=%d bytes=%d parts=%d", *log_ctx)

    def _send_one(self, route: Route, text: str) -> None:
        if route.kind == "wecom_chat":
            self.wecom.send_to_chat(route.target, text)
        elif route.kind == "wecom_user":
            if self.wecom.send_to_users([route.target], text):
                raise PermanentError("recipient not valid for this app", errcode=81013)
        elif route.kind == "robot":
            self.robot.send(route.target, text)
        elif route.kind == "robot_response":
            self.robot.respond(route.target, text)
        else:
            if self.oa is None:
                raise PermanentError("official account not configured")
            self.oa.send_to_user(route.target, text)
