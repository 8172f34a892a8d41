"""Webhook throughput and ack latency under gunicorn, next to a bare wechatpy echo app.

    python -m bench.bench_webhook [--requests 2000] [--concurrency 8] [--json out.json]

All apps run under gunicorn with the same worker count on loopback; the client posts
pre-built signed, encrypted WeCom callbacks (unique MsgIds, a chat-like mix of chit-chat,
questions and complaints from many senders). GridWhistle runs on PostgreSQL + Redis when
they are reachable, as in production (a database and a Redis db of this run's own, handed to the
apps in DATABASE_URL and REDIS_URL: bench/backends.py), else embedded. With the real services it
also runs the floor app (bench/floor_app.py: the echo plus only the dedup key and the committed
inbox row the issue requires before the ack), whose ratio to the echo is the ceiling for any such
webhook.

It also reports CPU per message in-process (Flask test client, one thread, the same mix):
the web process's own CPU time (time.process_time), and the CPU the local PostgreSQL and
Redis servers spent meanwhile (from /proc, when they run on this machine). Unlike
throughput, that figure hardly moves when other work shares the machine.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.backends import private_services
from bot.local.callback_client import wecom_callback, wecom_text_xml
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = [
    "大家早上好", "收到", "谢谢网格长👍", "今天几点停水啊？", "哈哈哈", "好的", "明天社区有活动吗",
    "3号楼下水道堵了，污水冒出来了", "楼道灯坏了好几天了", "小区门口有车堵着消防通道",
    "楼上半夜装修吵得睡不着", "垃圾桶满了没人清", "晚安", "辛苦了", "请问老年卡怎么办理",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(target: str, port: int, env: dict, workers: int, threads: int) -> subprocess.Popen:
    # The Procfile's worker model (gthread) for both apps, so the comparison is fair.
    cmd = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", str(workers),
           "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target]
    log_path = ROOT / "instance" / f"bench-{port}.log"
    log_path.parent.mkdir(exist_ok=True)
    # Logs to a file: a pipe nobody reads fills up and stalls the server.
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log_path, "wb"))
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
            return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"gunicorn for {target} did not start; see {log_path}")


def build_requests(n: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    run = int(time.time() * 1000) % 10**9  # unique MsgIds per run, or every message is a replay
    out = []
    for i in range(n):
        text = rng.choice(MESSAGES)
        xml = wecom_text_xml(DEMO_CORP_ID, f"resident{rng.randrange(500)}", text, f"{run}{i:07d}")
        out.append(wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml))
    return out


def load(port: int, callbacks: list, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    chunks = [callbacks[i::concurrency] for i in range(concurrency)]

    def run(chunk):
        session = requests.Session()
        mine = []
        for cb in chunk:
            t0 = time.perf_counter()
            try:
                r = session.post(f"http://127.0.0.1:{port}/wecom/callback", params=cb.params,
                                 data=cb.body.encode(), headers={"Content-Type": cb.content_type}, timeout=10)
                ok = r.status_code == 200
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - t0)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "errors": errors[0], "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2)}


def server_cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by every local postgres and redis-server process (Linux /proc)."""
    totals = {"postgres": 0.0, "redis": 0.0}
    hz = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            if comm.startswith("postgres") or comm == "redis-server":
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                totals["redis" if comm == "redis-server" else "postgres"] += (int(fields[11]) + int(fields[12])) / hz
        except OSError:
            continue  # the process ended meanwhile
    return totals


def _post_all(client, callbacks) -> None:
    for cb in callbacks:
        client.post("/wecom/callback", query_string=cb.params, data=cb.body.encode(),
                    headers={"Content-Type": cb.content_type})


def cpu_per_message(echo_env: dict, gw_env: dict, n: int) -> dict:
    """CPU milliseconds per message in-process for each app (warm, one thread)."""
    from bench.echo_app import create_echo_app
    from bench.floor_app import create_floor_app

    out = {}
    apps = [("echo", echo_env), ("floor", gw_env), ("gridwhistle", gw_env)]
    if "REDIS_URL" not in gw_env:  # embedded: the floor needs the real Redis
        apps = [app for app in apps if app[0] != "floor"]
    for name, target_env in apps:
        os.environ.clear()
        os.environ.update(target_env)
        if name == "echo":
            app = create_echo_app()
        elif name == "floor":
            app = create_floor_app()
        else:
            from bot.wsgi import create_web_app

            app = create_web_app()
            # The log line per message is part of the cost; only the terminal is spared it.
            for handler in logging.getLogger().handlers:
                if isinstance(handler, logging.StreamHandler):
                    handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 — lives as long as the bench
        client = app.test_client()
        _post_all(client, build_requests(40, seed=98))
        callbacks = build_requests(n, seed=int(time.time()) % 997)
        servers0, cpu0 = server_cpu_seconds(), time.process_time()
        _post_all(client, callbacks)
        cpu1, servers1 = time.process_time(), server_cpu_seconds()
        out[name] = {"app": round((cpu1 - cpu0) / n * 1000, 2),
                     **{k: round((servers1[k] - servers0[k]) / n * 1000, 2) for k in servers0}}
    return out


def services_env(env: dict, services: dict | None, tmp: str) -> dict:
    """This run's own PostgreSQL database and Redis db (bench/backends.py) when reachable, else embedded."""
    if services is None:
        return {**env, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
    return {**env, "DATABASE_URL": services["database_url"], "REDIS_URL": services["redis_url"], "JOB_MODE": "rq"}


def prepare_database(env: dict) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "bot.app:create_app()"]
    subprocess.run(flask + ["init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)


def run(args, base_env: dict, env: dict) -> dict:
    """Every app under gunicorn, then the CPU per message in-process; the database seeded first."""
    prepare_database(env)
    results = {"backend": "postgresql+redis" if "REDIS_URL" in env else "embedded", "workers": args.workers,
               "threads": args.threads, "concurrency": args.concurrency}
    apps = [("echo", "bench.echo_app:create_echo_app()", base_env),
            ("floor", "bench.floor_app:create_floor_app()", env),
            ("gridwhistle", "bot.wsgi:create_web_app()", env)]
    if "REDIS_URL" not in env:  # embedded: the floor needs the real Redis
        apps = [app for app in apps if app[0] != "floor"]
    for name, target, target_env in apps:
        port = free_port()
        proc = start_gunicorn(target, port, target_env, args.workers, args.threads)
        try:
            load(port, build_requests(40, seed=99), args.concurrency)  # warm-up: model loaded, pools filled
            results[name] = load(port, build_requests(args.requests), args.concurrency)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
    results["throughput_ratio"] = round(results["gridwhistle"]["rps"] / results["echo"]["rps"], 2)
    if "floor" in results:
        # The ceiling any app meeting issue 2 can reach: dedup + durable inbox row before the ack.
        results["floor_ratio"] = round(results["floor"]["rps"] / results["echo"]["rps"], 2)
    results["cpu_per_message_ms"] = cpu_per_message(base_env, env, args.cpu_messages)
    return results


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--cpu-messages", type=int, default=600)
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    # Not the shell's DATABASE_URL or REDIS_URL: the apps get this run's own (or none, embedded).
    inherited = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "JOB_MODE")}
    base_env = {**inherited, "WECOM_TOKEN": DEMO_TOKEN, "WECOM_AES_KEY": DEMO_AES_KEY,
                "WECOM_CORP_ID": DEMO_CORP_ID, "WECOM_API_BASE_URL": "http://127.0.0.1:9"}
    with tempfile.TemporaryDirectory(prefix="bench-webhook-") as tmp, private_services("webhook") as services:
        env = services_env(base_env, services, tmp)
        results = run(args, base_env, env)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    return results


if __name__ == "__main__":
    main()
