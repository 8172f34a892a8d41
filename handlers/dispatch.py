"""From one typed message to an Outcome: which chat, who sent it (when asked), which handler."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from classifier import Prediction
from handlers import conversation, photos, pipeline
from handlers.context import Context, HandlerServices
from handlers.events import IncomingMessage, Outcome
from handlers.people import find_chat, resolve_person


def classify_once(classify: Callable[[str], Prediction]) -> Callable[[str], Prediction]:
    """The classifier, remembering its last answer: the conversation handlers and Classified may
    both ask about the same text, and a second prediction would cost as much as the first."""
    last: dict[str, Prediction] = {}

    def cached(text: str) -> Prediction:
        if text not in last:
            last.clear()
            last[text] = classify(text)
        return last[text]

    return cached


def handle_message(session: Session, svc: HandlerServices, msg: IncomingMessage, inbox_id: int) -> Outcome:
    """Run the handlers on one message already stored as inbox row `inbox_id` (caller commits)."""
    chat = find_chat(session, msg)
    chat_key, sender_key = conversation.keys(msg)
    now = svc.clock.now()
    ctx = Context(session=session, settings=svc.settings, classify=classify_once(svc.classify),
                  now=now, chat=chat, inbox_id=inbox_id,
                  load_person=lambda: resolve_person(session, msg, chat), thresholds=svc.model.thresholds,
                  memory=getattr(svc, "memory", None), chat_key=chat_key, sender_key=sender_key,
                  line=conversation.line_of(msg, sender_key, now, inbox_id))
    # The message's photos are rows before any handler runs, so the one that opens, joins or
    # resolves a ticket finds them waiting (handlers.photos); the reply then counts them.
    receipt = photos.receive(session, msg, ctx.now, svc.settings.photos_per_sender_per_minute, inbox_id)
    outcome = pipeline.run(msg, ctx)
    conversation.remember(msg, ctx, outcome)
    return photos.after(session, msg, receipt, outcome)
