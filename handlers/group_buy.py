"""Questions about a group buy (接龙 / 团购) going on in the chat: for its organiser, not the grid leader.

"啥时候到货啊" under a 接龙 for rice is a question, and the model rightly calls it one, but it is
about the goods: forwarding it to the grid leader as a 咨询 (Q7) is noise for both. Judged by the
words of the question (delivery, pick-up, price per unit) and a 接龙 / 团购 line in the chat's
recent lines, so a policy question asked during a group buy ("居住证怎么办") is still forwarded.
"""
from __future__ import annotations

import re

from handlers.chatter import bare_words
from handlers.context import Context

GROUP_BUY_SECONDS = 24 * 3600
_GROUP_BUY = re.compile(r"接龙|团购|拼团|拼单|团长")
_ABOUT_GOODS = re.compile(
    r"到货|发货|取货|提货|自提|送货|送到|几点到|啥时候到|什么时候到|几号到|截单|截止|还有货|还能(?:报|加|接)|多少钱一"
    r"|怎么付|付款|转账|团长"
)


def about_group_buy(ctx: Context, text: str) -> bool:
    """A question about the goods while a group buy is running in this chat."""
    if ctx.chat is None or ctx.memory is None or not _ABOUT_GOODS.search(bare_words(text)):
        return False
    since = ctx.now.timestamp() - GROUP_BUY_SECONDS
    return any(line.at >= since and _GROUP_BUY.search(line.text) for line in ctx.memory.recent_lines(ctx.chat_key))
