"""Outbox delivery throughput against the fake WeCom API, and how long a 1,000-group broadcast takes.

    python -m bench.bench_outbox [--items 500] [--groups 1000] [--members 300]
                                 [--scaled-limit 3000] [--scaled-members 6] [--json out.json]
                                 [--database-url URL --redis-url URL]

Part 1, throughput on loopback (one worker, sequential), three tiers measured in the same run so
the ratios mean something on a noisy machine:
- baseline_raw: requests.post straight to the fake's appchat/send / message/send with a token
  (keep-alive session): the floor set by HTTP + the fake itself;
- deliverer: bot.delivery.channels Deliverer.deliver (wechatpy, shared token in Redis, rate-limit Lua
  script, masking), no database;
- outbox: add_outgoing (one transaction for all rows) + bot.delivery.outbox.deliver_outbox_job per row
  (claim commit, HTTP, mark-sent commit), i.e. the real worker path end to end; on PostgreSQL
  also with --workers concurrent workers (threads standing in for RQ worker processes).
Each for N distinct chats and N distinct users.

Part 2, a 1,000-group broadcast under WeCom's corp-wide budget of 20,000 person-messages a
minute (appchat/send costs member_count per message):
- simulated: the real TokenBucket Lua script (on fakeredis, with an explicit clock) driven by a
  model of the worker: all rows are tried once at t=0, then the sweep every
  SWEEP_INTERVAL_SECONDS retries due rows (at most 500 per sweep), a deferred row is rescheduled
  after max(wait, 0.5 s). Gives completion time and how many deferrals (wasted tries) it costs,
  next to the closed form (P - burst) / rate, where P = groups x members;
- real time: the same broadcast path for real (outbox rows, deliver_outbox_job, sweep_job in a
  loop, the fake on loopback) with a scaled-down limit, because the real figure is minutes long.
  Scaling the groups and the limit by the same factor leaves the time unchanged (the time depends
  on P / rate), so the scaled run keeps 1,000 groups and lowers members and limit instead; its
  measured time is compared with the simulation of the same scaled configuration, which is what
  makes the simulated full-size figure believable.
"""
from __future__ import annotations

import argparse
import heapq
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.runtime.config import DEMO_CORP_ID, Settings  # noqa: E402
from bot.local.fake_wechat import FakeWeChatServer, FakeWeChatState  # noqa: E402

SWEEP_LIMIT = 500  # bot.sweep.sweep_job picks at most this many due outbox rows per sweep


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds > 0 else float("inf")


def make_app(fake: FakeWeChatServer, database_url: str, redis_url: str, corp_per_minute: int | None = None):
    from bot.app import create_app
    from bot.runtime.db import migrate

    settings = Settings(env="test", database_url=database_url, redis_url=redis_url, job_mode="inprocess",
                        wecom_api_base_url=fake.base_url, wechat_api_base_url=fake.base_url,
                        api_timeout_seconds=5).validated()
    app = create_app(settings, start_jobs=False)
    svc = app.extensions["gridwhistle"]
    migrate(svc.db.engine)
    _reset(svc)
    if corp_per_minute is not None:
        from bot.delivery.channels.routes import RateLimits

        svc.deliverer.limits = RateLimits(corp_per_minute=corp_per_minute)
    return app, svc


def _reset(svc) -> None:
    from sqlalchemy import delete

    from models import OutboxItem

    with svc.db.session() as s:
        s.execute(delete(OutboxItem))
        s.commit()
    for key in svc.redis.scan_iter(match="gridwhistle:*"):
        svc.redis.delete(key)


def bench_baseline_raw(fake: FakeWeChatServer, n: int, kind: str) -> dict:
    http = requests.Session()
    token = http.get(f"{fake.base_url}/cgi-bin/gettoken",
                     params={"corpid": DEMO_CORP_ID, "corpsecret": "demo-secret"}, timeout=5).json()["access_token"]
    t0 = time.perf_counter()
    for i in range(n):
        if kind == "chat":
            body = {"chatid": f"bench-chat-{i}", "msgtype": "text", "text": {"content": f"基线消息 {i}"}, "safe": 0}
            url = f"{fake.base_url}/cgi-bin/appchat/send"
        else:
            body = {"touser": f"bench-user-{i}", "msgtype": "text", "agentid": 1000002,
                    "text": {"content": f"基线消息 {i}"}, "safe": 0}
            url = f"{fake.base_url}/cgi-bin/message/send"
        r = http.post(url, params={"access_token": token}, data=json.dumps(body, ensure_ascii=False).encode(),
                      timeout=5)
        assert r.json()["errcode"] == 0, r.text
    dt = time.perf_counter() - t0
    return {"items": n, "seconds": round(dt, 3), "per_second": _rate(n, dt)}


def bench_deliverer(svc, n: int, kind: str) -> dict:
    from bot.delivery.channels.routes import Route

    t0 = time.perf_counter()
    for i in range(n):
        route = Route("wecom_chat", f"bench-chat-{i}", 2) if kind == "chat" else Route("wecom_user", f"bench-user-{i}")
        svc.deliverer.deliver(route, f"直接投递 {i}")
    dt = time.perf_counter() - t0
    return {"items": n, "seconds": round(dt, 3), "per_second": _rate(n, dt)}


def bench_outbox(app, svc, n: int, kind: str, workers: int = 1) -> dict:
    from bot.delivery.outbox import add_outgoing
    from bot.delivery.outbox import deliver_outbox_job
    from handlers.events import OutgoingMessage

    _reset(svc)
    pushes = [OutgoingMessage("wecom_chat", f"bench-chat-{i}", f"发件箱消息 {i}", f"bench:{kind}:{i}", 2)
              if kind == "chat" else
              OutgoingMessage("wecom_user", f"bench-user-{i}", f"发件箱消息 {i}", f"bench:{kind}:{i}")
              for i in range(n)]
    t0 = time.perf_counter()
    with svc.db.session() as s:
        ids = [r.id for r in add_outgoing(s, pushes, svc.clock.now())]
        s.commit()
    t1 = time.perf_counter()
    if workers == 1:
        with app.app_context():
            states = [deliver_outbox_job(i) for i in ids]
    else:  # several RQ-like workers on one database and one Redis (threads stand in for processes)
        from concurrent.futures import ThreadPoolExecutor

        def job(i: int) -> str:
            with app.app_context():
                return deliver_outbox_job(i)

        with ThreadPoolExecutor(workers) as pool:
            states = list(pool.map(job, ids))
    t2 = time.perf_counter()
    sent = states.count("sent")
    assert sent == n, {s: states.count(s) for s in set(states)}
    return {"items": n, "workers": workers, "seconds": round(t2 - t0, 3), "per_second": _rate(n, t2 - t0),
            "enqueue_seconds": round(t1 - t0, 3), "deliver_seconds": round(t2 - t1, 3),
            "deliver_per_second": _rate(n, t2 - t1)}


# --- part 2: the 1,000-group broadcast -------------------------------------------------------
def simulate_broadcast(groups: int, members: int, corp_per_minute: int, sweep_interval: float,
                       delivery_seconds: float = 0.0) -> dict:
    """Drive the real TokenBucket script with a simulated clock through the worker's retry policy."""
    import fakeredis

    from bot.delivery.channels.ratelimit import TokenBucket

    bucket = TokenBucket(fakeredis.FakeRedis(), "sim:corp", corp_per_minute)
    due: list[tuple[float, int]] = []  # (next_attempt_at, row id)
    t = 0.0
    tries = deferrals = 0
    done_at = 0.0

    def attempt(row: int, now: float) -> float | None:
        nonlocal tries, deferrals
        tries += 1
        wait = bucket.acquire(members, now=now)
        if wait > 0:
            deferrals += 1
            return now + max(wait, 0.5)  # bot.delivery.outbox.deliver_outbox_job's reschedule
        return None

    for row in range(groups):  # the confirm enqueues every row at once
        nxt = attempt(row, t)
        t += delivery_seconds
        if nxt is None:
            done_at = t
        else:
            heapq.heappush(due, (nxt, row))
    tick = 0.0
    while due:
        tick += sweep_interval
        now = max(tick, t)
        picked = []
        while due and due[0][0] <= now and len(picked) < SWEEP_LIMIT:
            picked.append(heapq.heappop(due)[1])
        for row in sorted(picked):
            nxt = attempt(row, now)
            now += delivery_seconds
            if nxt is None:
                done_at = now
            else:
                heapq.heappush(due, (nxt, row))
        t = now
    person_messages = groups * members
    ideal = max(0.0, (person_messages - corp_per_minute) / corp_per_minute * 60)
    return {"groups": groups, "members_per_group": members, "person_messages": person_messages,
            "corp_per_minute": corp_per_minute, "sweep_interval_seconds": sweep_interval,
            "completion_seconds": round(done_at, 1), "closed_form_seconds": round(ideal, 1),
            "tries": tries, "deferrals": deferrals}


def real_broadcast(fake: FakeWeChatServer, database_url: str, redis_url: str, groups: int, members: int,
                   corp_per_minute: int) -> dict:
    """1,000 group chats through the broadcast functions, the outbox and sweep_job, in real time."""
    from sqlalchemy import delete, func, select

    from bot.console.broadcast_cli import queue_pushes
    from bot.sweep import sweep_job
    from handlers.broadcast import confirm_broadcast, create_broadcast, delivery_report
    from models import Broadcast, GroupChat, Notice, OrgUnit, OutboxItem

    app, svc = make_app(fake, database_url, redis_url, corp_per_minute=corp_per_minute)
    interval = svc.settings.sweep_interval_seconds
    with svc.db.session() as s:
        for table in (OutboxItem, Broadcast, Notice, GroupChat):
            s.execute(delete(table))
        s.execute(delete(OrgUnit).where(OrgUnit.code.like("BENCH%")))
        s.commit()
        district = OrgUnit(kind="district", code="BENCHD", name="压测区")
        s.add(district)
        for i in range(groups):
            grid = OrgUnit(kind="grid", code=f"BENCHG{i}", name=f"压测网格{i}", parent=district)
            s.add(grid)
            s.add(GroupChat(channel="wecom", external_id=f"bench-bc-{i}", name=f"压测群{i}", org_unit=grid,
                            route_kind="wecom_chat", route_target=f"bench-bc-{i}", member_count=members))
            fake.state.add_chat(f"bench-bc-{i}", [f"u{k}" for k in range(max(2, members))])
        s.commit()
    fake.state.reset_messages()
    t0 = time.perf_counter()
    with app.app_context(), svc.db.session() as s:
        now = svc.clock.now()
        b = create_broadcast(s, None, "压测通知", "这是一条压测通知。", "district", "BENCHD", None, now)
        queue_pushes(svc, s, confirm_broadcast(s, b, now), now)
        bid = b.id
    first_pass = time.perf_counter() - t0
    sweeps = 0
    with app.app_context():
        while True:
            with svc.db.session() as s:
                left = s.execute(select(func.count()).select_from(OutboxItem)
                                 .where(OutboxItem.state.in_(("pending", "sending")))).scalar()
            if not left:
                break
            time.sleep(interval)
            sweep_job()
            sweeps += 1
    elapsed = time.perf_counter() - t0
    with svc.db.session() as s:
        report = delivery_report(s, s.get(Broadcast, bid))
        s.commit()
    delivered = len([m for m in fake.state.messages_for(route="wecom_chat") if m.target.startswith("bench-bc-")])
    svc.db.dispose()
    return {"groups": groups, "members_per_group": members, "person_messages": groups * members,
            "corp_per_minute": corp_per_minute, "sweep_interval_seconds": interval,
            "elapsed_seconds": round(elapsed, 1), "first_pass_seconds": round(first_pass, 2), "sweeps": sweeps,
            "delivered": delivered, "report": {k: report.count(k) for k in ("sent", "failed", "retrying")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=500, help="N items to N chats and N users")
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--members", type=int, default=300, help="members per group chat (full-size figure)")
    parser.add_argument("--corp-per-minute", type=int, default=20_000)
    parser.add_argument("--scaled-limit", type=int, default=3000, help="corp limit for the real-time run")
    parser.add_argument("--scaled-members", type=int, default=6, help="members per chat in the real-time run")
    parser.add_argument("--workers", type=int, default=4,
                        help="also run the outbox tier with this many concurrent workers (not on SQLite)")
    parser.add_argument("--skip-real", action="store_true", help="skip the real-time broadcast run")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", default="", help="default: the in-process Redis stand-in")
    parser.add_argument("--json", dest="json_path", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for name in ("werkzeug", "bot", "handlers"):
        logging.getLogger(name).setLevel(logging.WARNING)

    tmp = tempfile.TemporaryDirectory()
    database_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    state = FakeWeChatState(corp_id=DEMO_CORP_ID, corp_secret="demo-secret")
    for i in range(args.items):
        state.add_chat(f"bench-chat-{i}", ["a", "b"])
    result: dict = {"backend": "services" if args.database_url else "embedded", "items": args.items}
    with FakeWeChatServer(state) as fake:
        app, svc = make_app(fake, database_url, args.redis_url)
        throughput = {}
        for kind in ("chat", "user"):
            tiers = {"baseline_raw": bench_baseline_raw(fake, args.items, kind),
                     "deliverer": bench_deliverer(svc, args.items, kind),
                     "outbox": bench_outbox(app, svc, args.items, kind)}
            if args.workers > 1 and not database_url.startswith("sqlite"):
                tiers["outbox_parallel"] = bench_outbox(app, svc, args.items, kind, args.workers)
            base = tiers["baseline_raw"]["per_second"]
            tiers["outbox_vs_raw"] = round(tiers["outbox"]["per_second"] / base, 3)
            tiers["deliverer_vs_raw"] = round(tiers["deliverer"]["per_second"] / base, 3)
            throughput[kind] = tiers
            parallel = tiers.get("outbox_parallel", {}).get("per_second")
            print(f"{kind}: raw {base}/s, deliverer {tiers['deliverer']['per_second']}/s, "
                  f"outbox {tiers['outbox']['per_second']}/s, outbox x{args.workers} workers {parallel}/s", flush=True)
        result["throughput"] = throughput
        delivery = throughput["chat"]["outbox"]["deliver_seconds"] / args.items
        svc.db.dispose()

        interval = float(Settings().sweep_interval_seconds)
        full = simulate_broadcast(args.groups, args.members, args.corp_per_minute, interval, delivery)
        result["broadcast_full_size_simulated"] = full
        print(f"simulated: {args.groups} groups x {args.members} members at {args.corp_per_minute}/min: "
              f"{full['completion_seconds']} s ({full['deferrals']} deferrals)", flush=True)
        scaled_sim = simulate_broadcast(args.groups, args.scaled_members, args.scaled_limit, interval, delivery)
        result["broadcast_scaled_simulated"] = scaled_sim
        if not args.skip_real:
            real = real_broadcast(fake, database_url, args.redis_url, args.groups, args.scaled_members,
                                  args.scaled_limit)
            real["simulated_seconds_same_config"] = scaled_sim["completion_seconds"]
            result["broadcast_scaled_real"] = real
            print(f"real (scaled): {args.groups} groups x {args.scaled_members} members at {args.scaled_limit}/min: "
                  f"{real['elapsed_seconds']} s (simulated {scaled_sim['completion_seconds']} s)", flush=True)
    tmp.cleanup()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
