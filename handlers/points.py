"""Participation points (积分): a ledger, daily caps, and a points shop that cannot overspend.

Why this shape:
- Every change is a PointsEntry row (the ledger); PointsAccount.balance is the running sum and is
  only changed by conditional UPDATEs: `balance = balance - price WHERE balance >= price`. On
  PostgreSQL a second concurrent redemption waits for the first one's row lock and then re-checks
  the WHERE clause against the committed balance, so two simultaneous requests can never both
  spend the same points. Stock is decremented the same way (`WHERE stock >= 1`), inside the same
  savepoint, so an out-of-stock item gives the points back. CHECK constraints are the last guard.
- Awards are idempotent by `ref` (unique), so a retried message never pays twice, and capped per
  act per person per China calendar day (configurable, see handlers.community_config).

Chat: 积分 · 积分商城 · 兑换 物品 (residents); 上架 物品 20分 库存50 · 下架 物品 ·
记积分 @居民 10 志愿服务 (staff).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers import community_texts as T
from handlers.commands import normalise
from handlers.community_config import community_config
from handlers.context import Context
from handlers.deadlines import CHINA
from handlers.events import Outcome
from handlers.registry import registry
from handlers.tickets import TicketDesk
from models import (
    Identity,
    OrgUnit,
    Person,
    PointsAccount,
    PointsEntry,
    Redemption,
    ShopItem,
)

log = logging.getLogger(__name__)

SHOP_STAFF = {"grid_leader", "community_staff", "street_staff", "admin"}
AWARD_STAFF = {"grid_leader", "grid_worker", "community_staff", "street_staff", "admin"}

BALANCE_WORDS = {"积分", "我的积分", "积分查询", "查积分", "查询积分"}
SHOP_WORDS = {"积分商城", "商城", "积分兑换", "兑换列表"}
REDEEM = re.compile(r"^兑换\s*[:：]?\s*(.+)$")
LIST_ITEM = re.compile(r"^上架\s*[:：]?\s*(\S+?)\s+(\d{1,6})\s*分?\s*(?:库存|数量)?\s*[:：]?\s*(\d{1,6})\s*[个份件张袋箱]?$")
UNLIST = re.compile(r"^下架\s*[:：]?\s*(\S+)$")
AWARD = re.compile(r"^记积分\s*@?(\S+)\s+(\d{1,5})\s*分?\s*(.*)$")


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
    try:
        with session.begin_nested():
            session.add(PointsAccount(person_id=person_id, balance=0, updated_at=now))
            session.flush()
    except IntegrityError:
        pass


def balance_of(session: Session, person_id: int) -> int:
    value = session.execute(select(PointsAccount.balance).where(PointsAccount.person_id == person_id)).scalar()
    return int(value or 0)


def award(session: Session, settings, person: Person, act: str, *, now: datetime, ref: str | None = None,
          points: int | None = None, note: str = "", actor: Person | None = None) -> Award:
    """Give points for a useful act, within the act's daily cap; idempotent by `ref`."""
    rule = community_config(settings).rules().get(act)
    if rule is None:
        return Award(0, balance_of(session, person.id), False)
    amount = rule.points if points is None else points
    if amount <= 0:
        return Award(0, balance_of(session, person.id), False)
    if ref is not None and session.execute(select(PointsEntry.id).where(PointsEntry.ref == ref)).first():
        return Award(0, balance_of(session, person.id), False)
    ensure_account(session, person.id, now)
    # Lock the balance row first: concurrent awards to one person are counted against the cap
    # one after the other (PostgreSQL; SQLite serialises writers anyway).
    session.execute(select(PointsAccount.person_id).where(PointsAccount.person_id == person.id).with_for_update())
    used = session.execute(select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
        PointsEntry.person_id == person.id, PointsEntry.act == act, PointsEntry.delta > 0,
        PointsEntry.created_at >= china_day_start(now),
    )).scalar()
    grant = min(amount, rule.daily_cap - int(used))
    if grant <= 0:
        return Award(0, balance_of(session, person.id), True)
    try:
        with session.begin_nested():
            session.execute(update(PointsAccount).where(PointsAccount.person_id == person.id)
                            .values(balance=PointsAccount.balance + grant, updated_at=now))
            balance = balance_of(session, person.id)
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
            session.execute(select(PointsAccount.person_id).where(PointsAccount.person_id == person_id)
                            .with_for_update())
            balance = balance_of(session, person_id)  # locked above: nobody changes it meanwhile
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


# --- lookups --------------------------------------------------------------------------
def home_units(person: Person) -> list[OrgUnit]:
    return [r.org_unit for r in person.roles if r.org_unit is not None]


def visible_unit_ids(person: Person) -> set[int]:
    """Units whose shop items this person may redeem: their units and every ancestor."""
    ids: set[int] = set()
    for unit in home_units(person):
        ids.update(unit.lineage_ids())
    return ids


def visible_items(session: Session, person: Person) -> list[ShopItem]:
    ids = visible_unit_ids(person)
    items = session.execute(select(ShopItem).where(ShopItem.active.is_(True)).order_by(ShopItem.id)).scalars()
    return [i for i in items if i.org_unit_id is None or i.org_unit_id in ids]


def find_item(session: Session, person: Person, name: str) -> ShopItem | None:
    items = visible_items(session, person)
    exact = [i for i in items if i.name == name]
    if exact:
        return exact[0]
    loose = [i for i in items if name in i.name or i.name in name]
    return loose[0] if len(loose) == 1 else None


def staff_unit(person: Person, roles: set[str]) -> OrgUnit | None:
    """The highest unit where the person holds one of `roles` (admin: the district)."""
    best = None
    for role in person.roles:
        unit = role.org_unit if role.role in roles else None
        if unit is not None and (best is None or len(unit.lineage_ids()) < len(best.lineage_ids())):
            best = unit
    return best


def find_person(session: Session, who: str) -> Person | None:
    ident = session.execute(select(Identity).where(Identity.external_id == who)).scalars().first()
    if ident is not None:
        return ident.person
    people = session.execute(select(Person).where(Person.name == who)).scalars().all()
    return people[0] if len(people) == 1 else None


def in_scope(staff_unit_: OrgUnit, person: Person) -> bool:
    return any(staff_unit_.id in unit.lineage_ids() for unit in home_units(person))


# --- chat handlers ----------------------------------------------------------------------
def _body(msg) -> str:
    return normalise(msg.text) if msg.msg_type == "text" else ""


def _recent_lines(session: Session, person: Person) -> str:
    rows = session.execute(select(PointsEntry).where(PointsEntry.person_id == person.id)
                           .order_by(PointsEntry.id.desc()).limit(5)).scalars().all()
    if not rows:
        return T.P_NO_ENTRIES
    lines = []
    for e in rows:
        local = e.created_at.astimezone(CHINA)
        note = f"（{e.note}）" if e.note else ""
        lines.append(T.P_ENTRY_LINE.format(date=f"{local.month}月{local.day}日", act=T.ACT_NAMES.get(e.act, e.act),
                                           note=note, delta=e.delta))
    return "\n".join(lines)


def shop_text(session: Session, person: Person) -> str:
    items = visible_items(session, person)
    if not items:
        return T.P_SHOP_EMPTY
    lines = "\n".join(T.P_SHOP_LINE.format(name=i.name, price=i.price, stock=i.stock) for i in items)
    return T.P_SHOP.format(items=lines, balance=balance_of(session, person.id))


@registry.register(order=24)
class Balance:
    """积分: the resident's balance and last entries."""

    name = "points_balance"

    def match(self, msg, ctx):
        return _body(msg) in BALANCE_WORDS

    def handle(self, msg, ctx: Context, _):
        p = ctx.person
        text = T.P_BALANCE.format(name=p.name, balance=balance_of(ctx.session, p.id),
                                  entries=_recent_lines(ctx.session, p))
        return Outcome(reply=text, intent="command")


@registry.register(order=25)
class Shop:
    """积分商城 lists what this resident may redeem; 兑换 物品 redeems one."""

    name = "points_shop"

    def match(self, msg, ctx):
        body = _body(msg)
        if body in SHOP_WORDS or body == "兑换":
            return ("list", "")
        found = REDEEM.match(body)
        return ("redeem", found.group(1).strip()) if found else None

    def handle(self, msg, ctx: Context, found):
        kind, name = found
        if kind == "list":
            return Outcome(reply=shop_text(ctx.session, ctx.person), intent="command")
        item = find_item(ctx.session, ctx.person, name)
        if item is None:
            return Outcome(reply=T.P_NO_ITEM.format(name=name, shop=shop_text(ctx.session, ctx.person)),
                           intent="command")
        try:
            redemption = redeem(ctx.session, ctx.person, item, ctx.now)
        except PointsError as err:
            return Outcome(reply=str(err), intent="command")
        return Outcome(reply=T.P_REDEEMED.format(item=item.name, price=redemption.price, rid=redemption.id,
                                                 balance=balance_of(ctx.session, ctx.person.id)),
                       intent="command")


@registry.register(order=26)
class ShopAdmin:
    """上架 鸡蛋 20分 库存50 (again: new price, stock added) · 下架 鸡蛋 — staff only."""

    name = "points_shop_admin"

    def match(self, msg, ctx):
        body = _body(msg)
        if body.startswith("上架"):
            return ("list", LIST_ITEM.match(body))
        if body.startswith("下架"):
            return ("unlist", UNLIST.match(body))
        return None

    def handle(self, msg, ctx: Context, found):
        kind, parsed = found
        unit = staff_unit(ctx.person, SHOP_STAFF)
        if unit is None:
            return Outcome(reply=T.P_STAFF_ONLY.format(what="管理积分商城"), intent="command")
        if parsed is None:
            return Outcome(reply=T.P_LIST_USAGE, intent="command")
        name = parsed.group(1)
        item = ctx.session.execute(select(ShopItem).where(
            ShopItem.name == name, ShopItem.org_unit_id == unit.id)).scalars().first()
        if kind == "unlist":
            if item is None:
                return Outcome(reply=T.P_NO_ITEM.format(name=name, shop=""), intent="command")
            item.active = False
            return Outcome(reply=T.P_UNLISTED.format(name=name), intent="command")
        price, stock = int(parsed.group(2)), int(parsed.group(3))
        if price <= 0:
            return Outcome(reply=T.P_LIST_USAGE, intent="command")
        if item is None:
            item = ShopItem(name=name, price=price, stock=stock, org_unit_id=unit.id,
                            created_by_id=ctx.person.id, created_at=ctx.now)
            ctx.session.add(item)
        else:
            ctx.session.execute(update(ShopItem).where(ShopItem.id == item.id).values(
                price=price, stock=ShopItem.stock + stock, active=True))
        ctx.session.flush()
        ctx.session.refresh(item)
        return Outcome(reply=T.P_LISTED.format(name=name, price=item.price, stock=item.stock, scope=unit.name),
                       intent="command")


@registry.register(order=27)
class StaffAward:
    """记积分 @居民 10 志愿服务 — staff record volunteering for a resident in their area."""

    name = "points_award"

    def match(self, msg, ctx):
        body = _body(msg)
        return (AWARD.match(body),) if body.startswith("记积分") else None

    def handle(self, msg, ctx: Context, found):
        (parsed,) = found
        unit = staff_unit(ctx.person, AWARD_STAFF)
        if unit is None:
            return Outcome(reply=T.P_STAFF_ONLY.format(what="记积分"), intent="command")
        if parsed is None:
            return Outcome(reply=T.P_AWARD_USAGE, intent="command")
        who, points, note = parsed.group(1), int(parsed.group(2)), parsed.group(3).strip() or "志愿服务"
        person = find_person(ctx.session, who)
        if person is None:
            return Outcome(reply=T.P_NO_PERSON.format(who=who), intent="command")
        if not in_scope(unit, person):
            return Outcome(reply=T.P_NOT_YOUR_RESIDENT.format(who=person.name), intent="command")
        cap = community_config(ctx.settings).rules().get("volunteer")
        got = award(ctx.session, ctx.settings, person, "volunteer", now=ctx.now, points=points, note=note,
                    actor=ctx.person, ref=f"volunteer:inbox{ctx.inbox.id}")
        cap_value = cap.daily_cap if cap else 0
        if got.granted == 0:
            return Outcome(reply=T.P_CAP_REACHED.format(who=person.name, act=T.ACT_NAMES["volunteer"], cap=cap_value),
                           intent="command")
        d = TicketDesk(ctx.session, ctx.settings, ctx.now)
        d.push_to_person(person, T.P_TO_RESIDENT.format(points=got.granted, note=note, balance=got.balance),
                         f"points:inbox{ctx.inbox.id}")
        template = T.P_AWARDED_CAPPED if got.capped else T.P_AWARDED
        reply = template.format(who=person.name, points=got.granted, note=note, balance=got.balance, cap=cap_value)
        return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent="command")


def award_quietly(session: Session, settings, person: Person | None, act: str, *, now: datetime,
                  ref: str) -> None:
    """Hook for the ticket loop: never lets a points problem break the report or the rating."""
    if person is None:
        return
    try:
        with session.begin_nested():
            award(session, settings, person, act, now=now, ref=ref)
    except Exception:
        log.exception("points award %s failed for person %s", act, person.id)
