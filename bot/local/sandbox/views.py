"""The sandbox blueprint: the phone-style chat page and the JSON API it (and the tests) use.

    GET  /sandbox                                  the page
    GET  /sandbox/api/chats?persona=<user_id>      {"chats": [...], "people": [...], "now": iso,
                                                    "direct": {"last_message", "unread"}}  (unread: that persona's)
    POST /sandbox/api/read                         {"persona", "chat_id" | "dm", "last_id"} → {"unread"}
    GET  /sandbox/api/chats/<chat_id>/messages     {"messages": [...]}   (every message, in order)
    POST /sandbox/api/chats/<chat_id>/messages     {"sender", "text", "quote"?: message id,
                                                    "photos"?: [data: URLs], "voice"?: true}
    POST /sandbox/api/chats/<chat_id>/cards        {"sender", "message": id, "key", "selected"?: {q: option}}
    GET  /sandbox/api/users/<user_id>/messages     {"messages": [...]}   (direct messages with the app)
    POST /sandbox/api/users/<user_id>/messages     {"text"?, "photos"?: [data: URLs]} (write to the app one-to-one)
    POST /sandbox/api/users/<user_id>/cards        {"message": id, "key"} (press a button the app sent)
    GET  /sandbox/api/clock                        {"now": iso, "offset_minutes": n}
    POST /sandbox/api/clock                        {"advance_minutes": n} → moves the bot's clock, sweeps

WeCom is modelled faithfully: in a chat whose listening mode is "mentions" (the robot alone) a line
reaches the bot only when it @-mentions it, photos travel with such a line as one mixed message,
and voice is never delivered from a group; in an "all" chat every line reaches the bot through the
conversation archive (archive_feed.py: archived, pulled, answered by a push into the chat), except
a line that @-mentions the bot: WeCom calls the robot back for it, as in a "mentions" chat.
"""
from __future__ import annotations

import base64
import binascii
import logging
import re
import uuid
from dataclasses import replace

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from bot.local.sandbox import archive_feed
from bot.local.sandbox.delivery import (
    DeliveryFailed,
    deliver_app_card_press,
    deliver_app_image,
    deliver_card_press,
    deliver_direct_message,
    deliver_group_message,
    numeric_msgid,
)
from bot.local.sandbox.hub import Sandbox
from bot.local.sandbox.store import DIRECT, SandboxMessage
from bot.sweep import sweep_job

log = logging.getLogger(__name__)
bp = Blueprint("sandbox", __name__, url_prefix="/sandbox", template_folder="templates",
               static_folder="static", static_url_path="/static")

MAX_TEXT = 2000
MAX_PHOTOS = 9
MAX_PHOTO_BYTES = 5 * 1024 * 1024
DATA_URL = re.compile(r"data:image/(jpeg|png|gif|webp);base64,([A-Za-z0-9+/=]+)")
BOT_MENTION = "@网格哨"
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


def _photos(data: dict) -> list[bytes] | None:
    """The attached photos as bytes (None: something that is not a small image)."""
    given = data.get("photos") or []
    if not isinstance(given, list) or len(given) > MAX_PHOTOS:
        return None
    found = []
    for item in given:
        match = DATA_URL.fullmatch(item) if isinstance(item, str) else None
        if match is None:
            return None
        try:
            raw = base64.b64decode(match.group(2), validate=True)
        except (binascii.Error, ValueError):
            return None
        if not raw or len(raw) > MAX_PHOTO_BYTES:
            return None
        found.append(raw)
    return found


def _heard(chat, text: str, photos: list[bytes], voice: bool) -> bool:
    """Whether WeCom would call the bot back for this line."""
    if chat.listening != "mentions":
        return True  # the conversation archive hears every line
    # The robot alone: only lines that @ it, and never a voice message from a group.
    return not voice and text.lstrip().startswith(BOT_MENTION)


@bp.get("")
@bp.get("/")
def page() -> str:
    return render_template("sandbox/index.html")


@bp.get("/api/chats")
def list_chats():
    sandbox = _sandbox()
    chats = sandbox.chats()
    persona = request.args.get("persona") or None
    listed = []
    for chat in chats:
        item = chat.to_json()
        last = sandbox.store.last_in_chat(chat.chat_id)
        item["last_message"] = last.to_json() if last else None
        item["message_count"] = sandbox.store.count_in_chat(chat.chat_id)
        if persona is not None:
            item["unread"] = sandbox.store.unread(persona, chat.chat_id)
        listed.append(item)
    people: dict[str, dict] = {}
    for chat in chats:
        for member in chat.members:
            entry = people.setdefault(member.user_id, {**member.to_json(), "chats": []})
            entry["chats"].append(chat.chat_id)
    direct = None
    if persona is not None:
        # The persona's own app messages (rating invitations, reminders, forwarded questions).
        last = sandbox.store.last_to_user(persona)
        direct = {"last_message": last.to_json() if last else None, "unread": sandbox.store.unread(persona, DIRECT)}
    return jsonify(chats=listed, people=list(people.values()), now=sandbox.now_iso(), direct=direct)


@bp.post("/api/read")
def mark_read():
    """The persona has seen a transcript up to a line: its unread count starts after it."""
    sandbox = _sandbox()
    data = _json_body()
    persona, last_id = data.get("persona"), data.get("last_id")
    if isinstance(last_id, bool) or not isinstance(last_id, int) or last_id < 0:
        return _error(400, "last_id 须为非负整数")
    chats = sandbox.chats()
    if not isinstance(persona, str) or not any(m.user_id == persona for c in chats for m in c.members):
        return _error(404, "没有这个人")
    chat_id = data.get("chat_id")
    if chat_id in (None, DIRECT):
        transcript = DIRECT
    else:
        chat = next((c for c in chats if c.chat_id == chat_id), None)
        if chat is None or not any(m.user_id == persona for m in chat.members):
            return _error(400, "该身份不在这个群里")
        transcript = chat.chat_id
    sandbox.store.mark_read(persona, transcript, last_id)
    return jsonify(unread=sandbox.store.unread(persona, transcript))


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
    photos = _photos(data)
    if photos is None:
        return _error(400, f"照片须为图片（JPG/PNG/GIF/WebP），每条最多 {MAX_PHOTOS} 张、每张不超过 5 MB")
    voice = data.get("voice") is True
    if text is None and not (photos and not voice):
        return _error(400, f"请输入 1–{MAX_TEXT} 字的文字消息")
    text = text or ""
    quoted = None
    if data.get("quote") not in (None, ""):
        try:
            quoted = sandbox.store.get(int(data["quote"]))
        except (TypeError, ValueError):
            quoted = None
        if quoted is None or quoted.chat_id != chat_id:
            return _error(400, "引用的消息不在本群")
    heard = _heard(chat, text, photos, voice)
    message = SandboxMessage(
        id=sandbox.store.next_id(), sender=member.user_id, sender_name=member.name, text=text,
        time=sandbox.now_iso(), from_bot=False, chat_id=chat_id,
        quote={"id": quoted.id, "sender_name": quoted.sender_name, "text": quoted.text} if quoted else None,
        photos=[f"data:{_mime(p)};base64,{base64.b64encode(p).decode()}" for p in photos],
        via="voice" if voice else "", delivered=heard,
    )
    sandbox.store.add_to_chat(chat_id, message)
    if not heard:
        return jsonify(message=message.to_json(), reply=None, delivered=False), 201
    if chat.listening == "all" and not text.lstrip().startswith(BOT_MENTION):  # @-lines: the robot's
        reply = archive_feed.feed(sandbox, message, photos, voice)
        return jsonify(message=message.to_json(), reply=reply.to_json() if reply else None, attempts=1,
                       delivered=True, via="archive"), 201
    try:
        delivery = deliver_group_message(
            _bot_url(sandbox), current_app.config["SETTINGS"], msgid=message.msgid, chat_id=chat_id,
            user_id=member.user_id, text=text, quote_text=quoted.text if quoted else None,
            quote_id=quoted.msgid if quoted else None, policy=sandbox.policy,
            photo_urls=tuple(sandbox.media_url(p) for p in photos), voice=voice,
            response_url=sandbox.response_url(chat_id),
        )
    except DeliveryFailed:
        note = FAILED_NOTE.format(tries=sandbox.policy.tries)
        sandbox.bot_message(note, chat_id=chat_id, note="system")
        return jsonify(message=message.to_json(), reply=None, error=note), 502
    reply = None
    if delivery.reply or delivery.card:
        reply = sandbox.bot_message(delivery.reply, chat_id=chat_id, card=delivery.card)
    return jsonify(message=message.to_json(), reply=reply.to_json() if reply else None,
                   attempts=delivery.attempts, delivered=True), 201


def _mime(data: bytes) -> str:
    for magic, mime in ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG", "image/png"), (b"GIF8", "image/gif")):
        if data.startswith(magic):
            return mime
    return "image/webp"


def _card_of(message: SandboxMessage, user_id: str) -> dict | None:
    return message.card_for.get(user_id) or message.card


def _keys(card: dict | None) -> set[str]:
    return {b.get("key") for b in (card or {}).get("button_list", []) if isinstance(b, dict)}


@bp.post("/api/chats/<chat_id>/cards")
def press_chat_card(chat_id: str):
    """A member presses a button of a card the bot sent in this chat (a template_card_event)."""
    sandbox = _sandbox()
    chat = sandbox.chat(chat_id)
    if chat is None:
        return _error(404, "没有这个群聊")
    data = _json_body()
    member = next((m for m in chat.members if m.user_id == data.get("sender")), None)
    if member is None:
        return _error(400, "发送人不是该群成员")
    try:
        message = sandbox.store.get(int(data.get("message")))
    except (TypeError, ValueError):
        message = None
    card = _card_of(message, member.user_id) if message is not None and message.chat_id == chat_id else None
    if card is None or data.get("key") not in _keys(card):
        return _error(400, "这张卡片上没有这个按钮")
    selected = data.get("selected") if isinstance(data.get("selected"), dict) else None
    try:
        delivery = deliver_card_press(_bot_url(sandbox), current_app.config["SETTINGS"], msgid=uuid.uuid4().hex,
                                      chat_id=chat_id, user_id=member.user_id, task_id=card["task_id"],
                                      event_key=data["key"], selected=selected, policy=sandbox.policy)
    except DeliveryFailed:
        return _error(502, FAILED_NOTE.format(tries=sandbox.policy.tries))
    update = delivery.update or {}
    new_card = update.get("template_card")
    if new_card is not None:
        if update.get("userids"):
            message = replace(message, card_for={**message.card_for, **{u: new_card for u in update["userids"]}})
        else:
            message = replace(message, card=new_card, card_for={})  # everyone's card changes
        sandbox.store.replace(message)
    return jsonify(message=message.to_json(), update=update)


@bp.get("/api/users/<user_id>/messages")
def user_messages(user_id: str):
    return jsonify(messages=[m.to_json() for m in _sandbox().store.user_messages(user_id)])


@bp.post("/api/users/<user_id>/messages")
def post_user_message(user_id: str):
    """A member writes to the app one-to-one: words, photos, or both (each photo its own message)."""
    sandbox = _sandbox()
    data = _json_body()
    text, photos = _text(data), _photos(data)
    if photos is None:
        return _error(400, f"照片须为图片（JPG/PNG/GIF/WebP），每条最多 {MAX_PHOTOS} 张、每张不超过 5 MB")
    if text is None and not photos:
        return _error(400, f"请输入 1–{MAX_TEXT} 字的文字消息")
    name = sandbox.name_of(user_id)
    if name == user_id and not any(m.user_id == user_id for c in sandbox.chats() for m in c.members):
        return _error(404, "没有这个人")
    message = SandboxMessage(id=sandbox.store.next_id(), sender=user_id, sender_name=name, text=text or "",
                             time=sandbox.now_iso(), from_bot=False, to_user=user_id, msgid=numeric_msgid(),
                             photos=[f"data:{_mime(p)};base64,{base64.b64encode(p).decode()}" for p in photos])
    sandbox.store.add_to_user(user_id, message)
    settings, replies, attempts = current_app.config["SETTINGS"], [], 0
    try:
        # As a phone sends them: the photos first, each an image message of its own, then the words.
        for photo in photos:
            media_id, pic_url = sandbox.app_media(photo)
            delivery = deliver_app_image(_bot_url(sandbox), settings, msgid=numeric_msgid(), user_id=user_id,
                                         media_id=media_id, pic_url=pic_url, policy=sandbox.policy)
            replies.append(delivery.reply)
            attempts = max(attempts, delivery.attempts)
        if text is not None:
            delivery = deliver_direct_message(_bot_url(sandbox), settings, msgid=message.msgid,
                                              user_id=user_id, text=text, policy=sandbox.policy)
            replies.append(delivery.reply)
            attempts = max(attempts, delivery.attempts)
    except DeliveryFailed:
        note = FAILED_NOTE.format(tries=sandbox.policy.tries)
        sandbox.bot_message(note, to_user=user_id, note="system")
        return jsonify(message=message.to_json(), reply=None, error=note), 502
    said = [sandbox.bot_message(r, to_user=user_id) for r in replies if r]
    return jsonify(message=message.to_json(), reply=said[-1].to_json() if said else None,
                   replies=[m.to_json() for m in said], attempts=attempts), 201


@bp.post("/api/users/<user_id>/cards")
def press_app_card(user_id: str):
    """Press a button of a card the app sent this person one-to-one (the rating buttons)."""
    sandbox = _sandbox()
    data = _json_body()
    try:
        message = sandbox.store.get(int(data.get("message")))
    except (TypeError, ValueError):
        message = None
    if message is None or message.to_user != user_id or message.card_done or data.get("key") not in _keys(message.card):
        return _error(400, "这张卡片上没有这个按钮")
    try:
        name = deliver_app_card_press(_bot_url(sandbox), current_app.config["SETTINGS"], user_id=user_id,
                                      task_id=message.card["task_id"], event_key=data["key"], policy=sandbox.policy)
    except DeliveryFailed:
        return _error(502, FAILED_NOTE.format(tries=sandbox.policy.tries))
    message = sandbox.store.replace(replace(message, card_done=name or "已提交"))
    return jsonify(message=message.to_json())


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
    sandbox = _sandbox()
    clock = sandbox.svc.clock
    sandbox.advance_clock(minutes * 60)
    counts = sweep_job()  # deadlines, reminders and escalations fire now, not at the next sweep
    log.info("sandbox clock advanced %s min; sweep %s", minutes, counts)
    return jsonify(now=clock.now().isoformat(timespec="seconds"),
                   offset_minutes=round(clock.offset_seconds() / 60), sweep=counts)
