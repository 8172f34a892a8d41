"""Bad input and faults: each loses nothing (parked, retried, or pulled again), none stops the other chats."""
from __future__ import annotations

import json
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from bot.intake.archive.channel import ArchiveChannel
from bot.intake.archive.errors import ArchiveUnavailable
from bot.intake.archive.keys import PrivateKeys
from bot.intake.archive.pull import read_cursor
from bot.local.archive_source import PREFIX, TEST_KEY_PATH, seal_body, seal_random_key
from models import ArchiveCursor, ArchiveParked
from tests.intake.archive.conftest import pull
from tests.intake.archive.test_pull import REPORT, inbox, tickets


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def parked_rows(svc) -> list[ArchiveParked]:
    with svc.db.session() as s:
        rows = s.execute(select(ArchiveParked).order_by(ArchiveParked.seq)).scalars().all()
        s.expunge_all()
        return rows


def make_due(svc) -> None:
    with svc.db.session() as s:
        s.execute(ArchiveParked.__table__.update().values(next_attempt_at=svc.clock.now()))
        s.commit()


def test_a_missing_key_version_parks_the_record_until_the_key_is_configured(app, svc, archive, other_key, tmp_path):
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT), public_key=other_key.public_key(), version=2)
    archive.record(archive.text("chat-g2", "sunli", "2号楼楼道里堆满了杂物"))
    result = pull(app)
    assert (result.parked, result.accepted, result.cursor) == (1, 1, 2)  # the chat behind it keeps flowing
    (row,) = parked_rows(svc)
    assert (row.seq, row.reason, row.state) == (1, "no_key", "parked")
    assert "publickey_ver 2" in row.detail and "PRIVATE" not in row.detail
    # The rotation is configured: version 2's key is listed next to version 1's.
    pem = tmp_path / "v2.pem"
    pem.write_bytes(other_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    keys = PrivateKeys.parse(f"1:{TEST_KEY_PATH},2:{pem}")
    make_due(svc)
    again = pull(app, channel=ArchiveChannel(archive, keys))
    assert again.unparked == 1
    assert parked_rows(svc)[0].state == "done"
    assert sorted(r.sender_id for r in inbox(svc)) == ["sunli", "zhangdaye"] and tickets(svc) == 2


def test_a_wrong_key_for_the_version_parks_the_record(app, svc, archive, other_key):
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT), public_key=other_key.public_key(), version=1)
    result = pull(app)
    assert result.parked == 1 and result.cursor == 1
    assert parked_rows(svc)[0].reason in ("wrong_key", "body")  # RSA padding may or may not notice; the body does


def test_a_body_that_does_not_decrypt_is_parked_and_retried(app, svc, archive):
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT), body="bm90IGEgcmVhbCBib2R5IGF0IGFsbCwgc29ycnk=")
    archive.record(archive.text("chat-g1", "liuayi", "5号楼电梯坏了"))
    result = pull(app)
    assert (result.parked, result.accepted) == (1, 1)
    (row,) = parked_rows(svc)
    assert (row.reason, row.attempts) == ("body", 1) and "10008" in row.detail
    make_due(svc)
    pull(app)
    assert parked_rows(svc)[0].attempts == 2  # tried again, still closed, kept


def test_a_seq_gap_is_looked_at_twice_then_passed(app, svc, archive):
    archive.record(archive.text("chat-g1", "zhangdaye", "早上好"))
    svc.redis.incr(f"{PREFIX}:seq")  # seq 2 never shows up
    archive.record(archive.text("chat-g1", "liuayi", REPORT))
    first = pull(app)
    assert (first.cursor, first.accepted, first.gaps) == (1, 1, 0)  # stopped before the gap
    second = pull(app)
    assert (second.cursor, second.accepted, second.gaps) == (3, 1, 1)
    with svc.db.session() as s:
        assert s.execute(select(ArchiveCursor.gaps)).scalar_one() == 1


def test_a_late_record_inside_a_gap_is_not_skipped(app, svc, archive):
    """The record behind the gap appears between the two looks: it is pulled, not skipped."""
    archive.record(archive.text("chat-g1", "zhangdaye", "早上好"))
    late = archive.text("chat-g1", "chenxin", "路灯不亮了")
    svc.redis.incr(f"{PREFIX}:seq")
    archive.record(archive.text("chat-g1", "liuayi", REPORT))
    assert pull(app).cursor == 1
    svc.redis.zadd(f"{PREFIX}:records", {json.dumps({"seq": 2, "record": json.dumps(_sealed(archive, late))}): 2})
    result = pull(app)
    assert (result.cursor, result.accepted, result.gaps) == (3, 2, 0)


def _sealed(archive, message: dict) -> dict:
    return {"msgid": message["msgid"], "publickey_ver": 1, "encrypt_random_key": seal_random_key("k" * 32, archive.public_key),
            "encrypt_chat_msg": seal_body("k" * 32, message)}


class Flaky:
    """The SDK failing the way it does: GetChatData returns 10001 (network) or times out."""

    def __init__(self, inner, failures: int, code: int | None = 10001, message: str = "GetChatData returned SDK error 10001"):
        self.inner, self.failures, self.code, self.message = inner, failures, code, message

    def get_chat_data(self, seq, limit):
        if self.failures:
            self.failures -= 1
            raise ArchiveUnavailable(self.message, code=self.code)
        return self.inner.get_chat_data(seq, limit)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.mark.parametrize("code,message", [(10001, "GetChatData returned SDK error 10001 (网络请求错误)"),
                                          (None, "GetChatData timed out after 10 s")])
def test_network_errors_and_timeouts_leave_the_cursor_and_the_next_pull_catches_up(app, svc, archive, code, message):
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT))
    channel = ArchiveChannel(Flaky(archive, failures=1, code=code, message=message), svc.archive.keys)
    failed = pull(app, channel=channel)
    assert failed.error.startswith(message) and failed.cursor == 0 and inbox(svc) == []
    assert pull(app, channel=channel).cursor == 1 and len(inbox(svc)) == 1


def test_a_database_failure_mid_batch_keeps_the_cursor_at_the_last_committed_record(app, svc, archive, monkeypatch):
    for n in range(3):
        archive.record(archive.text("chat-g1", "zhangdaye", f"第{n}条 大家好"))
    from bot.intake.archive import pull as pull_module

    real, calls = pull_module.accept_message, []

    def dies_on_the_third(msg, **kw):
        calls.append(msg.msg_id)
        if len(calls) == 3:
            raise ConnectionError("database went away")
        return real(msg, **kw)

    monkeypatch.setattr(pull_module, "accept_message", dies_on_the_third)
    result = pull(app)
    assert result.cursor == 2 and "ConnectionError" in result.error
    monkeypatch.setattr(pull_module, "accept_message", real)
    assert pull(app).cursor == 3 and len(inbox(svc)) == 3


class Slow:
    """Holds GetChatData until released, so two pullers are surely inside at once."""

    def __init__(self, inner):
        self.inner, self.entered, self.release = inner, threading.Event(), threading.Event()

    def get_chat_data(self, seq, limit):
        self.entered.set()
        self.release.wait(10)
        return self.inner.get_chat_data(seq, limit)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_two_pullers_started_at_once_pull_once(app, svc, archive):
    for n in range(5):
        archive.record(archive.text("chat-g1", "zhangdaye", f"第{n}条 大家好"))
    slow = Slow(archive)
    channel = ArchiveChannel(slow, svc.archive.keys)
    results = {}
    first = threading.Thread(target=lambda: results.setdefault("first", pull(app, channel=channel)))
    first.start()
    assert slow.entered.wait(10)
    results["second"] = pull(app, channel=channel)  # the first holds the lock
    slow.release.set()
    first.join(20)
    assert results["second"].locked and results["second"].pulled == 0
    assert results["first"].accepted == 5 and len(inbox(svc)) == 5


def test_a_puller_whose_lease_ran_out_cannot_move_the_cursor(app, svc, archive, monkeypatch):
    """The cursor is fenced: a puller that read seq 0 cannot write over a cursor someone else moved."""
    archive.record(archive.text("chat-g1", "zhangdaye", "大家好"))
    from bot.intake.archive import pull as pull_module

    real = pull_module.read_cursor

    def stale(svc_):
        seq = real(svc_)
        with svc_.db.session() as s:  # meanwhile another puller (whose lock this one lost) moved on
            s.execute(ArchiveCursor.__table__.update().values(seq=1))
            s.commit()
        return seq

    monkeypatch.setattr(pull_module, "read_cursor", stale)
    result = pull(app)
    assert result.error == "cursor moved by another puller"
    with app.app_context():
        assert read_cursor(svc) == 1
    assert len(inbox(svc)) == 1  # the line itself was stored once (the inbox's key)
