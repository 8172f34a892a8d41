"""The app factory: nothing connects at import time; create_app wires everything."""
from __future__ import annotations

import logging

from flask import Flask, jsonify

from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.redis_conn import connect
from bot.services import Services

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, start_jobs: bool | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        # Werkzeug refuses larger bodies with 413 before our code reads them.
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
    redis_client = connect(settings.redis_url)
    svc = Services(
        settings=settings,
        db=Database(settings.effective_database_url),
        redis=redis_client,
        clock=Clock(redis_client, adjustable=settings.sandbox or settings.env == "test"),
    )
    app.extensions["gridwhistle"] = svc
    svc.jobs = _make_jobs(app, svc)

    from bot.webhooks import official, robot, wecom

    for bp in (wecom.bp, robot.bp, official.bp):
        app.register_blueprint(bp)
    from bot import cli, console, health, metrics

    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(console.bp)
    cli.register(app)

    @app.errorhandler(413)
    def too_large(_):
        return "body too large", 413

    from sqlalchemy.exc import DBAPIError

    @app.errorhandler(DBAPIError)
    def database_unavailable(exc):
        # Not acknowledged, so WeChat retries it (3 tries); nothing is lost or half-stored.
        log.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig else type(exc).__name__)
        return "database temporarily unavailable", 503, {"Retry-After": "5"}

    @app.errorhandler(500)
    def internal(_):
        # The one central error hook: never leak a traceback, always answer plainly.
        return jsonify(error="internal error"), 500

    if settings.sandbox:
        from bot.sandbox import init_app as init_sandbox

        init_sandbox(app)

    if start_jobs if start_jobs is not None else settings.effective_job_mode == "inprocess" and settings.sandbox:
        svc.jobs.start()
    return app


def _make_jobs(app: Flask, svc: Services):
    if svc.settings.effective_job_mode == "rq":
        from bot.jobs import RQJobs

        return RQJobs(svc.redis)
    from bot.jobs import InProcessJobs

    return InProcessJobs(app, svc.settings.sweep_interval_seconds)
