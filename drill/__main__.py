"""`make drill`: start a private production-shaped stack, break it five ways, check it held.

    python -m drill [--only a,c] [--json out.json] [--keep] [--strict] [--pg-down 2]

Scenarios: a (kill -9 an RQ worker and a gunicorn worker mid-delivery), b (Redis FLUSHALL +
restart), c (PostgreSQL restart -m fast, down --pg-down s), d (WeChat API 5xx / timeouts /
130101 / 45009), e1, e2 (a slow request retried by WeCom 3 x 5 s, with and without the Redis
dedup key). Typically ~3 minutes; every wait has its own timeout, so the worst case is bounded
(~8 minutes).

Private PostgreSQL + Redis + fake WeChat API + gunicorn (2 workers) + 2 RQ workers, all on
loopback and torn down at the end. Each scenario prints its counts and PASS/FAIL; the exit
status is non-zero if any failed. See drill/checks.py for exactly what is checked.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from drill.checks import Probe, Verdict, print_verdict
from drill.scenarios import SCENARIOS, Drill
from drill.stack import Stack
from drill.traffic import Mix, Sender


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="comma-separated scenario names: a,b,c,d,e1,e2 (warm-up always runs)")
    ap.add_argument("--json", help="write the verdicts here")
    ap.add_argument("--strict", action="store_true",
                    help="fail (a) also when a push in flight at the kill reaches the chat twice (at-least-once)")
    ap.add_argument("--pg-down", type=float, default=2.0,
                    help="seconds PostgreSQL stays down in (c); 0 = plain pg_ctl restart -m fast")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, database)")
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    t0 = time.monotonic()
    verdicts: list[Verdict] = []
    stack = Stack(keep=args.keep)
    print(f"drill: starting a private stack in {stack.workdir}", flush=True)
    try:
        with stack:
            print(f"drill: stack up in {time.monotonic() - t0:.0f} s (web {stack.web_url}, fake {stack.fake_url}, "
                  f"pg :{stack.pg.port}, redis :{stack.redis.port})", flush=True)
            d = Drill(stack, Probe(stack), Sender(stack.web_url), Mix(seed=11, run_tag=f"d{int(time.time())}"),
                      strict=args.strict, pg_down_s=args.pg_down)
            for name, scenario in SCENARIOS:
                if only and name != "warm-up" and name not in only:
                    continue
                s0 = time.monotonic()
                try:
                    v = scenario(d)
                except Exception as exc:  # noqa: BLE001 — a crashed scenario is a failed one
                    v = Verdict(name)
                    v.fail(f"scenario crashed: {type(exc).__name__}: {exc}")
                v.counts["scenario_s"] = round(time.monotonic() - s0, 1)
                print_verdict(v)
                verdicts.append(v)
            d.probe.dispose()
            if not all(v.ok for v in verdicts):
                stack.keep = True
    finally:
        if stack.keep:
            print(f"drill: logs kept in {stack.workdir}")
    failed = [v.name for v in verdicts if not v.ok]
    print(f"drill: {len(verdicts) - len(failed)}/{len(verdicts)} passed in {time.monotonic() - t0:.0f} s"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps([v.__dict__ for v in verdicts], ensure_ascii=False, indent=2,
                                              default=str))
    return 1 if failed or not verdicts else 0


if __name__ == "__main__":
    sys.exit(main())
