"""The sandbox blueprint: the phone-style chat page and the JSON API it (and the tests) use.

    GET  /sandbox                                  the page
    GET  /sandbox/api/chats                        {"chats": [...], "people": [...], "now": iso}
    GET  /sandbox/api/chats/<chat_id>/messages     {"messages": [...]}   (every message, in order)
    POST /sandbox/api/chats/<chat_id>/messages     {"sender", "text", "quote"?: message id}
    GET  /sandbox/api/users/<user_id>/messages     {"messages": [...]}   (direct messages with the app)
    POST /sandbox/api/users/<user_id>/messages     {"text"}              (write to the app one-to-one)
    GET  /sandbox/api/clock                        {"now": iso, "offset_minutes": n}
    POST /sandbox/api/clock                        {"advance_minutes": n} → moves the bot's clock, sweeps
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from bot.local.sandbox.delivery import (
    DeliveryFailed,
    deliver_direct_message,
    deliver_group_message,
    numeric_msgid,
)
from bot.local.sandbox.hub import Sandbox
from bot.local.sandbox.store import SandboxMessage
from bot.sweep import sweep_job

log = logging.getLogger(__name__)
bp = Blueprint("sandbox", __name__, url_prefix="/sandbox", template_folder="templates",
               static_folder="static", static_url_path="/static")

MAX_TEXT = 2000
MAX_ADVANCE_MINUTES = 60 * 24 * 60  # sixty days
FAILED_NOTE = "网格哨未响应（已重试 {tries} 次）"


def _sandbox() -> Sandbox:
    return current_app.extensions["sandbox"]


def _bot_url(sandbox: Sandbox) -> str:
    # The bot is this very app: the URL this request reached it on works for the callback too.
    return sandbox.bot_url or request.host_url


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify(error=message), status


def _json_body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _text(data: dict) -> str | None:
    text = data.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        return None
    return text


@bp.get("")
@bp.get("/")
def page() -> str:
    return render_template("sandbox/index.html")


@bp.get("/api/chats")
def list_chats():
    sandbox = _sandbox()
    chats = sandbox.chats()
    listed = []
    for chat in chats:
        item = chat.to_json()
        last = sandbox.store.last_in_chat(chat.chat_id)
        item["last_message"] = last.to_json() if last else None
        item["message_count"] = sandbox.store.count_in_chat(chat.chat_id)
        listed.append(item)
    people: dict[str, dict] = {}
    for chat in chats:
        for member in chat.members:
            entry = people.setdefault(member.user_id, {**member.to_json(), "chats": []})
            entry["chats"].append(chat.chat_id)
    return jsonify(chats=listed, people=list(people.values()), now=sandbox.now_iso())


@bp.get("/api/chats/<chat_id>/messages")
def chat_messages(chat_id: str):
    sandbox = _sandbox()
    if sandbox.chat(chat_id) is None:
        return _error(404, "没有这个群聊")
    return jsonify(messages=[m.to_json() for m in sandbox.store.chat_messages(chat_id)])


@bp.post("/api/chats/<chat_id>/messages")
def post_chat_message(chat_id: str):
    sandbox = _sandbox()
    chat = sandbox.chat(chat_id)
    if chat is None:
        return _error(404, "没有这个群聊")
    data = _json_body()
    sender, text = data.get("sender"), _text(data)
    member = next((m for m in chat.members if m.user_id == sender), None)
    if member is None:
        return _error(400, "发送人不是该群成员")
    if text is None:
        return _error(400, f"请输入 1–{MAX_TEXT} 字的文字消息")
    quoted = None
    if data.get("quote") not in (None, ""):
        try:
            quoted = sandbox.store.get(int(data["quote"]))
        except (TypeError, ValueError):
            quoted = None
        if quoted is None or quoted.chat_id != chat_id:
            return _error(400, "引用的消息不在本群")
    message = SandboxMessage(
        id=sandbox.store.next_id(), sender=member.user_id, sender_name=member.name, text=text,
        time=sandbox.now_iso(), from_bot=False, chat_id=chat_id,
        quote={"id": quoted.id, "sender_name": quoted.sender_name, "text": quoted.text} if quoted else None,
    )
    sandbox.store.add_to_chat(chat_id, message)
    try:
        delivery = deliver_group_message(
            _bot_url(sandbox), current_app.config["SETTINGS"], msgid=message.msgid, chat_id=chat_id,
            user_id=member.user_id, text=text, quote_text=quoted.text if quoted else None,
            quote_id=quoted.msgid if quoted else None, policy=sandbox.policy,
        )
    except DeliveryFailed:
        note = FAILED_NOTE.format(tries=sandbox.policy.tries)
        sandbox.bot_message(note, chat_id=chat_id, note="system")
        return jsonify(message=message.to_json(), reply=None, error=note), 502
    reply = sandbox.bot_message(delivery.reply, chat_id=chat_id) if delivery.reply else None
    return jsonify(message=message.to_json(), reply=reply.to_json() if reply else None,
                   attempts=delivery.attempts), 201


@bp.get("/api/users/<user_id>/messages")
def user_messages(user_id: str):
    return jsonify(messages=[m.to_json() for m in _sandbox().store.user_messages(user_id)])


@bp.post("/api/users/<user_id>/messages")
def post_user_message(user_id: str):
    sandbox = _sandbox()
    text = _text(_json_body())
    if text is None:
        return _error(400, f"请输入 1–{MAX_TEXT} 字的文字消息")
    name = sandbox.name_of(user_id)
    if name == user_id and not any(m.user_id == user_id for c in sandbox.chats() for m in c.members):
        return _error(404, "没有这个人")
    message = SandboxMessage(id=sandbox.store.next_id(), sender=user_id, sender_name=name, text=text,
                             time=sandbox.now_iso(), from_bot=False, to_user=user_id, msgid=numeric_msgid())
    sandbox.store.add_to_user(user_id, message)
    try:
        delivery = deliver_direct_message(_bot_url(sandbox), current_app.config["SETTINGS"], msgid=message.msgid,
                                          user_id=user_id, text=text, policy=sandbox.policy)
    except DeliveryFailed:
        note = FAILED_NOTE.format(tries=sandbox.policy.tries)
        sandbox.bot_message(note, to_user=user_id, note="system")
        return jsonify(message=message.to_json(), reply=None, error=note), 502
    reply = sandbox.bot_message(delivery.reply, to_user=user_id) if delivery.reply else None
    return jsonify(message=message.to_json(), reply=reply.to_json() if reply else None,
                   attempts=delivery.attempts), 201


@bp.get("/api/clock")
def get_clock():
    clock = _sandbox().svc.clock
    return jsonify(now=clock.now().isoformat(timespec="seconds"), offset_minutes=round(clock.offset_seconds() / 60))


@bp.post("/api/clock")
def advance_clock():
    data = _json_body()
    minutes = data.get("advance_minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not 0 < minutes <= MAX_ADVANCE_MINUTES:
        return _error(400, f"advance_minutes 须为 1–{MAX_ADVANCE_MINUTES} 之间的数字")
    clock = _sandbox().svc.clock
    clock.advance(minutes * 60)
    counts = sweep_job()  # deadlines, reminders and escalations fire now, not at the next sweep
    log.info("sandbox clock advanced %s min; sweep %s", minutes, counts)
    return jsonify(now=clock.now().isoformat(timespec="seconds"),
                   offset_minutes=round(clock.offset_seconds() / 60), sweep=counts)
