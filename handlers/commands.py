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
# A ticket number typed without "#", right after the command word: 受理5, 受理 5, 受理 5号, 受理 5号工单,
# 受理 工单5. Only a whole number: "办结 5号楼已清理" is a note about building 5, not ticket 5.
BARE_TICKET = re.compile(r"^\s*(?:工单)?\s*(\d{1,9})\s*(?:号工单|号单|号|工单)?(?=$|[\s,，。.!！:：、;；])")
# Commands where a bare number is never a ticket ("+15" is not "+1 5").
NO_BARE_TICKET = {"help", "follow"}
# Punctuation between a command word (or ticket number) and its free text, in both widths.
ARG_LEAD = " \t,，。.!！:：、;；-—~～"
# A ticket reference as typed in the original text (full-width # and digits too).
TYPED_TICKET_REF = re.compile(r"[#＃]\s*[0-9０-９]{1,9}(?![0-9０-９])")


@dataclass(frozen=True)
class Command:
    name: str
    ticket_id: int | None  # from "#12" in the text, else from the quoted bot message
    arg: str  # the rest, kept as typed: a note, a reason, a category or department name
    ticket_from_quote: bool = False


@dataclass(frozen=True)
class Folded:
    """A message as the parser reads it, and where each of its characters came from.

    Only what is parsed is normalised (command words, numbers): zero-width and other invisible
    characters dropped, NFKC per character (full-width letters, digits, # and punctuation). Free
    text — a note, an answer, a notice — is cut from `source` with `tail`, so it keeps what the
    person typed: "已清掏并消毒，无异味" keeps its full-width comma.
    """

    text: str
    source: str
    origin: tuple[int, ...]  # origin[k]: index in source of text[k]

    def tail(self, k: int) -> str:
        """The source from the character that became text[k], as typed (zero-width marks dropped)."""
        if k >= len(self.text):
            return ""
        return "".join(ch for ch in self.source[self.origin[k]:] if unicodedata.category(ch) != "Cf")


    def span(self, s: int, e: int) -> str:
        """The source behind text[s:e], as typed (zero-width marks dropped)."""
        if s >= e or s >= len(self.text):
            return ""
        return "".join(ch for ch in self.source[self.origin[s]:self.origin[e - 1] + 1]
                       if unicodedata.category(ch) != "Cf")

    def group(self, found: re.Match[str], group: int | str = 1) -> str:
        """A regex group matched on `text`, cut from the source as typed and stripped."""
        s, e = found.span(group)
        return self.span(s, e).strip() if s >= 0 else ""


@lru_cache(maxsize=256)  # a dozen handlers' match() fold the same message; Folded is immutable
def fold(text: str | None) -> Folded:
    source = text or ""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(source):
        if unicodedata.category(ch) == "Cf":  # zero-width space/joiners, BOM, bidi marks
            continue
        for c in unicodedata.normalize("NFKC", ch):
            chars.append(c)
            origin.append(i)
    folded = "".join(chars)
    lead = LEADING_MENTIONS.match(folded.lstrip())
    start = len(folded) - len(folded.lstrip()) + (lead.end() if lead else 0)
    end = len(folded.rstrip())
    if start >= end:
        return Folded("", source, ())
    return Folded(folded[start:end], source, tuple(origin[start:end]))


def normalise(text: str) -> str:
    return fold(text).text


def free_text(folded: Folded, k: int) -> str:
    """The free text from folded position k to the end, as typed: ticket refs and leading punctuation gone."""
    return TYPED_TICKET_REF.sub(" ", folded.tail(k)).strip(ARG_LEAD).strip()


def message_ref(text: str | None) -> int | None:
    found = MESSAGE_REF.search(text or "")
    return int(found.group(1)) if found else None


def ticket_ref(text: str | None) -> int | None:
    found = TICKET_REF.search(text or "")
    return int(found.group(1)) if found else None


@lru_cache(maxsize=2048)  # every handler's match() asks; parse each message once
def parse_command(text: str, quote_text: str | None = None) -> Command | None:
    folded = fold(text)
    body = folded.text
    if not body or len(body) > 500:
        return None
    own_ref = ticket_ref(body)
    # Ticket refs blanked out with as many spaces, so positions still map to the original text.
    blanked = TICKET_REF.sub(lambda m: " " * len(m.group()), body)
    lead = len(blanked) - len(blanked.lstrip())
    rest_of = blanked[lead:]
    for name, words in COMMAND_WORDS:
        for word in words:
            if not rest_of.lower().startswith(word.lower()):
                continue
            after = rest_of[len(word):]
            arg_at = lead + len(word)
            bare = BARE_TICKET.match(after) if own_ref is None and name not in NO_BARE_TICKET else None
            if bare is not None:
                ticket = int(bare.group(1))
                arg_at += bare.end()
            elif BOUNDARY.match(after):
                ticket = own_ref
            else:
                continue
            arg = free_text(folded, arg_at) if blanked[arg_at:].strip() else ""
            quoted = ticket_ref(quote_text) if ticket is None else None
            return Command(name, ticket if ticket is not None else quoted, arg, quoted is not None)
    return None
