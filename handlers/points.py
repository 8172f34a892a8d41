"""Participation points (积分) in the chat: balance, the points shop, staff awards.

The ledger itself (awards, caps, take-backs, redemptions) is handlers.points_ledger.

Chat: 积分 · 积分商城 · 兑换 物品 (residents); 上架 物品 20分 库存50 · 下架 物品 ·
记积分 @居民 10 志愿服务 (staff).
"""
from __future__ import annotations

import logging
import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers import audit
from handlers import community_texts as T
from handlers.commands import fold, normalise
from handlers.community_config import community_config
from handlers.context import Context
from handlers.deadlines import CHINA
from handlers.events import IncomingMessage, Outcome
from handlers.points_ledger import PointsError, award, balance_of, redeem
from handlers.policy import AWARD_ROLES, SHOP_ROLES, staff_unit
from handlers.tickets import TicketDesk
from models import Identity, OrgUnit, Person, PointsEntry, ShopItem

log = logging.getLogger(__name__)

BALANCE_WORDS = {"积分", "我的积分", "积分查询", "查积分", "查询积分"}
SHOP_WORDS = {"积分商城", "商城", "积分兑换", "兑换列表"}
REDEEM = re.compile(r"^兑换\s*[:：]?\s*(.+)$")
# A quantity after the item ("鸡蛋 -5", "鸡蛋 x2", "鸡蛋2个"): one item per 兑换, so any other is refused.
QUANTITY = re.compile(r"^(?P<name>.+?)\s*[x×*＊]?\s*(?P<n>[-+]?\d{1,6})\s*[个份件张袋箱盒斤]?$")
LIST_ITEM = re.compile(r"^上架\s*[:：]?\s*(\S+?)\s+(\d{1,6})\s*分?\s*(?:库存|数量)?\s*[:：]?\s*(\d{1,6})\s*[个份件张袋箱]?$")
UNLIST = re.compile(r"^下架\s*[:：]?\s*(\S+)$")
AWARD = re.compile(r"^记积分\s*@?(\S+)\s+(\d{1,5})\s*分?\s*(.*)$")


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


class Balance:
    """积分: the resident's balance and last entries."""

    name = "points_balance"

    def match(self, msg: IncomingMessage, ctx: Context):
        return _body(msg) in BALANCE_WORDS

    def handle(self, msg: IncomingMessage, ctx: Context, _):
        p = ctx.person
        text = T.P_BALANCE.format(name=p.name, balance=balance_of(ctx.session, p.id),
                                  entries=_recent_lines(ctx.session, p))
        return Outcome(reply=text, intent="command")


class Shop:
    """积分商城 lists what this resident may redeem; 兑换 物品 redeems one."""

    name = "points_shop"

    def match(self, msg: IncomingMessage, ctx: Context):
        body = _body(msg)
        if body in SHOP_WORDS or body == "兑换":
            return ("list", "")
        found = REDEEM.match(body)
        return ("redeem", found.group(1).strip()) if found else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        kind, name = found
        if kind == "list":
            return Outcome(reply=shop_text(ctx.session, ctx.person), intent="command")
        quantity = QUANTITY.match(name)
        if quantity is not None:
            if int(quantity.group("n")) != 1:
                return Outcome(reply=T.P_ONE_AT_A_TIME.format(name=quantity.group("name")), intent="command")
            name = quantity.group("name")
        item = find_item(ctx.session, ctx.person, name)
        if item is None:
            return Outcome(reply=T.P_NO_ITEM.format(name=name, shop=shop_text(ctx.session, ctx.person)),
                           intent="command")
        try:
            redemption = redeem(ctx.session, ctx.person, item, ctx.now)
        except PointsError as err:
            return Outcome(reply=str(err), intent="command")
        values = dict(item=item.name, price=redemption.price, rid=redemption.id,
                      balance=balance_of(ctx.session, ctx.person.id))
        if ctx.chat is None:
            return Outcome(reply=T.P_REDEEMED.format(**values), intent="command")
        # The voucher (its number is what the service desk hands the item out against) goes to the
        # resident alone; the group only hears that it worked.
        d = TicketDesk(ctx.session, ctx.settings, ctx.now)
        d.push_to_person(ctx.person, T.P_REDEEMED.format(**values), f"redeem:D{redemption.id}")
        return Outcome(reply=T.P_REDEEMED_IN_GROUP.format(**values), outgoing=tuple(d.outgoing), intent="command")


class ShopAdmin:
    """上架 鸡蛋 20分 库存50 (again: new price, stock added) · 下架 鸡蛋 — staff only."""

    name = "points_shop_admin"

    def match(self, msg: IncomingMessage, ctx: Context):
        body = _body(msg)
        if body.startswith("上架"):
            return ("list", LIST_ITEM.match(body))
        if body.startswith("下架"):
            return ("unlist", UNLIST.match(body))
        return None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        kind, parsed = found
        unit = staff_unit(ctx.person, SHOP_ROLES)
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


class StaffAward:
    """记积分 @居民 10 志愿服务 — staff record volunteering for a resident in their area."""

    name = "points_award"

    def match(self, msg: IncomingMessage, ctx: Context):
        folded = fold(msg.text) if msg.msg_type == "text" else fold("")
        return (AWARD.match(folded.text), folded) if folded.text.startswith("记积分") else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        parsed, folded = found
        unit = staff_unit(ctx.person, AWARD_ROLES)
        if unit is None:
            return Outcome(reply=T.P_STAFF_ONLY.format(what="记积分"), intent="command")
        if parsed is None:
            return Outcome(reply=T.P_AWARD_USAGE, intent="command")
        who, points, note = parsed.group(1), int(parsed.group(2)), folded.group(parsed, 3) or "志愿服务"
        person = find_person(ctx.session, who)
        if person is None:
            return Outcome(reply=T.P_NO_PERSON.format(who=who), intent="command")
        if person.id == ctx.person.id:
            # Points are the residents' recognition by staff: giving them to oneself is refused, and noted.
            audit.record(ctx.session, ctx.person, "points_award_refused", now=ctx.now, subject=person,
                         detail=f"{points} 分（给自己）：{note}")
            return Outcome(reply=T.P_NO_SELF_AWARD, intent="command")
        if not in_scope(unit, person):
            return Outcome(reply=T.P_NOT_YOUR_RESIDENT.format(who=person.name), intent="command")
        cap = community_config(ctx.settings).rules().get("volunteer")
        got = award(ctx.session, ctx.settings, person, "volunteer", now=ctx.now, points=points, note=note,
                    actor=ctx.person, ref=f"volunteer:inbox{ctx.inbox_id}")
        # Every manual award is audited, granted or not (capped to 0): who gave how much to whom, and why.
        audit.record(ctx.session, ctx.person, "points_award", now=ctx.now, subject=person,
                     detail=f"申请 {points} 分，实记 {got.granted} 分：{note}")
        cap_value = cap.daily_cap if cap else 0
        if got.granted == 0:
            return Outcome(reply=T.P_CAP_REACHED.format(who=person.name, act=T.ACT_NAMES["volunteer"], cap=cap_value),
                           intent="command")
        d = TicketDesk(ctx.session, ctx.settings, ctx.now)
        d.push_to_person(person, T.P_TO_RESIDENT.format(points=got.granted, note=note, balance=got.balance),
                         f"points:inbox{ctx.inbox_id}")
        template = T.P_AWARDED_CAPPED if got.capped else T.P_AWARDED
        reply = template.format(who=person.name, points=got.granted, note=note, balance=got.balance, cap=cap_value)
        return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent="command")
