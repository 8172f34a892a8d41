"""Turn a decrypted robot (智能机器人) callback into one typed value: a message, a click or a refresh.

One parser per `msgtype`, registered in a dict (wechatpy's habit), each reading only its own part:
- `text`: the content without the leading @mention(s) of the bot (in a group the robot is only
  called back for lines that @ it, and the mention is not part of what the resident said);
- `image`: the short-lived download URL (the worker fetches it after the ack);
- `mixed`: text items joined as the text, image items as photos: one message;
- `voice`: WeCom's own transcript as the text, marked as voice (empty: a polite request to type);
- `file`, `video`: kept as what they are (the handlers answer them politely);
- `event`: `template_card_event` is a button press (see bot.delivery.channels.cards), others stay events;
- `stream`: WeCom asking again for a stream we answered (a refresh), never a new message.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.delivery.channels import cards
from bot.web.common import BadRequest, no_surrogates
from handlers.events import IncomingMessage

MAX_URL = 2048
MAX_ITEMS = 20  # mixed items read; WeCom sends far fewer
TEXT_TYPES = ("text", "voice")


@dataclass(frozen=True)
class Click:
    """A template-card button press: the card to update and what the key said (None: not our key)."""

    task_id: str
    key: cards.CardKey | None
    presser: str


@dataclass(frozen=True)
class RobotCallback:
    kind: str  # "message", "click", "refresh"
    message: IncomingMessage | None = None
    click: Click | None = None
    stream_id: str | None = None
    extras: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Common:
    """The fields every robot callback carries, checked once."""

    msg_id: str
    sender: str
    chat_id: str | None
    quote_text: str | None
    quote_id: str | None
    response_url: str | None
    raw: str

    def message(self, msg_type: str, text: str = "", **more) -> IncomingMessage:
        return IncomingMessage(channel="robot", msg_id=self.msg_id, msg_type=msg_type, sender_id=self.sender,
                               text=text, sent_at=datetime.now(timezone.utc), chat_id=self.chat_id,
                               quote_id=self.quote_id, quote_text=self.quote_text, raw=self.raw,
                               response_url=self.response_url, **more)


Parser = Callable[[dict, _Common, "ParseSettings"], RobotCallback]
PARSERS: dict[str, Parser] = {}


@dataclass(frozen=True)
class ParseSettings:
    secret: str  # signs card button keys
    bot_names: tuple[str, ...]


def parser(*msg_types: str) -> Callable[[Parser], Parser]:
    def register(fn: Parser) -> Parser:
        for name in msg_types:
            PARSERS[name] = fn
        return fn
    return register


def mention_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """Leading @mentions of the bot (WeCom puts a space, often U+2005, after each one)."""
    alternatives = "|".join(re.escape(n) for n in names if n) or "(?!)"
    return re.compile(rf"^(?:\s*[@＠](?:{alternatives})(?=\s|$)\s*)+")


def strip_mentions(text: str, names: tuple[str, ...]) -> str:
    return mention_pattern(names).sub("", text, count=1).strip() if text else ""


def _str(value: object) -> str:
    return no_surrogates(value) if isinstance(value, str) else ""


def _content(part: object, kind: str) -> str:
    inner = part.get(kind) if isinstance(part, dict) else None
    return _str(inner.get("content")) if isinstance(inner, dict) else ""


def _url(part: object) -> str | None:
    inner = part.get("image") if isinstance(part, dict) else None
    url = inner.get("url") if isinstance(inner, dict) else None
    return url if isinstance(url, str) and 0 < len(url) <= MAX_URL and url.isascii() else None


def _mixed_parts(mixed: object) -> tuple[list[str], list[str]]:
    items = mixed.get("msg_item") if isinstance(mixed, dict) else None
    texts, urls = [], []
    for item in (items if isinstance(items, list) else [])[:MAX_ITEMS]:
        kind = item.get("msgtype") if isinstance(item, dict) else None
        if kind == "text" and (text := _content(item, "text").strip()):
            texts.append(text)
        elif kind == "image" and (url := _url(item)):
            urls.append(url)
    return texts, urls


def _quote_text(quote: object) -> str | None:
    kind = quote.get("msgtype") if isinstance(quote, dict) else None
    if kind in TEXT_TYPES:
        return _content(quote, kind) or None
    if kind == "mixed":
        texts, _ = _mixed_parts(quote.get("mixed"))
        return "\n".join(texts) or None
    return None


def common_fields(body: dict, raw: str) -> _Common:
    sender = body.get("from")
    msg_id, msg_type = body.get("msgid"), body.get("msgtype")
    if not (isinstance(msg_id, str) and msg_id and isinstance(msg_type, str) and isinstance(sender, dict)):
        raise BadRequest(400, "robot message lacks msgid, msgtype or from")
    user = sender.get("userid")
    chat_id = body.get("chatid") if body.get("chattype") == "group" else None
    if not isinstance(user, str) or not user or (chat_id is not None and not isinstance(chat_id, str)):
        raise BadRequest(400, "robot message has a bad from.userid or chatid")
    if len(msg_id) > 64 or len(user) > 64 or (chat_id and len(chat_id) > 64):
        raise BadRequest(400, "identifier too long")
    quote = body.get("quote")
    quote_id = quote.get("msgid") if isinstance(quote, dict) else None
    response_url = body.get("response_url")
    return _Common(
        # JSON may escape a lone surrogate ("\ud800") that UTF-8 cannot carry into the database.
        msg_id=no_surrogates(msg_id), sender=no_surrogates(user),
        chat_id=no_surrogates(chat_id) if chat_id else None,
        quote_text=_quote_text(quote), quote_id=no_surrogates(quote_id) if isinstance(quote_id, str) else None,
        response_url=response_url if isinstance(response_url, str) and 0 < len(response_url) <= MAX_URL
        and response_url.isascii() else None,
        raw=raw,
    )


def parse_callback(body: dict, raw: str, ps: ParseSettings) -> RobotCallback:
    msg_type = body.get("msgtype")
    if msg_type == "stream":
        # A refresh names only the stream; it carries no new words and no sender to check.
        stream = body.get("stream")
        stream_id = stream.get("id") if isinstance(stream, dict) else None
        if not isinstance(stream_id, str) or not 0 < len(stream_id) <= 128:
            raise BadRequest(400, "stream refresh lacks stream.id")
        return RobotCallback("refresh", stream_id=stream_id)
    common = common_fields(body, raw)
    return PARSERS.get(msg_type.lower(), _other)(body, common, ps)


@parser("text")
def _text(body: dict, c: _Common, ps: ParseSettings) -> RobotCallback:
    content = _content(body, "text")
    text = strip_mentions(content, ps.bot_names)
    if not text and content.strip():
        # "@网格哨" and nothing else: someone asking what the bot does; answered with the help.
        return RobotCallback("message", c.message("text", "帮助", via="mention"))
    return RobotCallback("message", c.message("text", text))


@parser("image")
def _image(body: dict, c: _Common, ps: ParseSettings) -> RobotCallback:
    url = _url(body)
    return RobotCallback("message", c.message("image", photo_urls=(url,) if url else ()))


@parser("mixed")
def _mixed(body: dict, c: _Common, ps: ParseSettings) -> RobotCallback:
    texts, urls = _mixed_parts(body.get("mixed"))
    text = strip_mentions("\n".join(texts), ps.bot_names)
    if text:
        return RobotCallback("message", c.message("text", text, via="mixed", photo_urls=tuple(urls)))
    return RobotCallback("message", c.message("image", photo_urls=tuple(urls)))


@parser("voice")
def _voice(body: dict, c: _Common, ps: ParseSettings) -> RobotCallback:
    text = strip_mentions(_content(body, "voice"), ps.bot_names)
    # A transcript is read as the words it is; an empty one stays a voice message (asked to type).
    return RobotCallback("message", c.message("text" if text else "voice", text, via="voice"))


@parser("event")
def _event(body: dict, c: _Common, ps: ParseSettings) -> RobotCallback:
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    if event.get("eventtype") != "template_card_event":
        return RobotCallback("message", c.message("event"))
    # Documented nested; some clients send the fields flat in `event`: accept both.
    press = event.get("template_card_event")
    press = press if isinstance(press, dict) else event
    task_id = _str(press.get("task_id"))[:128]
    key = cards.read_key(ps.secret, press.get("event_key"))
    if key is None:
        return RobotCallback("click", click=Click(task_id, None, c.sender))
    department = cards.selected_option(press) if key.action == "dispatch" else None
    text = cards.command_text(key, department)
    return RobotCallback("click", c.message("text", text, via="card"), click=Click(task_id, key, c.sender))


def _other(body: dict, c: _Common, ps: ParseSettings) -> RobotCallback:
    # file, video, anything newer: stored as what it is; the handlers answer it politely.
    return RobotCallback("message", c.message(str(body.get("msgtype", "")).lower()[:16] or "unknown"))
