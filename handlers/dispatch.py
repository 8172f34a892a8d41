"""From one inbox row to an Outcome: who sent it, in which chat and grid, which handler."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

import handlers.loop  # noqa: F401  (registers the ticket-loop handlers)
import handlers.broadcast  # noqa: F401  (通知 broadcasts, order 31)
import handlers.deliberation  # noqa: F401  (议事 handlers, orders 21-23)
import handlers.knowledge  # noqa: F401  (leader answers / staff entries, orders 28-29)
import handlers.points  # noqa: F401  (积分 handlers, orders 24-27)
from handlers.context import Context
from handlers.events import Outcome
from handlers.registry import registry
from handlers.people import find_chat, resolve_person, to_message
from models import InboxMessage

log = logging.getLogger(__name__)

def handle_message(session: Session, svc, row: InboxMessage) -> Outcome:
    msg = to_message(row)
    chat = find_chat(session, msg)
    ctx = Context(session=session, settings=svc.settings, classify=svc.classify, now=svc.clock.now(),
                  chat=chat, inbox=row, load_person=lambda: resolve_person(session, msg, chat),
                  thresholds=svc.model.thresholds)
    return registry.dispatch(msg, ctx)
