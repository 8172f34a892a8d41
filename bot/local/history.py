"""A lived-in year for the demo district: `flask seed-history --days 365` (development only).

Nothing is written around the bot: every line a resident or staff member "said" over the year is
an inbox row handed to handlers.dispatch.handle_message — the very call the webhook makes — at
the moment it was said, on a ManualClock. Reports open tickets (or join open ones as followers)
through the Classified handler, 受理 / 吹哨 / 派 / 报到 / 办结 / 驳回 go through the one table of
ticket actions, 满意 / 不满意 through the rating handler (不满意 reopens), 议事 / 支持 / 备注
through deliberation, and the timers (reminders, overdue escalation, closing unrated tickets,
closing proposals) are swept every four simulated hours. Points are awarded by those handlers.

What is not the real thing, and why:
- The classifier is replaced by the ground truth: the script knows what each resident meant,
  so the seasons come out as designed and a year plays in seconds (the model would add about
  0.3 ms a report and a few misfiled tickets, which is not what a demo should show).
- Pushes the year caused (replies, reminders, rating invitations) are dropped: they were
  delivered back then, and queueing a year of them now would flood the sandbox's chats.
  Notices are the exception: their outbox rows are kept and marked as the delivery worker
  would have left them (almost all sent, a few dead), because the console shows their
  delivery reports.

Idempotent: a district that already has history (inbox rows "hist-…") is left alone. The
rollup is rebuilt at the end, so the dashboard reads a year from month rows from the first click.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.console import rollup
from bot.delivery.outbox import add_outgoing
from bot.intake.inbox import FINISH_ROW, INSERT_ROW
from bot.local import history_script as S
from bot.local.demo import DEPARTMENTS, DEPT_STAFF, GRID_PEOPLE, TREE, UNIT_STAFF
from bot.runtime.clock import ManualClock
from classifier.model import DEFAULT_THRESHOLDS, Prediction
from handlers.broadcast import confirm_broadcast, create_broadcast, delivery_report
from handlers.deadlines import CHINA
from handlers.deliberation import sweep_proposals
from handlers.dispatch import handle_message
from handlers.events import IncomingMessage
from handlers.tickets import categories
from handlers.timers import sweep_tickets
from models import Department, GroupChat, Identity, InboxMessage, OrgUnit, Person, Proposal, RoleAssignment, Ticket

log = logging.getLogger(__name__)

MSG_PREFIX = "hist-"
SWEEP_EVERY = timedelta(hours=4)
# Tickets younger than this may still be stuck (nobody got round to them): the overdue ones.
STALL_WINDOW_DAYS = 12
STALL_SHARE = 0.18
# Work that takes well past its deadline. With the leaders' own pace and evenings off, about one
# ticket in seven misses a deadline somewhere along the way (the sweep whistles it up): 按期办结率
# lands near 86 %, where a real district's sits, not at 99 % (a whistle used to hide the lateness).
LATE_SHARE = 0.07
# Ratings: a share of reporters say 不满意 (the ticket reopens and is resolved again); of those, only
# some rate a second time — the others' 不满意 stands, as it does in the product. So satisfaction
# lands near 92 %, as a real district's would, not at 99.8 % (everyone happy the second time).
UNHAPPY_SHARE = 0.16
RERATE_SHARE = 0.5
# Happenings per transaction: each chat line takes two or three savepoints, and PostgreSQL keeps
# 64 subtransactions per transaction in its cache before every statement slows down (3 ms, not 0.3).
COMMIT_EVERY = 12


class _GroundTruth:
    """The classifier's place in HandlerServices: says what the script meant each line to be."""

    thresholds = DEFAULT_THRESHOLDS

    def __init__(self) -> None:
        self.meant: dict[str, str] = {}

    def predict(self, text: str) -> Prediction:
        category = self.meant.get(text, "other")
        return Prediction(text=text, intent="complaint", intent_confidence=0.97, category=category,
                          category_confidence=0.93, top=((category, 0.93),), places=(), needs_review=False)


@dataclass
class HistoryServices:
    """What handle_message needs (handlers.context.HandlerServices), on a clock the script moves."""

    settings: object
    clock: ManualClock
    model: _GroundTruth = field(default_factory=_GroundTruth)

    def classify(self, text: str) -> Prediction:
        return self.model.predict(text)


@dataclass(frozen=True)
class Cast:
    """Who speaks where: user ids and chat ids of demo.py's district."""

    residents: dict[str, list[str]]
    leader: dict[str, str]
    unit_staff: dict[str, str]  # community / street code → staff user id
    dept_staff: dict[str, str]  # department code → responder user id
    dept_of_category: dict[str, str]
    dept_name: dict[str, str]

    @classmethod
    def of_demo(cls) -> Cast:
        residents = {g: [u for u, _, r in people if r == "resident"] for g, people in GRID_PEOPLE.items()}
        leader = {g: next(u for u, _, r in people if r == "grid_leader") for g, people in GRID_PEOPLE.items()}
        dept_of_category = {c: code for code, _, cats in DEPARTMENTS for c in cats.split(",")}
        return cls(residents=residents, leader=leader,
                   unit_staff={unit: user for unit, user, _, _ in UNIT_STAFF},
                   dept_staff={code: user for code, user, _ in DEPT_STAFF},
                   dept_of_category=dept_of_category,
                   dept_name={code: name.removeprefix("区") for code, name, _ in DEPARTMENTS})


def community_of(grid: str) -> str:
    for (_street, _), communities in TREE.items():
        for (c_code, _), grids in communities.items():
            if any(g[0] == grid for g in grids):
                return c_code
    raise KeyError(grid)


@dataclass
class Plan:
    """One ticket's future: the steps still to come, each after a delay (hours) from the last."""

    ticket: Ticket  # held here: the session's identity map keeps it (and skips its SELECT) while steps remain
    grid: str
    reporter: str
    category: str
    steps: list[tuple[str, float]]


@dataclass
class Result:
    tickets: int = 0
    messages: int = 0
    notices: int = 0
    proposals: int = 0
    rollup_rows: int = 0
    first_day: str = ""
    last_day: str = ""


def has_history(session: Session) -> bool:
    return session.execute(select(InboxMessage.id).where(InboxMessage.msg_id.like(f"{MSG_PREFIX}%")).limit(1)
                           ).first() is not None


class Player:
    """Plays the year: a queue of timed happenings, each one a chat line or a sweep."""

    def __init__(self, session: Session, settings, end: datetime, days: int, seed: int = 20):
        self.session, self.settings, self.end = session, settings, end
        self.start = (end.astimezone(CHINA) - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
        self.clock = ManualClock(self.start)
        self.svc = HistoryServices(settings, self.clock)
        self.rng = random.Random(seed)
        self.cast = Cast.of_demo()
        self.queue: list[tuple[datetime, int, str, object]] = []
        self.seq = itertools.count()
        self.msg_seq = itertools.count(1)
        self.result = Result()
        self.cats = categories()
        self.pg = session.get_bind().dialect.name == "postgresql"
        # The district's reference rows stay in this session's identity map for the whole year: the
        # map holds objects weakly, so without these references every ticket.chat, follower.person
        # or unit.parent was another SELECT (a fifth of the statements). Nothing updates them here.
        self.reference = [row for model in (Person, Identity, RoleAssignment, GroupChat, OrgUnit, Department)
                          for row in session.execute(select(model)).scalars()]

    # --- the queue ----------------------------------------------------------------------
    def at(self, when: datetime, kind: str, payload: object) -> None:
        if when <= self.end:
            heapq.heappush(self.queue, (when, next(self.seq), kind, payload))

    def play(self) -> Result:
        self.at(self.start + timedelta(hours=9), "knowledge", None)
        day = self.start
        while day < self.end:
            self._plan_day(day)
            day += timedelta(days=1)
        t = self.start + SWEEP_EVERY
        while t <= self.end:
            self.at(t, "sweep", None)
            t += SWEEP_EVERY
        self._commit()
        for n in itertools.count(1):
            if not self.queue:
                break
            when, _, kind, payload = heapq.heappop(self.queue)
            self.clock.set(when)
            getattr(self, f"_do_{kind}")(payload)
            if n % COMMIT_EVERY == 0:
                self._commit()
        self.clock.set(self.end)
        self._do_sweep(None)
        self.session.commit()
        self.result.first_day, self.result.last_day = str(self.start.date()), str(self.end.astimezone(CHINA).date())
        return self.result

    def _commit(self) -> None:
        """A short transaction at a time (see COMMIT_EVERY). Nobody waits on the disk here: a
        seed lost to a crash is seeded again."""
        self.session.commit()
        self.session.execute(text("SET LOCAL synchronous_commit = off" if self.pg else "PRAGMA synchronous = OFF"))

    # --- what a day holds -----------------------------------------------------------------
    def _daytime(self, day: datetime, early: int = 7, late: int = 22) -> datetime:
        return day + timedelta(hours=self.rng.uniform(early, late))

    def _plan_day(self, day: datetime) -> None:
        month = day.month
        recent = (self.end - day).days < S.HOT_SPOT_RECENT_DAYS
        weekend = day.weekday() >= 5
        weights = {c: w[month - 1] for c, w in S.SEASONS.items() if w[month - 1] > 0}
        total = sum(weights.values())
        for grid, rate in S.GRID_RATE.items():
            lam = rate * (0.8 if weekend else 1.05) * (0.85 + total / 45)
            for _ in range(_poisson(self.rng, lam)):
                category = self.rng.choices(list(weights), list(weights.values()))[0]
                self.at(self._daytime(day), "report", (grid, category, None))
        for grid, category, place, months, extra in S.HOT_SPOTS:
            if month in months or recent:
                for _ in range(_poisson(self.rng, extra * (1.6 if recent else 1.0))):
                    self.at(self._daytime(day), "report", (grid, category, place))
        if self.rng.random() < 1 / 9:
            self.at(self._daytime(day, 9, 17), "notice", month)
        for grid in S.GRID_RATE:
            if self.rng.random() < 1 / 60:
                self.at(self._daytime(day, 8, 21), "proposal", grid)

    # --- speaking -------------------------------------------------------------------------
    def say(self, user: str, chat: str | None, text: str) -> int:
        """One chat line through the bot, as the webhook hands it over; returns its inbox id."""
        now = self.clock.now()
        msg = IncomingMessage(channel="wecom", msg_id=f"{MSG_PREFIX}{next(self.msg_seq)}", msg_type="text",
                              sender_id=user, text=text, sent_at=now, chat_id=chat)
        conn = self.session.connection()
        inbox_id = conn.execute(INSERT_ROW, {
            "channel": msg.channel, "msg_id": msg.msg_id, "msg_type": msg.msg_type, "chat_id": chat,
            "sender_id": user, "text": text, "raw": "", "sent_at": now, "received_at": now,
            "status": "received", "attempts": 1}).inserted_primary_key[0]
        outcome = handle_message(self.session, self.svc, msg, inbox_id)
        conn.execute(FINISH_ROW, {"inbox_id": inbox_id, "status": "processed", "reply_text": outcome.reply,
                                  "intent": outcome.intent, "processed_at": now, "last_error": None})
        self.result.messages += 1
        return inbox_id

    def _do_report(self, payload) -> None:
        grid, category, place = payload
        place = place or self.rng.choice(S.PLACES[grid])
        text = self.rng.choice(S.REPORTS[category]).format(p=place)
        if self.rng.random() < 0.3:
            text += self.rng.choice(("，麻烦尽快处理", "！！", " 谢谢", "，都好几天了", "🙏", " 急"))
        self.svc.model.meant[text] = category
        reporter = self.rng.choice(self.cast.residents[grid])
        inbox_id = self.say(reporter, f"chat-{grid.lower()}", text)
        ticket = self.session.execute(select(Ticket).where(Ticket.source_inbox_id == inbox_id)).scalar()
        if ticket is None:
            return  # it joined an open ticket about the same thing (a follower)
        self.result.tickets += 1
        plan = Plan(ticket, grid, reporter, category, self._steps(grid, category))
        others = [r for r in self.cast.residents[grid] if r != reporter]
        if others and self.rng.random() < 0.15:
            self.at(self.clock.now() + timedelta(hours=self.rng.uniform(0.2, 20)), "follow",
                    (ticket.id, self.rng.choice(others)))
        self._next(plan)

    def _steps(self, grid: str, category: str) -> list[tuple[str, float]]:
        cat = self.cats.get(category)
        deadline = cat.deadline_hours if cat else 72
        level = cat.level if cat else "community"
        pace = S.LEADER_PACE[grid]
        respond = self.rng.lognormvariate(math.log(0.6 * pace), 0.9)
        if self.rng.random() < 0.03:
            return [("reject", respond)]
        steps = [("accept", respond)]
        dept = self.cast.dept_of_category.get(category)
        route: list[str]
        if level == "grid" or dept is None:
            route = []
        elif level == "community":
            route = [] if self.rng.random() < 0.5 else (["escalate"] if self.rng.random() < 0.5 else
                                                        ["escalate", "dispatch", "claim"])
        else:
            route = ["dispatch", "claim"] if self.rng.random() < 0.5 else ["escalate", "dispatch", "claim"]
        speed = S.DEPT_PACE.get(dept, 0.6) if "dispatch" in route else 0.35 * pace
        work = deadline * speed * self.rng.lognormvariate(0, 0.45)
        if self.rng.random() < LATE_SHARE:  # a part nobody has, a resident not at home, a holiday
            work = deadline * self.rng.uniform(1.3, 4.0)
        for step in route:
            hop = self.rng.uniform(0.3, 4)
            steps.append((step, hop))
            work = max(0.5, work - hop)
        created = self.clock.now()
        stalls = (self.end - created).days < STALL_WINDOW_DAYS and self.rng.random() < STALL_SHARE
        if not stalls:
            steps.append(("resolve", max(0.3, work - respond)))
            if self.rng.random() < 0.6:
                steps.append(("rate", self.rng.lognormvariate(math.log(5), 0.8)))
        return steps

    def _next(self, plan: Plan) -> None:
        if plan.steps:
            _, delay = plan.steps[0]
            self.at(self._working(self.clock.now() + timedelta(hours=delay)), "step", plan)

    @staticmethod
    def _working(when: datetime) -> datetime:
        """Staff act between 8:00 and 21:00 China time: later moves to the next morning."""
        local = when.astimezone(CHINA)
        if 8 <= local.hour < 21:
            return when
        morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
        if local.hour >= 21:
            morning += timedelta(days=1)
        return morning + timedelta(minutes=(local.minute * 1.5) % 90)

    def _holder(self, ticket: Ticket) -> tuple[str, str | None]:
        """Who holds the ticket now, and the chat they work in."""
        if ticket.level == "department" and ticket.department is not None:
            code = ticket.department.code
            return self.cast.dept_staff[code], f"chat-{code}"
        unit = ticket.assignee_unit
        if ticket.level == "grid" or unit is None or unit.kind == "grid":
            grid = ticket.grid.code
            return self.cast.leader[grid], f"chat-{grid.lower()}"
        return self.cast.unit_staff[unit.code], f"chat-{unit.code.lower()}"

    def _do_step(self, plan: Plan) -> None:
        step, _ = plan.steps.pop(0)
        ticket = plan.ticket
        t, rng = ticket.id, self.rng
        if step == "rate":
            mood = rng.random()
            if mood < UNHAPPY_SHARE and ticket.state == "resolved":
                self.say(plan.reporter, f"chat-{plan.grid.lower()}", f"不满意 #{t} {rng.choice(S.UNHAPPY)}")
                if ticket.state == "reopened":
                    plan.steps.append(("resolve", rng.uniform(4, 30)))
                    if rng.random() < RERATE_SHARE:
                        plan.steps.append(("rate", rng.uniform(2, 20)))
            else:
                word = "满意" if mood < 0.78 else "基本满意"
                self.say(plan.reporter, f"chat-{plan.grid.lower()}", f"{word} #{t}")
        else:
            user, chat = self._holder(ticket)
            if step == "accept":
                text = f"受理 #{t}"
            elif step == "reject":
                text = f"驳回 #{t} {rng.choice(S.REJECT_REASONS)}"
            elif step == "escalate":
                text = f"吹哨 #{t} {rng.choice(S.ESCALATE_REASONS)}"
            elif step == "dispatch":
                text = f"派 #{t} {self.cast.dept_name[self.cast.dept_of_category[plan.category]]}"
            elif step == "claim":
                text = f"报到 #{t}"
            else:
                text = f"办结 #{t} {rng.choice(S.RESOLUTIONS.get(plan.category, S.RESOLVED_GENERIC))}"
            self.say(user, chat, text)
        self._next(plan)

    def _do_follow(self, payload) -> None:
        ticket_id, user = payload
        grid = next(g for g, people in self.cast.residents.items() if user in people)
        self.say(user, f"chat-{grid.lower()}", f"+1 #{ticket_id}")

    def _do_sweep(self, _payload) -> None:
        now = self.clock.now()
        sweep_tickets(self.session, self.settings, now, digest=False)  # pushes dropped: see the module doc
        if now.astimezone(CHINA).hour < 2:
            sweep_proposals(self.session, self.settings, now)

    # --- notices ----------------------------------------------------------------------------
    def _do_knowledge(self, _payload) -> None:
        # The command centre enters them through the chat's 入库 command, as staff would.
        for question, answer in S.KNOWLEDGE:
            self.say("admin", None, f"入库 问：{question} 答：{answer}")

    def _do_notice(self, month: int) -> None:
        now = self.clock.now()
        choices = [n for n in S.NOTICES if n[0] in (month, 0)]
        _, title, body = self.rng.choice(choices)
        unit_code, user, _name, _role = self.rng.choice([u for u in UNIT_STAFF if u[0] != "D"])
        author = self.session.execute(select(Person).join(Identity, Identity.person_id == Person.id)
                                      .where(Identity.external_id == user)).scalar_one()
        kind = "community" if unit_code.startswith("C") else "street"
        broadcast = create_broadcast(self.session, author, title, f"{title}\n{body}", kind, unit_code, None, now)
        rows = add_outgoing(self.session, confirm_broadcast(self.session, broadcast, now), now)
        for row in rows:
            # What the delivery worker would have left: sent seconds later, or dead after its tries.
            if self.rng.random() < 0.05:
                row.state, row.attempts, row.last_error = "dead", 5, "errcode 90000: 群聊不存在或机器人已被移出"
            else:
                row.state, row.attempts, row.sent_at = "sent", 1, now + timedelta(seconds=self.rng.uniform(1, 20))
        self.session.flush()
        delivery_report(self.session, broadcast)
        self.result.notices += 1

    # --- deliberation -----------------------------------------------------------------------
    def _do_proposal(self, grid: str) -> None:
        residents = self.cast.residents[grid]
        proposer = self.rng.choice(residents)
        text = self.rng.choice(S.PROPOSALS)
        self.svc.model.meant[text] = "other"
        self.say(proposer, f"chat-{grid.lower()}", f"议事：{text}")
        pid = self.session.execute(select(func.max(Proposal.id))).scalar()
        if pid is None:
            return
        self.result.proposals += 1
        now = self.clock.now()
        for voter in residents:
            if voter != proposer:
                stance = "支持" if self.rng.random() < 0.8 else "反对"
                self.at(self._working(now + timedelta(hours=self.rng.uniform(1, 72))), "vote", (grid, voter, stance, pid))
        self.at(self._working(now + timedelta(hours=self.rng.uniform(4, 96))), "vote",
                (grid, self.cast.leader[grid], "备注", pid))

    def _do_vote(self, payload) -> None:
        grid, user, word, pid = payload
        note = f" {self.rng.choice(S.STAFF_NOTES)}" if word == "备注" else ""
        self.say(user, f"chat-{grid.lower()}", f"{word} #Y{pid}{note}")


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method: lam is a handful a day.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def seed_history(session: Session, settings, now: datetime, days: int = 365) -> Result | None:
    """Play `days` of history up to `now` into the demo district; None if it already has some.

    The caller makes sure this is not production (demo accounts, invented residents' reports).
    """
    if session.execute(select(OrgUnit.id).where(OrgUnit.code == "D")).first() is None:
        raise ValueError("the demo district is missing: run seed-demo first")
    if has_history(session):
        return None
    # Nothing else writes while the year plays: what this session loaded stays valid across its
    # commits, and reloading every chat, person and ticket after each one was a third of the time.
    session.expire_on_commit = False
    try:
        result = Player(session, settings, now, days).play()
    finally:
        session.expire_on_commit = True
    result.rollup_rows = rollup.rebuild(session, now, days + 1)
    log.info("history seeded: %s", result)
    return result
