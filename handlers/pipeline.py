"""The handlers, in the order they are tried: the first whose match() says yes handles the message.

A handler is a small object with `match(msg, ctx)` → a truthy match or None, and
`handle(msg, ctx, match)` → Outcome (python-telegram-bot's check_update + callback). It never
makes HTTP calls: pushes are returned as OutgoingMessage values that become outbox rows.

The order is the whole routing policy, so it is written out here once:
- media without words and other non-text first (nothing else can read it), then help;
- the community commands with their own leading words (议事, 积分, 答复, 入库);
- staff ticket commands before broadcasts and ratings, so "确认" with a ticket number is 受理;
- ratings and +1; bare greetings and acknowledgements (their words alone say they ask nothing);
  then the conversation layer (follow-ups, questions, continuations, neighbours), before the
  classifier, which takes whatever text is left.
"""
from __future__ import annotations

import logging
from typing import Any, Protocol

from handlers.broadcast import BroadcastCommand
from handlers.chatter import Chatter
from handlers.context import Context
from handlers.conversation import AnswerQuestion, Continuation, FollowUp, Neighbour, Vague
from handlers.deliberation import Note, Propose, Vote
from handlers.events import IncomingMessage, Outcome
from handlers.knowledge import AddEntry, LeaderAnswer
from handlers.media import MediaOnly
from handlers.merge import MergeCommand
from handlers.loop import Classified, Follow, Help, NonText, Rating, Register, StaffCommand, Status
from handlers.points import Balance, Shop, ShopAdmin, StaffAward

log = logging.getLogger(__name__)


class Handler(Protocol):
    name: str

    def match(self, msg: IncomingMessage, ctx: Context) -> Any: ...

    def handle(self, msg: IncomingMessage, ctx: Context, match: Any) -> Outcome: ...


HANDLERS: tuple[Handler, ...] = (
    MediaOnly(),        # photos without words, a voice message without a transcript
    NonText(),          # other non-text (files, video), events
    Help(),             # 帮助
    Propose(),          # 议事：… · 议事 #Y12
    Vote(),             # 支持 / 反对 #Y12
    Note(),             # 备注 #Y12 …
    Balance(),          # 积分
    Shop(),             # 积分商城 · 兑换 …
    ShopAdmin(),        # 上架 / 下架 (staff)
    StaffAward(),       # 记积分 @居民 … (staff)
    LeaderAnswer(),     # 答复 Q7 …
    AddEntry(),         # 入库 问：…答：…
    StaffCommand(),     # 受理 / 办结 / 上报 / 派 / 报到 / 驳回 / 改 #12
    MergeCommand(),     # 合并 #13 到 #12 · 撤销合并 #13 (staff)
    Register(),         # 登记 #M12 (staff)
    BroadcastCommand(), # 通知 … · 确认发送 · 取消 · 通知报告
    Rating(),           # 满意 / 基本满意 / 不满意
    Follow(),           # +1 #12
    Status(),           # 进度 #12
    Chatter(),          # 你好 / 在吗 / 收到 / 👌: silence in groups, a welcome one-to-one
    # The conversation layer (handlers.conversation): lines read against what came before.
    AnswerQuestion(),   # the sender answers the bot's question (what/where, which ticket, the place)
    FollowUp(),         # 怎么样了 · 催一下 · 我那个下水道的事 → the sender's own ticket
    Vague(),            # 看图 · 这里又这样了 → one short question, not a guessed ticket
    Continuation(),     # details added to the sender's report of a few minutes ago
    Neighbour(),        # a neighbour's paraphrase of a problem reported in this chat lately
    Classified(),       # everything else: the classifier
)


def first_match(msg: IncomingMessage, ctx: Context,
                handlers: tuple[Handler, ...] = HANDLERS) -> tuple[Handler, Any] | None:
    """The first handler that wants this message, with what its match() found."""
    for handler in handlers:
        found = handler.match(msg, ctx)
        if found:
            return handler, found
    return None


def run(msg: IncomingMessage, ctx: Context) -> Outcome:
    chosen = first_match(msg, ctx)
    if chosen is None:
        return Outcome()
    handler, found = chosen
    log.debug("handler %s matched msg %s", handler.name, msg.msg_id)
    return handler.handle(msg, ctx, found)
