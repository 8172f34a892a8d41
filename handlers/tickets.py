"""Ticket operations shared by chat handlers, timers and the console.

Every state change goes through `move`, which asks the pure state machine,
records an audit event and fills the figures the console needs. Pushes are
returned as OutgoingMessage values; nothing here sends anything.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from classifier import load_categories
from handlers import texts
from handlers.deadlines import WorkCalendar, add_working_hours, format_deadline
from handlers.events import OutgoingMessage
from handlers.people import with_identities
from handlers.photos import attach_waiting
from handlers.points_ledger import revoke_quietly
from handlers.privacy import mask_staff_text
from handlers.settings import HandlerSettings
from handlers.similarity import same_problem
from models import (
    CategoryOverride, Department, GroupChat, OrgUnit, Person, RoleAssignment, Ticket, TicketEvent,
    TicketFollower,
)
from models.state_machine import OPEN_STATES, next_state
from models.vocabulary import LEVEL_NAMES

log = logging.getLogger(__name__)

# Hours each higher level gets when a ticket is whistled up to it.
LEVEL_DEADLINE_HOURS = {"community": 48, "street": 72, "department": 120}
NEXT_LEVEL = {"grid": "community", "community": "street"}


@lru_cache(maxsize=1)
def categories() -> dict:
    """The categories as shipped (classifier/data/categories.csv), read once per process."""
    return load_categories()


def _with_override(cat, override: CategoryOverride | None):
    if override is None:
        return cat
    return replace(cat, deadline_hours=override.deadline_hours or cat.deadline_hours)


def category_setting(session: Session, code: str):
    """One category as the loop uses it: the CSV defaults with an admin's override (console)."""
    cat = categories().get(code)
    return None if cat is None else _with_override(cat, session.get(CategoryOverride, code))


def effective_categories(session: Session) -> dict:
    """Every category with the admins' overrides applied (read per call: no stale worker cache)."""
    overrides = {o.code: o for o in session.execute(select(CategoryOverride)).scalars()}
    return {code: _with_override(cat, overrides.get(code)) for code, cat in categories().items()}


# The queries every ticket action runs, built once: composing a SELECT costs about as much CPU as
# running it on SQLite (and a built one keeps its cache key). Parameters are bound per call.
TICKET_FOR_UPDATE = select(Ticket).where(Ticket.id == bindparam("ticket_id")).with_for_update()
FOLLOWER = select(TicketFollower.id).where(TicketFollower.ticket_id == bindparam("ticket_id"),
                                           TicketFollower.person_id == bindparam("person_id"))
FOLLOWERS = (select(Person).join(TicketFollower, TicketFollower.person_id == Person.id)
             .where(TicketFollower.ticket_id == bindparam("ticket_id")).order_by(TicketFollower.id))


def is_follower(session: Session, ticket_id: int, person_id: int) -> bool:
    return session.execute(FOLLOWER, {"ticket_id": ticket_id, "person_id": person_id}).first() is not None


@dataclass
class TicketDesk:
    """One unit of ticket work inside one transaction."""

    session: Session
    settings: HandlerSettings
    now: datetime
    outgoing: list[OutgoingMessage] = field(default_factory=list)

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar.parse(self.settings.working_hours, self.settings.working_days)

    def deadline_after(self, hours: float) -> datetime:
        return add_working_hours(self.now, hours, self.calendar)

    # --- lookup -----------------------------------------------------------------
    def get_for_update(self, ticket_id: int) -> Ticket | None:
        # Row lock on PostgreSQL: of two people acting at once, the second waits and then
        # sees the first one's result. The version column catches anything else.
        return self.session.execute(TICKET_FOR_UPDATE, {"ticket_id": ticket_id}).scalar_one_or_none()

    def find_duplicate(self, grid_id: int | None, category: str, text: str, reporter_id: int) -> Ticket | None:
        since = self.now - timedelta(hours=self.settings.duplicate_window_hours)
        # Without a grid (an unknown Official Account openid, an unbound chat) nothing ties two
        # senders together: "no grid" is not a place, and matching there would tell one stranger
        # another's ticket and make them its follower. Only the sender's own tickets count.
        same_place = (Ticket.grid_id == grid_id) if grid_id is not None else (
            Ticket.grid_id.is_(None) & (Ticket.reporter_id == reporter_id))
        # Only ids and texts to compare: a busy grid has dozens of open tickets of one category,
        # and loading each as a full object would cost more than the comparison.
        candidates = self.session.execute(
            select(Ticket.id, Ticket.description)
            .where(
                same_place, Ticket.category == category,
                Ticket.state.in_(OPEN_STATES), Ticket.created_at >= since,
            )
            .order_by(Ticket.id.desc())
            .limit(50)
        )
        best_id, best_score = None, self.settings.duplicate_similarity
        for ticket_id, description in candidates:
            score = same_problem(text, description)
            if score >= best_score:
                best_id, best_score = ticket_id, score
        return None if best_id is None else self.session.get(Ticket, best_id)

    def followers_of(self, ticket: Ticket) -> list[Person]:
        """The ticket's followers, in the order they joined.

        Read afresh, not through ticket.followers: followers are added and removed by id (see
        `follow`, merges), which a collection loaded earlier in a long session would not show; and
        one round trip for all of them, not a lazy load of each follower's person.
        """
        return list(self.session.execute(FOLLOWERS, {"ticket_id": ticket.id}).scalars())

    # --- describing -------------------------------------------------------------
    def handler_name(self, ticket: Ticket) -> str:
        if ticket.level == "department" and ticket.department is not None:
            return ticket.department.name
        unit = ticket.assignee_unit
        if unit is None:
            return LEVEL_NAMES.get(ticket.level, ticket.level)
        return f"{unit.name}网格长" if unit.kind == "grid" else unit.name

    # --- changes ----------------------------------------------------------------
    def open(self, *, reporter: Person, chat: GroupChat | None, grid: OrgUnit | None, text: str,
             category: str, places: tuple[str, ...], confidence: float | None,
             inbox_id: int | None, category_unsure: bool = False) -> Ticket:
        cat = category_setting(self.session, category)
        hours = cat.deadline_hours if cat else 72
        ticket = Ticket(
            state="new", category=category, grid=grid, chat=chat, place_text="；".join(places)[:200],
            description=text, reporter=reporter, source_inbox_id=inbox_id, level="grid",
            assignee_unit=grid, deadline_at=self.deadline_after(hours), created_at=self.now,
            classifier_confidence=confidence, category_unsure=category_unsure,
        )
        self.session.add(ticket)
        self.session.flush()
        self._event(ticket, reporter, "open", None, "new", "")
        if inbox_id is not None:  # a report a person sent (not a proposal adopted by votes)
            self.attach_photos(ticket, reporter)
        return ticket

    def attach_photos(self, ticket: Ticket, person: Person | None, role: str = "report") -> int:
        """The person's waiting photos (this message's and the last minutes') go with this ticket."""
        return attach_waiting(self.session, ticket, person, role, self.now, self.settings.photo_window_minutes)

    def follow(self, ticket: Ticket, person: Person) -> bool:
        # A resident who reports the same problem again with a photo adds it, followed or not.
        self.attach_photos(ticket, person)
        if person.id == ticket.reporter_id or is_follower(self.session, ticket.id, person.id):
            return False
        # Added by id, not through ticket.followers: a busy ticket has hundreds of them.
        self.session.add(TicketFollower(ticket_id=ticket.id, person_id=person.id, created_at=self.now))
        self._event(ticket, person, "follow", ticket.state, ticket.state, "")
        return True

    def recategorise(self, ticket: Ticket, actor: Person, category: str) -> None:
        old = ticket.category
        ticket.category, ticket.category_unsure = category, False  # a person has decided
        self._event(ticket, actor, "recategorise", ticket.state, ticket.state, f"{old} → {category}")

    def move(self, ticket: Ticket, action: str, actor: Person | None, note: str = "") -> None:
        """Apply one state-machine action (raises IllegalTransition) and record it."""
        step = next_state(ticket.state, action)
        ticket.state = step.to_state
        if ticket.first_response_at is None and action != "merge" and actor is not None and actor.id != ticket.reporter_id:
            ticket.first_response_at = self.now
        if action == "accept":
            ticket.accepted_at = self.now
        if action == "resolve":
            ticket.resolved_at = self.now
            ticket.resolved_by_id = actor.id if actor else None
            ticket.resolution_note = note
            ticket.on_time = ticket.missed_deadline_at is None and (
                ticket.deadline_at is None or self.now <= ticket.deadline_at)
            ticket.rating_due_at = self.now + timedelta(hours=self.settings.rating_timeout_hours)
        if action in ("close", "reject", "merge"):
            ticket.closed_at = self.now
        self._event(ticket, actor, action, step.from_state, step.to_state, note)
        if action == "reject":
            # A rejected report is not a useful act: the points it earned go back.
            revoke_quietly(self.session, f"report:t{ticket.id}", now=self.now, note=f"工单 #{ticket.id}")

    def escalate(self, ticket: Ticket, actor: Person | None, reason: str) -> bool:
        """Whistle one level up (grid → community → street); False at the top."""
        nxt = NEXT_LEVEL.get(ticket.level)
        unit = ticket.assignee_unit.parent if ticket.assignee_unit is not None else None
        if nxt is None or unit is None:
            return False
        self.move(ticket, "escalate", actor, reason)
        ticket.level, ticket.assignee_unit = nxt, unit
        ticket.deadline_at, ticket.reminded_at = self.deadline_after(LEVEL_DEADLINE_HOURS[nxt]), None
        self.session.flush()
        return True

    def dispatch(self, ticket: Ticket, actor: Person | None, department: Department, note: str = "") -> None:
        self.move(ticket, "dispatch", actor, note or department.name)
        ticket.level, ticket.department = "department", department
        ticket.deadline_at, ticket.reminded_at = self.deadline_after(LEVEL_DEADLINE_HOURS["department"]), None
        self.session.flush()

    def reopen(self, ticket: Ticket, actor: Person, reason: str) -> None:
        self.move(ticket, "reopen", actor, reason)
        ticket.deadline_at = self.deadline_after(self.settings.reopen_deadline_hours)
        ticket.reminded_at, ticket.rating_due_at, ticket.resolved_at, ticket.on_time = None, None, None, None

    def _event(self, ticket: Ticket, actor: Person | None, action: str, from_state, to_state, note: str) -> None:
        self.session.add(TicketEvent(
            ticket_id=ticket.id, actor_id=actor.id if actor else None, action=action,
            from_state=from_state, to_state=to_state, note=note, created_at=self.now,
        ))

    # --- pushes -----------------------------------------------------------------
    def push_to_chat(self, chat: GroupChat | None, text: str, key: str, ticket: Ticket | None = None,
                     masked: str | None = None) -> None:
        """masked=STAFF_MASKED: the text is already masked as staff text (see OutgoingMessage)."""
        if chat is None:
            return
        self.outgoing.append(OutgoingMessage(
            route_kind=chat.route_kind, route_target=chat.route_target, text=text,
            dedup_key=f"{key}:chat{chat.id}", member_count=chat.member_count,
            ticket_id=ticket.id if ticket else None, masked=masked,
        ))

    def push_to_person(self, person: Person, text: str, key: str, ticket: Ticket | None = None,
                       card: str | None = None) -> None:
        # The relationship, not a query: loaded with the sender already, and once per person after.
        identity = min(person.identities, key=lambda i: i.id, default=None)
        if identity is None:
            return
        self.outgoing.append(OutgoingMessage(
            route_kind=identity.route_kind, route_target=identity.external_id, text=text,
            dedup_key=f"{key}:person{person.id}", ticket_id=ticket.id if ticket else None, card=card,
        ))

    def tell_watchers(self, ticket: Ticket, text: str, key: str, *, skip_chat: bool = False,
                      skip_person: Person | None = None) -> None:
        """A state change goes to the ticket's group chat and to reporter and followers."""
        if not skip_chat:
            self.push_to_chat(ticket.chat, text, key, ticket)
        people = [p for p in [ticket.reporter, *self.followers_of(ticket)] if p is not None]
        with_identities(self.session, people)  # push_to_person reads them: one round trip for all
        for person in people:
            if person is not None and person is not skip_person:
                direct = texts.DIRECT_PROGRESS.format(ticket_id=ticket.id, text=text)
                if person.id != ticket.reporter_id:
                    # Another resident: staff notes may carry the reporter's phone or door.
                    direct = mask_staff_text(direct)
                self.push_to_person(person, direct, key, ticket)

    def tell_unit(self, ticket: Ticket, text: str, key: str) -> None:
        """Tell the level that now holds the ticket: its staff chats, else its staff directly."""
        if ticket.level == "department" and ticket.department_id:
            chats = self.session.execute(select(GroupChat).where(GroupChat.department_id == ticket.department_id)).scalars().all()
            roles = select(RoleAssignment).where(RoleAssignment.department_id == ticket.department_id)
        elif ticket.assignee_unit_id and ticket.level != "grid":
            chats = self.session.execute(select(GroupChat).where(
                GroupChat.org_unit_id == ticket.assignee_unit_id, GroupChat.id != ticket.chat_id)).scalars().all()
            roles = select(RoleAssignment).where(RoleAssignment.org_unit_id == ticket.assignee_unit_id)
        else:
            return
        for chat in chats:
            self.push_to_chat(chat, text, key, ticket)
        if not chats:
            for role in self.session.execute(roles).scalars():
                self.push_to_person(role.person, text, key, ticket)

    def tell_dispatcher(self, ticket: Ticket, text: str, key: str, *, skip_chat_id: int | None = None) -> None:
        """A department's progress (报到, 办结) on a ticket a community or street handed it, told to that unit.

        The unit that dispatched stays the ticket's assignee_unit; its work chats hear it (not the
        residents' chat, which hears through tell_watchers, nor skip_chat_id, where the action was
        answered already); a unit without a work chat has its staff told directly. A grid that
        dispatched hears it in its residents' chat already.
        """
        unit = ticket.assignee_unit
        if ticket.level != "department" or unit is None or unit.kind == "grid":
            return
        chats = self.session.execute(select(GroupChat).where(
            GroupChat.org_unit_id == unit.id, GroupChat.id != ticket.chat_id)).scalars().all()
        for chat in chats:
            if chat.id != skip_chat_id:
                self.push_to_chat(chat, text, key, ticket)
        if not chats:
            for role in self.session.execute(select(RoleAssignment).where(RoleAssignment.org_unit_id == unit.id)).scalars():
                self.push_to_person(role.person, text, key, ticket)

    def deadline_text(self, ticket: Ticket) -> str:
        return format_deadline(ticket.deadline_at) if ticket.deadline_at else "—"
