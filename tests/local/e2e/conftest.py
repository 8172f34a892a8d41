"""Real-browser fixtures: Debian's Chromium driven by Playwright against a live sandbox.

The browser tests are skipped, with the reason, when /usr/bin/chromium or the playwright
package is missing, unless CI is set: then a missing browser fails the run. The browser is
never downloaded (no `playwright install`): apt's chromium is launched by path.
"""
from __future__ import annotations

import pytest

from bot.local.sandbox.live import LiveServer

@pytest.fixture
def sandbox_server(tmp_path, model_path):
    """The whole product as `make run` starts it (worker thread included), on a free port."""
    from bot.app import create_app
    from bot.runtime.config import Settings
    from bot.local.sandbox import init_app
    from bot.local.sandbox.__main__ import prepare_database

    settings = Settings(
        env="test", database_url=f"sqlite:///{tmp_path / 'sandbox.db'}", job_mode="inprocess",
        sandbox=True, classifier_model_path=str(model_path), sweep_interval_seconds=1,
        photo_dir=str(tmp_path / "photos"),
    ).validated()
    prepare_database(settings)
    app = create_app(settings, start_jobs=False)
    svc = app.extensions["gridwhistle"]
    svc.redis.flushdb()  # the embedded Redis is per process: no clock offset from an earlier test
    sandbox = app.extensions.get("sandbox") or init_app(app)
    svc.model  # noqa: B018 — load the classifier before the first message
    with LiveServer(app) as server:
        svc.jobs.start()
        yield server.url, app
        svc.jobs.stop()
    sandbox.stop()
    svc.db.dispose()


@pytest.fixture
def page(browser, sandbox_server, request):
    context = browser.new_context(viewport={"width": 420, "height": 860}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        from tests.local.e2e.sandbox_page import shot

        shot(page, f"{request.node.name}-FAILED")
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
