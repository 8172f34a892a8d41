"""Robot photos: download + decrypt + store throughput, and the webhook's ack time for image messages.

    python -m bench.bench_media [--photos 60] [--messages 150] [--threads 4] [--json out.json]

Part 1, the worker's half of a photo (bot.intake.photos.prepare + store) against the fake WeCom
server on loopback, which serves each photo AES-256-CBC encrypted at its own expiring URL, as
WeCom does. The photo is phone-like: a 2016 x 1512 JPEG of noise (no compression gain), ~1 MB.
Three tiers in the same run, so the ratios mean something on a noisy machine:
- download: requests.get of the encrypted bytes alone (the floor set by HTTP + the fake);
- pipeline: download, decrypt, sniff, Pillow verify + 320 px thumbnail, store both (local files);
  with the time per stage, one thread and --threads threads (RQ workers stand-ins).

Part 2, the webhook's ack for image messages: the real app (SQLite + the in-process Redis, the
worker thread running), signed and encrypted robot callbacks through the Flask test client. A
report as text, the same report with one photo (mixed), and a photo alone: p50 / p99 of the ack.
The download is the worker's, after the commit: the ack of a message with a photo must cost about
what the same text costs. During the timed acks the jobs are only queued (as RQ queues them for
worker processes on other cores; an in-process worker thread would compete for this process's
GIL and blur the ack); then one worker thread runs them and we time until every photo is stored.
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import requests
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.intake import photos as worker  # noqa: E402
from bot.intake.photo_store import LocalPhotoStore  # noqa: E402
from bot.local.callback_client import robot_callback, robot_image, robot_mixed, robot_text  # noqa: E402
from bot.local.fake_wechat import FakeWeChatServer, FakeWeChatState  # noqa: E402
from bot.local.demo import seed_demo  # noqa: E402
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN, Settings  # noqa: E402
from bot.runtime.db import migrate  # noqa: E402
from models import Photo  # noqa: E402

REPORT = "3号楼下水道堵了，污水都冒出来了"


def phone_photo(width: int = 2016, height: int = 1512) -> bytes:
    out = io.BytesIO()
    Image.effect_noise((width, height), 40).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def throughput(args, photo: bytes) -> dict:
    state = FakeWeChatState(corp_id=DEMO_CORP_ID, corp_secret="demo-secret", robot_aes_key=DEMO_AES_KEY)
    results: dict = {"photo_bytes": len(photo)}
    with FakeWeChatServer(state) as fake, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(wecom_api_base_url=fake.base_url, photo_dir=tmp).validated()
        svc = SimpleNamespace(settings=settings, photo_store=LocalPhotoStore(Path(tmp)))
        http = requests.Session()

        def urls(n: int) -> list[str]:
            return [fake.base_url + state.add_media(photo) for _ in range(n)]

        t0 = time.perf_counter()
        for url in urls(args.photos):
            assert http.get(url, timeout=10).status_code == 200
        dl = time.perf_counter() - t0
        results["download_only"] = {"photos_per_s": args.photos / dl, "mb_per_s": args.photos * len(photo) / dl / 1e6}

        stages = {"download": 0.0, "decrypt": 0.0, "check_thumbnail": 0.0, "store": 0.0}
        t0 = time.perf_counter()
        for i, url in enumerate(urls(args.photos)):
            a = time.perf_counter()
            raw = worker.fetch(url, settings.media_origins, settings.photo_max_bytes, 10, http)
            b = time.perf_counter()
            plain = worker.decrypt(raw, worker.aes_key(DEMO_AES_KEY))
            c = time.perf_counter()
            checked = worker.check_image(plain)
            d = time.perf_counter()
            worker.store(svc, i, checked)
            e = time.perf_counter()
            for name, span in zip(stages, (b - a, c - b, d - c, e - d)):
                stages[name] += span
        one = time.perf_counter() - t0
        results["pipeline_1_thread"] = {"photos_per_s": args.photos / one, "mb_per_s": args.photos * len(photo) / one / 1e6,
                                        "ms_per_stage": {k: 1000 * v / args.photos for k, v in stages.items()}}

        local = threading.local()

        def one_photo(item):
            i, url = item
            session = getattr(local, "http", None) or requests.Session()
            local.http = session
            worker.store(svc, 100000 + i, worker.prepare(svc, url, session))

        todo = list(enumerate(urls(args.photos)))
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.threads) as pool:
            list(pool.map(one_photo, todo))
        many = time.perf_counter() - t0
        results[f"pipeline_{args.threads}_threads"] = {"photos_per_s": args.photos / many,
                                                       "mb_per_s": args.photos * len(photo) / many / 1e6}
    return results


def ack_times(args, photo: bytes) -> dict:
    state = FakeWeChatState(corp_id=DEMO_CORP_ID, corp_secret="demo-secret", robot_aes_key=DEMO_AES_KEY)
    with FakeWeChatServer(state) as fake, tempfile.TemporaryDirectory() as tmp:
        state.add_chat("chat-g1", ["wangfang", "zhangdaye"])
        settings = Settings(env="test", database_url=f"sqlite:///{tmp}/bench.db", job_mode="inprocess",
                            wecom_api_base_url=fake.base_url, wechat_api_base_url=fake.base_url,
                            photo_dir=f"{tmp}/photos", sweep_interval_seconds=3600,
                            flood_per_chat_per_minute=100000, duplicate_similarity=1.01).validated()
        app = create_app(settings)
        svc = app.extensions["gridwhistle"]
        migrate(svc.db.engine)
        with svc.db.session() as s:
            seed_demo(s)
            s.commit()
        svc.model  # noqa: B018 — loaded before timing
        real_jobs, queued = svc.jobs, []
        svc.jobs = SimpleNamespace(enqueue=lambda job, *a: queued.append((job, a)), start=lambda: None,
                                   stop=lambda: None)
        client = app.test_client()
        for i in range(3):  # warm-up: first-request costs (jieba, SQLAlchemy compilation) are not the ack
            cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, robot_text(f"warm{i}", "chat-g1", f"warm{i}", f"{REPORT}{i}"))
            client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type)
        kinds = {"text": [], "text_with_photo": [], "photo_alone": []}
        for i in range(args.messages):
            for kind in kinds:
                user, mid = f"bench{kind}{i}", f"b-{kind}-{i}"
                if kind == "text":
                    message = robot_text(mid, "chat-g1", user, f"{REPORT} {i}")
                else:
                    url = fake.base_url + state.add_media(photo)
                    message = (robot_mixed(mid, "chat-g1", user, f"{REPORT} {i}", [url]) if kind == "text_with_photo"
                               else robot_image(mid, "chat-g1", user, url))
                cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, message)
                t0 = time.perf_counter()
                resp = client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type)
                kinds[kind].append(1000 * (time.perf_counter() - t0))
                assert resp.status_code == 200
        svc.jobs = real_jobs
        sent_all = time.perf_counter()
        real_jobs.start()
        for job, job_args in queued:
            real_jobs.enqueue(job, *job_args)
        expected = 2 * args.messages
        while True:
            with svc.db.session() as s:
                done = s.execute(select(func.count(Photo.id)).where(Photo.state != "pending")).scalar_one()
            if done >= expected or time.perf_counter() - sent_all > 300:
                break
            time.sleep(0.2)
        drained = time.perf_counter() - sent_all
        with svc.db.session() as s:
            stored = s.execute(select(func.count(Photo.id)).where(Photo.state == "stored")).scalar_one()
        svc.jobs.stop()
    out = {k: {"p50_ms": statistics.median(v), "p99_ms": pct(v, 0.99), "n": len(v)} for k, v in kinds.items()}
    out["photos_stored"] = f"{stored}/{expected}"
    out["seconds_after_last_ack_until_all_stored"] = drained
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=60)
    ap.add_argument("--messages", type=int, default=150)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the fake's request log
    photo = phone_photo()
    results = {"throughput": throughput(args, photo), "ack": ack_times(args, photo)}
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
