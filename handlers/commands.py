"""Parse the short command words people type in a chat into a Command.

Rules, not the classifier: commands are exact, short and typed on a phone, so a
word list with common variants is both faster and more predictable. A command
word counts only at the start of the message and only when followed by nothing,
a space, punctuation or a ticket number, so "确认一下明天停水吗" is not "确认".
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass

# (command, words) — longer variants first so "不满意" never reads as "满意".
COMMAND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("help", ("帮助", "help", "菜单", "怎么用", "使用说明", "?", "？")),
    ("rate_bad", ("非常不满意", "很不满意", "不太满意", "不满意")),
    ("rate_ok", ("基本满意", "一般", "还行")),
    ("rate_good", ("非常满意", "很满意", "满意")),
    ("follow", ("+1", "我家也是", "我家也这样", "我也是", "我们也是", "同样", "一样", "同问", "加一")),
    ("status", ("进度", "查进度", "查询", "状态")),
    ("accept", ("受理", "确认", "接单", "收到")),
    ("resolve", ("已办结", "办结", "已完成", "完成", "已解决", "解决了", "处理好了", "已处理", "修好了", "搞定")),
    ("escalate", ("吹哨", "上报", "升级", "上交")),
    ("dispatch", ("转派", "派单", "交办", "派", "转")),
    ("claim", ("报到", "认领", "领单", "接办")),
    ("reject", ("不受理", "驳回", "拒绝")),
    ("recategorise", ("改为", "改成", "分类", "类别", "改")),
    ("register", ("登记", "立案")),
)
TICKET_REF = re.compile(r"#\s*(\d{1,9})")
# A message the bot forwarded for tagging: "#M123" is inbox message 123.
MESSAGE_REF = re.compile(r"#\s*[Mm]\s*(\d{1,12})")
LEADING_MENTIONS = re.compile(r"^(?:@\S+\s*)+")
BOUNDARY = re.compile(r"^($|[\s,，。.!！:：、;；#\-—~～])")


@dataclass(frozen=True)
class Command:
    name: str
    ticket_id: int | None  # from "#12" in the text, else from the quoted bot message
    arg: str  # the rest: a note, a reason, a category or department name
    ticket_from_quote: bool = False


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return LEADING_MENTIONS.sub("", text).strip()


def message_ref(text: str | None) -> int | None:
    found = MESSAGE_REF.search(text or "")
    return int(found.group(1)) if found else None


def ticket_ref(text: str | None) -> int | None:
    found = TICKET_REF.search(text or "")
    return int(found.group(1)) if found else None


@lru_cache(maxsize=2048)  # every handler's match() asks; parse each message once
def parse_command(text: str, quote_text: str | None = None) -> Command | None:
    body = normalise(text)
    if not body or len(body) > 500:
        return None
    own_ref = ticket_ref(body)
    rest_of = TICKET_REF.sub(" ", body).strip()
    for name, words in COMMAND_WORDS:
        for word in words:
            if rest_of.lower().startswith(word.lower()) and BOUNDARY.match(rest_of[len(word):]):
                arg = rest_of[len(word):].strip(" \t,，。.!！:：、;；-—~～")
                quoted = ticket_ref(quote_text) if own_ref is None else None
                return Command(name, own_ref if own_ref is not None else quoted, arg, quoted is not None)
    return None
