"""Load test of the whole product on loopback, next to a bare wechatpy echo app in the same run.

    python -m bench.bench_load [--seconds 60] [--rate 30] [--json out.json]
    python -m bench.bench_load --soak-minutes 20 --rate 10 [--json soak.json]

Starts the drill's private stack (PostgreSQL, Redis, fake WeChat API, gunicorn gthread
workers, RQ workers) and drives the real group-robot webhook with signed, encrypted messages
from many senders in four grid chats: chit-chat, complaints, WeCom retries/replays of earlier
msgids and grid leaders' commands (受理 / 上报 #n).

Reports
- sustained: the offered rate held for --seconds (open loop, paced by start time): achieved
  messages/s, p50/p99 ack latency (one HTTP try), time from send to ticket
  (ticket.created_at − send time) and to the pushed reply (fake server receive time − send time
  of the message that caused the push);
- capacity: closed loop with --concurrency clients for --capacity-seconds, messages/s and ack
  latency, for GridWhistle and for bench/echo_app.py (verify, decrypt, parse, encrypt a reply)
  under the same gunicorn settings; the rps ratio is the headline;
- soak (--soak-minutes N): a steady rate for N minutes, sampling RSS of every gunicorn and RQ
  process, the RQ queue depth and the outbox backlog every --sample-seconds; "flat" compares the
  first and last quartiles of the samples.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests

from bot.local.callback_client import wecom_callback, wecom_text_xml
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from drill.checks import Probe
from drill.stack import Stack, children, free_port, rss_kb
from drill.traffic import CHITCHAT, Mix, Sender, drive

INBOX_OF_KEY = re.compile(r"^(?:t\d+:[a-z-]+:(\d+)|inbox(\d+))")


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)


def summary_ms(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": pct(values, 0.50), "p90_ms": pct(values, 0.90), "p99_ms": pct(values, 0.99),
            "max_ms": pct(values, 1.0)}


# -- GridWhistle ---------------------------------------------------------------------------------
def sustained(stack: Stack, probe: Probe, sender: Sender, mix: Mix, seconds: float, rate: float,
              concurrency: int) -> dict:
    since = len(sender.records)
    count = int(seconds * rate)
    t0 = time.monotonic()

    def tick(i: int) -> None:
        if i % 20 == 0:
            mix.add_tickets(probe.open_tickets())

    drive(sender, mix, count, rate, concurrency=concurrency, on_tick=tick)
    elapsed = time.monotonic() - t0
    recs = sender.records[since:]
    settled, waited, _ = probe.settle(90, allow_deferred=True)
    out = {"offered_rate": rate, "seconds": round(elapsed, 1), **sender.counts(since),
           "achieved_msgs_per_s": round(sum(r.accepted for r in recs) / elapsed, 1),
           "ack_first_try": summary_ms([r.ack_s for r in recs if r.accepted and r.tries == 1]),
           "settled_after_s": round(waited, 1), "settled": settled}
    out.update(message_to_ticket(probe, recs), **message_to_push(probe, recs))
    return out


def message_to_ticket(probe: Probe, recs) -> dict:
    sent_at = {r.msg_id: r.t_send for r in recs}
    delays = []
    for msg_id, created in probe.rows(
            "SELECT i.msg_id, t.created_at FROM ticket t JOIN inbox_message i ON i.id = t.source_inbox_id"):
        if msg_id in sent_at:
            delays.append(created.timestamp() - sent_at[msg_id])
    return {"message_to_ticket": summary_ms(delays)}


def message_to_push(probe: Probe, recs) -> dict:
    """Send time of the causing message → the fake's receive time, for every push we can trace."""
    sent_at = {r.msg_id: r.t_send for r in recs}
    inbox = dict(probe.rows("SELECT id, msg_id FROM inbox_message"))
    delivered: dict[tuple, list[float]] = {}
    for m in probe.fake_messages():
        delivered.setdefault((m["target"], m["text"]), []).append(m["at"])
    from handlers.privacy import mask_personal_data

    to_push, commit_to_push = [], []
    for key, target, text, kind, created in probe.rows(
            "SELECT dedup_key, route_target, text, route_kind, created_at FROM outbox_item WHERE state = 'sent'"):
        body = mask_personal_data(text) if kind in ("wecom_chat", "robot") else text
        ats = delivered.get((target, body))
        if not ats:
            continue
        at = min(ats)
        commit_to_push.append(at - created.timestamp())
        found = INBOX_OF_KEY.match(key)
        msg_id = inbox.get(int(found.group(1) or found.group(2))) if found else None
        if msg_id in sent_at:
            to_push.append(at - sent_at[msg_id])
    return {"message_to_push": summary_ms(to_push), "outbox_commit_to_push": summary_ms(commit_to_push)}


def capacity(url: str, make, seconds: float, concurrency: int) -> dict:
    """Closed loop: `concurrency` clients post back to back for `seconds`; one try each."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        s = requests.Session()
        mine, bad = [], 0
        i = 0
        while time.monotonic() < stop:
            path, cb = make(k, i)
            i += 1
            t0 = time.perf_counter()
            try:
                ok = s.post(url + path, params=cb.params, data=cb.body.encode(),
                            headers={"Content-Type": cb.content_type}, timeout=10).status_code == 200
            except requests.RequestException:
                ok, s = False, requests.Session()
            mine.append(time.perf_counter() - t0)
            bad += not ok
        with lock:
            lat.extend(mine)
            errors[0] += bad

    t0 = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client, range(concurrency)))
    elapsed = time.monotonic() - t0
    return {"requests": len(lat), "errors": errors[0], "rps": round(len(lat) / elapsed, 1), **summary_ms(lat)}


def robot_maker(mix: Mix):
    from bot.local.callback_client import robot_callback, robot_text

    def make(_k: int, _i: int):
        msg_id, chat, user, text, _kind = mix.next()
        return "/wecom/robot", robot_callback(DEMO_TOKEN, DEMO_AES_KEY, robot_text(msg_id, chat, user, text))
    return make


def echo_maker(tag: str):
    rng = random.Random(5)

    def make(k: int, i: int):
        xml = wecom_text_xml(DEMO_CORP_ID, f"resident{rng.randrange(500)}", rng.choice(CHITCHAT), f"{tag}{k:03d}{i:07d}")
        return "/wecom/callback", wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    return make


def echo_sustained(port: int, seconds: float, rate: float, concurrency: int) -> dict:
    make = echo_maker("es")
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    local = threading.local()

    def one(i: int) -> None:
        s = getattr(local, "s", None) or requests.Session()
        local.s = s
        path, cb = make(0, i)
        t0 = time.perf_counter()
        try:
            ok = s.post(f"http://127.0.0.1:{port}{path}", params=cb.params, data=cb.body.encode(),
                        headers={"Content-Type": cb.content_type}, timeout=10).status_code == 200
        except requests.RequestException:
            ok, local.s = False, None
        with lock:
            lat.append(time.perf_counter() - t0)
            errors[0] += not ok

    start = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for i in range(int(seconds * rate)):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    elapsed = time.monotonic() - start
    return {"offered_rate": rate, "achieved_msgs_per_s": round((len(lat) - errors[0]) / elapsed, 1),
            "errors": errors[0], "ack": summary_ms(lat)}


# -- soak ----------------------------------------------------------------------------------------
def processes(stack: Stack) -> dict[str, list[int]]:
    return {"gunicorn_master": [stack.web.pid], "gunicorn_workers": children(stack.web.pid),
            "rq_workers": [w.pid for w in stack.workers]}


def sample(stack: Stack, probe: Probe, sender: Sender, since: int) -> dict:
    procs = processes(stack)
    rss = {name: sum(rss_kb(p) or 0 for p in pids) for name, pids in procs.items()}
    backlog = probe.backlog()
    recs = sender.records[since:]
    return {"t": round(time.time(), 1), "rss_kb": rss, "rss_total_kb": sum(rss.values()),
            "queue_depth": probe.queue_depth(), "outbox_backlog": backlog.get("pending", 0) + backlog.get("sending", 0),
            "inbox_unfinished": probe.scalar("SELECT count(*) FROM inbox_message WHERE status IN ('received','failed')"),
            "window_msgs": len(recs), "window_ack_p99_ms": pct([r.ack_s for r in recs if r.ack_s], 0.99)}


def quartiles(samples: list[dict], key) -> tuple[float, float]:
    n = max(1, len(samples) // 4)
    first = statistics.mean(key(s) for s in samples[:n])
    last = statistics.mean(key(s) for s in samples[-n:])
    return first, last


def soak(stack: Stack, probe: Probe, sender: Sender, mix: Mix, minutes: float, rate: float, every: float,
         concurrency: int) -> dict:
    samples: list[dict] = []
    stop = threading.Event()
    cursor = [len(sender.records)]
    t_soak = time.monotonic()

    def sampler() -> None:
        while not stop.wait(every):
            try:
                s = sample(stack, probe, sender, cursor[0])
                cursor[0] = len(sender.records)
                samples.append(s)
                print(f"   soak t+{time.monotonic() - t_soak:.0f}s rss={s['rss_total_kb'] // 1024} MB "
                      f"queue={s['queue_depth']} outbox_backlog={s['outbox_backlog']} "
                      f"inbox_unfinished={s['inbox_unfinished']} msgs={s['window_msgs']} "
                      f"ack_p99={s['window_ack_p99_ms']} ms", flush=True)
            except Exception as exc:  # noqa: BLE001 — a missed sample is reported, not fatal
                print(f"   soak sample failed: {type(exc).__name__}: {exc}", flush=True)

    since = len(sender.records)
    samples.append(sample(stack, probe, sender, since))
    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()

    def tick(i: int) -> None:
        if i % 20 == 0:
            mix.add_tickets(probe.open_tickets())

    drive(sender, mix, int(minutes * 60 * rate), rate, concurrency=concurrency, on_tick=tick)
    stop.set()
    thread.join(5)
    samples.append(sample(stack, probe, sender, cursor[0]))
    recs = sender.records[since:]
    rss_first, rss_last = quartiles(samples, lambda s: s["rss_total_kb"])
    q_first, q_last = quartiles(samples, lambda s: (s["queue_depth"] or 0) + s["outbox_backlog"])
    rss_growth = (rss_last - rss_first) / rss_first * 100 if rss_first else 0.0
    # Flat: memory grew less than 10 % and the backlog did not build up (a few items in flight is normal).
    flat_rss = rss_growth < 10
    flat_backlog = q_last <= max(10.0, 2 * q_first)
    return {"minutes": minutes, "rate": rate, **sender.counts(since),
            "ack_first_try": summary_ms([r.ack_s for r in recs if r.accepted and r.tries == 1]),
            "rss_total_mb_first_quartile": round(rss_first / 1024, 1),
            "rss_total_mb_last_quartile": round(rss_last / 1024, 1), "rss_growth_pct": round(rss_growth, 1),
            "backlog_first_quartile": round(q_first, 1), "backlog_last_quartile": round(q_last, 1),
            "flat_rss": flat_rss, "flat_backlog": flat_backlog, "flat": flat_rss and flat_backlog,
            "samples": samples}


# -- main ----------------------------------------------------------------------------------------
def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60, help="length of the sustained phase")
    ap.add_argument("--rate", type=float, default=30, help="offered messages per second")
    ap.add_argument("--capacity-seconds", type=float, default=20)
    ap.add_argument("--concurrency", type=int, default=16, help="closed-loop clients in the capacity phase")
    ap.add_argument("--web-workers", type=int, default=2)
    ap.add_argument("--rq-workers", type=int, default=2)
    ap.add_argument("--senders-per-chat", type=int, default=150)
    ap.add_argument("--soak-minutes", type=float, default=0)
    ap.add_argument("--sample-seconds", type=float, default=30)
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    t_start = time.monotonic()
    results: dict = {"started": datetime.now().isoformat(timespec="seconds"), "web_workers": args.web_workers,
                     "rq_workers": args.rq_workers, "gunicorn": "gthread, 4 threads",
                     "backend": "private PostgreSQL + Redis, fake WeChat API, loopback"}
    with Stack(web_workers=args.web_workers, rq_workers=args.rq_workers) as stack:
        probe = Probe(stack)
        sender = Sender(stack.web_url)
        mix = Mix(seed=17, run_tag=f"L{int(time.time())}", senders_per_chat=args.senders_per_chat,
                  weights={"chitchat": 0.5, "complaint": 0.25, "replay": 0.1, "command": 0.15})
        # Warm-up: every process has its model loaded and its pools filled; tickets to command.
        drive(sender, mix, 60, 10)
        probe.settle(40, allow_deferred=True)
        mix.add_tickets(probe.open_tickets())
        concurrency = max(16, int(args.rate * 2))
        if args.soak_minutes:
            print(f"== soak: {args.soak_minutes} min at {args.rate} msg/s", flush=True)
            results["soak"] = soak(stack, probe, sender, mix, args.soak_minutes, args.rate, args.sample_seconds,
                                   concurrency)
        else:
            print(f"== sustained: {args.rate} msg/s for {args.seconds:.0f} s", flush=True)
            results["sustained"] = sustained(stack, probe, sender, mix, args.seconds, args.rate, concurrency)
            print(f"== capacity: {args.concurrency} closed-loop clients, {args.capacity_seconds:.0f} s", flush=True)
            results["capacity"] = {"gridwhistle": capacity(stack.web_url, robot_maker(mix), args.capacity_seconds,
                                                           args.concurrency)}
            port = free_port()
            stack.start_echo(port)
            try:
                echo_url = f"http://127.0.0.1:{port}"
                capacity(echo_url, echo_maker("w"), 3, 4)  # warm-up
                results["capacity"]["echo"] = capacity(echo_url, echo_maker("c"), args.capacity_seconds,
                                                       args.concurrency)
                results["sustained_echo"] = echo_sustained(port, min(args.seconds, 30), args.rate, concurrency)
            finally:
                stack.stop_echo()
            gw, echo = results["capacity"]["gridwhistle"], results["capacity"]["echo"]
            results["capacity_ratio"] = round(gw["rps"] / echo["rps"], 3) if echo["rps"] else None
        probe.settle(60, allow_deferred=True)
        results["outbox_final"] = probe.backlog()
        results["fake_api_calls"] = probe.fake_stats()["calls"]
        probe.dispose()
    results["wall_s"] = round(time.monotonic() - t_start, 1)
    printable = {k: v for k, v in results.items() if k != "soak"}
    if "soak" in results:
        printable["soak"] = {k: v for k, v in results["soak"].items() if k != "samples"}
    print(json.dumps(printable, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
