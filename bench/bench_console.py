"""Console response times on a big ticket table: dashboard and filtered lists, p50/p95.

    python -m bench.bench_console [--tickets 1000000] [--database-url URL] [--rounds 20] [--json out.json]

Seeds the demo district and N tickets (PostgreSQL COPY; a year of history, realistic
state mix) into a database of this run's own (bench/backends.py: made on the shared server,
dropped at the end), then times the console's pages in-process with Flask's test client
(rendering included, network excluded). Goal: p95 < 300 ms. With --database-url (or
BENCH_DATABASE_URL) a database you name is used instead, created if missing and kept:
re-running with the same N reuses its seeded table (--reseed to force; its schema is dropped
first).

A few dashboards are timed twice in the same run: first with the rollup emptied (every
figure live from the tickets), then after `rollup.rebuild` (past days and months from
ticket_rollup, today live) — followed by every page with the rollup in place. Each dashboard
is timed "cold" (the dashboard cache emptied before every request: everything is computed)
and "cached" (as served to a second viewer within the same minute and data).
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench.backends import private_services

CATEGORIES = ["drainage", "sanitation", "lighting", "noise", "parking", "greening", "elevator", "utilities",
              "road_traffic", "property_mgmt", "building_safety", "other"]
TEXTS = ["{p}下水道堵了，污水冒出来", "{p}路灯不亮好几天了", "{p}垃圾桶满了没人清", "{p}楼上半夜装修太吵",
         "{p}门口车辆乱停堵住消防通道", "{p}电梯又坏了，老人上不去", "{p}停水了什么时候来水", "{p}树枝快压到电线了"]
PLACES = ["扬州路12号", "幸福里3号楼", "光明小区5栋", "新华街8号", "朝阳路菜市场", "幸福里小区北门"]
# Recent tickets (two weeks) are still being worked on; older ones are mostly finished.
RECENT_MIX = [("closed", 40), ("rated", 5), ("resolved", 15), ("new", 8), ("accepted", 12), ("dispatched", 7),
              ("claimed", 6), ("escalated", 2), ("rejected", 3), ("merged", 2)]
OLD_MIX = [("closed", 88), ("rated", 2), ("resolved", 2), ("accepted", 1), ("dispatched", 1), ("claimed", 1),
           ("rejected", 3), ("merged", 2)]
PAGES = [
    ("dashboard 30 days (admin)", "admin", "/console/dashboard"),
    ("dashboard 90 days by week (admin)", "admin", "/console/dashboard?from={q}&grain=week"),
    ("dashboard 365 days by month (admin)", "admin", "/console/dashboard?from={y}&grain=month"),
    ("dashboard 365 days by day (admin)", "admin", "/console/dashboard?from={y}&grain=day"),
    ("dashboard 731 days by month (admin)", "admin", "/console/dashboard?from={yy}&grain=month"),
    ("dashboard 30 days (street of 50 grids)", "benchstreet", "/console/dashboard"),
    ("dashboard 365 days by week (street)", "benchstreet", "/console/dashboard?from={y}&grain=week"),
    ("dashboard 365 days by day (community)", "huangshuji", "/console/dashboard?from={y}&grain=day"),
    ("dashboard 365 days by month (department)", "qianshuiwu", "/console/dashboard?from={y}&grain=month"),
    ("dashboard 30 days (grid)", "wangfang", "/console/dashboard"),
    ("dashboard 365 days by day (grid)", "wangfang", "/console/dashboard?from={y}&grain=day"),
    ("list default (admin)", "admin", "/console/tickets"),
    ("list open+drainage (admin)", "admin", "/console/tickets?state=open&category=drainage"),
    ("list overdue (admin)", "admin", "/console/tickets?overdue=1"),
    ("list overdue (street)", "benchstreet", "/console/tickets?overdue=1&sort=deadline&dir=asc"),
    ("list department, open (department)", "qianshuiwu", "/console/tickets?state=open"),
    ("list grid, page 50 (grid)", "wangfang", "/console/tickets?page=50"),
    ("list date range, by deadline (street)", "benchstreet", "/console/tickets?from={m}&to={t}&sort=deadline&dir=asc"),
    ("list text search (grid)", "wangfang", "/console/tickets?q=下水道"),
    ("list text search (street)", "benchstreet", "/console/tickets?q=下水道"),
    ("list text search (admin)", "admin", "/console/tickets?q=扬州路12号"),
    ("ranking departments, this month (admin)", "admin", "/console/ranking?level=department"),
    ("ranking streets, last month (admin)", "admin", "/console/ranking?level=street&month={lm}"),
    ("ranking grids, last month (street)", "benchstreet", "/console/ranking?level=grid&month={lm}"),
    ("ticket detail (admin)", "admin", "/console/tickets/{id}"),
]
# `--seeded-district URL`: the demo district after `flask seed-history --days 365` (make run's data).
SEEDED_PAGES = [
    ("dashboard 30 days (admin)", "admin", "/console/dashboard"),
    ("dashboard 365 days by week (admin)", "admin", "/console/dashboard?from={y}&grain=week"),
    ("dashboard 365 days by day (admin)", "admin", "/console/dashboard?from={y}&grain=day"),
    ("dashboard 365 days by month (admin)", "admin", "/console/dashboard?from={y}&grain=month"),
    ("dashboard 365 days by day (grid)", "wangfang", "/console/dashboard?from={y}&grain=day"),
    ("dashboard 30 days (department)", "chenzhujian", "/console/dashboard"),
    ("map, open tickets (admin)", "admin", "/console/map"),
    ("map, hot spots (admin)", "admin", "/console/map?measure=hotspots"),
    ("map, overdue (grid)", "wangfang", "/console/map?measure=overdue"),
    ("hot spots 30 days (admin)", "admin", "/console/hotspots?days=30"),
    ("ranking grids, last month (admin)", "admin", "/console/ranking?level=grid&month={lm}"),
    ("list overdue (admin)", "admin", "/console/tickets?overdue=1"),
]
# Timed without the rollup too (every figure live), for the comparison.
BASELINE = ("dashboard 30 days (admin)", "dashboard 365 days by month (admin)", "dashboard 30 days (street of 50 grids)")


def ensure_database(url: str) -> None:
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": u.database}).first():
            conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def add_district_scale(s) -> None:
    """A district-sized tree: 8 more streets × 5 communities × 10 grids (404 grids in all),
    and a street official (benchstreet, password demo1234) for one of the big streets."""
    from models import Identity, OrgUnit, Person, RoleAssignment

    district = s.execute(select(OrgUnit).where(OrgUnit.code == "D")).scalar_one()
    first_street = None
    for si in range(3, 11):
        street = OrgUnit(kind="street", code=f"S{si}", name=f"第{si}街道", parent=district)
        first_street = first_street or street
        for ci in range(5):
            community = OrgUnit(kind="community", code=f"S{si}C{ci}", name=f"第{si}街道第{ci}社区", parent=street)
            for gi in range(10):
                s.add(OrgUnit(kind="grid", code=f"S{si}C{ci}G{gi}", name=f"第{si}-{ci}-{gi}网格",
                              parent=community, households=300))
            s.add(community)
        s.add(street)
    person = Person(name="第3街道科长")
    s.add(person)
    s.add(Identity(person=person, channel="wecom", external_id="benchstreet", route_kind="wecom_user"))
    s.add(RoleAssignment(person=person, role="street_staff", org_unit=first_street))
    s.flush()


def seed(url: str, n: int) -> float:
    """Fresh schema, the demo district, console accounts and n tickets; returns seconds spent."""
    from bot.console.accounts import seed_demo_accounts
    from bot.runtime.db import Database, migrate
    from bot.local.demo import seed_demo
    from models import Department, Identity, OrgUnit

    t0 = time.perf_counter()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    db = Database(url)
    migrate(db.engine)
    with db.session() as s:
        seed_demo(s)
        add_district_scale(s)
        seed_demo_accounts(s)
        s.commit()
        grids = list(s.execute(select(OrgUnit.id).where(OrgUnit.kind == "grid")).scalars())
        depts = list(s.execute(select(Department.id)).scalars())
        people = list(s.execute(select(Identity.person_id)).scalars())
    rng = random.Random(7)
    now = datetime.now(UTC)
    recent_states = [s for s, w in RECENT_MIX for _ in range(w)]
    old_states = [s for s, w in OLD_MIX for _ in range(w)]
    # Rows arrive in time order, as they do in production (the heap is clustered by created_at).
    ages = sorted((rng.uniform(0, 365 * 86400) for _ in range(n)), reverse=True)
    cols = ("state, version, category, grid_id, place_text, description, reporter_id, level, assignee_unit_id, "
            "department_id, resolution_note, deadline_at, created_at, first_response_at, accepted_at, resolved_at, "
            "closed_at, on_time, satisfaction")
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        done = 0
        while done < n:
            buf = io.StringIO()
            for age in ages[done: done + 100_000]:
                state = rng.choice(recent_states if age < 14 * 86400 else old_states)
                created = now - timedelta(seconds=age)
                grid = rng.choice(grids)
                dept = rng.choice(depts) if state in ("dispatched", "claimed") or rng.random() < 0.15 else None
                place = rng.choice(PLACES)
                deadline = created + timedelta(hours=rng.choice((24, 48, 72)))
                responded = created + timedelta(minutes=rng.uniform(5, 600)) if state != "new" else None
                resolved_at = on_time = sat = closed = None
                if state in ("closed", "rated", "resolved"):
                    resolved_at = created + timedelta(hours=rng.uniform(1, 96))
                    on_time = resolved_at <= deadline
                    if state in ("closed", "rated") and rng.random() < 0.7:
                        sat = rng.choice(("满意", "满意", "满意", "基本满意", "不满意"))
                if state in ("closed", "rejected", "merged"):
                    closed = (resolved_at or responded or created) + timedelta(hours=1)
                row = [state, "1", rng.choice(CATEGORIES), str(grid), place, rng.choice(TEXTS).format(p=place),
                       str(rng.choice(people)), "department" if dept else "grid", str(grid),
                       str(dept) if dept else None, "已处理" if resolved_at else "", deadline, created, responded,
                       responded if state != "new" else None, resolved_at, closed,
                       None if on_time is None else ("t" if on_time else "f"), sat]
                buf.write("\t".join("\\N" if v is None else (v.isoformat() if isinstance(v, datetime) else v)
                                    for v in row) + "\n")
            buf.seek(0)
            cur.copy_expert(f"COPY ticket ({cols}) FROM STDIN", buf)
            done += min(100_000, n - done)
            raw.commit()
        raw.commit()
        # What autovacuum does to a table after a bulk load (PostgreSQL 13+ vacuums on inserts):
        # the visibility map lets counts of open tickets use index-only scans.
        raw.set_session(autocommit=True)
        cur.execute("VACUUM ANALYZE ticket")
    finally:
        raw.close()
    db.dispose()
    return time.perf_counter() - t0


def seeded_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM ticket")).scalar_one()
    except Exception:  # noqa: BLE001 — no table yet
        return -1
    finally:
        engine.dispose()


def clear_rollup(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM ticket_rollup"))
        conn.execute(text("DELETE FROM ticket_rollup_day"))
    engine.dispose()


def build_rollup(url: str, days: int = 400) -> tuple[float, int]:
    """What `flask rollup-rebuild --days 400` does (then ANALYZE, as autovacuum would after
    a bulk write); returns (seconds, rows written)."""
    from bot.console import rollup
    from bot.runtime.db import Database

    db = Database(url)
    t0 = time.perf_counter()
    with db.session() as s:
        rows = rollup.rebuild(s, datetime.now(UTC), days)
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE ticket_rollup"))
        conn.execute(text("ANALYZE ticket_rollup_day"))
    db.dispose()
    return time.perf_counter() - t0, rows


def measure(url: str, rounds: int, pages=PAGES, suffix: str = "") -> dict[str, dict[str, float]]:
    from bot.app import create_app
    from bot.runtime.config import Settings
    from bot.console.queries import CHINA
    from tests.console.helpers import login  # the same CSRF-aware login the tests use

    settings = Settings(env="test", database_url=url, redis_url="", job_mode="inprocess").validated()
    app = create_app(settings, start_jobs=False)
    clients = {}
    for user in {p[1] for p in pages}:
        c = app.test_client()
        assert login(c, user).status_code == 302, user
        clients[user] = c
    today = datetime.now(CHINA).date()
    last_month = today.replace(day=1) - timedelta(days=1)
    fill = {"y": (today - timedelta(days=364)).isoformat(), "m": (today - timedelta(days=30)).isoformat(),
            "q": (today - timedelta(days=89)).isoformat(), "yy": (today - timedelta(days=730)).isoformat(),
            "lm": last_month.strftime("%Y-%m"), "t": today.isoformat(), "id": seeded_count(url) // 2}
    redis_client = app.extensions["gridwhistle"].redis
    out = {}
    for name, user, path in pages:
        name += suffix
        path = path.format(**fill)
        c = clients[user]
        assert c.get(path).status_code == 200, path  # warm-up (and a check that it works)
        modes = ("cold", "cached") if "/dashboard" in path else ("",)
        for mode in modes:
            times = []
            for _ in range(rounds):
                if mode == "cold":  # the dashboard cache emptied: every request computes
                    for key in redis_client.scan_iter("gridwhistle:console:dash:*"):
                        redis_client.delete(key)
                t0 = time.perf_counter()
                resp = c.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            label = f"{name}, {mode}" if mode else name
            out[label] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1)}
            print(f"{label:62s} p50 {out[label]['p50_ms']:7.1f} ms   p95 {out[label]['p95_ms']:7.1f} ms", flush=True)
    app.extensions["gridwhistle"].db.dispose()
    return out


def run(url: str, args) -> None:
    """Seed (unless url already holds args.tickets tickets), then time the pages without and with the rollup."""
    seeded = None
    if args.reseed or seeded_count(url) != args.tickets:
        print(f"seeding {args.tickets:,} tickets …", flush=True)
        seeded = seed(url, args.tickets)
        print(f"seeded in {seeded:.0f} s", flush=True)
    clear_rollup(url)
    dashboards = [p for p in PAGES if p[0] in BASELINE]
    print("— dashboards without the rollup (all live) —", flush=True)
    without = measure(url, args.rounds, dashboards, " [no rollup]")
    rollup_seconds, rollup_rows = build_rollup(url)
    print(f"rollup built in {rollup_seconds:.1f} s: {rollup_rows:,} rows", flush=True)
    print("— every page with the rollup —", flush=True)
    results = measure(url, args.rounds)
    worst = max(v["p95_ms"] for k, v in results.items() if not k.endswith(", cold"))
    cold = max((v["p95_ms"] for k, v in results.items() if k.endswith(", cold")), default=0)
    print(f"worst p95 as served: {worst:.0f} ms (goal < 300 ms) — {'OK' if worst < 300 else 'over goal'}; "
          f"worst uncached dashboard p95: {cold:.0f} ms")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"tickets": args.tickets, "seed_seconds": seeded, "pages": results, "worst_p95_ms": worst,
                       "worst_uncached_dashboard_p95_ms": cold, "without_rollup": without,
                       "rollup_build_seconds": rollup_seconds, "rollup_rows": rollup_rows},
                      fh, ensure_ascii=False, indent=1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                    help="a PostgreSQL database of yours, created if missing and kept: re-running with the same "
                         "--tickets reuses the seeded table (default: one of this run's own, dropped at the end)")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--reseed", action="store_true")
    ap.add_argument("--json")
    ap.add_argument("--seeded-district", metavar="URL",
                    help="time the pages on this database as `flask seed-history` left it (no seeding)")
    args = ap.parse_args(argv)
    if args.seeded_district:
        results = measure(args.seeded_district, args.rounds, SEEDED_PAGES)
        worst = max(v["p95_ms"] for v in results.values())
        print(f"worst p95 (cold dashboards included): {worst:.0f} ms (goal < 300 ms) — "
              f"{'OK' if worst < 300 else 'over goal'}")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump({"seeded_district": True, "pages": results, "worst_p95_ms": worst}, fh, ensure_ascii=False,
                          indent=1)
        return
    if args.database_url:
        if not args.database_url.startswith("postgresql"):
            raise SystemExit("bench_console needs PostgreSQL (COPY)")
        ensure_database(args.database_url)
        run(args.database_url, args)
        return
    with private_services("console", with_redis=False) as services:
        if services is None:
            raise SystemExit("bench_console needs PostgreSQL (COPY), and none is reachable")
        run(services["database_url"], args)


if __name__ == "__main__":
    main()
