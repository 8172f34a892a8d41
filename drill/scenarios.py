"""The fault scenarios. Each sends real traffic, breaks one thing in the middle, lets the
system recover and then checks the invariants of drill.checks over everything sent so far."""
from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, field

import requests
from sqlalchemy import create_engine, text

from drill.checks import Probe, Verdict, check_all
from drill.stack import Stack
from drill.traffic import CHATS, Mix, Sender, drive

log = logging.getLogger(__name__)


@dataclass
class Drill:
    stack: Stack
    probe: Probe
    sender: Sender
    mix: Mix
    strict: bool = False  # a crash-time duplicate push fails the drill too
    pg_down_s: float = 2.0
    # Outbox ids in flight when a worker was killed: the checks are cumulative, so every later
    # scenario must know which (at most one) extra delivery a crash explains.
    in_flight: set = field(default_factory=set)

    def set_delay(self, seconds: float) -> None:
        requests.post(self.stack.fake_url + "/_drill/delay", json={"seconds": seconds}, timeout=5)

    def fault(self, path: str, mode, times: int) -> None:
        requests.post(self.stack.fake_url + "/_fake/faults", json={"path": path, "mode": mode, "times": times},
                      timeout=5).raise_for_status()

    def refresh_tickets(self, i: int = 0) -> None:
        if i % 10 == 0:
            try:
                self.mix.add_tickets(self.probe.open_tickets())
            except Exception:  # noqa: BLE001 — the database may be restarting right now
                pass

    def traffic(self, count: int, rate: float, at: dict | None = None) -> None:
        """Send count messages; at={index: callable} runs a fault when message index is due."""
        at = dict(at or {})

        def tick(i: int) -> None:
            self.refresh_tickets(i)
            if i in at:
                threading.Thread(target=at.pop(i), daemon=True).start()

        drive(self.sender, self.mix, count, rate, on_tick=tick)

    def mark(self) -> tuple[int, dict, int]:
        """Where a scenario starts: records sent, the fake's call counters, outbox rows sent."""
        return (len(self.sender.records), self.probe.fake_stats()["calls"],
                self.probe.scalar("SELECT count(*) FROM outbox_item WHERE state = 'sent'"))

    def check(self, name: str, mark: tuple[int, dict, int], **kw) -> Verdict:
        since, calls0, sent0 = mark
        v = check_all(name, self.probe, self.sender.records,
                      in_flight=frozenset() if self.strict else self.in_flight, **kw)
        c = self.sender.counts(since)
        calls1 = self.probe.fake_stats()["calls"]
        sends = sum(calls1.get(k, 0) - calls0.get(k, 0) for k in calls1 if k.endswith("/send"))
        sent = self.probe.scalar("SELECT count(*) FROM outbox_item WHERE state = 'sent'") - sent0
        # HTTP sends beyond one per sent item: retries after faults, and resends after a crash
        # (WeCom's duplicate check hides those from members for direct messages).
        v.counts = {"this_scenario": c, **v.counts, "outbox_sent_here": sent, "api_send_calls_here": sends,
                    "extra_send_calls_here": sends - sent}
        return v


def warm_up(d: Drill) -> Verdict:
    """Model loaded in every process, tickets to command, a baseline that must pass."""
    since = d.mark()
    d.traffic(60, 10)
    d.refresh_tickets()
    return d.check("warm-up: mixed traffic, no faults", since, settle_s=40)


def worker_killed(d: Drill) -> Verdict:
    """(a) kill -9 an RQ worker (and a gunicorn worker) while slow deliveries are in flight."""
    since = d.mark()
    d.set_delay(2.5)
    in_flight: set[int] = set()
    killed: dict = {}
    done = threading.Event()

    def kill() -> None:
        try:
            kill_one()
        finally:
            done.set()

    def kill_one() -> None:
        # Prefer a group-chat push in flight: appchat/send has no duplicate check, so that is
        # where a crash between "delivered" and "marked sent" would show as a second message.
        deadline, index = time.monotonic() + 20, 0
        accepted = [t for t in d.probe.open_tickets() if t[2] == "accepted"][:3]
        for ticket_id, chat, _ in accepted:  # each whistle-up pushes into a community staff chat
            threading.Thread(target=d.sender.send, daemon=True, args=(
                d.mix.new_id(), chat, CHATS[chat], f"上报 #{ticket_id}", "command")).start()
        while time.monotonic() < deadline:
            rows = d.probe.rows("SELECT id, route_kind FROM outbox_item WHERE state = 'sending'")
            holders = rq_holders(d.stack)
            chat_rows = [r for r in rows if r[1] == "wecom_chat" and r[0] in holders]
            if chat_rows or (rows and time.monotonic() > deadline - 10):
                target = (chat_rows or rows)[0]
                pid = holders.get(target[0])
                index = next((i for i, w in enumerate(d.stack.workers) if w.pid == pid), 0)
                in_flight.update(r[0] for r in rows)
                killed.update(in_flight_kinds=sorted(r[1] for r in rows), target_kind=target[1],
                              target_held_by_killed_worker=pid == d.stack.workers[index].pid)
                killed["rq_worker"] = d.stack.kill9_worker(index)
                break
            time.sleep(0.1)
        web = d.stack.web_children()
        if web:
            import os
            import signal

            os.kill(web[0], signal.SIGKILL)  # gunicorn's master starts a new one
            killed["web_worker"] = web[0]
        time.sleep(1.0)
        if "rq_worker" in killed:
            d.stack.replace_worker(index)  # the process supervisor's job

    d.mix.weights = {"chitchat": 0.3, "complaint": 0.3, "replay": 0.05, "command": 0.35}
    d.traffic(100, 8, at={15: kill})
    done.wait(40)
    d.set_delay(0)
    d.in_flight |= in_flight
    v = d.check("(a) kill -9 a worker mid-delivery", since, settle_s=100)
    v.counts["killed"] = killed or "nothing was in flight"
    v.counts["in_flight_at_kill"] = len(in_flight)
    if not killed.get("rq_worker"):
        v.fail("no delivery was in flight: the worker was not killed")
    return v


def redis_lost(d: Drill) -> Verdict:
    """(b) Redis loses everything (FLUSHALL + restart) while messages flow; then WeCom replays."""
    since = d.mark()
    before = [r for r in d.sender.records if r.accepted]

    def bounce() -> None:
        d.stack.redis.flush_and_stop()
        time.sleep(3)
        d.stack.redis.start()

    d.mix.weights = {"chitchat": 0.4, "complaint": 0.35, "replay": 0.1, "command": 0.15}
    d.traffic(100, 8, at={30: bounce})
    # Replays of messages accepted before Redis forgot its dedup keys: the database must catch them.
    rng = random.Random(3)
    for r in rng.sample(before, min(20, len(before))):
        d.sender.send(r.msg_id, r.chat, r.user, r.text, "replay")
    return d.check("(b) Redis restarted empty (FLUSHALL + restart)", since, settle_s=45)


def postgres_restarted(d: Drill) -> Verdict:
    """(c) pg_ctl restart -m fast while messages flow; the sender retries like WeCom."""
    since = d.mark()
    took: dict = {}

    def restart() -> None:
        t0 = time.monotonic()
        if d.pg_down_s:  # pg_ctl stop -m fast, a gap, start: the same restart, made long enough to see
            d.stack.pg.stop_fast()
            time.sleep(d.pg_down_s)
            d.stack.pg.start()
        else:
            d.stack.pg.restart()
        took["restart_s"] = round(time.monotonic() - t0, 1)

    d.mix.weights = {"chitchat": 0.4, "complaint": 0.35, "replay": 0.1, "command": 0.15}
    d.traffic(100, 8, at={30: restart})
    v = d.check("(c) PostgreSQL restarted (-m fast)", since, settle_s=60)
    v.counts.update(took)
    return v


def api_faults(d: Drill) -> Verdict:
    """(d) the WeChat API answers 5xx, times out and rate-limits (130101 / 45009) for a while."""
    since = d.mark()

    def faults() -> None:
        for path in ("/cgi-bin/message/send", "/cgi-bin/appchat/send"):
            d.fault(path, "http500", 6)
            d.fault(path, "timeout", 2)
            d.fault(path, 130101, 4)
            d.fault(path, 45009, 2)

    d.mix.weights = {"chitchat": 0.2, "complaint": 0.3, "replay": 0.05, "command": 0.45}
    d.traffic(100, 8, at={5: faults})
    # Rate-limited rows are deferred 60 s (130101) or 600 s (45009). Wait until nothing is due or
    # in flight, then pretend those windows passed (each second, for rows deferred meanwhile)
    # and require everything delivered.
    t0 = time.monotonic()
    while time.monotonic() - t0 < 40:
        state = d.probe.stuck()
        if state["outbox_due"] == 0 and d.probe.sending() == 0 and state["queue"] == 0:
            break
        time.sleep(1)
    deferred = d.probe.stuck()["outbox_deferred"]
    moved = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < 30:
        moved += d.probe.fast_forward_outbox()
        state = d.probe.stuck()
        if state["outbox_due"] + state["outbox_deferred"] == 0 and state["queue"] == 0:
            break
        time.sleep(1)
    v = d.check("(d) WeChat API 5xx / timeouts / rate limits", since, settle_s=30)
    v.counts.update(deferred_by_rate_limits=deferred, fast_forwarded=moved)
    return v


def slow_request_retried(d: Drill, drop_dedup_key: bool) -> Verdict:
    """(e) handling takes longer than WeCom's 5 s: it retries the same msgid 3 times while the
    first attempt is still running. Tables are locked from outside to make the handler slow."""
    since = d.mark()
    name = "(e%s) slow request retried 3 x 5 s%s" % ((2, ", Redis dedup key gone") if drop_dedup_key else (1, ""))
    msg_id = d.mix.new_id() + "-slow"
    # Words no other message uses, so it opens its own ticket instead of joining one.
    text_, user = (("东风路口那台变压器嗡嗡响还冒烟，周围住户很担心", "maxiu") if drop_dedup_key
                   else ("和平里二巷3号后院的配电箱冒火花，还有焦糊味", "gaoyang"))
    engine = create_engine(d.stack.pg.url)
    tickets_before = d.probe.scalar("SELECT count(*) FROM ticket")
    conn = engine.connect()
    trans = conn.begin()
    conn.execute(text("LOCK TABLE ticket, ticket_follower, ticket_event IN EXCLUSIVE MODE"))
    redis_key = f"gridwhistle:dedup:robot:{msg_id}"
    stop = threading.Event()

    def drop_key() -> None:
        while not stop.wait(0.2):
            d.stack.redis.client().delete(redis_key)

    if drop_dedup_key:
        threading.Thread(target=drop_key, daemon=True).start()
    result: dict = {}
    t = threading.Thread(target=lambda: result.setdefault(
        "rec", d.sender.send(msg_id, "chat-g4", user, text_, "complaint")))
    t0 = time.monotonic()
    t.start()
    time.sleep(11.5)  # attempts at ~0, 5.2 and 10.4 s are all in the server by now
    stop.set()
    trans.commit()
    conn.close()
    t.join(20)
    answered_s = round(time.monotonic() - t0, 1)
    engine.dispose()
    v = d.check(name, since, settle_s=30)
    rec = result.get("rec")
    rows = d.probe.rows("SELECT i.intent, count(t.id) FROM inbox_message i LEFT JOIN ticket t "
                        "ON t.source_inbox_id = i.id WHERE i.msg_id = :m GROUP BY i.intent", m=msg_id)
    tickets_after = d.probe.scalar("SELECT count(*) FROM ticket")
    v.counts.update(tries=rec.tries if rec else None, final_status=rec.status if rec else None,
                    answered_after_s=answered_s,
                    passive_reply_reached_sender=bool(rec and rec.reply),
                    inbox_rows_for_msgid=len(rows), tickets_from_msgid=rows[0][1] if rows else None,
                    intent=rows[0][0] if rows else None, new_tickets=tickets_after - tickets_before)
    if len(rows) != 1 or rows[0][1] > 1 or tickets_after - tickets_before > 1:
        v.fail("the retried message did not end as exactly one inbox row and at most one ticket")
    if rows and rows[0][0] == "complaint" and rows[0][1] == 0:
        followed = d.probe.scalar("SELECT count(*) FROM ticket_event e JOIN inbox_message i ON true "
                                  "WHERE i.msg_id = :m AND e.action = 'follow' AND e.created_at >= i.received_at",
                                  m=msg_id)
        v.counts["merged_into_existing_ticket"] = bool(followed)
    if not rec or rec.status != 200:
        v.fail("WeCom's last retry was not answered 200: the message would count as lost")
    return v


def rq_holders(stack: Stack) -> dict[int, int]:
    """outbox id → pid of the RQ worker delivering it right now."""
    from rq import Worker

    held = {}
    try:
        for w in Worker.all(connection=stack.redis.client()):
            job = w.get_current_job()
            if job is not None and job.func_name.endswith("deliver_outbox_job") and job.args:
                held[int(job.args[0])] = w.pid
    except Exception:  # noqa: BLE001 — best effort: fall back to any worker
        pass
    return held


SCENARIOS = [("warm-up", warm_up), ("a", worker_killed), ("b", redis_lost), ("c", postgres_restarted),
             ("d", api_faults), ("e1", lambda d: slow_request_retried(d, False)),
             ("e2", lambda d: slow_request_retried(d, True))]
