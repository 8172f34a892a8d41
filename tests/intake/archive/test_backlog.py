"""A 10,000-line backlog after downtime: drained in budgeted slices, nothing lost or doubled, in order,
while the robot's callbacks keep being answered. (The drain rate with the real handlers is measured in
bench/bench_archive.py; here the handlers are replaced by a recorder so the test stays short.)"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from bot.intake.archive import pull as pull_module
from bot.intake.archive.pull import pull_archive_job
from bot.local.callback_client import robot_text
from models import ArchiveCursor
from tests.chat import ChatDriver

BACKLOG = 10_000
REPORT = "3号楼下水道堵了，污水都冒出来了"


@pytest.fixture
def settings(settings):
    # The robot's traffic during the drain is a test load, not a flood.
    return settings.with_overrides(archive_batch_size=1000, archive_pull_budget_seconds=0.5,
                                   flood_per_sender_per_minute=100_000, flood_per_chat_per_minute=100_000)


def test_a_backlog_drains_in_slices_losing_nothing_while_the_robot_answers(app, svc, archive, client, monkeypatch,
                                                                          settings):
    if not settings.redis_url:
        pytest.skip("once, on PostgreSQL and Redis: 10,000 RSA-sealed records are slow to make twice")
    for n in range(BACKLOG):  # the downtime's lines, archived while the bot was away
        archive.record(archive.text("chat-g1", "zhangdaye", f"第{n}条 大家好", msgid=f"backlog-{n}"))

    seen: list[str] = []
    monkeypatch.setattr(pull_module, "accept_message", lambda msg, **kw: seen.append(msg.text) or "")
    jobs: list[dict] = []
    real_job = pull_archive_job

    def counted_job():
        jobs.append(real_job())
        return jobs[-1]

    monkeypatch.setattr(pull_module, "pull_archive_job", counted_job)
    drained = threading.Event()

    def drain():
        with app.app_context():
            counted_job()  # each slice queues the next (inline here: no worker thread)
        drained.set()

    svc.model  # noqa: B018 — loaded before the drain starts, as in a running web process
    started = time.monotonic()
    threading.Thread(target=drain, daemon=True).start()
    chat, answered_during = ChatDriver(client), 0
    while not drained.is_set():
        sender = ("heshu", "jiangnan", "luoling")[answered_during % 3]
        reply = chat.answer(robot_text(f"during-{answered_during}", "chat-g5", sender, "@网格哨 帮助"))
        if not drained.is_set():
            assert reply is not None and reply["stream"]["content"]  # answered mid-drain
            answered_during += 1
    assert drained.wait(120)
    print(f"drained in {time.monotonic() - started:.1f} s, {answered_during} robot answers meanwhile")
    assert answered_during >= 1
    assert seen == [f"第{n}条 大家好" for n in range(BACKLOG)]  # all of it, once, in order
    # Slices: every job but the one that caught up queued the next (they ran nested, inline here).
    assert len(jobs) > 1 and sum(not j["more"] for j in jobs) == 1
    assert sum(j["accepted"] for j in jobs) == BACKLOG
    with svc.db.session() as s:
        assert s.execute(select(ArchiveCursor.seq)).scalar_one() == BACKLOG
