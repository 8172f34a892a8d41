"""Debian's Chromium driven by Playwright, for every browser test (sandbox and console), and the
console those tests drive: the app on a SQLite file with the demo district, served on loopback.

Skipped with the reason when /usr/bin/chromium or the playwright package is missing, unless CI
is set: then a missing browser fails the run. Nothing is downloaded (no `playwright install`):
apt's chromium is launched by path.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.app import create_app
from bot.console.accounts import seed_demo_accounts
from bot.local.demo import seed_demo
from bot.local.demo_boundaries import seed_boundaries
from bot.local.sandbox.live import LiveServer
from bot.runtime.config import Settings
from bot.runtime.db import migrate

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright; never `playwright install`)"
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return None


@contextmanager
def chromium_browser() -> Iterator:
    reason = missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the browser tests cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def live_console(db_file: Path, model_path: Path, *, boundaries: bool = False, **settings) -> Iterator:
    """The app on `db_file` (migrated; the demo district, its console accounts (demo1234) and, with
    `boundaries`, the demo grids' outlines seeded) served on a free local port: yields (url, services).

    `settings` are further Settings fields (e.g. map_tile_url). Channel APIs point at a closed port
    and photos stay beside the database, never in the checkout's instance/.
    """
    config = Settings(env="test", database_url=f"sqlite:///{db_file}", job_mode="inprocess",
                      classifier_model_path=str(model_path), wecom_api_base_url="http://127.0.0.1:9",
                      wechat_api_base_url="http://127.0.0.1:9", photo_dir=str(db_file.parent / "photos"),
                      **settings).validated()
    app = create_app(config, start_jobs=False)
    svc = app.extensions["gridwhistle"]
    migrate(svc.db.engine)
    svc.redis.flushdb()
    with svc.db.session() as s:
        seed_demo(s)
        if boundaries:
            seed_boundaries(s)
        seed_demo_accounts(s)
        s.commit()
    try:
        with LiveServer(app) as server:
            yield server.url, svc
    finally:
        svc.db.dispose()


def console_login(browser, url: str, user: str, viewport: tuple[int, int] = (1280, 900)):
    """A new browser context logged in to the console as `user`: (context, page, uncaught page errors)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{url}/console/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_url("**/console/dashboard")
    return context, page, errors
