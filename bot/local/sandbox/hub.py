"""The running sandbox: the fake WeCom server, the transcripts, and the glue between them.

Everything the bot pushes goes to the fake WeCom API (`appchat/send`, `message/send`,
`webhook/send`); a subscriber on the fake turns each delivered message into a line in the
right transcript. Everything a member types goes to the bot through delivery.py, and the
bot's passive reply becomes a line in the same chat.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask

from bot.intake.archive.pull import read_cursor
from bot.runtime.config import Settings
from bot.local.archive_source import LocalArchiveSource, key_setting
from bot.local.fake_wechat import DeliveredMessage, FakeWeChatServer, FakeWeChatState
from bot.local.sandbox import directory
from bot.local.sandbox.delivery import WECOM_RETRY, RetryPolicy
from bot.local.sandbox.store import SandboxMessage, TranscriptStore
from bot.runtime.services import Services

log = logging.getLogger(__name__)
BOT_NAME = "网格哨"
CLOCK_KEY = "clock_offset_seconds"


class Sandbox:
    def __init__(self, svc: Services, *, fake_port: int = 0, policy: RetryPolicy = WECOM_RETRY):
        self.svc = svc
        self.store = TranscriptStore(svc.db)
        # The conversation archive of the `all` chats (what Tencent's servers keep), in the app's Redis.
        self.archive = LocalArchiveSource(svc.redis)
        self.policy = policy
        s = svc.settings
        self.fake = FakeWeChatServer(FakeWeChatState(
            corp_id=s.wecom_corp_id, corp_secret=s.wecom_secret,
            oa_app_id=s.wechat_app_id, oa_secret=s.wechat_secret, robot_aes_key=s.robot_aes_key,
        ), port=fake_port)
        # Set by the entry point or a test; otherwise the URL the API request came in on.
        self.bot_url: str | None = None
        self._chat_by_target: dict[tuple[str, str], str] = {}
        self._names: dict[str, str] = {}
        self._response_chats: dict[str, str] = {}  # response_code → the chat its callback came from
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self.restore_clock()
        self.fake.start()
        self.fake.state.subscribe(self._on_delivered)
        log.info("sandbox fake WeCom API on %s", self.fake.base_url)

    def stop(self) -> None:
        self.fake.stop()

    def settings_for_bot(self, settings: Settings) -> Settings:
        """The bot's settings with every channel pointed at the sandbox's fake server, and the archive
        at the local one (opened with the committed test-only key)."""
        return settings.with_overrides(wecom_api_base_url=self.fake.base_url,
                                       wechat_api_base_url=self.fake.base_url,
                                       archive_source="local", archive_private_key_files=key_setting())

    # -- the clock, kept in the database ------------------------------------------------------
    def restore_clock(self) -> None:
        """Put the bot's clock where the sandbox left it, so a restart never dates old tickets in the future.

        The database is the record (it survives a restart; the embedded Redis does not). With no
        record yet, the clock's current offset becomes the record.
        """
        saved = self.store.setting(CLOCK_KEY)
        if saved is None:
            self.store.set_setting(CLOCK_KEY, repr(self.svc.clock.offset_seconds()))
            return
        self.svc.clock.set_offset(float(saved))
        log.info("sandbox clock restored: %+.0f min", float(saved) / 60)

    def advance_clock(self, seconds: float) -> None:
        """Move the bot's clock forward and record where it now stands."""
        self.svc.clock.advance(seconds)
        self.store.set_setting(CLOCK_KEY, repr(self.svc.clock.offset_seconds()))

    # -- org data ------------------------------------------------------------------------------
    def chats(self) -> list[directory.Chat]:
        """Chats from the database; also makes sure the fake WeCom knows each one."""
        with self.svc.db.session() as session:
            found = directory.chats(session)
            everyone = directory.people(session)
        with self._lock:
            for chat in found:
                self._chat_by_target[(chat.route_kind, chat.route_target)] = chat.chat_id
                for m in chat.members:
                    self._names[m.user_id] = m.name
            for m in everyone.values():
                self._names[m.user_id] = m.name
        state = self.fake.state
        for chat in found:
            if chat.route_kind == "wecom_chat" and chat.route_target not in state.chats:
                state.add_chat(chat.route_target, [m.user_id for m in chat.members] or ["admin"], chat.name)
        return found

    def chat(self, chat_id: str) -> directory.Chat | None:
        return next((c for c in self.chats() if c.chat_id == chat_id), None)

    def name_of(self, user_id: str) -> str:
        with self._lock:
            known = self._names.get(user_id)
        if known is None:
            self.chats()
            with self._lock:
                known = self._names.get(user_id)
        return known or user_id

    # -- transcripts ---------------------------------------------------------------------------
    def now_iso(self) -> str:
        return self.svc.clock.now().isoformat(timespec="seconds")

    def response_url(self, chat_id: str) -> str:
        """A fresh one-shot response_url for a callback from this chat (late replies land there)."""
        path = self.fake.state.issue_response_url()
        with self._lock:
            self._response_chats[path.rsplit("=", 1)[1]] = chat_id
        return self.fake.base_url + path

    def media_url(self, data: bytes) -> str:
        """Serve a member's photo the way WeCom does: encrypted, at an expiring URL."""
        return self.fake.base_url + self.fake.state.add_media(data)

    def app_media(self, data: bytes) -> tuple[str, str]:
        """Keep a photo a member sends the app one-to-one as WeCom does: (MediaId, PicUrl).

        The bot fetches it by MediaId from the fake's media/get; the PicUrl is there because WeCom
        sends one, and answers nothing (the bot never fetches it).
        """
        media_id = self.fake.state.add_temp_media(data, kind="wecom")
        return media_id, f"{self.fake.base_url}/wework-pic/{media_id}"

    def bot_message(self, text: str, *, chat_id: str | None = None, to_user: str | None = None,
                    note: str = "", card: dict | None = None) -> SandboxMessage:
        message = SandboxMessage(id=self.store.next_id(), sender="bot", sender_name=BOT_NAME, text=text,
                                 time=self.now_iso(), from_bot=True, chat_id=chat_id, to_user=to_user, note=note,
                                 card=card)
        if chat_id is not None:
            return self.store.add_to_chat(chat_id, message)
        assert to_user is not None
        return self.store.add_to_user(to_user, message)

    def _on_delivered(self, delivered: DeliveredMessage) -> None:
        """Called on the fake server's thread for every push the bot made."""
        if delivered.route in ("wecom_chat", "robot"):
            with self._lock:
                chat_id = self._chat_by_target.get((delivered.route, delivered.target))
            if chat_id is None:
                self.chats()
                with self._lock:
                    chat_id = self._chat_by_target.get((delivered.route, delivered.target), delivered.target)
            self.bot_message(delivered.text, chat_id=chat_id)
        elif delivered.route == "robot_response":
            with self._lock:
                chat_id = self._response_chats.pop(delivered.target, None)
            if chat_id is not None:
                self.bot_message(delivered.text, chat_id=chat_id)
        elif delivered.route in ("wecom_user", "oa_custom", "oa_template"):
            self.bot_message(delivered.text, to_user=delivered.target, card=delivered.extra.get("card"))


def install(app: Flask, *, fake_port: int = 0) -> Sandbox:
    """Start the sandbox for app: its fake WeCom server, and the bot's channels pointed there."""
    svc: Services = app.extensions["gridwhistle"]
    sandbox = Sandbox(svc, fake_port=fake_port)
    sandbox.start()
    new_settings = sandbox.settings_for_bot(svc.settings)
    svc.use_settings(new_settings)
    app.config["SETTINGS"] = new_settings
    app.extensions["sandbox"] = sandbox
    # The archive's cursor is in the database, the local archive in Redis (the embedded one is gone after
    # a restart): number new lines after the cursor, or the puller would take them for lines it has.
    sandbox.archive.continue_after(read_cursor(svc))
    return sandbox


__all__ = ["BOT_NAME", "Sandbox", "install"]
