"""From one typed message to an Outcome: which chat, who sent it (when asked), which handler."""
from __future__ import annotations

from sqlalchemy.orm import Session

from handlers import photos, pipeline
from handlers.context import Context, HandlerServices
from handlers.events import IncomingMessage, Outcome
from handlers.people import find_chat, resolve_person


def handle_message(session: Session, svc: HandlerServices, msg: IncomingMessage, inbox_id: int) -> Outcome:
    """Run the handlers on one message already stored as inbox row `inbox_id` (caller commits)."""
    chat = find_chat(session, msg)
    ctx = Context(session=session, settings=svc.settings, classify=svc.classify, now=svc.clock.now(),
                  chat=chat, inbox_id=inbox_id, load_person=lambda: resolve_person(session, msg, chat),
                  thresholds=svc.model.thresholds)
    # The message's photos are rows before any handler runs, so the one that opens, joins or
    # resolves a ticket finds them waiting (handlers.photos); the reply then counts them.
    receipt = photos.receive(session, msg, ctx.now, svc.settings.photos_per_sender_per_minute, inbox_id)
    return photos.after(session, msg, receipt, pipeline.run(msg, ctx))
