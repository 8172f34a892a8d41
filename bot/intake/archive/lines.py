"""A decrypted archive message (the SDK's JSON) read into an ArchivedLine, with nothing lost.

The JSON: {"msgid", "action": send|recall|switch, "from", "tolist", "roomid", "msgtime" (ms),
"msgtype", <msgtype>: {...}}. Text is `text.content`; an image is `image.sdkfileid` (pulled later
with GetMediaData, through the same photo store as the robot's); a `mixed` message is a list of
items, each {"type", "content": a JSON string}; a recall is action "recall" with
`revoke.pre_msgid`. Any other msgtype (voice, file, emotion, link, a type newer than this code)
is kept as what it is, with no words. A body that is not what the SDK promises is RecordUnreadable.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.intake.archive.errors import RecordUnreadable
from bot.intake.archive.ownership import addressed_to_robot
from bot.web.common import no_surrogates
from bot.web.robot_messages import strip_mentions

ARCHIVE_PHOTO = "wecom-archive:"  # a photo's source in the photo store: GetMediaData(sdkfileid)
MAX_MSGID = 64  # the inbox's msg_id column
QUOTE_HEAD = "这是一条引用/回复消息：\n"
QUOTE_RULE = "\n------\n"


@dataclass(frozen=True)
class ArchivedLine:
    msgid: str
    action: str  # send, recall, switch
    sender: str
    room_id: str  # "" for a one-to-one conversation
    sent_at: datetime
    msg_type: str  # text, image, mixed→text/image, revoke, or what the archive said (voice, file …)
    text: str = ""
    quote_text: str | None = None
    addressed: bool = False  # the line @-mentions the bot (so the robot's callback carries it)
    photo_ids: tuple[str, ...] = ()
    recalled_msgid: str = ""
    raw: str = field(default="", repr=False)

    @property
    def photo_urls(self) -> tuple[str, ...]:
        return tuple(ARCHIVE_PHOTO + f for f in self.photo_ids)

    @property
    def has_words_or_photos(self) -> bool:
        return self.msg_type in ("text", "image")


def read_line(data: dict, bot_names: tuple[str, ...]) -> ArchivedLine:
    if not isinstance(data, dict):
        raise RecordUnreadable("not_json", "the decrypted body is not a JSON object")
    msgid = _str(data.get("msgid"))
    action = _str(data.get("action")) or "send"
    if not msgid:
        raise RecordUnreadable("not_json", "the decrypted body has no msgid")
    try:
        millis = int(data.get("msgtime") or data.get("time") or 0)
        sent_at = datetime.fromtimestamp(millis / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise RecordUnreadable("not_json", "the decrypted body has no readable msgtime") from None
    kind = _str(data.get("msgtype")).lower() or "unknown"
    common = dict(msgid=msgid[:MAX_MSGID], action=action, sender=_str(data.get("from")),
                  room_id=_str(data.get("roomid")), sent_at=sent_at,
                  raw=json.dumps(data, ensure_ascii=False))
    if action == "recall" or kind == "revoke":
        revoke = data.get("revoke") if isinstance(data.get("revoke"), dict) else {}
        common["action"] = "recall"
        return ArchivedLine(**common, msg_type="revoke",
                            recalled_msgid=_str(revoke.get("pre_msgid"))[:MAX_MSGID])
    if kind == "text":
        return _words(common, _content(data.get("text")), (), bot_names)
    if kind == "image":
        file_id = _file_id(data.get("image"))
        return ArchivedLine(**common, msg_type="image", photo_ids=(file_id,) if file_id else ())
    if kind == "mixed":
        texts, files = _mixed(data.get("mixed"))
        return _words(common, "\n".join(texts), tuple(files), bot_names)
    if kind in ("agree", "disagree"):
        return ArchivedLine(**common, msg_type="event")  # a customer's consent answer: silence
    return ArchivedLine(**common, msg_type=kind[:16])


def split_quote(content: str) -> tuple[str, str | None]:
    """(the reply, the quoted text) of a quoted reply; the archive has no quote field, WeCom writes the
    quote into the text: '这是一条引用/回复消息：\n"张三：\n原消息"\n------\n回复' (as reported by
    archive users; the format is not in Tencent's documentation: check it against a real corp)."""
    if not content.startswith(QUOTE_HEAD):
        return content, None
    quoted, sep, reply = content[len(QUOTE_HEAD):].partition(QUOTE_RULE)
    if not sep:
        return content, None
    quoted = quoted.strip().strip('"“”')
    _, colon, rest = quoted.partition("：\n")
    return reply.strip(), (rest if colon else quoted).strip()


def _words(common: dict, content: str, files: tuple[str, ...], bot_names: tuple[str, ...]) -> ArchivedLine:
    content, quote_text = split_quote(content)
    common = {**common, "quote_text": quote_text, "addressed": addressed_to_robot(content, bot_names)}
    text = strip_mentions(content, bot_names)
    if not text and content.strip() and not files:
        text = "帮助"  # "@网格哨" alone: asking what the bot does (as the robot door reads it)
    if text:
        return ArchivedLine(**common, msg_type="text", text=text, photo_ids=files)
    return ArchivedLine(**common, msg_type="image", photo_ids=files)


def _str(value: object) -> str:
    return no_surrogates(value).replace("\x00", "") if isinstance(value, str) else ""


def _content(part: object) -> str:
    return _str(part.get("content")) if isinstance(part, dict) else ""


def _file_id(part: object) -> str:
    return _str(part.get("sdkfileid")) if isinstance(part, dict) else ""


def _mixed(part: object) -> tuple[list[str], list[str]]:
    items = part.get("item") if isinstance(part, dict) else None
    texts, files = [], []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            inner = json.loads(item.get("content") or "{}")
        except (TypeError, ValueError):
            continue
        if item.get("type") == "text" and isinstance(inner, dict):
            texts.append(_str(inner.get("content")))
        elif item.get("type") == "image" and isinstance(inner, dict) and _str(inner.get("sdkfileid")):
            files.append(_str(inner.get("sdkfileid")))
    return [t for t in texts if t], files
