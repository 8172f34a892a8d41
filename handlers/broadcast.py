"""Policy broadcasts (社区发布通知): staff send a notice to a chosen set of grid group chats.

Why this shape:
- One function set for every entry point: the chat handler below, the CLI (bot/broadcast_cli.py)
  and later the console all call `create_broadcast` → `confirm_broadcast` / `send_broadcast`.
  They return OutgoingMessage values; the caller turns them into outbox rows, so sending is the
  outbox worker's job (rate limits, retries, backoff), never an HTTP call from here.
- One outbox row per target group chat, dedup key ``broadcast{id}:chat{chat_id}``: a repeated
  confirm or two sweeps racing cannot queue a chat twice, and the per-group delivery report is
  read straight from those rows (sent / dead = failed / pending|sending = retrying).
- A chat broadcast is a two-step conversation (draft → 确认发送) because a notice to a whole
  street cannot be unsent; the draft shows how many groups it will reach.
- Scope: community_staff / street_staff / admin may reach the grids below their role's unit
  (an admin without a unit: everything). Targets are resolved again at send time, so a
  scheduled notice reaches the grids as they are then.

Chat: 通知 [时间] 对象：内容 · 确认发送 · 取消 [#B12] · 通知报告 #B12
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers import broadcast_texts as T
from handlers.commands import LEADING_MENTIONS
from handlers.context import Context
from handlers.deadlines import CHINA
from handlers.events import STAFF_MASKED, IncomingMessage, Outcome, OutgoingMessage
from handlers.knowledge import bump_version
from handlers.policy import ADMIN, BROADCAST_ROLES, has_role, is_staff
from handlers.privacy import mask_staff_text
from models import Broadcast, GroupChat, Notice, OrgUnit, OutboxItem, Person
from models.broadcast import TARGET_KINDS

log = logging.getLogger(__name__)

DRAFT_MINUTES = 30
# A chat confirm runs inside the webhook's 5-second passive-reply window; queueing hundreds of
# outbox rows there would not fit, so bigger broadcasts are handed to the sweep (due now).
INLINE_SEND_LIMIT = 50
BODY_LIMIT = 1500  # characters; longer text is split by the channel but a notice should be short
ALL_WORDS = {"全部", "全体", "所有", "所有网格", "全部网格", "全部群", "所有群"}
CONFIRM_WORDS = {"确认发送", "确定发送", "发送通知"}
CANCEL_WORDS = {"取消", "取消发送", "取消通知", "撤回", "撤回通知"}
BROADCAST_REF = re.compile(r"#?\s*B\s*(\d{1,9})", re.IGNORECASE)
COMMAND = re.compile(r"^通知(?!报告)(?:$|[\s:：]|(?=.{0,40}[:：]))", re.DOTALL)
REPORT = re.compile(r"^(?:通知报告|通知送达|送达报告)\s*[:：]?\s*(?:#?\s*B?\s*(\d{1,9}))?\s*$", re.IGNORECASE)
# A separator colon: not one between two digits ("9:00").
SEPARATOR = re.compile(r"(?<!\d)[:：]|[:：](?!\d)")
TAG_PREFIX = re.compile(r"^(?:标签|tag)\s*[:：]?\s*(.+)$", re.IGNORECASE)
TITLE_IN_BRACKETS = re.compile(r"^【([^】]{1,60})】\s*(.*)$", re.DOTALL)
TITLE_END = re.compile(r"[。！？!?\n；;，,]")

# Times people type, in China time.
_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}
_CLOCK = r"(?P<ampm>上午|早上|中午|下午|晚上)?\s*(?P<h>\d{1,2})(?:[:：](?P<m>\d{2})|点(?:(?P<m2>\d{1,2})分?|(?P<half>半))?)"
TIME_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})[-/.年](?P<mo>\d{1,2})[-/.月](?P<d>\d{1,2})日?\s*" + _CLOCK),
    re.compile(r"^(?P<mo>\d{1,2})月(?P<d>\d{1,2})[日号]\s*" + _CLOCK),
    re.compile(r"^(?P<day>今天|今日|明天|明日|后天)\s*" + _CLOCK),
]


class BroadcastError(ValueError):
    """A broadcast cannot be made as asked; str(err) is the Chinese sentence for the author."""


# --- the org tree, loaded once per call ------------------------------------------------------
@dataclass
class Tree:
    units: dict[int, OrgUnit]
    children: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, session: Session) -> Tree:
        units = {u.id: u for u in session.execute(select(OrgUnit).order_by(OrgUnit.id)).scalars()}
        tree = cls(units)
        for u in units.values():
            tree.children[u.parent_id].append(u.id)
        return tree

    def subtree(self, unit_id: int) -> list[int]:
        out, stack = [], [unit_id]
        while stack:
            uid = stack.pop()
            out.append(uid)
            stack.extend(self.children.get(uid, ()))
        return out

    def grids_under(self, unit_ids: list[int] | None) -> list[OrgUnit]:
        ids = list(self.units) if unit_ids is None else [i for u in unit_ids for i in self.subtree(u)]
        return sorted({self.units[i].id: self.units[i] for i in ids if self.units[i].kind == "grid"}.values(),
                      key=lambda u: u.id)

    def by_code(self, code: str) -> OrgUnit | None:
        code = code.strip().lower()
        return next((u for u in self.units.values() if u.code.lower() == code), None)

    def depth(self, unit: OrgUnit) -> int:
        return len(unit.lineage_ids())


def scope_units(person: Person | None) -> list[int] | None:
    """Unit ids whose subtree the person may broadcast to; None = everything (operator / admin)."""
    if person is None:
        return None
    units: list[int] = []
    for role in person.roles:
        if role.role not in BROADCAST_ROLES:
            continue
        if role.org_unit_id is None:
            if role.role == ADMIN:
                return None
            continue
        units.append(role.org_unit_id)
    return units


def may_broadcast(person: Person) -> bool:
    return has_role(person, BROADCAST_ROLES)


def _in_scope(tree: Tree, scope: list[int] | None, unit: OrgUnit) -> bool:
    return scope is None or bool(set(unit.lineage_ids()) & set(scope))


def _scope_names(tree: Tree, scope: list[int] | None) -> str:
    if scope is None:
        return "全部"
    return "、".join(tree.units[u].name for u in scope if u in tree.units) or "无"


# --- targets ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    kind: str
    value: str
    label: str
    scope_unit_id: int | None
    grids: tuple[OrgUnit, ...]


def resolve_target(tree: Tree, author: Person | None, kind: str, value: str,
                   scope_unit_id: int | None = None) -> Target:
    """The grids a (kind, value) target reaches inside the author's scope, or BroadcastError."""
    scope = scope_units(author)
    if kind not in TARGET_KINDS:
        raise BroadcastError(T.UNKNOWN_TARGET.format(name=f"{kind}:{value}"))
    if kind == "tag":
        tag = value.strip()
        within = [scope_unit_id] if scope_unit_id is not None else scope
        grids = [g for g in tree.grids_under(within)
                 if tag in [t.strip() for t in (g.tags or "").replace("，", ",").split(",")]
                 and _in_scope(tree, scope, g)]
        if not grids:
            raise BroadcastError(T.UNKNOWN_TAG.format(tag=tag))
        where = tree.units[scope_unit_id].name + " " if scope_unit_id in tree.units else ""
        return Target("tag", tag, f"{where}标签「{tag}」", scope_unit_id, tuple(grids))
    unit = tree.by_code(value)
    if unit is None or unit.kind != kind:
        raise BroadcastError(T.UNKNOWN_TARGET.format(name=value))
    if not _in_scope(tree, scope, unit):
        raise BroadcastError(T.OUT_OF_SCOPE.format(name=unit.name, scope=_scope_names(tree, scope)))
    return Target(kind, unit.code, unit.name, unit.id, tuple(tree.grids_under([unit.id])))


def parse_target_phrase(tree: Tree, author: Person | None, phrase: str) -> tuple[str, str, int | None]:
    """A chat phrase ("幸福里社区", "全部", "标签老旧小区", "G1") → (kind, value, scope_unit_id)."""
    phrase = phrase.strip()
    scope = scope_units(author)
    if phrase in ALL_WORDS or not phrase:
        if scope is None:
            top = [u for u in tree.units.values() if u.parent_id is None]
            if len(top) == 1:
                return top[0].kind, top[0].code, top[0].id
            raise BroadcastError(T.MANY_SCOPES.format(scope="、".join(u.name for u in top)))
        if not scope:
            raise BroadcastError(T.NO_SCOPE)
        # The broadest of the author's units; several at the same level are ambiguous.
        best = min(tree.depth(tree.units[u]) for u in scope)
        tops = sorted({u for u in scope if tree.depth(tree.units[u]) == best})
        if len(tops) > 1:
            raise BroadcastError(T.MANY_SCOPES.format(scope=_scope_names(tree, tops)))
        unit = tree.units[tops[0]]
        return unit.kind, unit.code, unit.id
    tag = TAG_PREFIX.match(phrase)
    if tag:
        within = None
        if scope:
            best = min(tree.depth(tree.units[u]) for u in scope)
            tops = [u for u in scope if tree.depth(tree.units[u]) == best]
            within = tops[0] if len(tops) == 1 else None
        return "tag", tag.group(1).strip(), within
    exact = [u for u in tree.units.values() if u.name == phrase or u.code.lower() == phrase.lower()]
    found = exact or [u for u in tree.units.values() if phrase in u.name]
    if not found:
        raise BroadcastError(T.UNKNOWN_TARGET.format(name=phrase))
    if len(found) > 1:
        # "幸福里" names the community and its grids: the broadest one is meant.
        best = min(tree.depth(u) for u in found)
        found = [u for u in found if tree.depth(u) == best]
        if len(found) > 1:
            raise BroadcastError(T.AMBIGUOUS_TARGET.format(name=phrase, choices="、".join(u.name for u in found)))
    return found[0].kind, found[0].code, found[0].id


def common_ancestor(grids) -> int | None:
    """The lowest unit above all grids (the notice's audience for the Q&A); None if there are none."""
    lineages = [g.lineage_ids() for g in grids]
    if not lineages:
        return None
    shared = set(lineages[0]).intersection(*map(set, lineages[1:]))
    return next((u for u in lineages[0] if u in shared), None)


def target_chats(session: Session, grids: tuple[OrgUnit, ...] | list[OrgUnit]) -> list[GroupChat]:
    """Every group chat bound to one of the grids (a grid may have several)."""
    ids = [g.id for g in grids]
    chats: list[GroupChat] = []
    for start in range(0, len(ids), 500):
        chats += session.execute(select(GroupChat).where(GroupChat.org_unit_id.in_(ids[start:start + 500]))
                                 .order_by(GroupChat.id)).scalars().all()
    return chats


# --- times -----------------------------------------------------------------------------------
def parse_when(text: str, now: datetime) -> tuple[datetime | None, str]:
    """A time at the start of text (China time) → (UTC-aware datetime, the rest of text).

    Returns (None, text) when the text does not start with a time.
    """
    text = text.strip()
    local_now = now.astimezone(CHINA)
    for pattern in TIME_PATTERNS:
        found = pattern.match(unicodedata.normalize("NFKC", text))
        if not found:
            continue
        g = found.groupdict()
        hour = int(g["h"])
        minute = int(g.get("m") or g.get("m2") or 0) + (30 if g.get("half") else 0)
        if g.get("ampm") in ("下午", "晚上") and hour < 12:
            hour += 12
        if g.get("ampm") == "中午" and hour < 6:
            hour += 12
        try:
            if g.get("day"):
                day = local_now.date() + timedelta(days=_DAY_WORDS[g["day"]])
            elif g.get("y"):
                day = date(int(g["y"]), int(g["mo"]), int(g["d"]))
            else:
                day = date(local_now.year, int(g["mo"]), int(g["d"]))
                if datetime.combine(day, time(23, 59), CHINA) < local_now:
                    day = date(local_now.year + 1, day.month, day.day)
            at = datetime.combine(day, time(hour, minute), CHINA)
        except ValueError:
            raise BroadcastError(T.BAD_TIME.format(text=found.group(0))) from None
        return at.astimezone(now.tzinfo), text[found.end():].strip()
    return None, text


def local_text(at: datetime) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


# --- create / confirm / send -----------------------------------------------------------------
def split_title(body: str) -> tuple[str, str]:
    """"【停水通知】明天…" → ("停水通知", "明天…"); else the first clause (≤30 chars) is the title."""
    body = body.strip()
    found = TITLE_IN_BRACKETS.match(body)
    if found and found.group(2).strip():
        return found.group(1).strip(), found.group(2).strip()
    end = TITLE_END.search(body)
    title = body[: end.start()] if end else body
    return (title[:30] or body[:30]), body


def create_broadcast(session: Session, author: Person | None, title: str, body: str, target_kind: str,
                     target_value: str, scheduled_at: datetime | None, now: datetime, *,
                     scope_unit_id: int | None = None) -> Broadcast:
    """A draft broadcast after checking the author may reach the target; raises BroadcastError."""
    body = (body or "").strip()
    if not body:
        raise BroadcastError(T.EMPTY_BODY)
    if len(body) > BODY_LIMIT:
        raise BroadcastError(T.TOO_LONG.format(n=len(body), limit=BODY_LIMIT))
    if scheduled_at is not None and scheduled_at <= now:
        raise BroadcastError(T.PAST_TIME.format(at=local_text(scheduled_at)))
    tree = Tree.load(session)
    target = resolve_target(tree, author, target_kind, target_value, scope_unit_id)
    chats = target_chats(session, target.grids)
    if not chats:
        raise BroadcastError(T.NO_GROUPS.format(target=target.label))
    b = Broadcast(author_id=author.id if author else None, title=(title or split_title(body)[0])[:200], body=body,
                  target_kind=target.kind, target_value=target.value, scope_unit_id=target.scope_unit_id,
                  target_label=target.label[:200], status="draft", group_count=len(chats),
                  scheduled_at=scheduled_at, created_at=now)
    session.add(b)
    session.flush()
    log.info("broadcast %s drafted: kind=%s groups=%s scheduled=%s", b.id, b.target_kind, b.group_count,
             scheduled_at is not None)
    return b


def confirm_broadcast(session: Session, broadcast: Broadcast, now: datetime) -> list[OutgoingMessage]:
    """draft → scheduled (a future time) or sent now; returns the pushes to queue."""
    if broadcast.scheduled_at is not None and broadcast.scheduled_at > now:
        session.execute(update(Broadcast).where(Broadcast.id == broadcast.id, Broadcast.status == "draft")
                        .values(status="scheduled"))
        session.refresh(broadcast)
        return []
    return send_broadcast(session, broadcast, now)


def group_text(broadcast: Broadcast, author: Person | None, scope_unit: OrgUnit | None) -> str:
    unit = None
    if author is not None:
        unit = next((r.org_unit for r in author.roles if r.role in BROADCAST_ROLES and r.org_unit), None)
    unit = unit or scope_unit
    signature = T.SIGNATURE.format(unit=unit.name) if unit is not None else ""
    if broadcast.body.startswith(broadcast.title):
        return T.GROUP_NOTICE_UNTITLED.format(body=broadcast.body, signature=signature)
    return T.GROUP_NOTICE.format(title=broadcast.title, body=broadcast.body, signature=signature)


def dedup_prefix(broadcast_id: int) -> str:
    return f"broadcast{broadcast_id}:"


def send_broadcast(session: Session, broadcast: Broadcast, now: datetime) -> list[OutgoingMessage]:
    """Publish: one push per target chat, the Notice row for the Q&A; idempotent per broadcast.

    The status moves draft/scheduled → sending with a conditional UPDATE, so two sweeps or a
    double confirm publish once; the loser gets []. The per-chat dedup key is the second guard.
    """
    moved = session.execute(update(Broadcast).where(Broadcast.id == broadcast.id,
                                                    Broadcast.status.in_(("draft", "scheduled")))
                            .values(status="sending", sent_at=now)).rowcount
    session.refresh(broadcast)
    if moved != 1:
        return []
    tree = Tree.load(session)
    author = broadcast.author
    try:
        target = resolve_target(tree, author, broadcast.target_kind, broadcast.target_value,
                                broadcast.scope_unit_id)
        grids = target.grids
    except BroadcastError:
        log.warning("broadcast %s: target no longer resolves; nothing sent", broadcast.id)
        grids = ()
    chats = target_chats(session, grids)
    text = group_text(broadcast, author, broadcast.scope_unit)
    # The Q&A answers residents of the unit's subtree: for a tag, the lowest unit above the grids
    # actually reached, so residents of untagged grids elsewhere are not answered from it.
    audience = common_ancestor(grids) if broadcast.target_kind == "tag" and grids else broadcast.scope_unit_id
    notice = Notice(title=broadcast.title, body=broadcast.body, author_id=broadcast.author_id,
                    org_unit_id=audience, target=broadcast.target_label, created_at=broadcast.created_at,
                    scheduled_at=broadcast.scheduled_at, sent_at=now)
    session.add(notice)
    session.flush()
    broadcast.notice_id = notice.id
    broadcast.group_count = len(chats)
    if not chats:
        broadcast.status = "sent"
    bump_version(session)
    session.flush()
    log.info("broadcast %s sending to %s groups (notice %s)", broadcast.id, len(chats), notice.id)
    # A notice is staff text: masked as such here (an official 0532-88886666 stays, a resident's mobile
    # or door relayed in it does not), and not masked again with the residents' rules on delivery.
    text = mask_staff_text(text)
    return [OutgoingMessage(route_kind=c.route_kind, route_target=c.route_target, text=text,
                            dedup_key=f"{dedup_prefix(broadcast.id)}chat{c.id}",
                            member_count=max(1, c.member_count or 1), notice_id=broadcast.id, masked=STAFF_MASKED)
            for c in chats]


def cancel_broadcast(session: Session, broadcast: Broadcast) -> bool:
    moved = session.execute(update(Broadcast).where(Broadcast.id == broadcast.id,
                                                    Broadcast.status.in_(("draft", "scheduled")))
                            .values(status="cancelled")).rowcount
    session.refresh(broadcast)
    return moved == 1


# --- delivery report -------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupDelivery:
    chat_id: int
    chat_name: str
    state: str  # sent | failed | retrying | missing
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class DeliveryReport:
    broadcast_id: int
    status: str
    groups: tuple[GroupDelivery, ...]

    def count(self, state: str) -> int:
        return sum(1 for g in self.groups if g.state == state)

    def as_dict(self) -> dict:
        return {"broadcast_id": self.broadcast_id, "status": self.status, "total": len(self.groups),
                "sent": self.count("sent"), "failed": self.count("failed"),
                "retrying": self.count("retrying"), "missing": self.count("missing"),
                "groups": [g.__dict__ for g in self.groups]}


_ROW_STATE = {"sent": "sent", "dead": "failed", "pending": "retrying", "sending": "retrying"}


def delivery_report(session: Session, broadcast: Broadcast) -> DeliveryReport:
    """Per-group delivery from the outbox rows; also settles sending → sent when all are final."""
    rows = session.execute(select(OutboxItem).where(OutboxItem.dedup_key.like(f"{dedup_prefix(broadcast.id)}chat%"))
                           .order_by(OutboxItem.id)).scalars().all()
    chat_ids = {}
    for row in rows:
        try:
            chat_ids[row.id] = int(row.dedup_key.rsplit("chat", 1)[1])
        except ValueError:
            continue
    names = dict(session.execute(select(GroupChat.id, GroupChat.name)
                                 .where(GroupChat.id.in_(list(chat_ids.values()) or [-1]))).all())
    groups = tuple(GroupDelivery(chat_ids.get(r.id, 0), names.get(chat_ids.get(r.id, 0), r.route_target),
                                 _ROW_STATE.get(r.state, "retrying"), r.attempts, r.last_error) for r in rows)
    if broadcast.status == "sending" and rows and all(g.state != "retrying" for g in groups) \
            and len(rows) >= broadcast.group_count:
        session.execute(update(Broadcast).where(Broadcast.id == broadcast.id, Broadcast.status == "sending")
                        .values(status="sent"))
        session.refresh(broadcast)
    return DeliveryReport(broadcast.id, broadcast.status, groups)


def report_text(broadcast: Broadcast, report: DeliveryReport, limit: int = 15) -> str:
    if broadcast.sent_at is not None:
        when = T.REPORT_WHEN_SENT.format(at=local_text(broadcast.sent_at))
    elif broadcast.scheduled_at is not None:
        when = T.REPORT_WHEN_SCHEDULED.format(at=local_text(broadcast.scheduled_at))
    else:
        when = ""
    lines = [T.REPORT.format(id=broadcast.id, title=broadcast.title, status=T.STATUS_ZH.get(broadcast.status, ""),
                             when=when, total=max(len(report.groups), broadcast.group_count),
                             sent=report.count("sent"), retrying=report.count("retrying"),
                             failed=report.count("failed"))]
    # Problems first: a failed group is what the author must act on.
    order = {"failed": 0, "retrying": 1, "missing": 2, "sent": 3}
    shown = sorted(report.groups, key=lambda g: (order.get(g.state, 9), g.chat_id))
    for g in shown[:limit]:
        lines.append(T.REPORT_LINE.format(chat=g.chat_name, state=T.DELIVERY_ZH[g.state]))
    if len(shown) > limit:
        lines.append(T.REPORT_MORE.format(n=len(shown) - limit))
    return "\n".join(lines)


# --- the timer ------------------------------------------------------------------------------
def sweep_broadcasts(session: Session, settings, now: datetime) -> list[OutgoingMessage]:
    """Send scheduled broadcasts that are due; settle finished ones. Called by bot.sweep.sweep_job."""
    due = session.execute(select(Broadcast).where(Broadcast.status == "scheduled", Broadcast.scheduled_at <= now)
                          .order_by(Broadcast.scheduled_at, Broadcast.id).limit(5)).scalars().all()
    out: list[OutgoingMessage] = []
    for b in due:
        out += send_broadcast(session, b, now)
    sending = session.execute(select(Broadcast).where(Broadcast.status == "sending")
                              .order_by(Broadcast.id).limit(50)).scalars().all()
    for b in sending:
        if b.sent_at is not None and b.sent_at < now:
            delivery_report(session, b)
    return out


# --- the chat handler ------------------------------------------------------------------------
def _raw(msg) -> str:
    return LEADING_MENTIONS.sub("", (msg.text or "").strip()).strip() if msg.msg_type == "text" else ""


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _names_no_target(norm: str) -> bool:
    """"通知：…" / "通知 …" with nothing before the first separator: a notice, not 通知 <whom>：…."""
    sep = SEPARATOR.search(norm[2:])
    return sep is None or not norm[2:2 + sep.start()].strip()


def parse_chat_command(text: str, author: Person, tree: Tree, now: datetime):
    """"通知 [定时] [时间] 对象：内容" → (kind, value, scope_unit_id, title, body, scheduled_at)."""
    rest = text[2:].strip()
    sep = SEPARATOR.search(rest)
    if sep is None:
        raise BroadcastError(T.USAGE)
    head, body = rest[: sep.start()].strip(), rest[sep.end():].strip()
    head = _norm(head)
    if head.startswith("定时"):
        head = head[2:].strip()
    at, head = parse_when(head, now)
    if at is None and (head[:1].isdigit() or head.startswith(tuple(_DAY_WORDS))):
        raise BroadcastError(T.BAD_TIME.format(text=head))
    if head.startswith("定时"):
        head = head[2:].strip()
    if not body:
        raise BroadcastError(T.EMPTY_BODY)
    kind, value, scope_unit_id = parse_target_phrase(tree, author, head)
    title, body = split_title(body)
    return kind, value, scope_unit_id, title, body, at


def _latest_draft(ctx: Context, ref: int | None) -> Broadcast | None:
    q = select(Broadcast).where(Broadcast.author_id == ctx.person.id, Broadcast.status == "draft",
                                Broadcast.created_at >= ctx.now - timedelta(minutes=DRAFT_MINUTES))
    if ref is not None:
        q = q.where(Broadcast.id == ref)
    return ctx.session.execute(q.order_by(Broadcast.id.desc()).limit(1)).scalar_one_or_none()


def may_manage(person: Person, broadcast: Broadcast) -> bool:
    """Its author, or staff whose broadcast scope covers its unit (the chat and the console ask this)."""
    if broadcast.author_id == person.id:
        return True
    scope = scope_units(person)
    if scope is None:
        return True
    unit = broadcast.scope_unit
    return unit is not None and bool(set(unit.lineage_ids()) & set(scope))


class BroadcastCommand:
    """通知 … (staff; residents get a polite refusal) · 确认发送 · 取消 · 通知报告 #B12."""

    name = "broadcast"

    def match(self, msg: IncomingMessage, ctx: Context):
        raw = _raw(msg)
        if not raw:
            return None
        norm = _norm(raw)
        found = REPORT.match(norm)
        if found:
            return ("report", int(found.group(1)) if found.group(1) else None)
        if COMMAND.match(norm):
            if ctx.chat is not None and _names_no_target(norm) and not may_broadcast(ctx.person):
                # A grid leader's (or a resident's) "通知：明天停水…" in a group chat speaks to that
                # group, which has read it already: not a command for the bot, and no refusal in front
                # of everyone. "通知 全部：…" names whom to send it to: that one is refused.
                return None
            return ("create", raw)
        word = BROADCAST_REF.sub("", norm).strip()
        ref = BROADCAST_REF.search(norm)
        ref_id = int(ref.group(1)) if ref else None
        if word in CONFIRM_WORDS and may_broadcast(ctx.person):
            return ("confirm", ref_id)
        if word in CANCEL_WORDS and may_broadcast(ctx.person):
            if ref_id is not None or _latest_draft(ctx, None) is not None:
                return ("cancel", ref_id)
        return None

    def handle(self, msg: IncomingMessage, ctx: Context, found) -> Outcome:
        action, arg = found
        if not may_broadcast(ctx.person):
            log.info("broadcast %s refused for person %s (no staff role)", action, ctx.person.id)
            return Outcome(reply=T.NOT_ALLOWED_GRID_STAFF if is_staff(ctx.person) else T.NOT_ALLOWED,
                           intent="command")
        return getattr(self, f"_{action}")(ctx, arg)

    def _create(self, ctx: Context, raw: str) -> Outcome:
        tree = Tree.load(ctx.session)
        try:
            kind, value, scope_unit_id, title, body, at = parse_chat_command(raw, ctx.person, tree, ctx.now)
            with ctx.session.begin_nested():
                b = create_broadcast(ctx.session, ctx.person, title, body, kind, value, at, ctx.now,
                                     scope_unit_id=scope_unit_id)
        except BroadcastError as err:
            return Outcome(reply=str(err), intent="command")
        chats = target_chats(ctx.session, resolve_target(tree, ctx.person, b.target_kind, b.target_value,
                                                         b.scope_unit_id).grids)
        names = "、".join(c.name for c in chats[:10]) + (T.MORE_CHATS if len(chats) > 10 else "")
        when = T.WHEN_AT.format(at=local_text(at)) if at else T.WHEN_NOW
        return Outcome(reply=T.DRAFT.format(id=b.id, title=b.title, target=b.target_label, when=when,
                                            count=b.group_count, chats=names, minutes=DRAFT_MINUTES),
                       intent="command")

    def _confirm(self, ctx: Context, ref: int | None) -> Outcome:
        b = _latest_draft(ctx, ref)
        if b is None:
            return Outcome(reply=T.NO_DRAFT.format(minutes=DRAFT_MINUTES), intent="command")
        later = b.scheduled_at is not None and b.scheduled_at > ctx.now
        if not later and b.group_count > INLINE_SEND_LIMIT:
            ctx.session.execute(update(Broadcast).where(Broadcast.id == b.id, Broadcast.status == "draft")
                                .values(status="scheduled", scheduled_at=ctx.now))
            ctx.session.refresh(b)
            return Outcome(reply=T.SENDING.format(id=b.id, title=b.title, count=b.group_count), intent="command")
        pushes = confirm_broadcast(ctx.session, b, ctx.now)
        if b.status == "scheduled":
            reply = T.SCHEDULED.format(id=b.id, title=b.title, at=local_text(b.scheduled_at), count=b.group_count)
        else:
            reply = T.SENDING.format(id=b.id, title=b.title, count=b.group_count)
        return Outcome(reply=reply, outgoing=tuple(pushes), intent="command")

    def _cancel(self, ctx: Context, ref: int | None) -> Outcome:
        b = ctx.session.get(Broadcast, ref) if ref is not None else _latest_draft(ctx, None)
        if b is None:
            return Outcome(reply=T.NO_SUCH.format(id=ref) if ref else T.NO_DRAFT.format(minutes=DRAFT_MINUTES),
                           intent="command")
        if not may_manage(ctx.person, b):
            return Outcome(reply=T.NOT_YOURS.format(id=b.id), intent="command")
        if not cancel_broadcast(ctx.session, b):
            return Outcome(reply=T.CANNOT_CANCEL.format(id=b.id, status=T.STATUS_ZH.get(b.status, b.status)),
                           intent="command")
        return Outcome(reply=T.CANCELLED.format(id=b.id, title=b.title), intent="command")

    def _report(self, ctx: Context, ref: int | None) -> Outcome:
        if ref is None:
            b = ctx.session.execute(select(Broadcast).where(Broadcast.author_id == ctx.person.id,
                                                            Broadcast.status.in_(("sending", "sent")))
                                    .order_by(Broadcast.id.desc()).limit(1)).scalar_one_or_none()
        else:
            b = ctx.session.get(Broadcast, ref)
        if b is None:
            return Outcome(reply=T.NO_SUCH.format(id=ref or ""), intent="command")
        if not may_manage(ctx.person, b):
            return Outcome(reply=T.NOT_YOURS.format(id=b.id), intent="command")
        return Outcome(reply=report_text(b, delivery_report(ctx.session, b)), intent="command")
