"""Outbound channels: push text to WeCom app chats, staff, group robots and OA followers.

Callers (the worker) use :class:`Deliverer` with a :class:`Route`; everything raises the typed
errors from :mod:`bot.delivery.channels.errors`. Nothing here reads env or Flask config.
"""

from bot.delivery.channels.errors import (
    DeliveryError,
    PermanentError,
    RateLimited,
    TransientError,
)
from bot.delivery.channels.routes import ChannelSettings, Deliverer, RateLimits, Route

__all__ = [
    "ChannelSettings",
    "Deliverer",
    "DeliveryError",
    "PermanentError",
    "RateLimited",
    "RateLimits",
    "Route",
    "TransientError",
]
