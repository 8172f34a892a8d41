"""The invariants a drill checks after every fault, read straight from the database and the fake.

1. Inbox: every accepted msgid (some try answered 200) has exactly one inbox row; no msgid has
   two (the unique key makes that impossible, the check proves nobody bypassed it).
2. Tickets: no inbox row opened more than one ticket, every ticket came from one of our
   messages, and there are no more tickets than distinct complaint msgids we sent (a retried or
   replayed msgid is the same report; similar reports may merge, so "at most").
3. Outbox: every item ends sent; the fake received each (route, target, text) exactly as often
   as the outbox holds it — except items that were in flight when a worker was killed, which
   may arrive twice (at-least-once; reported separately). For direct messages WeCom's own
   duplicate check hides a resend, so there the fake must hold it exactly once.
4. Nothing stuck: no inbox row received/failed, no outbox row pending/sending, RQ queue empty.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, text

from bot.runtime.jobs import QUEUE_NAME
from handlers.privacy import mask_personal_data

FAKE_ROUTE = {"wecom_chat": "wecom_chat", "wecom_user": "wecom_user", "robot": "robot", "oa_user": "oa_custom"}
GROUP_KINDS = ("wecom_chat", "robot")


@dataclass
class Verdict:
    name: str
    ok: bool = True
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


class Probe:
    """Read-only views of the stack's state (its own small connection pool)."""

    def __init__(self, stack):
        self.stack = stack
        self.engine = create_engine(stack.pg.url, pool_pre_ping=True, pool_size=2)

    def scalar(self, sql: str, **params):
        with self.engine.connect() as c:
            return c.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params):
        with self.engine.connect() as c:
            return c.execute(text(sql), params).all()

    def queue_depth(self) -> int | None:
        try:
            return int(self.stack.redis.client().llen(f"rq:queue:{QUEUE_NAME}"))
        except Exception:  # noqa: BLE001 — Redis down in the middle of a drill
            return None

    def backlog(self) -> dict:
        return dict(self.rows("SELECT state, count(*) FROM outbox_item GROUP BY state"))

    def open_tickets(self) -> list[tuple[int, str, str]]:
        """Tickets a grid leader can still accept or whistle up, with their chat and state."""
        return [(r[0], r[1], r[2]) for r in self.rows(
            "SELECT t.id, c.external_id, t.state FROM ticket t JOIN group_chat c ON c.id = t.chat_id "
            "WHERE t.state IN ('new', 'accepted') AND t.level = 'grid' AND c.external_id LIKE 'chat-g%' "
            "ORDER BY t.id")]

    def sending(self) -> int:
        return self.scalar("SELECT count(*) FROM outbox_item WHERE state = 'sending'")

    def stuck(self, slack_s: float = 5.0) -> dict:
        """Work not finished. Outbox rows deferred into the future (rate limits) are not stuck yet."""
        inbox = self.scalar("SELECT count(*) FROM inbox_message WHERE status IN ('received', 'failed')")
        due = self.scalar(
            "SELECT count(*) FROM outbox_item WHERE state IN ('pending', 'sending') "
            "AND next_attempt_at <= now() - make_interval(secs => :s)", s=slack_s)
        deferred = self.scalar(
            "SELECT count(*) FROM outbox_item WHERE state IN ('pending', 'sending') "
            "AND next_attempt_at > now() - make_interval(secs => :s)", s=slack_s)
        return {"inbox_unfinished": inbox, "outbox_due": due, "outbox_deferred": deferred,
                "queue": self.queue_depth()}

    def settle(self, timeout: float, allow_deferred: bool = False) -> tuple[bool, float, dict]:
        """Wait until nothing is left to do; returns (settled, seconds waited, last state)."""
        t0 = time.monotonic()
        state: dict = {}
        while time.monotonic() - t0 < timeout:
            try:
                state = self.stuck()
            except Exception as exc:  # noqa: BLE001 — the database may still be restarting
                state = {"error": type(exc).__name__}
                time.sleep(1)
                continue
            pending = state["outbox_due"] + (0 if allow_deferred else state["outbox_deferred"])
            if state["inbox_unfinished"] == 0 and pending == 0 and state["queue"] == 0:
                return True, time.monotonic() - t0, state
            time.sleep(1)
        return False, time.monotonic() - t0, state

    def fast_forward_outbox(self) -> int:
        """Make deferred rows due now: stands in for the rate-limit windows passing."""
        with self.engine.begin() as c:
            return c.execute(text(
                "UPDATE outbox_item SET next_attempt_at = now() - interval '1 second' "
                "WHERE state = 'pending' AND next_attempt_at > now()")).rowcount

    def fake_messages(self) -> list[dict]:
        return requests.get(self.stack.fake_url + "/_fake/messages", timeout=10).json()

    def fake_stats(self) -> dict:
        return requests.get(self.stack.fake_url + "/_fake/stats", timeout=10).json()

    def dispose(self) -> None:
        self.engine.dispose()


def check_all(name: str, probe: Probe, records, in_flight: set[int] = frozenset(),
              settle_s: float = 60, allow_deferred: bool = False) -> Verdict:
    v = Verdict(name)
    settled, waited, state = probe.settle(settle_s, allow_deferred=allow_deferred)
    v.counts["settled_in_s"] = round(waited, 1)
    if not settled:
        v.fail(f"not settled after {settle_s:.0f} s: {state}")

    # 1. inbox rows per accepted msgid
    accepted = {r.msg_id for r in records if r.accepted}
    first_kind: dict[str, str] = {}
    for r in records:
        first_kind.setdefault(r.msg_id, r.kind)
    inbox = dict(probe.rows("SELECT msg_id, count(*) FROM inbox_message WHERE channel = 'robot' GROUP BY msg_id"))
    missing = [m for m in accepted if inbox.get(m, 0) != 1]
    doubled = [m for m, n in inbox.items() if n > 1]
    v.counts.update(messages_sent=len(records), msgids=len(first_kind), accepted_msgids=len(accepted),
                    not_accepted_msgids=len(set(first_kind) - accepted),
                    inbox_rows=sum(inbox.values()),
                    inbox_rows_retried_by_worker=probe.scalar("SELECT count(*) FROM inbox_message WHERE attempts > 1"))
    if missing:
        v.fail(f"{len(missing)} accepted msgids without exactly one inbox row, e.g. {missing[:3]}")
    if doubled:
        v.fail(f"{len(doubled)} msgids with several inbox rows")

    # 2. tickets
    complaint_ids = {m for m, k in first_kind.items() if k == "complaint"}
    tickets = probe.rows(
        "SELECT t.id, i.msg_id FROM ticket t LEFT JOIN inbox_message i ON i.id = t.source_inbox_id")
    per_msg = Counter(m for _, m in tickets)
    v.counts.update(tickets=len(tickets), complaint_msgids=len(complaint_ids),
                    complaint_msgids_accepted=len(complaint_ids & accepted))
    if any(n > 1 for n in per_msg.values()):
        v.fail(f"{sum(n > 1 for n in per_msg.values())} messages opened more than one ticket")
    foreign = [m for m in per_msg if m not in first_kind]
    if foreign:
        v.fail(f"{len(foreign)} tickets from no message we sent (or without a source)")
    classified = probe.scalar("SELECT count(*) FROM inbox_message WHERE intent = 'complaint'")
    v.counts["inbox_rows_classified_complaint"] = classified
    if len(tickets) > classified:
        v.fail(f"{len(tickets)} tickets > {classified} inbox rows classified as complaints")

    # 3. outbox vs the fake's deliveries
    outbox = probe.rows("SELECT id, route_kind, route_target, text, state, last_error FROM outbox_item")
    states = Counter(o.state for o in outbox)
    v.counts["outbox"] = dict(states)
    expected: Counter = Counter()
    inflight_keys: set = set()
    uncertain_keys: set = set()
    for o in outbox:
        if o.state == "dead" and (o.last_error or "").startswith("uncertain"):
            # Interrupted mid-call on a group route: delivered at most once, left for an admin.
            body = mask_personal_data(o.text) if o.route_kind in GROUP_KINDS else o.text
            uncertain_keys.add((FAKE_ROUTE.get(o.route_kind, o.route_kind), o.route_target, body))
        if o.state != "sent":
            continue
        body = mask_personal_data(o.text) if o.route_kind in GROUP_KINDS else o.text
        key = (FAKE_ROUTE.get(o.route_kind, o.route_kind), o.route_target, body)
        expected[key] += 1
        if o.id in in_flight:
            inflight_keys.add(key)
    got = Counter((m["route"], m["target"], m["text"]) for m in probe.fake_messages())
    v.counts["fake_deliveries"] = sum(got.values())
    lost = extra = extra_inflight = 0
    for key in set(expected) | set(got):
        # WeCom's duplicate check drops a repeat of the same text to the same member.
        want = min(1, expected[key]) if key[0] == "wecom_user" else expected[key]
        have = got[key]
        if key in uncertain_keys and expected[key] == 0:
            if have > 1:
                extra += have - 1
            continue
        if have < want:
            lost += want - have
        elif have > want:
            if key in inflight_keys and have <= want + 1:
                extra_inflight += have - want
            else:
                extra += have - want
    v.counts.update(outbox_lost=lost, outbox_duplicated=extra, outbox_duplicated_in_flight=extra_inflight)
    if lost:
        v.fail(f"{lost} outbox items marked sent but never delivered")
    if extra:
        v.fail(f"{extra} deliveries more than the outbox holds (not explained by a crash)")
    uncertain = sum(1 for o in outbox if o.state == "dead" and (o.last_error or "").startswith("uncertain"))
    v.counts["outbox_uncertain_for_admin"] = uncertain
    if states.get("dead", 0) - uncertain:
        v.fail(f"{states['dead'] - uncertain} outbox items dead")
    return v


def print_verdict(v: Verdict) -> None:
    print(f"[{'PASS' if v.ok else 'FAIL'}] {v.name}", flush=True)
    for k, val in v.counts.items():
        print(f"    {k}: {val}")
    for p in v.problems:
        print(f"    !! {p}")
