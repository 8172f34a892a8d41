"""Lines that name a problem but report nothing to this grid: news from elsewhere, jokes about home.

Why a rule on top of the model: a bag of words hears "电梯从十几楼掉下来了" and files a lift ticket, whether
the lift is in this compound or in a news story from another city; it hears "吵得我睡不着 谁来管管" and
files a noise ticket, whether the noise is the neighbours' or the speaker's own cat, told with 😂.
In a grid chat both are common (residents forward news and tease each other), and a ticket opened
for them is noise for the grid leader. Two narrow signs, each with a guard:

* news or hearsay of another place (看新闻, 外地有个, 别的小区, 抖音上, 听说…那边, a city named with 有个 / 那边)
  — unless the line also names a place here (3号楼, 我们小区, 咱楼道, 楼下…): "别的小区早装了充电桩
  我们小区还没有" is a complaint about here;
* the speaker's own household (我家猫, 俺家那口子, 我家老头子) doing the "nuisance", with a laugh
  (😂, 🤣, 哈哈, 笑死) — unless another household is the culprit (楼上, 楼下, 隔壁, 邻居家, 对门).

What the rule does, and only this: a line the model calls a complaint becomes chit-chat (silence).
It never turns anything into a ticket, and a line with an emergency is read by the emergency rules
before the model (handlers.loop.Classified), so a real fire is never silenced by it.
"""
from __future__ import annotations

import re

_ELSEWHERE = re.compile(
    r"看新闻|新闻(?:上|里|说|报道)|报道说|外地(?:有个|有一个|的一个|那个)|别的小区|其他小区|人家小区|隔壁小区|网上(?:说|看到|传)|"
    r"(?:抖音|快手|视频|朋友圈)(?:上|里)(?:看到|说|有|刷到)?|刷到|听说.{0,8}(?:那边|那里|那个小区|他们那)|亲戚.{0,10}(?:那边|那里|那儿)|"
    r"(?:北京|上海|广州|深圳|杭州|成都|重庆|武汉|南京|天津|西安|沈阳|哈尔滨|郑州|长沙|济南|青岛|苏州|昆明|大连)"
    r"(?:有个|有一个|那边|那个|的一个)"
)
_HERE = re.compile(
    r"\d+\s*(?:号楼|栋|幢|单元|号院)|(?:我们|咱们|咱|俺们)(?:那个|这个)?小区|本小区|我们这|咱们这|咱这|我们楼|咱楼|"
    r"我家|俺家|楼下|楼上|楼道|单元门|门口|小区里|我们这边|这边也"
)
_OWN_HOUSEHOLD = re.compile(
    # "老伴熬粥熬糊了" opens with one of the household; further on, only with 我 / 我家 in front.
    r"^(?:老伴|老头子|老太婆|老公|老婆|媳妇|那口子)|"
    r"(?:我家里?|俺家|我们家|咱家|我屋里|我屋头|我的|我)(?:的)?(?:那只|那条|那个|这只|小)?(?:那口子|老头子?|老太婆|老伴|老公|老婆|媳妇|对象|儿子|闺女|女儿|孙子|"
    r"孙女|孩子|娃|猫咪?|狗子?|主子|鹦鹉|兔子|仓鼠)"
)
_LAUGH = re.compile(r"😂|🤣|😆|😄|😁|哈哈|呵呵|嘿嘿|笑死|笑哭|\[(?:捂脸|破涕为笑|偷笑|呲牙|坏笑|憨笑)\]")
_OTHERS = re.compile(r"楼上|楼下(?!邻居)|隔壁|邻居家|对门|对面")


def is_elsewhere(normed: str) -> bool:
    """News or hearsay of another place, naming no place here (also read by the emergency rules: a
    tile that fell on a car in another city is no alarm here)."""
    return _ELSEWHERE.search(normed) is not None and _HERE.search(normed) is None


def is_not_ours(text: str, normed: str) -> bool:
    """`text` as sent (emoji intact), `normed` after classifier.normalize: news of elsewhere, or a joke
    about the speaker's own household, neither naming a place or a culprit here."""
    if is_elsewhere(normed):
        return True
    return bool(_OWN_HOUSEHOLD.search(normed) and _LAUGH.search(text) and not _OTHERS.search(normed))
