"""A local fake of the WeChat / WeCom HTTP APIs the bot pushes to.

Tests and the developer sandbox point every channel's base URL at this server instead of
qyapi.weixin.qq.com / api.weixin.qq.com, so nothing reaches the internet. It answers with
WeChat's JSON shapes and errcodes, checks access tokens, enforces the robot's 20/min limit and
WeCom's duplicate check, records every delivered message, and lets tests inject faults.

Run standalone for the sandbox::

    python -m bot.local.fake_wechat --port 8900
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Self

from flask import Flask, Response, request
from werkzeug.serving import BaseWSGIServer, make_server

from bot.intake.photos import aes_key, encrypt

logger = logging.getLogger(__name__)

__all__ = [
    "DeliveredMessage",
    "FakeWeChatServer",
    "FakeWeChatState",
    "create_fake_wechat_app",
]

TOKEN_LIFETIME = 7200
ROBOT_PER_MINUTE = 20
TEXT_LIMIT_BYTES = 2048
MEDIA_LIFETIME = 300  # WeCom's robot image URLs work for about five minutes
TEMP_MEDIA_LIFETIME = 3 * 24 * 3600  # a MediaId (temporary media) works for three days
RESPONSE_URL_LIFETIME = 3600

ERRMSGS: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40003: "invalid openid",
    40007: "invalid media_id",
    40008: "invalid message type",
    40013: "invalid corpid",
    40014: "invalid access_token",
    40037: "invalid template_id",
    40058: "invalid parameter, content exceed max length 2048",
    40125: "invalid appsecret",
    41001: "access_token missing",
    41006: "media_id missing",
    42001: "access_token expired",
    43004: "require subscribe",
    44004: "empty content",
    45009: "reach max api daily quota limit",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    81013: "user & party & tag all invalid",
    86003: "chatid not found",
    86006: "invalid chat member count",
    86215: "chatid already exists",
    93000: "invalid webhook url",
    600039: "response_code expired or already used",
    130101: "send to group robot: freq out of limit",
}

Subscriber = Callable[["DeliveredMessage"], None]


@dataclass(frozen=True)
class DeliveredMessage:
    """One message the fake accepted and delivered (what a real member would have seen)."""

    route: str  # wecom_chat | wecom_user | robot | oa_custom | oa_template
    target: str  # chat id, user id, robot key or openid
    text: str
    at: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Token:
    kind: str  # "wecom" | "oa"
    expires_at: float


class FakeWeChatState:
    """Everything the fake knows; shared between the Flask app and the test, guarded by a lock."""

    def __init__(
        self,
        corp_id: str = "wwfakecorp",
        corp_secret: str = "fake-corp-secret",
        oa_app_id: str = "wxfakeapp",
        oa_secret: str = "fake-oa-secret",
        timeout_sleep: float = 2.0,
        token_delay: float = 0.0,
        robot_aes_key: str | None = None,
    ) -> None:
        self.corp_id = corp_id
        self.corp_secret = corp_secret
        self.oa_app_id = oa_app_id
        self.oa_secret = oa_secret
        self.timeout_sleep = timeout_sleep
        # Seconds gettoken/token take to answer: widens the window for refresh races in tests.
        self.token_delay = token_delay
        self.lock = threading.RLock()
        self.messages: list[DeliveredMessage] = []
        # "wecom" / "oa" -> number of gettoken calls
        self.token_fetches: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()  # path -> number of requests
        self.chats: dict[str, dict[str, Any]] = {}
        self.known_users: set[str] | None = None  # None: every user id is valid
        # None: every openid follows the account
        self.oa_followers: set[str] | None = None
        # openids inside the 48 h customer-service window
        self.oa_window: set[str] = set()
        self.oa_templates: set[str] | None = None  # None: every template id exists
        self.robot_keys: set[str] | None = None  # None: every webhook key is valid
        self._tokens: dict[str, _Token] = {}
        self._faults: dict[str, deque[str | int]] = {}
        self._robot_sends: dict[str, deque[float]] = {}
        self._dup_seen: dict[tuple[Any, ...], float] = {}
        self._subscribers: list[Subscriber] = []
        self._msgids = itertools.count(1000)
        self.stopping = threading.Event()
        # The robot's EncodingAESKey: media is served encrypted with it, as WeCom does.
        self.robot_aes_key = robot_aes_key
        self._media: dict[str, tuple[bytes, float]] = {}
        # Temporary media by MediaId (photos sent to the OA or the app): media id -> (kind, bytes, expires at).
        self._temp_media: dict[str, tuple[str, bytes, float]] = {}
        self._response_codes: dict[str, float] = {}

    # -- test controls -------------------------------------------------------------------------
    def fail_next(self, path: str, times: int = 1, mode: str | int = "http500") -> None:
        """Make the next `times` requests to path fail: "http500", "timeout" or a WeChat errcode.

        "timeout" sleeps `timeout_sleep` seconds (longer than the client timeout) and then
        answers errcode -1 without delivering anything.
        """
        if mode not in ("http500", "timeout") and not isinstance(mode, int):
            raise ValueError(f"unknown fault mode {mode!r}")
        with self.lock:
            self._faults.setdefault(path, deque()).extend([mode] * times)

    def expire_tokens(self) -> None:
        """Expire every issued token: the next API call answers 42001."""
        with self.lock:
            for token in self._tokens.values():
                token.expires_at = 0

    def subscribe(self, callback: Subscriber) -> None:
        """Call callback(message) for every delivered message (from the server thread)."""
        with self.lock:
            self._subscribers.append(callback)

    def unsubscribe(self, callback: Subscriber) -> None:
        with self.lock:
            self._subscribers.remove(callback)

    def add_chat(
        self, chat_id: str, members: list[str], name: str = "", owner: str = ""
    ) -> None:
        with self.lock:
            self.chats[chat_id] = {
                "name": name,
                "owner": owner or members[0],
                "userlist": list(members),
            }

    def open_window(self, openid: str) -> None:
        """Pretend the user just wrote to the Official Account (48 h window open)."""
        with self.lock:
            self.oa_window.add(openid)

    def messages_for(
        self, target: str | None = None, route: str | None = None
    ) -> list[DeliveredMessage]:
        with self.lock:
            return [
                m
                for m in self.messages
                if (target is None or m.target == target)
                and (route is None or m.route == route)
            ]

    def add_media(self, plain: bytes, lifetime: float = MEDIA_LIFETIME, *, encrypted: bool = True) -> str:
        """Serve these bytes (AES-encrypted with the robot key) at an expiring path; returns the path.

        `encrypted=False` serves the bytes as given (for tests of bytes that do not decrypt).
        """
        if encrypted and not self.robot_aes_key:
            raise ValueError("the fake needs robot_aes_key to serve encrypted media")
        body = encrypt(plain, aes_key(self.robot_aes_key)) if encrypted else plain
        token = secrets.token_hex(12)
        with self.lock:
            self._media[token] = (body, time.time() + lifetime)
        return f"/aibot-img/{token}?sign=q-sign-time%3D{int(time.time())}"

    def expire_media(self) -> None:
        with self.lock:
            self._media = {k: (body, 0.0) for k, (body, _) in self._media.items()}

    def media(self, token: str) -> tuple[bytes, float] | None:
        with self.lock:
            return self._media.get(token)

    def add_temp_media(self, data: bytes, kind: str = "wecom", lifetime: float = TEMP_MEDIA_LIFETIME) -> str:
        """Keep a photo a member sent to the app ("wecom") or the Official Account ("oa"); its MediaId.

        The bytes are served as they are (no encryption) by media/get, to that kind's tokens only.
        """
        if kind not in ("wecom", "oa"):
            raise ValueError(f"unknown media kind {kind!r}")
        # OA media ids are 64 URL-safe characters; WeCom's start with a digit and a dash.
        media_id = secrets.token_urlsafe(48) if kind == "oa" else "1-" + secrets.token_urlsafe(36)
        with self.lock:
            self._temp_media[media_id] = (kind, data, time.time() + lifetime)
        return media_id

    def temp_media(self, media_id: str, kind: str) -> bytes | None:
        """The bytes of a live MediaId of this kind (None: unknown, another app's or past its days)."""
        with self.lock:
            found = self._temp_media.get(media_id)
        if found is None or found[0] != kind or found[2] <= time.time():
            return None
        return found[1]

    def expire_temp_media(self) -> None:
        with self.lock:
            self._temp_media = {k: (kind, body, 0.0) for k, (kind, body, _) in self._temp_media.items()}

    def issue_response_url(self, lifetime: float = RESPONSE_URL_LIFETIME) -> str:
        """A robot callback's one-shot response_url path (good for one POST within the hour)."""
        code = secrets.token_hex(16)
        with self.lock:
            self._response_codes[code] = time.time() + lifetime
        return f"/cgi-bin/aibot/response?response_code={code}"

    def use_response_code(self, code: str) -> bool:
        with self.lock:
            expires = self._response_codes.pop(code, 0.0)
        return expires > time.time()

    def reset_messages(self) -> None:
        with self.lock:
            self.messages.clear()

    # -- used by the app -----------------------------------------------------------------------
    def take_fault(self, path: str) -> str | int | None:
        with self.lock:
            queue = self._faults.get(path)
            return queue.popleft() if queue else None

    def issue_token(self, kind: str) -> str:
        token = f"{kind}-{secrets.token_hex(12)}"
        with self.lock:
            self.token_fetches[kind] += 1
            self._tokens[token] = _Token(kind, time.time() + TOKEN_LIFETIME)
        return token

    def token_kind(self, token: str | None) -> str | None:
        with self.lock:
            found = self._tokens.get(token or "")
        return found.kind if found is not None else None

    def check_token(self, token: str | None, kind: str) -> int:
        """0 if the token is valid for this kind of API, else the WeChat errcode."""
        if not token:
            return 41001
        with self.lock:
            found = self._tokens.get(token)
        if found is None or found.kind != kind:
            return 40014
        if found.expires_at <= time.time():
            return 42001
        return 0

    def robot_allow(self, key: str) -> bool:
        now = time.time()
        with self.lock:
            sent = self._robot_sends.setdefault(key, deque())
            while sent and now - sent[0] >= 60:
                sent.popleft()
            if len(sent) >= ROBOT_PER_MINUTE:
                return False
            sent.append(now)
            return True

    def duplicate(self, key: tuple[Any, ...], interval: float) -> bool:
        """True if the same content went to the same user within interval (WeCom's check)."""
        now = time.time()
        with self.lock:
            last = self._dup_seen.get(key)
            if last is not None and now - last < interval:
                return True
            self._dup_seen[key] = now
            return False

    def next_msgid(self) -> str:
        with self.lock:
            return str(next(self._msgids))

    def record(
        self, route: str, target: str, text: str, **extra: Any
    ) -> DeliveredMessage:
        message = DeliveredMessage(route, target, text, time.time(), extra)
        with self.lock:
            self.messages.append(message)
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(message)
            except Exception:  # a broken sandbox hook must not break the fake API
                logger.exception("fake wechat subscriber failed")
        return message


def _err(errcode: int, status: int = 200) -> Response:
    return _json(
        {"errcode": errcode, "errmsg": ERRMSGS.get(errcode, "fake error")}, status
    )


def _json(payload: dict[str, Any] | list[Any], status: int = 200) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False), status, mimetype="application/json"
    )


def _image_type(data: bytes) -> str:
    for magic, kind in ((b"\xff\xd8\xff", "jpeg"), (b"\x89PNG", "png"), (b"GIF8", "gif")):
        if data.startswith(magic):
            return kind
    return "webp" if data[8:12] == b"WEBP" else "jpeg"


def _body() -> dict[str, Any]:
    # wechatpy posts UTF-8 JSON bytes without a JSON content type.
    raw = request.get_data()
    try:
        data = json.loads(raw.decode("utf-8")) if raw else {}
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}


def create_fake_wechat_app(state: FakeWeChatState) -> Flask:
    """Build the fake API as a Flask app around state (the test keeps the state object)."""
    app = Flask(__name__)

    @app.before_request
    def _faults() -> Response | None:
        path = request.path
        if path.startswith("/_fake/"):
            return None
        with state.lock:
            state.calls[path] += 1
        fault = state.take_fault(path)
        if fault is None:
            return None
        if fault == "http500":
            return Response("fake internal error", 500)
        if fault == "timeout":
            state.stopping.wait(state.timeout_sleep)
            return _err(-1)
        return _err(int(fault))

    def _need_token(kind: str) -> Response | None:
        errcode = state.check_token(request.args.get("access_token"), kind)
        return _err(errcode) if errcode else None

    # -- WeCom -------------------------------------------------------------------------------
    @app.get("/cgi-bin/gettoken")
    def wecom_gettoken() -> Response:
        if request.args.get("corpid") != state.corp_id:
            return _err(40013)
        if request.args.get("corpsecret") != state.corp_secret:
            return _err(40001)
        state.stopping.wait(state.token_delay)
        token = state.issue_token("wecom")
        return _json(
            {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": token,
                "expires_in": TOKEN_LIFETIME,
            }
        )

    @app.post("/cgi-bin/appchat/create")
    def appchat_create() -> Response:
        if (bad := _need_token("wecom")) is not None:
            return bad
        data = _body()
        members = data.get("userlist") or []
        if not 2 <= len(members) <= 2000:
            return _err(86006)
        chat_id = data.get("chatid") or secrets.token_hex(8)
        with state.lock:
            if chat_id in state.chats:
                return _err(86215)
            state.add_chat(
                chat_id, members, data.get("name", ""), data.get("owner", "")
            )
        return _json({"errcode": 0, "errmsg": "ok", "chatid": chat_id})

    @app.post("/cgi-bin/appchat/send")
    def appchat_send() -> Response:
        if (bad := _need_token("wecom")) is not None:
            return bad
        data = _body()
        chat_id = data.get("chatid", "")
        with state.lock:
            chat = state.chats.get(chat_id)
        if chat is None:
            return _err(86003)
        text = (data.get("text") or {}).get("content", "")
        if not text:
            return _err(44004)
        if len(text.encode("utf-8")) > TEXT_LIMIT_BYTES:
            return _err(40058)
        state.record("wecom_chat", chat_id, text, members=len(chat["userlist"]))
        return _json({"errcode": 0, "errmsg": "ok"})

    @app.post("/cgi-bin/message/send")
    def message_send() -> Response:
        if (bad := _need_token("wecom")) is not None:
            return bad
        data = _body()
        users = [u for u in str(data.get("touser", "")).split("|") if u]
        with state.lock:
            known = state.known_users
        valid = (
            users
            if known is None or users == ["@all"]
            else [u for u in users if u in known]
        )
        invalid = [u for u in users if u not in valid]
        if not valid:
            return _err(81013)
        card = data.get("template_card") if data.get("msgtype") == "template_card" else None
        if card is not None:
            if not isinstance(card, dict) or not card.get("task_id") or not card.get("card_type"):
                return _err(40008)
            title = (card.get("main_title") or {}).get("title", "")
            text = "\n".join(t for t in (title, card.get("sub_title_text", "")) if t)
        else:
            text = (data.get("text") or {}).get("content", "")
        if not text:
            return _err(44004)
        if len(text.encode("utf-8")) > TEXT_LIMIT_BYTES:
            return _err(40058)
        interval = min(int(data.get("duplicate_check_interval") or 1800), 14400)
        dedup = bool(data.get("enable_duplicate_check"))
        for user in valid:
            if dedup and state.duplicate((data.get("agentid"), user, text), interval):
                continue
            extra = {"agentid": data.get("agentid")}
            if card is not None:
                extra["card"] = card
            state.record("wecom_user", user, text, **extra)
        return _json(
            {
                "errcode": 0,
                "errmsg": "ok",
                "invaliduser": "|".join(invalid),
                "invalidparty": "",
                "invalidtag": "",
                "unlicenseduser": "",
                "msgid": state.next_msgid(),
            }
        )

    @app.post("/cgi-bin/webhook/send")
    def webhook_send() -> Response:
        key = request.args.get("key", "")
        with state.lock:
            keys = state.robot_keys
        if not key or (keys is not None and key not in keys):
            return _err(93000)
        data = _body()
        if data.get("msgtype") not in ("text", "markdown"):
            return _err(40008 if data else 40058)
        body = data.get(data["msgtype"]) or {}
        text = body.get("content", "")
        if not text:
            return _err(44004)
        if len(text.encode("utf-8")) > TEXT_LIMIT_BYTES:
            return _err(40058)
        if not state.robot_allow(key):
            return _err(130101)
        state.record(
            "robot", key, text, mentioned_list=body.get("mentioned_list") or []
        )
        return _json({"errcode": 0, "errmsg": "ok"})

    # -- the group robot (智能机器人): media downloads and late replies ----------------------------
    @app.get("/aibot-img/<token>")
    def robot_media(token: str) -> Response:
        found = state.media(token)
        if found is None:
            return Response("NoSuchKey", 404, mimetype="application/xml")
        body, expires_at = found
        if expires_at <= time.time():
            # What COS answers for a signed URL past its time.
            return Response("AccessDenied: Request has expired", 403, mimetype="application/xml")
        return Response(body, 200, mimetype="application/octet-stream")

    @app.post("/cgi-bin/aibot/response")
    def robot_response() -> Response:
        code = request.args.get("response_code", "")
        if not code or not state.use_response_code(code):
            return _err(600039)
        data = _body()
        kind = data.get("msgtype")
        if kind not in ("markdown", "template_card"):
            return _err(40008)
        part = data.get(kind) or {}
        text = part.get("content", "") if kind == "markdown" else (part.get("main_title") or {}).get("title", "")
        if not text:
            return _err(44004)
        state.record("robot_response", code, text)
        return _json({"errcode": 0, "errmsg": "ok"})

    # -- temporary media (photos sent to the app or the Official Account) ----------------------------
    @app.get("/cgi-bin/media/get")
    def media_get() -> Response:
        """One path for both APIs, as on Tencent's two hosts: the token says which app asks."""
        token = request.args.get("access_token")
        if (bad := _need_token(state.token_kind(token) or "wecom")) is not None:
            return bad
        media_id = request.args.get("media_id", "")
        if not media_id:
            return _err(41006)
        data = state.temp_media(media_id, state.token_kind(token) or "")
        if data is None:
            return _err(40007)
        kind = _image_type(data)
        return Response(data, 200, mimetype=f"image/{kind}",
                        headers={"Content-Disposition": f'attachment; filename="{media_id}.{kind}"'})

    # -- Official Account ----------------------------------------------------------------------
    @app.get("/cgi-bin/token")
    def oa_token() -> Response:
        if (
            request.args.get("grant_type") != "client_credential"
            or request.args.get("appid") != state.oa_app_id
        ):
            return _err(40013)
        if request.args.get("secret") != state.oa_secret:
            return _err(40125)
        state.stopping.wait(state.token_delay)
        token = state.issue_token("oa")
        return _json({"access_token": token, "expires_in": TOKEN_LIFETIME})

    def _follower_error(openid: str) -> int:
        with state.lock:
            followers = state.oa_followers
        return 40003 if followers is not None and openid not in followers else 0

    @app.post("/cgi-bin/message/custom/send")
    def oa_custom_send() -> Response:
        if (bad := _need_token("oa")) is not None:
            return bad
        data = _body()
        openid = data.get("touser", "")
        if errcode := _follower_error(openid):
            return _err(errcode)
        with state.lock:
            inside = openid in state.oa_window
        if not inside:
            return _err(45015)
        text = (data.get("text") or {}).get("content", "")
        if not text:
            return _err(44004)
        state.record("oa_custom", openid, text)
        return _json({"errcode": 0, "errmsg": "ok"})

    @app.post("/cgi-bin/message/template/send")
    def oa_template_send() -> Response:
        if (bad := _need_token("oa")) is not None:
            return bad
        data = _body()
        openid = data.get("touser", "")
        if _follower_error(openid):
            return _err(43004)
        template_id = data.get("template_id", "")
        with state.lock:
            templates = state.oa_templates
        if not template_id or (templates is not None and template_id not in templates):
            return _err(40037)
        fields = data.get("data") or {}
        text = "\n".join(
            str(v.get("value", "")) for v in fields.values() if isinstance(v, dict)
        )
        state.record("oa_template", openid, text, template_id=template_id, data=fields)
        return _json({"errcode": 0, "errmsg": "ok", "msgid": int(state.next_msgid())})

    # -- inspection for out-of-process tests ----------------------------------------------------
    @app.get("/_fake/messages")
    def fake_messages() -> Response:
        found = state.messages_for(
            request.args.get("target"), request.args.get("route")
        )
        return _json([asdict(m) for m in found])

    @app.post("/_fake/faults")
    def fake_faults() -> Response:
        data = request.get_json(force=True, silent=True) or {}
        mode = data.get("mode", "http500")
        if isinstance(mode, str) and mode.lstrip("-").isdigit():
            mode = int(mode)  # "42001" from a shell script means the errcode
        data["mode"] = mode
        try:
            state.fail_next(
                str(data["path"]),
                int(data.get("times", 1)),
                data.get("mode", "http500"),
            )
        except (KeyError, ValueError, TypeError) as exc:
            return _json({"ok": False, "error": str(exc)}, 400)
        return _json({"ok": True})

    @app.post("/_fake/expire_tokens")
    def fake_expire_tokens() -> Response:
        state.expire_tokens()
        return _json({"ok": True})

    @app.get("/_fake/stats")
    def fake_stats() -> Response:
        with state.lock:
            return _json(
                {"token_fetches": dict(state.token_fetches), "calls": dict(state.calls)}
            )

    return app


class FakeWeChatServer:
    """Serve the fake on 127.0.0.1 in a daemon thread. Port 0 picks a free port."""

    def __init__(
        self,
        state: FakeWeChatState | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.state = state or FakeWeChatState()
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._server.server_port}"

    def start(self) -> Self:
        self.state.stopping.clear()
        self._server = make_server(
            self.host, self.port, create_fake_wechat_app(self.state), threaded=True
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-wechat",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self.state.stopping.set()  # wake handlers sleeping in a "timeout" fault
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _iter_lines(
    state: FakeWeChatState,
) -> Iterator[str]:  # pragma: no cover - interactive only
    yield f"corp_id={state.corp_id} corp_secret={state.corp_secret}"
    yield f"oa_app_id={state.oa_app_id} oa_secret={state.oa_secret}"


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - interactive only
    parser = argparse.ArgumentParser(
        description="Fake WeChat/WeCom API for the GridWhistle sandbox"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--corp-id", default="wwfakecorp")
    parser.add_argument("--corp-secret", default="fake-corp-secret")
    parser.add_argument("--oa-app-id", default="wxfakeapp")
    parser.add_argument("--oa-secret", default="fake-oa-secret")
    parser.add_argument(
        "--chat",
        action="append",
        default=[],
        metavar="CHATID=user1,user2",
        help="pre-create an app chat (repeatable)",
    )
    parser.add_argument(
        "--oa-window",
        action="append",
        default=[],
        metavar="OPENID",
        help="openid inside the 48h window (repeatable)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    state = FakeWeChatState(
        args.corp_id, args.corp_secret, args.oa_app_id, args.oa_secret
    )
    for spec in args.chat:
        chat_id, _, members = spec.partition("=")
        state.add_chat(
            chat_id, [m for m in members.split(",") if m] or ["owner", "member"]
        )
    for openid in args.oa_window:
        state.open_window(openid)
    state.subscribe(lambda m: print(f"[{m.route}] -> {m.target}: {m.text}", flush=True))
    server = FakeWeChatServer(state, args.host, args.port).start()
    for line in _iter_lines(state):
        print(line, flush=True)
    print(f"fake WeChat API on {server.base_url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
