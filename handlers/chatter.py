"""Greetings and acknowledgements: answered by rule, before the classifier sees them.

Why a rule and not only the model: a message that is nothing but 你好 / 在吗 / 收到 / 👌 asks for
nothing, and that is certain from its words alone, so no model confidence should be able to turn
it into a ticket (one-to-one, a bare 你好 once became a 卫生健康 ticket). It is also the commonest
line in a grid chat, and a dictionary lookup is cheaper than the classifier.

What happens: in a group chat, silence (nobody expects the bot to greet back, and a reply to every
收到 would drown the chat). One-to-one, a greeting starts a conversation with the bot, so it gets a
short welcome saying what the bot can do; a bare acknowledgement (谢谢, 好的) still gets silence.
Anything with more words than these (你好，我家下水道堵了) goes on to the classifier.
"""
from __future__ import annotations

import re
import unicodedata

from classifier import followups
from classifier.dialect import fold_dialect
from classifier.normalize import strip_mentions, to_simplified
from handlers import texts
from handlers.context import Context
from handlers.events import IncomingMessage, Outcome

GREETINGS = (
    "你好", "您好", "你们好", "大家好", "在吗", "在么", "在嘛", "在不在", "在不", "在没", "有人吗", "有人在吗",
    "请问", "打扰了", "打扰一下", "哈喽", "嗨", "hi", "hello", "hey", "早上好", "上午好", "中午好", "下午好",
    "晚上好", "早安", "午安", "早", "你好呀", "您好呀",
    # Calling for attention before saying what ("网格长在不在，跟你说个事"): the next line says it.
    "跟你说个事", "跟您说个事", "和你说个事", "给你说个事", "说个事", "有个事", "有件事", "问个事", "反映个事",
    "我有个事", "跟你说个事儿", "有个事儿", "说个事儿",
)
ACKNOWLEDGEMENTS = (
    "收到", "好的", "好滴", "好嘞", "好", "嗯", "嗯嗯", "哦", "哦哦", "行", "可以", "明白", "明白了", "知道了",
    "了解", "已阅", "已读", "ok", "okay", "1", "谢谢", "谢啦", "多谢", "感谢", "辛苦了", "辛苦", "晚安",
    "没问题", "哈哈", "哈哈哈",
)
# Sentence-final particles: 早上好呀, 好的哈, 收到啦.
PARTICLES = ("呀", "啊", "啦", "哈", "哦", "嘛", "呢", "哒", "滴", "噢", "喔", "哟")
# Who a greeting may be addressed to: "网格长在吗", "物业你好" are still only greetings.
ADDRESSES = ("网格哨", "机器人", "网格长", "网格员", "管家", "物业", "客服", "社区", "老师", "师傅", "各位", "大家")

_WORDS = sorted(set(GREETINGS) | set(ACKNOWLEDGEMENTS) | set(PARTICLES) | set(ADDRESSES), key=len, reverse=True)
_ONLY_THESE = re.compile("(?:" + "|".join(re.escape(w) for w in _WORDS) + ")+")
_GREETING = re.compile("|".join(re.escape(w) for w in sorted(GREETINGS, key=len, reverse=True)))
_STICKER = re.compile(r"\[[^\[\]]{1,6}\]")  # WeChat's [微笑] / [强] stickers


def bare_words(text: str) -> str:
    """The words of a chat line without mentions, stickers, emoji, punctuation or spacing."""
    # The classifier's own mention stripping and Traditional→Simplified, so both read a line alike.
    text = fold_dialect(to_simplified(unicodedata.normalize("NFKC", text))).lower()
    text = _STICKER.sub("", strip_mentions(text))
    # Letters and digits survive; punctuation (P*), symbols incl. emoji (S*), spaces (Z*) and
    # format characters such as zero-width spaces (Cf) do not.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def is_greeting_or_ack(text: str) -> bool:
    words = bare_words(text)
    return not words or _ONLY_THESE.fullmatch(words) is not None


class Chatter:
    """你好 / 在吗 / 收到 / 👌 / @网格长 在吗: silence in groups, a welcome one-to-one."""

    name = "chatter"

    def match(self, msg: IncomingMessage, ctx: Context):
        if not msg.text.strip() or len(msg.text) > 40:
            return None
        if not is_greeting_or_ack(msg.text):
            return None
        if ctx.memory is not None and msg.text.lstrip().startswith(("+1", "＋1")):
            # "+1" after a neighbour's report joins it (handlers.conversation.Neighbour); elsewhere it
            # is talk, which the classifier says. (A prefix test: "收到" passes here on every line.)
            return None
        if followups.is_choice(msg.text) and ctx.memory is not None and ctx.line is not None:
            # "1" is an acknowledgement, unless the bot has just asked this sender which ticket they
            # mean (handlers.conversation.AnswerQuestion); imported here: conversation imports loop.
            from handlers.conversation import awaits_choice

            if awaits_choice(ctx):
                return None
        return "greeting"

    def handle(self, msg: IncomingMessage, ctx: Context, _):
        if msg.chat_id is None and _GREETING.search(bare_words(msg.text)):
            return Outcome(reply=texts.WELCOME, intent="greeting")
        return Outcome(intent="chitchat")
