"""The worker process (Procfile `worker:`): RQ jobs plus the periodic sweep.

    python -m bot.worker

Runs an RQ SimpleWorker (no fork per job: the app, its database pool and the
classifier stay loaded) with the scheduler, inside an app context, and a sweeper
thread that every SWEEP_INTERVAL_SECONDS finds inbox rows and outbox items that
lost their job and runs the ticket timers. Several workers may run at once: the
sweep's row locks use SKIP LOCKED and every push has a dedup key.
"""
from __future__ import annotations

import logging
import threading
import time

from rq import SimpleWorker

from bot.app import create_app
from bot.runtime.jobs import QUEUE_NAME
from bot.runtime.logging_setup import configure_logging
from bot.sweep import sweep_job

log = logging.getLogger(__name__)


class AppWorker(SimpleWorker):
    """Each job runs inside the Flask app context, so jobs reach services()."""

    flask_app = None

    def perform_job(self, job, queue, *args, **kwargs):
        # RQ 3 passes an Execution as a third argument; pass through whatever this RQ sends.
        with self.flask_app.app_context():
            return super().perform_job(job, queue, *args, **kwargs)


def sweep_forever(app, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        with app.app_context():
            try:
                sweep_job()
            except Exception:  # noqa: BLE001 — a failed sweep is retried on the next tick
                log.exception("sweep failed")


def main() -> None:
    configure_logging()
    app = create_app(start_jobs=False)
    svc = app.extensions["gridwhistle"]
    if svc.settings.effective_job_mode != "rq":
        raise SystemExit("bot.worker needs REDIS_URL (JOB_MODE=rq); without it the web process runs jobs itself")
    stop = threading.Event()
    threading.Thread(target=sweep_forever, args=(app, svc.settings.sweep_interval_seconds, stop),
                     name="sweeper", daemon=True).start()
    AppWorker.flask_app = app
    while True:
        worker = AppWorker([QUEUE_NAME], connection=svc.redis)
        try:
            worker.work(with_scheduler=True, logging_level="WARNING")
        except Exception:  # noqa: BLE001 — Redis restarting: wait and reconnect, never exit
            log.exception("worker lost Redis; reconnecting in 2 s")
            time.sleep(2)
            continue
        if getattr(worker, "_stop_requested", False):
            break  # SIGTERM / SIGINT: a real shutdown
        # RQ returned on its own (an unhandled error inside it): start a fresh worker.
        log.error("RQ worker stopped without a shutdown request; restarting it")
        time.sleep(1)
    stop.set()


if __name__ == "__main__":
    main()
