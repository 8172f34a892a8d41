"""Is a new report the same problem as an open ticket? Cheap character-bigram overlap.

Chat messages are short, so the overlap coefficient (shared bigrams over the smaller
set) beats Jaccard: "3号楼也堵了" fully overlaps a longer report about 3号楼 drains.
"""
from __future__ import annotations

import re
import unicodedata

from classifier.normalize import to_simplified

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_STOP = set("的了吗呢啊呀吧哦哈嘛也又都还就是我们你他她它这那有在")


def bigrams(text: str) -> set[str]:
    clean = _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())
    clean = "".join(ch for ch in clean if ch not in _STOP)
    return {clean[i : i + 2] for i in range(len(clean) - 1)} or ({clean} if clean else set())


def overlap(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


# --- paraphrases ---------------------------------------------------------------------------------
# Neighbours describe one problem in different words: "东门路灯坏了" and "大门口晚上黑漆漆的".
# Bigrams miss that; a small hand-written table of what residents say for the common problems
# maps both to one concept. Written by hand from how grid chats talk, not learned.
PROBLEM_CONCEPTS: dict[str, tuple[str, ...]] = {
    "dark": ("路灯", "灯坏", "灯不亮", "不亮", "黑漆漆", "黑乎乎", "黑咕隆咚", "黑灯瞎火", "乌漆嘛黑", "太黑", "好黑",
             "很黑", "特别黑", "没有灯", "没灯", "灯灭", "灯都灭", "摸黑", "看不见路", "灯泡"),
    "stair_light": ("楼道灯", "声控灯", "楼梯灯", "楼道里黑", "楼道黑"),
    "drain": ("下水道", "下水", "堵了", "堵住了", "返水", "反水", "冒水", "倒灌", "污水", "冒出来", "不通", "马桶",
              "地漏", "化粪池", "粪水", "窨井"),
    "smell": ("臭", "异味", "味道大", "味道很大", "熏人", "熏死"),
    "noise": ("吵", "噪音", "睡不着", "声音大", "声音很大", "闹腾", "蹦迪", "音响", "广场舞", "装修", "电钻", "鸣笛"),
    "lift": ("电梯",),
    # Not a bare 满了: "盆都接满了" under a leak is no rubbish.
    "garbage": ("垃圾", "没人清", "堆满", "溢出来", "清运"),
    "flood": ("积水", "淹了", "水漫", "一滩水", "蹚水", "水很深"),
    "manhole": ("井盖", "井口", "窨井盖"),
    "parking": ("乱停", "堵门", "占道", "挡道", "停车", "车位", "僵尸车", "挡住"),
    "leak": ("漏水", "渗水", "滴水", "漏雨"),
    "no_water": ("停水", "没水", "水压", "水很小", "水小"),
    "no_power": ("停电", "没电", "跳闸", "断电"),
    "gas": ("燃气", "煤气", "天然气", "液化气", "煤汽", "气罐", "漏气", "臭鸡蛋"),
    "dog": ("狗", "犬", "狗屎", "狗叫"),
    "tree": ("树枝", "断枝", "树倒", "大树", "树木", "树杈"),
    "road": ("坑", "路面", "破损", "裂缝", "塌陷"),
    "fire_lane": ("消防通道", "消防车"),
    "heating": ("暖气", "供暖", "不热"),
    "frozen_pipe": ("冻住", "冻上", "冻裂", "冻坏", "冻爆", "上冻", "水管冻", "龙头冻"),
    # One fire, however each neighbour saw it: flames, smoke or the smell of burning.
    "fire": ("着火", "起火", "失火", "火灾", "火苗", "明火", "冒烟", "浓烟", "黑烟", "都是烟", "全是烟", "烟味", "烧焦"),
    # Northern winters: snow and ice on the paths ("路全是冰", "滑得走不了", "扫扫雪").
    "ice": ("结冰", "冰面", "全是冰", "都是冰", "路滑", "地滑", "打滑", "滑倒", "滑得", "太滑", "积雪", "扫雪", "铲雪",
            "除雪", "撒盐"),
}
_NUMBER = r"(\d+|[一二三四五六七八九十]+)"
_BUILDING = re.compile(_NUMBER + r"\s*(?:号楼|栋|幢|号院)")
_UNIT = re.compile(_NUMBER + r"\s*单元")
_GATE_SIDE = re.compile(r"([东西南北])(?:大)?门")
_GATE = re.compile(r"大门|门口|正门|[东西南北](?:大)?门|小区门")


def problem_concepts(text: str) -> frozenset[str]:
    clean = _clean(text)
    return frozenset(name for name, words in PROBLEM_CONCEPTS.items() if any(w in clean for w in words))


_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九十")}


def _as_number(word: str) -> str:
    """"4" and "四" (and "十二") name one building: compared as digits."""
    if word.isdigit():
        return str(int(word))
    if len(word) == 1:
        return _DIGITS.get(word, word)
    if word.startswith("十"):  # 十一 … 十九
        return "1" + _DIGITS.get(word[1:], "0")
    tens, _, ones = word.partition("十")  # 二十, 二十三
    return _DIGITS.get(tens, tens) + (_DIGITS.get(ones, ones) if ones else "0")


def _clean(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text or ""))


def place_marks(text: str) -> dict[str, str]:
    """The place words that must agree for two reports to be one problem: building, unit, gate side."""
    clean = _clean(text)
    marks = {}
    for kind, pattern in (("building", _BUILDING), ("unit", _UNIT), ("gate_side", _GATE_SIDE)):
        found = pattern.search(clean)
        if found:
            marks[kind] = _as_number(found.group(1)) if kind != "gate_side" else found.group(1)
    if _GATE.search(clean):
        marks["gate"] = "gate"
    return marks


def places_agree(a: str, b: str) -> bool:
    """No place named differently in the two (3号楼 vs 5号楼, 东门 vs 西门); one may name none."""
    x, y = place_marks(a), place_marks(b)
    return all(x[k] == y[k] for k in x.keys() & y.keys() if k != "gate")


def same_problem(a: str, b: str) -> float:
    """How likely two reports describe one problem, 0…1: paraphrase-aware and place-aware.

    Different buildings, units or gate sides: 0. Both name known problems: the share of concepts
    they have in common (different problems score at most half their wording overlap). Otherwise
    the bigram overlap. Concepts compare by Jaccard, a partial match discounted: "楼道灯不亮" and
    "东门路灯坏了" share only darkness.
    """
    if not places_agree(a, b):
        return 0.0
    words = overlap(a, b)
    x, y = problem_concepts(a), problem_concepts(b)
    if x and y:
        shared = len(x & y) / len(x | y) * (1.0 if x == y else 0.8)
        return max(shared, words) if shared else words / 2
    return words
