"""The RQ worker process runs jobs and keeps running (found by the drill: under RQ 3 it quit on
its first job, because RQ passes perform_job a third argument the app-context wrapper refused)."""
from __future__ import annotations

import pytest
from rq import Queue

from bot.runtime.jobs import QUEUE_NAME
from bot.sweep import sweep_job
from bot.worker import AppWorker


def test_app_worker_runs_jobs_inside_the_app_context(app, svc, settings):
    if not settings.redis_url:
        pytest.skip("needs the real Redis (RQ's worker registry)")
    queue = Queue(QUEUE_NAME, connection=svc.redis)
    jobs = [queue.enqueue(sweep_job) for _ in range(2)]
    AppWorker.flask_app = app
    AppWorker([QUEUE_NAME], connection=svc.redis).work(burst=True, logging_level="WARNING")
    for job in jobs:
        job.refresh()
        assert job.is_finished, job.get_status()
        assert set(job.return_value()) == {"inbox", "outbox", "photos", "pushes", "archive_pull"}
