"""WeChat retries and replays never make a second ticket or a second, different reply."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from models import InboxMessage, Ticket
from tests.chat import ChatDriver

TEXT = "5号楼门口消防通道被私家车堵死了，消防车根本进不来"


def count(svc, model) -> int:
    with svc.db.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def test_concurrent_retries_make_one_ticket(app, demo, svc):
    def deliver(_):
        return ChatDriver(app.test_client()).say("chat-g1", "zhangdaye", TEXT, msg_id="retry-1")

    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = list(pool.map(deliver, range(6)))
    assert count(svc, Ticket) == 1 and count(svc, InboxMessage) == 1
    answered = [r for r in replies if r]
    assert answered and len(set(answered)) == 1 and "#1" in answered[0]


def test_replay_after_redis_lost_its_data(app, demo, svc):
    chat = ChatDriver(app.test_client())
    first = chat.say("chat-g1", "zhangdaye", TEXT, msg_id="replay-1")
    svc.redis.flushdb()  # Redis restarted empty: the database still knows the message
    again = chat.say("chat-g1", "zhangdaye", TEXT, msg_id="replay-1")
    assert first == again and count(svc, Ticket) == 1


def test_same_text_with_new_msg_id_follows_instead_of_opening(app, demo, svc):
    chat = ChatDriver(app.test_client())
    chat.say("chat-g1", "zhangdaye", TEXT)
    second = chat.say("chat-g1", "liuayi", TEXT)
    assert "已有工单" in second and count(svc, Ticket) == 1


def test_redis_down_falls_back_to_the_database(app, demo, svc, monkeypatch):
    import redis

    def down(*a, **k):
        raise redis.ConnectionError("redis is restarting")

    # Every command fails, whichever way it is sent (plain commands, scripts, pipelines' own path aside).
    monkeypatch.setattr(svc.redis, "execute_command", down)
    chat = ChatDriver(app.test_client())
    first = chat.say("chat-g1", "zhangdaye", TEXT, msg_id="down-1")
    again = chat.say("chat-g1", "zhangdaye", TEXT, msg_id="down-1")
    assert "已登记工单" in first and first == again and count(svc, Ticket) == 1


def test_database_down_is_503_so_wechat_retries(app, demo, svc, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down(*a, **k):
        raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(svc.db, "session", down)
    resp = ChatDriver(app.test_client()).post("chat-g1", "zhangdaye", TEXT, msg_id="pg-down-1")
    assert resp.status_code == 503
    monkeypatch.undo()
    # WeChat's retry with the same MsgId is processed (the dedup key was released).
    assert "已登记工单" in ChatDriver(app.test_client()).say("chat-g1", "zhangdaye", TEXT, msg_id="pg-down-1")


def test_redis_that_lost_its_scripts_still_admits_messages(app, demo, svc):
    # A Redis restart drops loaded Lua scripts: EVALSHA fails with NOSCRIPT and must reload.
    chat = ChatDriver(app.test_client())
    assert "已登记工单" in chat.say("chat-g1", "zhangdaye", TEXT, msg_id="script-1")
    svc.redis.script_flush()
    assert chat.say("chat-g1", "zhangdaye", TEXT, msg_id="script-1") == chat.say(
        "chat-g1", "zhangdaye", TEXT, msg_id="script-1")
    assert "您已在关注" in chat.say("chat-g1", "zhangdaye", TEXT, msg_id="script-2") or count(svc, Ticket) == 1
    assert count(svc, Ticket) == 1 and count(svc, InboxMessage) == 2
