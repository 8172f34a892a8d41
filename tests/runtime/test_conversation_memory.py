"""The conversation memory in Redis (the in-process stand-in behaves the same): bounded, expiring, atomic."""
from __future__ import annotations

import fakeredis
import pytest

from bot.runtime.conversation_memory import RedisConversationMemory
from handlers.memory import CHAT_LINES, CHAT_REPORTS, LINE_CHARS, Fresh, Line, Question, Report, SenderState


@pytest.fixture
def memory():
    return RedisConversationMemory(fakeredis.FakeRedis())


def test_state_round_trip_and_the_question_is_taken_once(memory):
    q = Question("what", 100.0, 700.0, "看图", (), 3)
    memory.save_sender_state("c", "s", SenderState(question=q, fresh=Fresh((5,), 90.0)))
    got = memory.snapshot("c", "s", None).state
    assert got.question == q and got.fresh == Fresh((5,), 90.0)
    assert memory.take_question("c", "s") == q
    assert memory.take_question("c", "s") is None  # a second delivery finds nothing to answer
    assert memory.snapshot("c", "s", None).state.question is None
    assert memory.snapshot("c", "other", None).state == SenderState()  # per sender


def test_lines_and_reports_are_bounded_and_expire(memory):
    for i in range(CHAT_LINES + 10):
        memory.snapshot("c", "s", Line(float(i), "好" * 1000, "s", i))
    for i in range(CHAT_REPORTS + 5):
        memory.remember_report("c", Report(i, "s", "lighting", "路" * 1000, "", float(i)))
    lines, reports = memory.recent_lines("c"), memory.snapshot("c", "x", None).reports
    assert len(lines) == CHAT_LINES and lines[0].inbox_id == CHAT_LINES + 9
    assert all(len(x.text) <= LINE_CHARS for x in lines)
    assert len(reports) == CHAT_REPORTS and reports[0].ticket_id == CHAT_REPORTS + 4
    assert all(0 < memory.redis.ttl(k) for k in memory.redis.keys("gw:conv:*"))


def test_a_prefetched_read_is_used_once_for_its_own_line(memory):
    line = Line(1.0, "这里又这样了", "s", 0)
    memory.save_sender_state("c", "s", SenderState(fresh=Fresh((7,), 1.0)))
    _, sha, keys, args = memory.snapshot_call("c", "s", line)
    raw = memory.redis.execute_command("EVAL", memory.snapshot_call("c", "s", line)[0], len(keys), *keys, *args)
    memory.keep_prefetched("c", "s", line, raw)
    memory.redis.flushdb()  # proves the next read does not go to Redis
    assert memory.snapshot("c", "s", line).state.fresh == Fresh((7,), 1.0)
    assert memory.snapshot("c", "s", line).state == SenderState()  # used once
    memory.keep_prefetched("c", "s", line, raw)
    assert memory.snapshot("c", "s", Line(1.0, "另一句", "s", 0)).state == SenderState()  # not for another line


def test_garbage_in_redis_is_forgotten_not_fatal(memory):
    memory.redis.set("gw:conv:s:c:s", "not json")
    memory.redis.set("gw:conv:q:c:s", '{"kind": 1}')
    memory.redis.lpush("gw:conv:r:c", '{"ticket_id": 1}', "[]", "\xff")
    snap = memory.snapshot("c", "s", None)
    assert snap.state == SenderState() and snap.reports == ()
    assert memory.take_question("c", "s") is None


def test_odd_ids_make_bounded_keys(memory):
    memory.snapshot("c" * 5000, "s p a c e\n", Line(1.0, "x", "s", 1))
    assert all(len(k) < 400 for k in memory.redis.keys("gw:conv:*"))
