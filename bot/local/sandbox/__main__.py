"""`python -m bot.local.sandbox`: the whole product on one laptop, no WeCom account needed.

Migrates the database, seeds the demo district, starts the bot with its in-process worker,
the fake WeCom API and the sandbox chat page, and serves them on http://127.0.0.1:5000.
"""
from __future__ import annotations

import argparse
import logging
import os
from datetime import datetime

from bot.app import create_app
from bot.console.accounts import DEMO_PASSWORD, seed_demo_accounts
from bot.local.demo import seed_demo
from bot.local.demo_boundaries import seed_boundaries
from bot.local.history import seed_history
from bot.local.sandbox import init_app
from bot.runtime.config import Settings
from bot.runtime.db import Database, migrate

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> None:
    """Schema to the newest migration, demo district seeded (both idempotent)."""
    db = Database(settings.effective_database_url)
    try:
        migrate(db.engine)
        with db.session() as session:
            if seed_demo(session):
                log.info("demo district created")
            seed_boundaries(session)
            if seed_demo_accounts(session):
                log.info("console accounts created (password %s)", DEMO_PASSWORD)
            session.commit()
    finally:
        db.dispose()


def seed_history_first(settings: Settings, days: int, now: datetime) -> None:
    """A year of the demo district's life (flask seed-history), played before the sandbox serves.

    Not in the background: played beside a running sandbox, the live sweep escalated the history's
    tickets while they were being written (StaleDataError, and "超期自动上报" stamped on last
    year's tickets at today's time), and every chat line waited ~20 s behind the seeding's writes
    on SQLite. So it runs once, on the first start, with a line saying so; later starts find the
    history and skip it (`make reset-demo` starts afresh; SANDBOX_HISTORY_DAYS=0 skips it)."""
    if days <= 0:
        return
    db = Database(settings.effective_database_url)
    points_log = logging.getLogger("handlers.points_ledger")
    level = points_log.level
    points_log.setLevel(logging.WARNING)  # one line per award of a whole year says nothing
    try:
        with db.session() as session:
            print(f"  正在生成演示区 {days} 天的历史数据（仅首次启动，约需几分钟）…", flush=True)
            result = seed_history(session, settings, now, days)
        if result is not None:
            log.info("demo history ready: %s tickets over %s days (%s → %s)",
                     result.tickets, days, result.first_day, result.last_day)
    except Exception:  # noqa: BLE001 — the sandbox works without its history; say so and go on
        log.exception("demo history could not be seeded")
    finally:
        points_log.setLevel(level)
        db.dispose()


def build_app(settings: Settings, *, host: str, port: int, fake_port: int = 0, start_jobs: bool = True):
    """The bot app with the sandbox installed and (optionally) its worker thread running."""
    app = create_app(settings, start_jobs=False)
    sandbox = app.extensions.get("sandbox") or init_app(app, fake_port=fake_port)
    sandbox.bot_url = f"http://{host}:{port}"
    app.extensions["gridwhistle"].model  # noqa: B018 — load the classifier now, not on the first message
    if start_jobs:
        # After the sandbox pointed the channels at its fake server: the worker delivers there.
        app.extensions["gridwhistle"].jobs.start()
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="GridWhistle local WeChat sandbox")
    parser.add_argument("--host", default=os.environ.get("SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_PORT", "5000")))
    parser.add_argument("--fake-port", type=int, default=0, help="port of the fake WeCom API (0: any free port)")
    parser.add_argument("--history-days", type=int, default=int(os.environ.get("SANDBOX_HISTORY_DAYS", "365")),
                        help="days of demo history to seed on the first start (0: none)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The page polls every second: keep the request log for problems only.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    settings = Settings.from_env()
    if settings.env == "production":
        raise SystemExit("the sandbox never runs with GRIDWHISTLE_ENV=production")
    # In-process jobs: the fake WeCom server lives in this process, so its worker must too.
    settings = settings.with_overrides(sandbox=True, job_mode="inprocess")
    prepare_database(settings)
    app = build_app(settings, host=args.host, port=args.port, fake_port=args.fake_port, start_jobs=False)
    # Before the worker's sweep starts and before the first request: see seed_history_first.
    seed_history_first(settings, args.history_days, app.extensions["gridwhistle"].clock.now())
    app.extensions["gridwhistle"].jobs.start()
    print(f"\n  网格哨 沙盒已启动：http://{args.host}:{args.port}/sandbox"
          f"\n  首页（沙盒、指挥台、上手步骤）：http://{args.host}:{args.port}/\n", flush=True)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False, debug=False)


if __name__ == "__main__":
    main()
