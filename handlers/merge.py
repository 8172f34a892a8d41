"""「合并 #13 到 #12」 / 「撤销合并 #13」: staff merge a duplicate ticket into another in the chat.

The action itself is handlers.ticket_actions (merge / unmerge), shared with the console. Written
as its own handler because it names two tickets, which the one-ticket command parser does not.
Without a direction word ("合并 #12 #13") the newer ticket joins the older one.
"""
from __future__ import annotations

import re

from handlers import texts, ticket_actions
from handlers.commands import normalise
from handlers.context import Context
from handlers.events import IncomingMessage, Outcome
from handlers.policy import is_staff
from handlers.tickets import TicketDesk

MERGE = re.compile(r"^(?:合并|并单|并入)\s*(?:工单)?\s*#\s*(\d{1,9})\s*(到|进|入|至|和|与|、|,|，)?\s*(?:工单)?\s*#\s*(\d{1,9})\s*$")
UNMERGE = re.compile(r"^(?:撤销合并|取消合并|撤回合并|拆分)\s*(?:工单)?\s*#\s*(\d{1,9})\s*(.*)$")
INTO = {"到", "进", "入", "至"}


def parse(text: str) -> tuple[str, int, int | None, str] | None:
    """(action, the ticket acted on, the merge target, a note) or None."""
    body = normalise(text)[:200]
    found = MERGE.match(body)
    if found:
        a, word, b = int(found.group(1)), found.group(2), int(found.group(3))
        dup, target = (a, b) if word in INTO else (max(a, b), min(a, b))
        return "merge", dup, target, ""
    found = UNMERGE.match(body)
    if found:
        return "unmerge", int(found.group(1)), None, found.group(2).strip()
    return None


class MergeCommand:
    name = "merge"

    def match(self, msg: IncomingMessage, ctx: Context):
        if msg.msg_type != "text" or not msg.text:
            return None
        found = parse(msg.text)
        return found if found is not None and is_staff(ctx.person) else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        action, ticket_id, target_id, note = found
        d = TicketDesk(ctx.session, ctx.settings, ctx.now)
        word = "合并" if action == "merge" else "撤销合并"
        request = ticket_actions.ActionRequest(action, note=note, target_ticket_id=target_id, word=word)
        result = ticket_actions.perform(d, ctx.person, ticket_id, request,
                                        ticket_actions.chat_origin(ctx.inbox_id, ctx.chat))
        if result is None:
            return Outcome(reply=texts.NO_SUCH_TICKET.format(ticket_id=ticket_id), intent="command")
        return Outcome(reply=result.message, outgoing=result.outgoing, intent="command")
