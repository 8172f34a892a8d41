"""Place hints in free text: road + number, community name, building / unit / door.

Why regexes and not the model: places are open-ended (any road, any number) and structured;
a few patterns find "扬州路12号楼" or "3号楼2单元" reliably, and the ticket loop uses the hint to
tie a request to a grid. Adjacent hits are merged so "幸福里小区3号楼2单元502" comes back whole.
"""

from __future__ import annotations

import re

from .normalize import fold_width, to_simplified

_NUM = r"[0-9零一二三四五六七八九十百两]+"
_HAN = r"[\u4e00-\u9fff]"

# Road names: two Han characters (+ optional direction) before the road suffix; a longer
# leftward grab would swallow words such as "气死了" in "气死了东风路3号".
_ROAD = rf"{_HAN}{{2}}[东西南北中]?(?:大道|大街|路|街|巷|弄|胡同)(?:{_NUM}(?:号|弄|巷))?"
_COMMUNITY = rf"{_HAN}{{2,3}}(?:小区|花园|家园|新村|家属院|公寓|大厦|广场|苑|社区|村)"
_BUILDING = (
    rf"(?:{_NUM}(?:号楼|栋|幢|座|号院|号))(?:{_NUM}单元)?(?:{_NUM}(?:室|号|户)|\d{{3,4}})?"
    rf"|{_NUM}单元(?:{_NUM}室|\d{{3,4}})?"
    rf"|\d{{3,4}}室"
)
# Gates: "东门", "北门口", "南大门", "小区正门", "2号门", "单元门口". A bare 门 (出门, 关门) is not one.
_GATE = rf"(?:[东西南北]{{1,2}}|正|后|侧|小区|{_NUM}号)大?门口?|大门口|单元门口"
# Landmarks residents name instead of an address; generic parts of any building (楼道, 天台) are
# not here: they need a building number to be found.
_LANDMARK = (
    r"(?:幼儿园|小学|中学|学校|菜市场|农贸市场|超市|便利店|小卖部|药店|医院|卫生站|卫生服务中心|公交站|地铁站|地铁口|"
    r"垃圾站|垃圾房|篮球场|羽毛球场|足球场|健身区|健身器材|凉亭|花坛|喷泉|停车场|地下车库|车库|车棚|自行车棚|充电桩|"
    r"快递柜|快递驿站|门卫室|岗亭|物业办公室|居委会|活动中心|活动室|游乐场|滑梯|河边|桥下|桥头|十字路口|丁字路口|"
    r"天桥|地下通道|配电房|水泵房|绿化带|公厕|公共厕所)(?:门口|旁边|附近|对面|后面|前面|边上|入口|出口)?"
)
# "幸福里3号楼": 里 names a lane community only when a number follows (not "家里", "楼道里").
_LANE = rf"{_HAN}{{2}}里(?=\d+(?:号|栋|幢|弄))"
_PATTERNS = [re.compile(p) for p in (_ROAD, _COMMUNITY, _BUILDING, _LANE, _GATE, _LANDMARK)]
_ALWAYS_PLAUSIBLE = {2, 4, 5}  # buildings, gates, landmarks: fixed words, no free-text name part

# Leading characters that are grammar, not part of a name ("在幸福里小区", "我家阳光花园").
_STOP_LEAD = set("在到从往我你他她们家住的了是就和跟对向把被给去来说这那有个")
# Words that look like a community suffix but are not places.
_FALSE_COMMUNITY = re.compile(r"(?:社区(?:工作|医院|卫生|食堂|活动|居委|的)|村民|广场舞)")


# Characters that never occur in the name part of a road or community in practice; a candidate
# containing one is a sentence fragment ("漫到路", "请问社区"), not a place.
_BAD_NAME = set(
    "到在的了是我你他她们问请有个这那就都也很被把给过走说要想看吗呢吧啊和与跟及或还又再才刚已没不去来谁知条哪些每各"
    # verbs and adverbs of a request: "赶紧弄一下" is what to do, not a lane called 赶紧弄
    "赶紧快帮忙搞弄修理处麻烦怎么样"
)
_COMMON_ROAD_WORDS = {
    "马路",
    "道路",
    "公路",
    "铁路",
    "走路",
    "修路",
    "挖路",
    "堵路",
    "过路",
    "半路",
    "出路",
    "绕路",
    "小路",
    "大路",
    "上路",
    "路路",
    "街道",
    "逛街",
    "上街",
    "大街",
    "满街",
    "一街",
}


def _plausible(pat_index: int, place: str) -> bool:
    if pat_index in _ALWAYS_PLAUSIBLE:
        return True
    name = re.sub(rf"{_NUM}(?:号|弄|巷)$", "", place)
    numbered = name != place
    if "一下" in name or any(ch in _BAD_NAME for ch in name[:-1]):
        return False
    if pat_index == 0 and not numbered and len(name) < 3:  # "条路" left after trimming "那"
        return False
    if pat_index == 0 and not numbered and name.endswith("弄"):  # lanes (弄) are numbered: "123弄"
        return False
    return not (pat_index == 0 and not numbered and name[-2:] in _COMMON_ROAD_WORDS)


def _trim(span: tuple[int, int], text: str) -> tuple[int, int]:
    start, end = span
    while start < end - 2 and text[start] in _STOP_LEAD:
        start += 1
    return start, end


def extract_places(text: str) -> tuple[str, ...]:
    """Return place hints in order of appearance, de-duplicated.

    Accepts raw or normalised text (folds full-width digits and Traditional characters itself).
    """
    text = to_simplified(fold_width(text))
    spans: list[tuple[int, int]] = []
    for k, pat in enumerate(_PATTERNS):
        for m in pat.finditer(text):
            if pat is _PATTERNS[1] and _FALSE_COMMUNITY.match(text, m.end() - 2):
                continue
            if pat is _PATTERNS[1] and m.group().endswith(("社区", "村")) and len(m.group()) < 3:
                continue
            start, end = _trim(m.span(), text)
            if _plausible(k, text[start:end]):
                spans.append((start, end))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    for start, end in merged:
        place = text[start:end]
        if place not in out and not re.fullmatch(_NUM + "号", place):
            out.append(place)
    return tuple(out)
