"""A live sandbox per test: the bot app with the sandbox installed, served on a free port.

Jobs run inline (start_jobs=False), so by the time a POST returns, every push the bot made
has reached the fake WeCom server and the transcripts: tests need no sleeping.
"""
from __future__ import annotations

import pytest
import requests

from bot.local.sandbox.live import LiveServer


@pytest.fixture
def live(settings, app, demo):
    """(base URL, sandbox app); `app` cleaned the database and Redis, `demo` seeded the district."""
    from bot.app import create_app
    from bot.local.sandbox import init_app

    sandbox_app = create_app(settings.with_overrides(sandbox=True), start_jobs=False)
    sandbox = sandbox_app.extensions.get("sandbox") or init_app(sandbox_app)
    sandbox_app.extensions["gridwhistle"].model  # noqa: B018 — load the classifier before the clock starts ticking
    with LiveServer(sandbox_app) as server:
        yield server.url, sandbox_app
    sandbox.stop()
    sandbox_app.extensions["gridwhistle"].db.dispose()


class Api:
    """The sandbox JSON API, as the page uses it."""

    def __init__(self, base: str):
        self.base = base + "/sandbox/api"
        self.http = requests.Session()

    def chats(self) -> dict:
        return self.http.get(f"{self.base}/chats", timeout=10).json()

    def post(self, chat_id: str, sender: str, text: str, quote: int | None = None) -> requests.Response:
        return self.http.post(f"{self.base}/chats/{chat_id}/messages",
                              json={"sender": sender, "text": text, "quote": quote}, timeout=30)

    def say(self, chat_id: str, sender: str, text: str, quote: int | None = None) -> dict:
        resp = self.post(chat_id, sender, text, quote)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def messages(self, chat_id: str) -> list[dict]:
        return self.http.get(f"{self.base}/chats/{chat_id}/messages", timeout=10).json()["messages"]

    def direct(self, user_id: str) -> list[dict]:
        return self.http.get(f"{self.base}/users/{user_id}/messages", timeout=10).json()["messages"]

    def advance(self, minutes) -> requests.Response:
        return self.http.post(f"{self.base}/clock", json={"advance_minutes": minutes}, timeout=30)


@pytest.fixture
def api(live) -> Api:
    return Api(live[0])
