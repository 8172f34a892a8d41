"""Reliable delivery, end to end: outbox rows → bot.sweep jobs → wechatpy → the fake WeCom API.

What a district would notice if these broke: a notice or a ticket update that never arrives, arrives
twice, or stops everything else while WeCom is slow. Each test drives the fake into one failure
(5xx, timeouts, expired tokens, quota errcodes, a crashed worker) and checks the message arrives
exactly once, later, and that failures are counted only when they are failures.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from bot.delivery.channels.routes import Route
from bot.delivery.outbox import SENDING_LEASE, add_outgoing, claim
from handlers.events import OutgoingMessage
from models import OutboxItem
from tests import fake_api
from tests.fake_api import deliver, sweep

# Every channel of the app points at a local fake WeChat API (tests/fake_api.py).
fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

APPCHAT = "/cgi-bin/appchat/send"
ROBOT = "/cgi-bin/webhook/send"


def queue(svc, route_kind: str, target: str, text: str, key: str, member_count: int = 1) -> int:
    with svc.db.session() as s:
        [row] = add_outgoing(s, [OutgoingMessage(route_kind, target, text, key, member_count)], svc.clock.now())
        s.commit()
        return row.id


def row(svc, outbox_id: int) -> OutboxItem:
    with svc.db.session() as s:
        item = s.get(OutboxItem, outbox_id)
        s.expunge(item)
        return item


def arrived(fake, target: str) -> list[str]:
    return [m.text for m in fake.state.messages_for(target)]


def test_pushes_arrive_on_every_route(app, svc, fake_wechat):
    ids = [queue(svc, "wecom_chat", "chat-g1", "群消息", "k1", member_count=5),
           queue(svc, "wecom_user", "wangfang", "私信", "k2"),
           queue(svc, "robot", "robot-key-1", "机器人消息", "k3")]
    assert [deliver(app, i) for i in ids] == ["sent", "sent", "sent"]
    assert arrived(fake_wechat, "chat-g1") == ["群消息"]
    assert arrived(fake_wechat, "wangfang") == ["私信"]
    assert arrived(fake_wechat, "robot-key-1") == ["机器人消息"]
    assert all(row(svc, i).sent_at is not None and row(svc, i).attempts == 1 for i in ids)
    assert fake_wechat.state.token_fetches["wecom"] == 1  # one token, shared through Redis


def test_expired_token_is_refreshed_mid_run(app, svc, fake_wechat):
    state = fake_wechat.state
    assert deliver(app, queue(svc, "wecom_chat", "chat-g1", "第一条", "k1")) == "sent"
    state.expire_tokens()  # WeCom now answers 42001 to the cached token
    assert deliver(app, queue(svc, "wecom_chat", "chat-g1", "第二条", "k2")) == "sent"
    assert deliver(app, queue(svc, "wecom_user", "wangfang", "第三条", "k3")) == "sent"
    assert arrived(fake_wechat, "chat-g1") == ["第一条", "第二条"]
    assert state.token_fetches["wecom"] == 2


def test_5xx_and_timeouts_are_retried_with_backoff_until_success(app, svc, fake_wechat):
    fake_wechat.state.fail_next(APPCHAT, 2, "http500")
    fake_wechat.state.fail_next(APPCHAT, 1, "timeout")
    oid = queue(svc, "wecom_chat", "chat-g2", "停水通知", "k1")
    assert deliver(app, oid) == "pending"
    delays = []
    for attempt in (1, 2, 3):
        item = row(svc, oid)
        assert (item.state, item.attempts) == ("pending", attempt) and item.last_error
        delay = (item.next_attempt_at - svc.clock.now()).total_seconds()
        assert 0.75 * 2 ** attempt - 1 <= delay <= 1.25 * 2 ** attempt  # exponential, jittered
        delays.append(delay)
        assert sweep(app)["outbox"] == 0  # not due yet: the sweep leaves it alone
        svc.clock.advance(delay + 0.5)
        assert sweep(app)["outbox"] == 1
    item = row(svc, oid)
    assert (item.state, item.attempts, item.last_error) == ("sent", 4, None)
    assert arrived(fake_wechat, "chat-g2") == ["停水通知"]  # the timed-out try delivered nothing
    assert delays == sorted(delays)


def test_dead_after_max_attempts_and_the_admin_retries_it(app, svc, fake_wechat):
    max_attempts = svc.settings.outbox_max_attempts
    fake_wechat.state.fail_next(APPCHAT, max_attempts, "http500")
    oid = queue(svc, "wecom_chat", "chat-g3", "通知", "k1")
    deliver(app, oid)
    for _ in range(max_attempts - 1):
        svc.clock.advance(800)  # beyond the 10-minute backoff cap
        sweep(app)
    item = row(svc, oid)
    assert (item.state, item.attempts) == ("dead", max_attempts) and "HTTP 500" in item.last_error
    svc.clock.advance(3600)
    assert sweep(app)["outbox"] == 0  # dead stays dead until someone acts
    assert arrived(fake_wechat, "chat-g3") == []

    result = app.test_cli_runner().invoke(args=["outbox-retry", str(oid)])
    assert result.exit_code == 0 and "1 sent now" in result.output, result.output
    assert (row(svc, oid).state, row(svc, oid).attempts) == ("sent", 1)
    assert arrived(fake_wechat, "chat-g3") == ["通知"]
    assert app.test_cli_runner().invoke(args=["outbox-retry", str(oid)]).exit_code != 0  # not dead


def test_permanent_errors_go_dead_at_once(app, svc, fake_wechat):
    oid = queue(svc, "wecom_chat", "chat-unknown", "通知", "k1")  # 86003 chat not found
    assert deliver(app, oid) == "dead"
    assert row(svc, oid).attempts == 1 and "86003" in row(svc, oid).last_error


@pytest.mark.parametrize("path,kind,target,errcode,wait", [
    (APPCHAT, "wecom_chat", "chat-g1", 45009, 600),
    (ROBOT, "robot", "robot-key-1", 130101, 60),
])
def test_rate_limit_answers_reschedule_without_counting_a_failure(app, svc, fake_wechat, path, kind, target,
                                                                  errcode, wait):
    fake_wechat.state.fail_next(path, 1, errcode)
    oid = queue(svc, kind, target, "通知", "k1")
    before = svc.clock.now()
    assert deliver(app, oid) == "pending"
    after = svc.clock.now()
    item = row(svc, oid)
    assert item.attempts == 0 and item.last_error is None  # slowed down, not failed
    # Bracketed by the clock before and after the delivery, so a loaded machine cannot fail it.
    assert before.timestamp() + wait <= item.next_attempt_at.timestamp() <= after.timestamp() + wait
    svc.clock.advance(wait / 2)
    assert sweep(app)["outbox"] == 0
    svc.clock.advance(wait / 2 + 1)
    assert sweep(app)["outbox"] == 1
    assert (row(svc, oid).state, row(svc, oid).attempts) == ("sent", 1)
    assert arrived(fake_wechat, target) == ["通知"]


def test_local_robot_limit_holds_the_21st_message_back(app, svc, fake_wechat):
    """20 a minute per robot: the 21st waits for our bucket instead of going out at once.

    The bucket refills continuously (one token every 3 s) while WeCom counts 20 per sliding
    minute, so the refilled token still meets a 130101: that too only reschedules (60 s), the
    row is never counted as failed. (Finding: a burst below 20 would avoid that round trip.)
    """
    ids = [queue(svc, "robot", "robot-key-2", f"消息{i}", f"k{i}") for i in range(21)]
    states = [deliver(app, i) for i in ids]
    assert states == ["sent"] * 20 + ["pending"]
    last = row(svc, ids[-1])
    assert last.attempts == 0 and 0 < (last.next_attempt_at - svc.clock.now()).total_seconds() <= 3.1
    assert fake_wechat.state.calls[ROBOT] == 20  # the fake never saw the 21st
    time.sleep(3.1)  # the bucket refills in real (Redis) time
    svc.clock.advance(3.1)
    assert deliver(app, ids[-1]) == "pending"  # WeCom's own minute window: 130101
    last = row(svc, ids[-1])
    assert last.attempts == 0 and last.last_error is None
    assert 58 <= (last.next_attempt_at - svc.clock.now()).total_seconds() <= 60
    assert len(arrived(fake_wechat, "robot-key-2")) == 20


def test_crash_after_send_resumes_after_the_lease_without_a_duplicate(app, svc, fake_wechat):
    """A worker claimed the row, WeCom delivered, the worker died before marking it sent."""
    oid = queue(svc, "wecom_user", "wangfang", "工单 #7 已受理", "k1")
    with svc.db.session() as s:
        item = claim(s, oid, svc.clock.now())  # committed: state=sending
        svc.deliverer.deliver(Route(item.route_kind, item.route_target), item.text)
    assert row(svc, oid).state == "sending"
    assert deliver(app, oid) == "skipped"  # another worker must not take a leased row
    assert sweep(app)["outbox"] == 0
    svc.clock.advance(SENDING_LEASE.total_seconds() + 1)
    assert sweep(app)["outbox"] == 1
    item = row(svc, oid)
    assert (item.state, item.attempts) == ("sent", 2)
    # WeCom's duplicate check (message/send) hid the resend: the member saw it once.
    assert arrived(fake_wechat, "wangfang") == ["工单 #7 已受理"]
    assert fake_wechat.state.calls["/cgi-bin/message/send"] == 2


def test_crash_before_send_resumes_and_a_sent_row_is_never_sent_again(app, svc, fake_wechat):
    oid = queue(svc, "wecom_chat", "chat-g4", "通知", "k1")
    with svc.db.session() as s:
        assert claim(s, oid, svc.clock.now()) is not None  # then the worker dies
        assert claim(s, oid, svc.clock.now()) is None  # a second worker cannot claim it
    svc.clock.advance(SENDING_LEASE.total_seconds() + 1)
    sweep(app)
    assert row(svc, oid).state == "sent"
    assert deliver(app, oid) == "skipped"
    for _ in range(3):
        svc.clock.advance(SENDING_LEASE.total_seconds() * 10)
        assert sweep(app)["outbox"] == 0
    assert arrived(fake_wechat, "chat-g4") == ["通知"]
    assert fake_wechat.state.calls[APPCHAT] == 1


def test_queueing_the_same_push_twice_makes_one_row(app, svc):
    first = queue(svc, "wecom_chat", "chat-g1", "通知", "same-key")
    with svc.db.session() as s:
        assert add_outgoing(s, [OutgoingMessage("wecom_chat", "chat-g1", "通知", "same-key")], svc.clock.now()) == []
    assert first


def test_group_text_is_masked_but_direct_text_to_staff_is_not(app, svc, fake_wechat):
    text = "居民反映：3号楼2单元501室漏水，电话13812345678。"
    ids = [queue(svc, "wecom_chat", "chat-g1", text, "k1"), queue(svc, "robot", "robot-key-3", text, "k2"),
           queue(svc, "wecom_user", "wangfang", text, "k3")]
    assert [deliver(app, i) for i in ids] == ["sent"] * 3
    for target in ("chat-g1", "robot-key-3"):
        [seen] = arrived(fake_wechat, target)
        assert "13812345678" not in seen and "501" not in seen and "138****5678" in seen
    assert arrived(fake_wechat, "wangfang") == [text]
    assert row(svc, ids[0]).text == text  # the outbox keeps the original; masking is at the door


def test_backoff_stays_within_bounds():
    from bot.delivery.outbox import backoff

    for attempts in range(1, 15):
        d = backoff(attempts).total_seconds()
        assert 0.75 * min(600, 2 ** attempts) <= d <= 1.25 * min(600, 2 ** attempts)
    assert backoff(30) <= timedelta(seconds=750)


def test_a_group_send_interrupted_mid_call_is_never_sent_twice(app, svc, fake_wechat):
    """The worker died after the API call started: the chat may have it, so no blind resend."""
    from bot.delivery.outbox import mark_send_started

    oid = queue(svc, "wecom_chat", "chat-g4", "工单 #9 已办结", "k-mid")
    with svc.db.session() as s:
        item = claim(s, oid, svc.clock.now())
        mark_send_started(s, item, svc.clock.now())
        svc.deliverer.deliver(Route(item.route_kind, item.route_target, item.member_count), item.text)
    svc.clock.advance(SENDING_LEASE.total_seconds() + 1)
    sweep(app)
    sweep(app)
    dead = row(svc, oid)
    assert dead.state == "dead" and dead.last_error.startswith("uncertain")
    assert arrived(fake_wechat, "chat-g4") == ["工单 #9 已办结"]  # once, never twice
