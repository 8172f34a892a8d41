"""Running jobs: RQ workers on Redis in production, a thread in the web process otherwise.

Jobs are module-level functions that take plain ids, passed by reference (RQ stores their
dotted path), so both runners call the same functions. Losing a job is harmless: the
database is the source of truth and the periodic sweep finds any inbox row or outbox item
that still needs work.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask
from rq import Queue

log = logging.getLogger(__name__)
QUEUE_NAME = "gridwhistle"
Job = Callable[..., Any]


class RQJobs:
    def __init__(self, redis_client: redis.Redis):
        self.queue = Queue(QUEUE_NAME, connection=redis_client)

    def enqueue(self, job: Job, *args: Any) -> None:
        try:
            self.queue.enqueue(job, *args, job_timeout=120, failure_ttl=86400)
        except redis.RedisError:
            log.warning("could not enqueue %s (redis unavailable); the sweep will pick it up", job.__name__)

    def start(self) -> None:
        """Web processes only enqueue; `python -m bot.worker` runs the jobs."""

    def stop(self) -> None:
        pass


class InProcessJobs:
    """One daemon thread: runs queued jobs, and the sweep whenever the queue is quiet."""

    def __init__(self, app: Flask, sweep_interval: float, sweep: Job):
        self.app = app
        self.sweep_interval = sweep_interval
        self.sweep = sweep
        self.queue: queue.Queue = queue.Queue()
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def enqueue(self, job: Job, *args: Any) -> None:
        self.queue.put((job, args))
        if self.thread is None:
            # Not started (a test app, a CLI command): run at once, inline.
            self.run_pending()

    def run_pending(self) -> None:
        while True:
            try:
                job, args = self.queue.get_nowait()
            except queue.Empty:
                return
            self._run(job, args)

    def _run(self, job: Job, args: tuple) -> None:
        with self.app.app_context():
            try:
                job(*args)
            except Exception:  # noqa: BLE001 — one failed job must not stop the worker
                log.exception("job %s failed", job.__name__)

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
                job, args = self.queue.get(timeout=self.sweep_interval)
                self._run(job, args)
            except queue.Empty:
                self._run(self.sweep, ())
