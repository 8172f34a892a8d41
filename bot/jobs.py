"""Running jobs: RQ workers on Redis in production, a thread in the web process otherwise.

Jobs are named by dotted path and take plain ids, so both runners call the same
functions. Losing a job is harmless: the database is the source of truth and the
periodic sweep finds any inbox row or outbox item that still needs work.
"""
from __future__ import annotations

import importlib
import logging
import queue
import threading
from typing import Any

import redis
from flask import Flask

log = logging.getLogger(__name__)
QUEUE_NAME = "gridwhistle"


def call(path: str, *args: Any) -> Any:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)(*args)


class RQJobs:
    def __init__(self, redis_client: redis.Redis):
        from rq import Queue

        self.queue = Queue(QUEUE_NAME, connection=redis_client)

    def enqueue(self, path: str, *args: Any) -> None:
        try:
            self.queue.enqueue(path, *args, job_timeout=120, failure_ttl=86400)
        except redis.RedisError:
            log.warning("could not enqueue %s (redis unavailable); the sweep will pick it up", path)

    def start(self) -> None:
        """Web processes only enqueue; `python -m bot.worker` runs the jobs."""

    def stop(self) -> None:
        pass


class InProcessJobs:
    """One daemon thread: runs queued jobs and sweeps every few seconds."""

    def __init__(self, app: Flask, sweep_interval: float):
        self.app = app
        self.sweep_interval = sweep_interval
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def enqueue(self, path: str, *args: Any) -> None:
        self.queue.put((path, args))
        if self.thread is None:
            # Not started (a test app, a CLI command): run at once, inline.
            self.run_pending()

    def run_pending(self) -> None:
        while True:
            try:
                path, args = self.queue.get_nowait()
            except queue.Empty:
                return
            self._run(path, args)

    def _run(self, path: str, args: tuple) -> None:
        with self.app.app_context():
            try:
                call(path, *args)
            except Exception:  # noqa: BLE001 — one failed job must not stop the worker
                log.exception("job %s failed", path)

    def start(self) -> None:
        if self.thread is not None:
            return
        self.thread = threading.Thread(target=self._loop, name="gridwhistle-worker", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                path, args = self.queue.get(timeout=self.sweep_interval)
                self._run(path, args)
            except queue.Empty:
                self._run("bot.tasks.sweep_job", ())
