"""The conversation archive's throughput (pulled, opened, processed) next to the robot webhook's.

    python -m bench.bench_archive [--messages 1000] [--backlog 10000] [--lines 20] [--json out.json]

One process, one thread, the same app, database and message mix for both channels, so the ratio
is the figure (this machine is shared and noisy). PostgreSQL and Redis when reachable, as in
production (a database and a Redis db of this run's own: bench/backends.py); else SQLite and the
in-process Redis.
The archive is the local stand-in (bot.local.archive_source): real RSA-2048 for every record's
random key, AES for the body where Tencent's closed DecryptData would run.

1. webhook: N robot callbacks (signed, encrypted, "@网格哨 …" lines of the four grid chats) through
   the Flask test client: the whole door, inbox, handlers, commit. Pushes are queued, not sent.
2. archive, the same N lines archived, then per stage: pulled (GetChatData batches from the
   source), opened (RSA + body), processed (pull_archive: pull, open, read, inbox, handlers,
   reply rows, cursor). Pushes are queued, not sent.
3. end-to-end delay of one line without the pull interval: archived → pulled → handled → the reply
   delivered by the outbox job to the fake WeCom API (appchat/send over loopback); p50 / p99. With
   a pull every I seconds a line waits U(0, I) for the next pull on top (mean I/2, worst I).
4. backlog: B lines archived during "downtime", drained by budgeted pull jobs on a worker thread
   while the main thread keeps posting robot callbacks (one every 50 ms): the drain rate, and the
   robot's ack p50 / p99 during the drain next to the same acks with the worker idle. In production
   the worker is another process (another core); here it shares this process's GIL: a worst case.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.backends import private_services  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.delivery.outbox import deliver_outbox_job  # noqa: E402
from bot.intake.archive.pull import pull_archive  # noqa: E402
from bot.local.archive_source import LocalArchiveSource, key_setting  # noqa: E402
from bot.local.callback_client import robot_callback, robot_text  # noqa: E402
from bot.local.demo import GRID_PEOPLE, seed_demo  # noqa: E402
from bot.local.fake_wechat import FakeWeChatServer, FakeWeChatState  # noqa: E402
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN, Settings  # noqa: E402
from bot.runtime.db import migrate  # noqa: E402

MESSAGES = [
    "大家早上好", "收到", "谢谢网格长👍", "今天几点停水啊？", "哈哈哈", "好的", "明天社区有活动吗",
    "3号楼下水道堵了，污水冒出来了", "楼道灯坏了好几天了", "小区门口有车堵着消防通道",
    "楼上半夜装修吵得睡不着", "垃圾桶满了没人清", "晚安", "辛苦了", "请问老年卡怎么办理",
]
CHATS = [(f"chat-g{n}", [p[0] for p in GRID_PEOPLE[f"G{n}"]]) for n in range(1, 5)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def lines(n: int, tag: str):
    """(chat, sender, text) × n: the mix spread over the four grid chats and their members."""
    for i in range(n):
        chat, people = CHATS[i % len(CHATS)]
        yield chat, people[(i // len(CHATS)) % len(people)], f"{MESSAGES[i % len(MESSAGES)]} {tag}{i}"


def build(fake, backends: dict, tmp: str):
    settings = Settings(
        env="test", job_mode="inprocess", wecom_api_base_url=fake.base_url, wechat_api_base_url=fake.base_url,
        photo_dir=f"{tmp}/photos", sweep_interval_seconds=3600, flood_per_chat_per_minute=1_000_000,
        flood_per_sender_per_minute=1_000_000, archive_source="local", archive_private_key_files=key_setting(),
        archive_batch_size=200, **backends).validated()
    app = create_app(settings)
    svc = app.extensions["gridwhistle"]
    migrate(svc.db.engine)
    svc.redis.flushdb()
    with svc.db.session() as s:
        seed_demo(s)
        s.commit()
    svc.model  # noqa: B018 — loaded (and the tokenizer warmed) before timing
    queued: list = []
    svc.jobs = SimpleNamespace(enqueue=lambda job, *a: queued.append((job, a)), start=lambda: None, stop=lambda: None)
    return app, svc, queued


def robot_posts(app, n: int, tag: str) -> list:
    out = []
    for chat, sender, text in lines(n, tag):
        cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, robot_text(f"{tag}{len(out)}", chat, sender, f"@网格哨 {text}"))
        out.append(cb)
    return out


def post(client, cb) -> float:
    t0 = time.perf_counter()
    resp = client.post("/wecom/robot", query_string=cb.params, data=cb.body.encode(),
                       headers={"Content-Type": cb.content_type})
    assert resp.status_code == 200, resp.status_code
    return time.perf_counter() - t0


def webhook(app, n: int) -> dict:
    client = app.test_client()
    for cb in robot_posts(app, 5, "warm"):
        post(client, cb)
    callbacks = robot_posts(app, n, "hook")
    t0 = time.perf_counter()
    acks = [post(client, cb) for cb in callbacks]
    elapsed = time.perf_counter() - t0
    return {"messages": n, "per_second": round(n / elapsed, 1), "ack_p50_ms": round(pct(acks, 0.5) * 1000, 2),
            "ack_p99_ms": round(pct(acks, 0.99) * 1000, 2)}


def archive_stages(app, svc, n: int) -> dict:
    source = LocalArchiveSource(svc.redis)
    t0 = time.perf_counter()
    for chat, sender, text in lines(n, "arch"):
        source.record(source.text(chat, sender, text))
    written = time.perf_counter() - t0
    channel = svc.archive
    start_seq = int(svc.redis.get("gridwhistle:local-archive:seq") or 0) - n
    # pulled: GetChatData in batches, nothing else
    t0, seq, records = time.perf_counter(), start_seq, []
    while True:
        batch = channel.source.get_chat_data(seq, svc.settings.archive_batch_size)
        if not batch:
            break
        records += batch
        seq = batch[-1].seq
    pulled = time.perf_counter() - t0
    # opened: RSA for the random key, then the body
    t0 = time.perf_counter()
    for r in records:
        channel.source.decrypt_data(channel.keys.open_random_key(r.publickey_ver, r.encrypt_random_key), r.encrypt_chat_msg)
    opened = time.perf_counter() - t0
    # processed: the pull job's whole work, from the cursor
    with app.app_context():
        t0 = time.perf_counter()
        result = pull_archive(svc, budget=1e9)
        processed = time.perf_counter() - t0
    assert result.accepted == n and not result.error, result
    return {"messages": n, "written_per_second": round(n / written, 1), "pulled_per_second": round(n / pulled, 1),
            "opened_per_second": round(n / opened, 1), "processed_per_second": round(n / processed, 1),
            "replies_queued": result.replies}


def end_to_end(app, svc, queued: list, fake, count: int) -> dict:
    source = LocalArchiveSource(svc.redis)
    delays = []
    for i in range(count):
        queued.clear()
        before = len(fake.state.messages)
        t0 = time.perf_counter()
        source.record(source.text("chat-g1", "zhangdaye", f"{i}号楼下水道堵了，污水冒出来了 e2e{time.time_ns()}"))
        with app.app_context():
            pull_archive(svc)
            for job, args in list(queued):
                if job is deliver_outbox_job:
                    job(*args)
        assert len(fake.state.messages) > before, "no reply reached the fake WeCom"
        delays.append(time.perf_counter() - t0)
    p50, p99 = pct(delays, 0.5), pct(delays, 0.99)
    interval = svc.settings.archive_pull_interval_seconds
    return {"lines": count, "processing_and_push_p50_ms": round(p50 * 1000, 1),
            "processing_and_push_p99_ms": round(p99 * 1000, 1), "pull_interval_s": interval,
            "end_to_end_mean_s": round(interval / 2 + p50, 2), "end_to_end_worst_s": round(interval + p99, 2)}


def backlog(app, svc, queued: list, size: int) -> dict:
    source = LocalArchiveSource(svc.redis)
    client = app.test_client()
    idle = [post(client, cb) for cb in robot_posts(app, 40, "idle")]
    for chat, sender, text in lines(size, "down"):
        source.record(source.text(chat, sender, text))
    done = threading.Event()
    drained = {"accepted": 0, "jobs": 0}

    def worker():
        with app.app_context():
            while True:
                result = pull_archive(svc)
                drained["accepted"] += result.accepted
                drained["jobs"] += 1
                if not result.more:
                    break
        done.set()

    t0 = time.perf_counter()
    threading.Thread(target=worker, daemon=True).start()
    during, callbacks = [], iter(robot_posts(app, 100_000, "busy"))
    while not done.is_set():
        during.append(post(client, next(callbacks)))
        time.sleep(0.05)
    elapsed = time.perf_counter() - t0
    assert drained["accepted"] == size, drained
    return {"backlog": size, "drained_in_s": round(elapsed, 1), "drain_per_second": round(size / elapsed, 1),
            "pull_jobs": drained["jobs"], "robot_acks_during": len(during),
            "robot_ack_idle_p50_ms": round(pct(idle, 0.5) * 1000, 1), "robot_ack_idle_p99_ms": round(pct(idle, 0.99) * 1000, 1),
            "robot_ack_during_p50_ms": round(pct(during, 0.5) * 1000, 1),
            "robot_ack_during_p99_ms": round(pct(during, 0.99) * 1000, 1)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--backlog", type=int, default=10_000)
    ap.add_argument("--lines", type=int, default=20)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for name in ("bot", "werkzeug", "handlers", "classifier"):
        logging.getLogger(name).setLevel(logging.WARNING)
    state = FakeWeChatState(corp_id=DEMO_CORP_ID, corp_secret="demo-secret", robot_aes_key=DEMO_AES_KEY)
    for chat, people in CHATS:
        state.add_chat(chat, people)
    with FakeWeChatServer(state) as fake, tempfile.TemporaryDirectory() as tmp, \
            private_services("archive") as services:
        backends = services or {"database_url": f"sqlite:///{tmp}/bench.db", "redis_url": ""}
        app, svc, queued = build(fake, backends, tmp)
        results = {"backend": "postgresql+redis" if services else "embedded"}
        results["webhook"] = webhook(app, args.messages)
        results["archive"] = archive_stages(app, svc, args.messages)
        results["archive_vs_webhook"] = round(results["archive"]["processed_per_second"]
                                              / results["webhook"]["per_second"], 2)
        results["end_to_end"] = end_to_end(app, svc, queued, fake, args.lines)
        if args.backlog:
            results["backlog"] = backlog(app, svc, queued, args.backlog)
        svc.db.dispose()
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
