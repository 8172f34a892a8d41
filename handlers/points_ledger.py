"""The points ledger (积分): awards within daily caps, take-backs, and redemptions that cannot overspend.

Why this shape:
- Every change is a PointsEntry row (the ledger); PointsAccount.balance is the running sum and is
  only changed by conditional UPDATEs: `balance = balance - price WHERE balance >= price`. On
  PostgreSQL a second concurrent redemption waits for the first one's row lock and then re-checks
  the WHERE clause against the committed balance, so two simultaneous requests can never both
  spend the same points. Stock is decremented the same way (`WHERE stock >= 1`), inside the same
  savepoint, so an out-of-stock item gives the points back. CHECK constraints are the last guard.
- Awards are idempotent by `ref` (unique), so a retried message never pays twice, and capped per
  act per person per China calendar day (configurable, see handlers.community_config).

A module of its own, below both the ticket desk (a rejected report gives its points back) and the
points chat commands (handlers.points), so neither imports the other.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers import community_texts as T
from handlers.community_config import community_config
from handlers.settings import HandlerSettings
from handlers.deadlines import CHINA
from models import Person, PointsAccount, PointsEntry, Redemption, ShopItem

log = logging.getLogger(__name__)


class PointsError(Exception):
    """A redemption that must not happen: the message is for the resident."""


@dataclass(frozen=True)
class Award:
    granted: int
    balance: int
    capped: bool


# --- ledger ---------------------------------------------------------------------------
def china_day_start(now: datetime) -> datetime:
    local = now.astimezone(CHINA)
    return datetime.combine(local.date(), time(0), tzinfo=CHINA)


def ensure_account(session: Session, person_id: int, now: datetime) -> None:
    """Create the balance row once; a concurrent creator wins harmlessly."""
    if session.get(PointsAccount, person_id) is not None:
        return
    _create_account(session, person_id, now)


def _create_account(session: Session, person_id: int, now: datetime) -> None:
    try:
        with session.begin_nested():
            session.add(PointsAccount(person_id=person_id, balance=0, updated_at=now))
            session.flush()
    except IntegrityError:
        pass


# Asked at every award, built once (composing a SELECT costs about as much CPU as running it).
LOCKED_BALANCE = select(PointsAccount.balance).where(PointsAccount.person_id == bindparam("person_id")).with_for_update()
# Two questions in one round trip: was this ref paid already (never, for ref None: NULL equals
# nothing), and how much of the act's cap the person has used today.
PAID_AND_USED = select(
    select(PointsEntry.id).where(PointsEntry.ref == bindparam("ref")).exists(),
    select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
        PointsEntry.person_id == bindparam("person_id"), PointsEntry.act == bindparam("act"), PointsEntry.delta > 0,
        PointsEntry.created_at >= bindparam("day_start"),
    ).scalar_subquery(),
)


def locked_balance(session: Session, person_id: int, now: datetime) -> int:
    """The balance with the account row locked (created first if need be), in one statement as a rule.

    PostgreSQL: a concurrent award or take-back for the same person waits here until this
    transaction ends, and FOR UPDATE returns the row as that one committed it, so this balance
    stays true until the caller's own UPDATE (SQLite serialises writers anyway).
    """
    balance = session.execute(LOCKED_BALANCE, {"person_id": person_id}).scalar()
    if balance is None:
        _create_account(session, person_id, now)
        balance = session.execute(LOCKED_BALANCE, {"person_id": person_id}).scalar_one()
    return int(balance)


def balance_of(session: Session, person_id: int) -> int:
    value = session.execute(select(PointsAccount.balance).where(PointsAccount.person_id == person_id)).scalar()
    return int(value or 0)


def award(session: Session, settings: HandlerSettings, person: Person, act: str, *, now: datetime, ref: str | None = None,
          points: int | None = None, note: str = "", actor: Person | None = None) -> Award:
    """Give points for a useful act, within the act's daily cap; idempotent by `ref`."""
    rule = community_config(settings).rules().get(act)
    if rule is None:
        return Award(0, balance_of(session, person.id), False)
    amount = rule.points if points is None else points
    if amount <= 0:
        return Award(0, balance_of(session, person.id), False)
    # Lock the balance row first: concurrent awards to one person are checked against the ref and
    # counted against the cap one after the other.
    balance = locked_balance(session, person.id, now)
    already_paid, used = session.execute(PAID_AND_USED, {
        "ref": ref, "person_id": person.id, "act": act, "day_start": china_day_start(now)}).one()
    if already_paid:
        return Award(0, balance, False)
    grant = min(amount, rule.daily_cap - int(used))
    if grant <= 0:
        return Award(0, balance, True)
    try:
        with session.begin_nested():
            session.execute(update(PointsAccount).where(PointsAccount.person_id == person.id)
                            .values(balance=PointsAccount.balance + grant, updated_at=now))
            balance += grant  # the row is locked (above): the UPDATE made it exactly this
            session.add(PointsEntry(person_id=person.id, delta=grant, balance_after=balance, act=act,
                                    note=note[:200], ref=ref, actor_id=actor.id if actor else None, created_at=now))
            session.flush()
    except IntegrityError:  # the same ref written by a concurrent retry
        return Award(0, balance_of(session, person.id), False)
    log.info("points +%s (%s) for person %s", grant, act, person.id)
    return Award(grant, balance, grant < amount)


def revoke_quietly(session: Session, ref: str, *, now: datetime, note: str) -> None:
    """Take back the award made under `ref` (a report that was rejected earned nothing).

    Idempotent: the take-back is an entry with ref "revoke:<ref>". Never below zero: points the
    resident already spent in the shop stay spent (the entry records what was taken). Like
    award_quietly, a points problem never breaks the ticket action that caused it.
    """
    try:
        with session.begin_nested():
            given = session.execute(select(PointsEntry.person_id, PointsEntry.delta).where(
                PointsEntry.ref == ref, PointsEntry.delta > 0)).first()
            if given is None:
                return
            person_id, amount = given
            balance = locked_balance(session, person_id, now)  # nobody changes it until we commit
            take = min(amount, balance)
            session.execute(update(PointsAccount).where(PointsAccount.person_id == person_id)
                            .values(balance=PointsAccount.balance - take, updated_at=now))
            session.add(PointsEntry(person_id=person_id, delta=-take, balance_after=balance - take,
                                    act="revoke", note=note[:200], ref=f"revoke:{ref}"[:80], created_at=now))
            session.flush()
    except IntegrityError:
        pass  # already taken back (a concurrent retry of the same rejection)
    except Exception:
        log.exception("points take-back %s failed", ref)


def redeem(session: Session, person: Person, item: ShopItem, now: datetime) -> Redemption:
    """Spend points on one item; raises PointsError (nothing changed) if it cannot be done."""
    ensure_account(session, person.id, now)
    price = item.price
    try:
        with session.begin_nested():
            paid = session.execute(
                update(PointsAccount)
                .where(PointsAccount.person_id == person.id, PointsAccount.balance >= price)
                .values(balance=PointsAccount.balance - price, updated_at=now)
            ).rowcount
            if paid != 1:
                raise PointsError(T.P_NOT_ENOUGH.format(item=item.name, price=price,
                                                        balance=balance_of(session, person.id)))
            stocked = session.execute(
                update(ShopItem).where(ShopItem.id == item.id, ShopItem.stock >= 1, ShopItem.active.is_(True))
                .values(stock=ShopItem.stock - 1)
            ).rowcount
            if stocked != 1:
                raise PointsError(T.P_OUT_OF_STOCK.format(item=item.name))
            balance = balance_of(session, person.id)
            entry = PointsEntry(person_id=person.id, delta=-price, balance_after=balance, act="redeem",
                                note=item.name[:200], created_at=now)
            session.add(entry)
            session.flush()
            redemption = Redemption(person_id=person.id, item_id=item.id, price=price, entry_id=entry.id,
                                    created_at=now)
            session.add(redemption)
            session.flush()
    except PointsError:
        session.expire(item)
        raise
    session.expire(item)
    log.info("person %s redeemed item %s for %s points", person.id, item.id, price)
    return redemption


def award_quietly(session: Session, settings: HandlerSettings, person: Person | None, act: str, *, now: datetime,
                  ref: str) -> None:
    """Hook for the ticket loop: never lets a points problem break the report or the rating."""
    if person is None:
        return
    try:
        with session.begin_nested():
            award(session, settings, person, act, now=now, ref=ref)
    except Exception:
        log.exception("points award %s failed for person %s", act, person.id)
