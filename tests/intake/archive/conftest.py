"""An app whose archive is the local stand-in (real RSA with the committed test key), and a fake WeCom API
that receives the pushed replies."""
from __future__ import annotations

import pytest

from bot.intake.archive.pull import pull_archive, pull_archive_job
from bot.local.archive_source import LocalArchiveSource, key_setting
from tests import fake_api

fake_wechat = fake_api.fake_wechat


@pytest.fixture
def settings(settings, fake_wechat):
    return settings.with_overrides(
        wecom_api_base_url=fake_wechat.base_url, wechat_api_base_url=fake_wechat.base_url,
        api_timeout_seconds=fake_api.API_TIMEOUT,
        archive_source="local", archive_private_key_files=key_setting(), archive_batch_size=50,
        archive_pull_budget_seconds=60)  # a loaded machine must not cut a test's pull short


@pytest.fixture
def archive(demo, svc) -> LocalArchiveSource:
    """The local archive (the demo district is seeded: chat-g1..g4 listen to all, chat-g5 to mentions)."""
    return LocalArchiveSource(svc.redis)


def pull(app, **kwargs):
    with app.app_context():
        return pull_archive(app.extensions["gridwhistle"], **kwargs)


def pull_job(app) -> dict:
    with app.app_context():
        return pull_archive_job()
