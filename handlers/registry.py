"""Handlers register here by decorator and are tried in order; the first match wins.

A handler is a small object with `match(msg, ctx)` → a truthy match or None, and
`handle(msg, ctx, match)` → Outcome. It never makes HTTP calls: pushes are returned
as OutgoingMessage values that become outbox rows.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol
from collections.abc import Callable

from handlers.events import IncomingMessage, Outcome

log = logging.getLogger(__name__)


class Handler(Protocol):
    name: str

    def match(self, msg: IncomingMessage, ctx: Any) -> Any: ...

    def handle(self, msg: IncomingMessage, ctx: Any, match: Any) -> Outcome: ...


@dataclass
class Registry:
    entries: list[tuple[int, Handler]] = field(default_factory=list)

    def register(self, order: int) -> Callable[[type], type]:
        def decorate(cls: type) -> type:
            self.entries.append((order, cls()))
            self.entries.sort(key=lambda e: e[0])
            return cls

        return decorate

    def dispatch(self, msg: IncomingMessage, ctx: Any) -> Outcome:
        for _, handler in self.entries:
            found = handler.match(msg, ctx)
            if found:
                log.debug("handler %s matched msg %s", handler.name, msg.msg_id)
                return handler.handle(msg, ctx, found)
        return Outcome()


registry = Registry()
