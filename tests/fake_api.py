"""The app pointed at a local fake WeChat API, for tests that watch pushes arrive.

A test module takes the fixtures by naming them (`fake_wechat = fake_api.fake_wechat`,
`settings = fake_api.settings`; the latter wraps the root per-backend `settings`).

The fake knows the demo corp's credentials and the demo chats, so pushes made by the real
outbox worker (bot.delivery.outbox.deliver_outbox_job, through wechatpy) arrive there and can be counted.
"""
from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID
from bot.delivery.outbox import deliver_outbox_job
from bot.local.fake_wechat import FakeWeChatServer, FakeWeChatState
from bot.sweep import sweep_job
from models import OutboxItem

DEMO_CHATS = ["chat-g1", "chat-g2", "chat-g3", "chat-g4", "chat-c1", "chat-c2", "chat-c3", "chat-s1", "chat-s2"]
API_TIMEOUT = 1  # seconds; the fake's "timeout" fault sleeps longer than this


@pytest.fixture
def fake_wechat():
    state = FakeWeChatState(corp_id=DEMO_CORP_ID, corp_secret="demo-secret", oa_app_id="wxgridwhistledemo",
                            oa_secret="demo-secret", timeout_sleep=API_TIMEOUT + 0.5,
                            robot_aes_key=DEMO_AES_KEY)
    for chat in DEMO_CHATS:
        state.add_chat(chat, ["owner", "member"], name=chat)
    with FakeWeChatServer(state) as server:
        yield server


@pytest.fixture
def settings(settings, fake_wechat):
    """The root fixture's settings (per backend) with every channel pointed at the fake."""
    return settings.with_overrides(wecom_api_base_url=fake_wechat.base_url,
                                   wechat_api_base_url=fake_wechat.base_url, api_timeout_seconds=API_TIMEOUT)


def run_job(app: Flask, job, *args):
    """Run a worker job the way the worker does: inside an app context."""
    with app.app_context():
        return job(*args)


def deliver(app: Flask, outbox_id: int) -> str:
    return run_job(app, deliver_outbox_job, outbox_id)


def sweep(app: Flask) -> dict:
    return run_job(app, sweep_job)


def outbox_rows(svc, prefix: str = "") -> list[OutboxItem]:
    with svc.db.session() as s:
        rows = s.execute(select(OutboxItem).where(OutboxItem.dedup_key.like(f"{prefix}%"))
                         .order_by(OutboxItem.id)).scalars().all()
        s.expunge_all()
        return rows
