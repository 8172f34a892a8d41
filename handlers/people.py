"""Who sent a message and from which chat: identities, people and group chats."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from handlers.events import IncomingMessage, extras_fields
from models import GroupChat, Identity, InboxMessage, Person, RoleAssignment

DIRECT_ROUTE = {"wecom": "wecom_user", "wechat": "oa_user"}


def to_message(row: InboxMessage) -> IncomingMessage:
    return IncomingMessage(
        channel=row.channel, msg_id=row.msg_id, msg_type=row.msg_type, sender_id=row.sender_id,
        text=row.text, sent_at=row.sent_at, chat_id=row.chat_id, quote_id=row.quote_id,
        quote_text=row.quote_text, **extras_fields(row.extras),
    )


# Every message asks these two, so they are built once: composing a SELECT with its options costs
# about as much CPU as running it (SQLite), and a built one also keeps its cache key.
CHAT_BY_ID = (select(GroupChat).options(joinedload(GroupChat.org_unit))
              .where(GroupChat.channel == "wecom", GroupChat.external_id == bindparam("chat_id")))
# One round trip for the identity, its person and the person's roles (a handful of rows).
SENDER = (select(Identity).options(joinedload(Identity.person).joinedload(Person.roles))
          .where(Identity.channel == bindparam("channel"), Identity.external_id == bindparam("sender_id")))


def find_chat(session: Session, msg: IncomingMessage) -> GroupChat | None:
    if not msg.chat_id:
        return None
    return session.execute(CHAT_BY_ID, {"chat_id": msg.chat_id}).scalar_one_or_none()


def resolve_person(session: Session, msg: IncomingMessage, chat: GroupChat | None) -> Person:
    """The sender as a Person; a first-time sender in a grid chat becomes a resident there."""
    channel = msg.identity_channel
    identity = session.execute(SENDER, {"channel": channel, "sender_id": msg.sender_id}).unique().scalar_one_or_none()
    if identity is not None:
        return identity.person
    try:
        # A savepoint: two first messages from one new sender at once both try to create them.
        with session.begin_nested():
            person = Person(name="居民")
            session.add(person)
            session.add(Identity(person=person, channel=channel, external_id=msg.sender_id,
                                 route_kind=DIRECT_ROUTE[channel]))
            if chat is not None and chat.org_unit is not None and chat.org_unit.kind == "grid":
                session.add(RoleAssignment(person=person, role="resident", org_unit_id=chat.org_unit_id))
        return person
    except IntegrityError:
        return session.execute(
            select(Identity).where(Identity.channel == channel, Identity.external_id == msg.sender_id)
        ).scalar_one().person


def with_identities(session: Session, people: list[Person]) -> None:
    """Load the identities of those of `people` who have them unloaded, in one round trip.

    Pushing to a ticket's reporter and followers reads each one's identities; lazily that is a
    SELECT per person (a busy ticket has hundreds of followers), and selectinload would ask again
    for people whose identities are loaded already.
    """
    unloaded = {p.id: p for p in people if inspect(p).persistent and "identities" in inspect(p).unloaded}
    if not unloaded:
        return
    found: dict[int, list[Identity]] = defaultdict(list)
    for identity in session.execute(select(Identity).where(Identity.person_id.in_(unloaded))
                                    .order_by(Identity.id)).scalars():
        found[identity.person_id].append(identity)
    for person_id, person in unloaded.items():
        set_committed_value(person, "identities", found[person_id])


def reply_route(session: Session, msg: IncomingMessage) -> tuple[str, str, int] | None:
    """Where a reply goes when it can no longer be the passive one: the chat, else the sender."""
    chat = find_chat(session, msg)
    if chat is not None:
        return chat.route_kind, chat.route_target, chat.member_count
    if msg.chat_id:
        return None  # a chat we do not know how to reach
    return DIRECT_ROUTE[msg.identity_channel], msg.sender_id, 1
