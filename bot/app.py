"""The app factory: nothing connects at import time; create_app wires every room together.

Web processes (bot/wsgi.py), the worker (bot/worker.py), the CLI and the tests all build their
app here. The local sandbox is not wired here: it attaches itself from its own entry point
(`python -m bot.local.sandbox`), so a production process never imports it.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import cli, console
from bot.delivery.outbox import build_deliverer
from bot.intake.photo_store import build_photo_store
from bot.runtime.clock import Clock
from bot.runtime.config import Settings
from bot.runtime.db import Database
from bot.runtime.jobs import InProcessJobs, RQJobs
from bot.runtime.redis_conn import connect
from bot.runtime.services import Services
from bot.sweep import sweep_job
from bot.web import health, landing, metrics, official, robot, wecom

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, start_jobs: bool = False) -> Flask:
    """The app for these settings (from the environment if None); start_jobs runs the in-process worker."""
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        # Werkzeug refuses larger bodies with 413 before our code reads them.
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        # The console's session cookie: never sent along on cross-site requests, never readable by
        # scripts, and only over HTTPS in production. Set here, not with setdefault: Flask already
        # defines these keys, so a setdefault changes nothing.
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.env == "production",
    )
    if settings.trusted_proxies:
        # The client's address (the console's login throttle counts per address) as the proxies saw it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    redis_client = connect(settings.redis_url)
    svc = Services(
        settings=settings,
        db=Database(settings.effective_database_url),
        redis=redis_client,
        clock=Clock(redis_client, adjustable=settings.sandbox or settings.env == "test"),
        make_deliverer=build_deliverer,
        make_photo_store=build_photo_store,
    )
    app.extensions["gridwhistle"] = svc
    if settings.effective_job_mode == "rq":
        svc.jobs = RQJobs(redis_client)
    else:
        svc.jobs = InProcessJobs(app, settings.sweep_interval_seconds, sweep_job)

    for blueprint in (wecom.bp, robot.bp, official.bp, health.bp, metrics.bp, console.bp, landing.bp):
        app.register_blueprint(blueprint)
    cli.register(app)
    _register_error_pages(app)
    if start_jobs:
        svc.jobs.start()
    return app


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(413)
    def too_large(_):
        return "body too large", 413

    @app.errorhandler(DBAPIError)
    def database_unavailable(exc):
        # Not acknowledged, so WeChat retries it (3 tries); nothing is lost or half-stored.
        log.error("database unavailable: %s", type(exc.orig).__name__ if exc.orig else type(exc).__name__)
        return "database temporarily unavailable", 503, {"Retry-After": "5"}

    @app.errorhandler(500)
    def internal(_):
        # The one central error hook: never leak a traceback, always answer plainly.
        return jsonify(error="internal error"), 500
