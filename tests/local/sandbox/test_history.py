"""A restart keeps the sandbox's history and its moved clock (both in the database); unread is per persona."""
from __future__ import annotations

from datetime import datetime, timedelta

from bot.local.sandbox.live import LiveServer
from tests.local.sandbox.conftest import Api

REPORT = "3号楼下水道堵了，污水都冒出来了"


def restart(settings) -> tuple:
    """A new process's sandbox on the same database: the Redis it had (transcripts, clock) is gone."""
    from bot.app import create_app
    from bot.local.sandbox import init_app

    app = create_app(settings.with_overrides(sandbox=True), start_jobs=False)
    app.extensions["gridwhistle"].redis.flushdb()  # what a restart does to the embedded Redis
    sandbox = app.extensions.get("sandbox") or init_app(app)
    return app, sandbox


def test_restart_keeps_history_and_clock(api, live, settings):
    posted = api.say("chat-g1", "zhangdaye", REPORT)
    api.http.post(api.base + "/users/zhangdaye/messages", json={"text": "帮助"}, timeout=30)
    moved = api.advance(60 * 24 * 3).json()
    chat_before, dm_before = api.messages("chat-g1"), api.direct("zhangdaye")
    assert len(chat_before) >= 2 and len(dm_before) >= 2

    app, sandbox = restart(settings)
    try:
        with LiveServer(app) as server:
            again = Api(server.url)
            assert again.messages("chat-g1") == chat_before
            assert again.direct("zhangdaye") == dm_before
            clock = again.http.get(again.base + "/clock", timeout=10).json()
            assert clock["offset_minutes"] == moved["offset_minutes"]
            # The ticket the report opened is not dated after "now".
            ticket_time = datetime.fromisoformat(posted["reply"]["time"])
            assert ticket_time <= datetime.fromisoformat(clock["now"])
            # New lines continue the transcript after the old ones.
            more = again.say("chat-g1", "liuayi", "大家早上好")
            assert more["message"]["id"] > chat_before[-1]["id"]
            assert again.messages("chat-g1")[:len(chat_before)] == chat_before
    finally:
        sandbox.stop()
        app.extensions["gridwhistle"].db.dispose()


def test_a_clock_never_saved_adopts_the_running_offset(live, settings):
    _, sandbox_app = live
    svc = sandbox_app.extensions["gridwhistle"]
    sandbox = sandbox_app.extensions["sandbox"]
    sandbox.store.clear()
    svc.clock.set_offset(3600)
    sandbox.restore_clock()  # nothing recorded: the clock stays, and is recorded
    assert abs(svc.clock.offset_seconds() - 3600) < 1
    svc.clock.set_offset(0)
    sandbox.restore_clock()
    assert abs(svc.clock.offset_seconds() - 3600) < 1
    assert svc.clock.now() - datetime.now(svc.clock.now().tzinfo) > timedelta(minutes=59)


def unread(api: Api, persona: str) -> tuple[dict, int]:
    data = api.http.get(api.base + "/chats", params={"persona": persona}, timeout=10).json()
    return {c["chat_id"]: c["unread"] for c in data["chats"]}, data["direct"]["unread"]


def test_unread_counts_are_per_persona_and_include_app_messages(api):
    api.say("chat-g1", "zhangdaye", REPORT)  # the report and the bot's answer
    chats, _ = unread(api, "zhangdaye")
    assert chats["chat-g1"] == 1  # his own line is not unread to him
    chats, _ = unread(api, "wangfang")
    assert chats["chat-g1"] == 2
    last = api.messages("chat-g1")[-1]["id"]
    read = api.http.post(api.base + "/read", json={"persona": "zhangdaye", "chat_id": "chat-g1", "last_id": last})
    assert read.status_code == 200 and read.json() == {"unread": 0}
    assert unread(api, "zhangdaye")[0]["chat-g1"] == 0
    assert unread(api, "wangfang")[0]["chat-g1"] == 2  # reading as 张大爷 leaves 王芳's count alone
    # A marker never moves back.
    api.http.post(api.base + "/read", json={"persona": "zhangdaye", "chat_id": "chat-g1", "last_id": 0})
    assert unread(api, "zhangdaye")[0]["chat-g1"] == 0

    # The app's own messages: a reply to 帮助 is one unread line with a preview.
    api.http.post(api.base + "/users/zhangdaye/messages", json={"text": "帮助"}, timeout=30)
    data = api.http.get(api.base + "/chats", params={"persona": "zhangdaye"}, timeout=10).json()
    assert data["direct"]["unread"] == 1
    assert "网格哨 使用说明" in data["direct"]["last_message"]["text"]
    assert unread(api, "wangfang")[1] == 0
    last_dm = api.direct("zhangdaye")[-1]["id"]
    assert api.http.post(api.base + "/read", json={"persona": "zhangdaye", "chat_id": "dm",
                                                   "last_id": last_dm}).json() == {"unread": 0}


def test_bad_read_markers_are_refused_plainly(api):
    post = lambda body: api.http.post(api.base + "/read", json=body, timeout=10)  # noqa: E731
    assert post({"persona": "zhangdaye", "chat_id": "chat-g1", "last_id": -1}).status_code == 400
    assert post({"persona": "zhangdaye", "chat_id": "chat-g1", "last_id": "5"}).status_code == 400
    assert post({"persona": "zhangdaye", "chat_id": "chat-g1", "last_id": True}).status_code == 400
    assert post({"persona": "nobody", "chat_id": "chat-g1", "last_id": 1}).status_code == 404
    assert post({"persona": "zhangdaye", "chat_id": "chat-c1", "last_id": 1}).status_code == 400
    assert api.http.post(api.base + "/read", data="not json", timeout=10).status_code in (400, 404)
