"""Deliberation (党群议事): residents propose, the grid's residents support or oppose, and a
proposal that reaches its threshold becomes a ticket in the closed loop.

Rules, decided and documented here:
- One voice per person per proposal (unique key in the database). Changing one's mind is
  allowed while the proposal is open: the last stance counts, and the reply says so.
- Only residents (or party members) registered in the proposal's grid may vote; anyone else is
  refused politely. Staff who want to weigh in add a note (备注) instead.
- The threshold (share of OrgUnit.households, or a fixed number) is fixed when the proposal
  opens. Reaching it adopts the proposal at once (a conditional state change under the
  proposal's row lock, so two last votes cannot open two tickets); the expiry runs in the sweep.

Chat: 议事：内容 · 支持 #Y12 / 反对 #Y12 (or quoting the proposal with 支持 / 反对 / +1) ·
备注 #Y12 内容 · 议事 #Y12 (status).
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from handlers import community_texts as T
from handlers.commands import fold, normalise
from handlers.community_config import community_config
from handlers.context import Context
from handlers.settings import HandlerSettings
from handlers.deadlines import format_deadline
from handlers.events import STAFF_MASKED, IncomingMessage, Outcome, OutgoingMessage
from handlers.points_ledger import award_quietly
from handlers.policy import PROPOSAL_NOTE_ROLES, VOTER_ROLES, acts_over, is_staff, may_see_proposal
from handlers.privacy import mask_personal_data, mask_staff_text, masked_excerpt
from handlers.tickets import TicketDesk
from models import GroupChat, OrgUnit, Person, Proposal, ProposalNote, ProposalVote, RoleAssignment

log = logging.getLogger(__name__)

PROPOSAL_REF = re.compile(r"#?\s*[Yy]\s*(\d{1,9})")
PROPOSE = re.compile(r"^(?:议事|提议|议题)\s*(?:[:：]|\s)\s*(.+)$", re.DOTALL)
STATUS = re.compile(r"^(?:议事|议题)\s*#?\s*[Yy]\s*(\d{1,9})\s*$")
VOTE = re.compile(r"^(支持|赞成|反对|\+1)(?=$|[\s#,，。!！:：Yy])\s*(.*)$", re.DOTALL)
NOTE = re.compile(r"^备注(?=$|[\s#,，:：Yy])\s*(.*)$", re.DOTALL)
STANCES = {"支持": "support", "赞成": "support", "+1": "support", "反对": "oppose"}
SWEEP_BATCH = 200


def proposal_ref(text: str | None) -> int | None:
    found = PROPOSAL_REF.search(text or "")
    return int(found.group(1)) if found else None


def _body(msg) -> str:
    return normalise(msg.text) if msg.msg_type == "text" else ""


def grid_of(ctx: Context) -> OrgUnit | None:
    if ctx.chat is not None and ctx.chat.org_unit is not None and ctx.chat.org_unit.kind == "grid":
        return ctx.chat.org_unit
    for role in ctx.person.roles:
        if role.role in VOTER_ROLES and role.org_unit is not None and role.org_unit.kind == "grid":
            return role.org_unit
    return None


def may_vote(person: Person, proposal: Proposal) -> bool:
    return any(r.role in VOTER_ROLES and r.org_unit_id == proposal.grid_id for r in person.roles)


def may_note(person: Person, proposal: Proposal) -> bool:
    return acts_over(person, PROPOSAL_NOTE_ROLES, proposal.grid)


def masked_note(writer: Person, text: str) -> str:
    """A note masked by its writer's role: staff keep their official numbers (a hotline, the office's
    landline); a party member is a resident, and their note gets the residents' rules."""
    return mask_staff_text(text) if is_staff(writer) else mask_personal_data(text)


def counts(session: Session, proposal_id: int) -> tuple[int, int]:
    rows = dict(session.execute(
        select(ProposalVote.stance, func.count()).where(ProposalVote.proposal_id == proposal_id)
        .group_by(ProposalVote.stance)).all())
    return int(rows.get("support", 0)), int(rows.get("oppose", 0))


def locked(session: Session, proposal_id: int) -> Proposal | None:
    return session.execute(select(Proposal).where(Proposal.id == proposal_id).with_for_update()).scalar_one_or_none()


def open_proposal(ctx: Context, grid: OrgUnit, text: str) -> Proposal:
    cfg = community_config(ctx.settings)
    prediction = ctx.classify(text)
    category = prediction.category
    if category is None and prediction.top and prediction.top[0][1] >= 0.3:
        category = prediction.top[0][0]
    proposal = Proposal(
        grid_id=grid.id, chat_id=ctx.chat.id if ctx.chat is not None else None, proposer_id=ctx.person.id,
        text=text[:1000], category=category or "other", state="open",
        threshold=cfg.supporters_needed(grid.households), created_at=ctx.now,
        closes_at=ctx.now + timedelta(days=cfg.proposal_days),
    )
    ctx.session.add(proposal)
    ctx.session.flush()
    log.info("proposal Y%s opened in grid %s", proposal.id, grid.id)
    return proposal


def adopt(session: Session, settings: HandlerSettings, proposal: Proposal, now: datetime, d: TicketDesk, *,
          skip_chat_id: int | None = None) -> str:
    """Turn a proposal that reached its threshold into a ticket; tell supporters and the chat."""
    changed = session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.state == "open")
                              .values(state="adopted", closed_at=now)).rowcount
    if changed != 1:
        return ""
    session.refresh(proposal)
    ticket = d.open(reporter=proposal.proposer, chat=proposal.chat, grid=proposal.grid,
                    text=f"【议事立项 #Y{proposal.id}】{proposal.text}", category=proposal.category, places=(),
                    confidence=None, inbox_id=None)
    proposal.ticket_id = ticket.id
    text = T.Y_ADOPTED.format(pid=proposal.id, support=proposal.support_count, ticket_id=ticket.id,
                              handler=d.handler_name(ticket), deadline=d.deadline_text(ticket))
    key = f"y{proposal.id}:adopted"
    if proposal.chat is not None and proposal.chat_id != skip_chat_id:
        d.push_to_chat(proposal.chat, text, key, ticket)
    supporters = session.execute(select(ProposalVote).where(
        ProposalVote.proposal_id == proposal.id, ProposalVote.stance == "support").order_by(ProposalVote.id)).scalars()
    for vote in supporters:
        d.push_to_person(vote.person, T.Y_TO_SUPPORTER.format(pid=proposal.id, text=masked_excerpt(proposal.text, 60),
                                                              ticket_id=ticket.id), key, ticket)
    for role in session.execute(select(RoleAssignment).where(
            RoleAssignment.org_unit_id == proposal.grid_id, RoleAssignment.role == "grid_leader")).scalars():
        d.push_to_person(role.person, text + f"\n议题：{proposal.text[:200]}", key + ":leader", ticket)
    award_quietly(session, settings, proposal.proposer, "proposal", now=now, ref=f"proposal:Y{proposal.id}")
    log.info("proposal Y%s adopted as ticket %s", proposal.id, ticket.id)
    return text


def sweep_proposals(session: Session, settings: HandlerSettings, now: datetime) -> list[OutgoingMessage]:
    """Close proposals whose period ended without reaching the threshold; call from the sweep."""
    d = TicketDesk(session, settings, now)
    due = session.execute(
        select(Proposal).where(Proposal.state == "open", Proposal.closes_at <= now)
        .order_by(Proposal.id).with_for_update(skip_locked=True).limit(SWEEP_BATCH)
    ).scalars().all()
    for proposal in due:
        support, oppose = counts(session, proposal.id)
        proposal.support_count, proposal.oppose_count = support, oppose
        if support >= proposal.threshold:  # reached it at the last moment: adopt rather than expire
            adopt(session, settings, proposal, now, d)
            continue
        proposal.state, proposal.closed_at = "expired", now
        text = T.Y_EXPIRED.format(pid=proposal.id, text=masked_excerpt(proposal.text, 60), support=support, oppose=oppose,
                                  needed=proposal.threshold)
        key = f"y{proposal.id}:expired"
        d.push_to_chat(proposal.chat, text, key)
        d.push_to_person(proposal.proposer, text, key)
    if due:
        session.flush()
    return d.outgoing


# --- chat handlers ----------------------------------------------------------------------
def _status_text(session: Session, proposal: Proposal) -> str:
    notes = session.execute(select(ProposalNote).where(ProposalNote.proposal_id == proposal.id)
                            .order_by(ProposalNote.id)).scalars().all()
    # Shown to any resident of the grid (one-to-one too): the proposer's words masked, each note by
    # its writer's role (again: notes are stored masked only since 2026-12).
    note_text = "".join(f"\n备注（{n.person.name}）：{masked_note(n.person, n.text)}" for n in notes[-3:])
    return T.Y_STATUS.format(pid=proposal.id, state=T.Y_STATE_NAMES.get(proposal.state, proposal.state),
                             text=masked_excerpt(proposal.text, 200), support=proposal.support_count,
                             needed=proposal.threshold,
                             oppose=proposal.oppose_count, closes=format_deadline(proposal.closes_at),
                             notes=note_text)


class Propose:
    """议事：建议在3号楼加装电梯 — opens a proposal for this grid."""

    name = "propose"

    def match(self, msg: IncomingMessage, ctx: Context):
        folded = fold(msg.text) if msg.msg_type == "text" else fold("")
        found = STATUS.match(folded.text)
        if found:
            return ("status", int(found.group(1)))
        found = PROPOSE.match(folded.text)
        return ("propose", folded.group(found)) if found else None  # the proposal as typed

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        kind, value = found
        if kind == "status":
            proposal = ctx.session.get(Proposal, value)
            if proposal is None:
                reply = T.Y_NO_SUCH.format(pid=value)
            elif not may_see_proposal(ctx.person, proposal):
                log.info("refused status of Y%s to person %s", value, ctx.person.id)
                reply = T.Y_NOT_IN_SCOPE.format(pid=value)
            else:
                # Every part was masked where it was written: the door must not mask staff notes again.
                return Outcome(reply=_status_text(ctx.session, proposal), intent="command", reply_masked=True)
            return Outcome(reply=reply, intent="command")
        text: str = value
        if len(text) < 4:
            return Outcome(reply=T.Y_TOO_SHORT, intent="command")
        grid = grid_of(ctx)
        if grid is None:
            return Outcome(reply=T.Y_NEED_GRID, intent="command")
        proposal = open_proposal(ctx, grid, text)
        reply = T.Y_OPENED.format(pid=proposal.id, text=masked_excerpt(proposal.text, 200),
                                  closes=format_deadline(proposal.closes_at),
                                  needed=proposal.threshold)
        d = TicketDesk(ctx.session, ctx.settings, ctx.now)
        if ctx.chat is None or ctx.chat.org_unit_id != grid.id:
            # Proposed one-to-one: the grid's chat must see it to vote.
            chat = ctx.session.execute(select(GroupChat).where(GroupChat.org_unit_id == grid.id)
                                       .order_by(GroupChat.id)).scalars().first()
            if chat is not None:
                proposal.chat_id = chat.id
                d.push_to_chat(chat, reply, f"y{proposal.id}:opened")
        return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent="proposal")


class Vote:
    """支持 #Y12 / 反对 #Y12, or quoting the proposal message with 支持 / 反对 / +1."""

    name = "vote"

    def match(self, msg: IncomingMessage, ctx: Context):
        found = VOTE.match(_body(msg))
        if not found:
            return None
        pid = proposal_ref(found.group(2))
        quote = msg.quote_text or ""
        # "+1" quoting a message that names a ticket is the ticket loop's follow, not a vote.
        plus_one_on_ticket = found.group(1) == "+1" and re.search(r"#\s*\d", quote)
        if pid is None and not re.search(r"#\s*\d", found.group(2)) and "议题" in quote and not plus_one_on_ticket:
            pid = proposal_ref(quote)
        # "+1" without a proposal belongs to the ticket loop; "支持" alone is everyday talk.
        return (STANCES[found.group(1)], pid) if pid is not None else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        stance, pid = found
        session = ctx.session
        proposal = locked(session, pid)
        if proposal is None:
            return Outcome(reply=T.Y_NO_SUCH.format(pid=pid), intent="command")
        if proposal.state != "open" or proposal.closes_at <= ctx.now:
            state = T.Y_STATE_NAMES.get(proposal.state, "已截止") if proposal.state != "open" else "已截止"
            return Outcome(reply=T.Y_NOT_OPEN.format(pid=pid, state=state), intent="command")
        if not may_vote(ctx.person, proposal):
            log.info("vote on Y%s refused: person %s is not a resident of grid %s", pid, ctx.person.id,
                     proposal.grid_id)
            return Outcome(reply=T.Y_OTHER_GRID.format(pid=pid, grid=proposal.grid.name), intent="command")
        vote = session.execute(select(ProposalVote).where(
            ProposalVote.proposal_id == pid, ProposalVote.person_id == ctx.person.id)).scalar_one_or_none()
        template = T.Y_VOTED
        if vote is None:
            session.add(ProposalVote(proposal_id=pid, person_id=ctx.person.id, stance=stance,
                                     created_at=ctx.now, updated_at=ctx.now))
        elif vote.stance == stance:
            template = T.Y_SAME_VOTE
        else:
            vote.stance, vote.updated_at = stance, ctx.now
            template = T.Y_CHANGED
        session.flush()
        proposal.support_count, proposal.oppose_count = counts(session, pid)
        reply = template.format(pid=pid, stance=T.STANCE_NAMES[stance], support=proposal.support_count,
                                needed=proposal.threshold, oppose=proposal.oppose_count)
        d = TicketDesk(session, ctx.settings, ctx.now)
        if proposal.support_count >= proposal.threshold:
            in_chat = ctx.chat.id if ctx.chat is not None else None
            adopted = adopt(session, ctx.settings, proposal, ctx.now, d, skip_chat_id=in_chat)
            if adopted:
                reply = reply + "\n" + adopted
        return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent="vote")


class Note:
    """备注 #Y12 内容 — party members, grid leaders and staff annotate a proposal."""

    name = "proposal_note"

    def match(self, msg: IncomingMessage, ctx: Context):
        folded = fold(msg.text) if msg.msg_type == "text" else fold("")
        found = NOTE.match(folded.text)
        if not found:
            return None
        rest = found.group(1)
        typed = folded.group(found)  # the note as typed; the parsed `rest` finds the proposal
        pid = proposal_ref(rest)
        if pid is None and msg.quote_text and "议题" in msg.quote_text:
            pid = proposal_ref(msg.quote_text)
        if pid is None:
            return None
        note = PROPOSAL_REF.sub(" ", typed, count=1).strip(" \t,，。:：") if proposal_ref(rest) else typed
        return (pid, note)

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        pid, note = found
        proposal = ctx.session.get(Proposal, pid)
        if proposal is None:
            return Outcome(reply=T.Y_NO_SUCH.format(pid=pid), intent="command")
        if not may_note(ctx.person, proposal):
            return Outcome(reply=T.Y_NOTE_NOT_ALLOWED, intent="command")
        if not note:
            return Outcome(reply=T.Y_NOTE_EMPTY.format(pid=pid), intent="command")
        # Stored masked (before it is cut: a cut phone would slip through), by the writer's role.
        note = masked_note(ctx.person, note)
        ctx.session.add(ProposalNote(proposal_id=pid, person_id=ctx.person.id, text=note[:500], created_at=ctx.now))
        d = TicketDesk(ctx.session, ctx.settings, ctx.now)
        if proposal.chat is not None and (ctx.chat is None or ctx.chat.id != proposal.chat_id):
            d.push_to_chat(proposal.chat, T.Y_NOTE_PUSH.format(pid=pid, who=ctx.person.name, note=note[:300]),
                           f"y{pid}:note:inbox{ctx.inbox_id}", masked=STAFF_MASKED if is_staff(ctx.person) else None)
        return Outcome(reply=T.Y_NOTE_ADDED.format(pid=pid), outgoing=tuple(d.outgoing), intent="command")
