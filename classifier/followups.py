"""What a chat line means in a conversation: a follow-up, a vague report, an acknowledgement,
an answer to a question the bot asked. Pure functions over text, no state.

Why rules and not the model: these lines carry no problem of their own ("进度", "怎么样了",
"催一下", "看图"), so a complaint classifier has nothing to go on and guesses a category. They
are also few and formulaic, in many surface forms (no punctuation, Traditional characters,
dialect), which a word list folded through `normalize` covers predictably.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from classifier.categories import load_categories
from classifier.normalize import normalize

# Zero-width and other invisible characters a phone keyboard or a paste leaves inside words.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_NOISE = re.compile(r"(?:EMJ|URL|NUM)|[\s\W_]+", re.UNICODE)
# A ticket number as residents write it: "#12", "＃12", "12号单", "单号12".
# Not "2单元" (a building's unit).
TICKET_NUMBER = re.compile(r"#\s*(\d{1,9})|(?:单号|工单)\s*(\d{1,9})|(\d{1,9})\s*号?(?:单(?!元)|工单)")

# Asking how a report is going (Mandarin, northern and Cantonese forms, after normalize).
_PROGRESS = (
    r"进度|进展|怎么样了|咋样了|怎样了|如何了|情况如何|啥情况了|弄得咋样|搞得怎么样|点样了|点样啊|搞掂未|搞定未"
    r"|处理(?:了|好)?(?:没|吗|么|没有|了没)|弄好(?:了)?(?:没|吗|么)|修好(?:了)?(?:没|吗|么|没有)|搞定(?:了)?(?:没|吗)"
    r"|修了(?:没|吗|么)|有(?:人)?管(?:了)?(?:没|吗|么|不)|有没有人(?:管|理|处理|来|修|跟进)|有人(?:处理|跟进|来)(?:了)?(?:没|吗)"
    r"|结果(?:呢|咋样|如何)|有(?:消息|回复|回音|下文|结果)(?:了)?(?:没|吗|么)|回复呢|还有下文吗"
    r"|什么时候(?:能|来|会|可以)?(?:修|处理|弄|解决|来人)|啥时候(?:能|来|会)?(?:修|处理|弄|解决|来人)|几时(?:来)?(?:修|整|弄)"
    r"|多久(?:能|才能|可以)?(?:修|处理|弄好|解决)|到哪(?:一)?步了|还要等多久|要等到什么时候|落实了(?:没|吗)"
    r"|我(?:那个|的|反映的|报的|说的|上次|之前|前天|昨天|前几天)(?:.{0,12}?)(?:事|事情|问题|单子|工单)(?:呢|咋样|怎么样|如何|进度)?"
)
# Complaining about the wait: an urge (催办) for whoever holds the ticket.
_URGE = (
    r"催一下|催一催|催催|催办|再催|帮忙催|快点(?:来)?(?:修|处理|弄|解决|派人|过来)|快(?:点|些)?来(?:个)?人|赶紧(?:来|修|处理|弄|派人|过来)|搞快点|快些"
    r"|到底(?:修不修|管不管|有没有人管|有人管没|什么时候|啥时候|来不来|弄不弄|处理不处理)"
    r"|怎么还(?:没|不)(?:人来|来人|修|弄|处理|解决|好|人管|动静|来|派人)|咋还(?:没|不)(?:人来|来人|修|弄|处理|好|来|人管|动静)"
    r"|还没(?:人来|来人|修|弄好|处理|解决|人管|动静)|一直没(?:人)?(?:管|来|修|理|处理|动静)|没人(?:管|理|来|处理)"
    r"|到现在(?:都)?还|(?<!有)没有人来(?:搞|修|弄|处理|管|看)|更严重了|更厉害了|越来越(?:严重|厉害|多|大)|"
    r"(?:师傅|人|物业)(?:怎么|咋)?还(?:没|不)来|"
    r"还在(?:冒水|漏水|漏|滴水|滴|响|吵|堵|臭|淌水|流水|停水|停电)|还是(?:老样子|没修好|没好|不亮|不热|没水|没电|堵着)"
    r"|(?<!有)没有人(?:管|理|处理)|(?<!有)没有?人(?:回应|应答|答应|接电话)|没有?人应(?!该|聘)|(?:还|到底|究竟)管不管|还有(?:没有)?人管"
    r"|等了(?:.{0,4})(?:天|周|星期|礼拜|个月|小时|钟头|个钟|分钟)|拖了(?:.{0,4})(?:天|周|星期|个月)|能不能快点|可不可以快点"
    r"|都(?:几|好几|两|三|\d+)天了|(?:几|好几|两|三|\d+)天了还|仲未(?:来|整|修)"
)
PROGRESS_RE = re.compile(_PROGRESS)
_ABOUT_REPORT = re.compile(r"进度|进展|工单|单子|反映|催|有没有人管|有人管|我(?:那个|的|上次|之前|前天|昨天|报的|说的)")
URGE_RE = re.compile(_URGE)

# Lines that say "there is a problem" without saying which one.
_VAGUE = re.compile(
    r"看图|看下图|看一下图|看照片|看下照片|看看图|看视频"
    r"|(?:这里|这边|那里|那边|这儿|又)(?:又)?(?:这样|那样)了?|又来了|又开始了|又是这样|又出(?:问题|事)了?"
    r"|(?:这个|这|那个)?(?:问题|事|事情|情况)?(?:到底)?有没有人管|有人管(?:吗|没|么|不)|谁管管|谁来管管"
    r"|反映(?:个|一个|一下)(?:问题|情况)|我要(?:反映|投诉|举报)(?:个|一个|一下)?(?:问题|情况)?"
    r"|(?:出|有)(?:个|一个)?问题了|麻烦(?:处理|看)一下|帮忙(?:处理|看)一下"
)
# "在吗", "怎么回事", "大家看看" are left out on purpose: in a grid chat they are talk far more
# often than reports, and a question to every one of them would be noise.
# What is left of a vague line once those words and fillers are gone must be this short.
_FILLER = re.compile(
    r"网格长|网格员|书记|主任|物业|社区|你好|您好|请问|麻烦|谢谢|大家|这个|那个|这种|这样|还是|又|了|的|呢|啊|呀|吧|吗|嘛|哦"
    r"|我|你|们|他|她|它|这|那|是|就|都|也|还|在|有|个|一下|下|到底|真的|实在|怎么|咋|呢|哈|唉|哎|诶|嗯"
)
_ACK = re.compile(
    r"(?:收到|好的|好嘞|好|嗯+|ok|okay|谢谢|多谢|感谢|辛苦了?|辛苦辛苦|明白|知道了|了解|已阅|1+|行|可以|没问题|哦+|嗯嗯|哈+"
    r"|赞|棒|点赞|晚安|早安?|早上好|拜拜|再见|网格长|网格员|书记|主任|老师|大家|你们|您|[!！。.~～]+)+"
)
# Words that describe a problem further: a place, how long, how bad.
_DETAIL = re.compile(
    r"\d+\s*(?:号楼|栋|幢|单元|楼|层|号)|[东西南北]门|大门|门口|楼道|楼下|楼上|地下室|车库|电梯|路口|旁边|附近|对面|边上|那边|这边"
    r"|(?:几|好几|两|三|一|\d+)(?:天|周|个星期|个月|小时)|越来越|一直|还在|到处|漫|臭|吵|危险|严重|影响|老人|小孩"
)
# A place given as an answer: buildings, units, gates, landmarks.
_PLACE = re.compile(
    r"(?:\d+|[一二三四五六七八九十]+)\s*(?:号楼|栋|幢|号院)(?:\s*(?:\d+|[一二三四五六七八九十]+)\s*单元)?(?:\s*\d+\s*层)?"
    r"|(?:\d+|[一二三四五六七八九十]+)\s*单元|(?:小区)?[东西南北]门(?:口)?|大门口?|正门|后门|侧门"
    r"|(?:地下|地面)?(?:车库|停车场)|菜市场|幼儿园|小学|广场|花园|篮球场|健身器材|垃圾站|快递柜|门卫室|物业办公室|配电房|水泵房"
    r"|[\u4e00-\u9fff]{2}(?:路|街|巷)(?:口|\d+号)?"
)
_ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_CHOICE_ORDINAL = re.compile(r"^(?:第)?([一二两三四五12345])(?:个|条|张)?$|^第([一二两三四五12345])")


# A neighbour agreeing with what was just reported: "我家也是", "+1", "确实", "对 尤其南门…".
# Anchored at the line's start (after normalize, before punctuation is dropped): "对了" (by the
# way), "对面", "一样东西" are not agreement.
# Plain "same here" words, a neighbour's own building ("我们10号楼也停了") and a witness ("我下楼也闻着了",
# "刚路过看到了"): read by `agrees` (with other openings) and by `agrees_plainly` (alone).
_SAME_WORDS = (
    r"\+1|＋1|同款|同上|同感|附议|确实|的确|没错|可不是|是的|是啊|对对|对啊|对呀|对的|对[\s,，!！。~～]|一样|同样|"
    r"真的(?!假)|就是就是|就是嘛|是嘞|对头"
)
_SAME_BUILDING = r"(?:我们|咱们|俺们|我家)?[0-9一二三四五六七八九十]+\s*(?:号楼|栋|单元)(?:也|同样)"
_WITNESSED = (
    r"(?:这个)?(?:我|俺)(?:下楼|上楼|在[^也都，,。！!？?\s]{1,3}|住[^也都，,。！!？?\s]{1,8}|路过|刚才|刚|家里?|这边|那边)?"
    r"[也都](?:是|遇到|发现|看到|看见|闻到|闻着|听到|听见|拍了|拍到)"
    r"|(?:刚|刚才)?(?:路过|经过|走过)(?:也)?(?:看到|看见|瞧见)了"
    r"|(?:我|俺)(?:在.{0,4}?)?(?:路过|走过|行过|经过)?(?:也)?(?:看到|瞧见|看见)了"
)
_AGREE = re.compile(
    r"^(?:\+1|＋1|(?:我|我们|俺|咱)(?:家里?)?(?:那|这)?(?:层|边|儿|里|栋|楼|单元)?也是|"
    rf"{_SAME_BUILDING}|我家里?也|我们家里?也|俺家也|咱家也|家里也是|我这(?:边|儿|里)?也|"
    rf"我们(?:这|那)?(?:边|儿|里|楼|单元|家)?也|{_SAME_WORDS}|可不|{_WITNESSED})"
)


@functools.lru_cache(maxsize=256)  # agreement, acknowledgement and address are read from one line's start
def _opening(text: str) -> str:
    return normalize(_INVISIBLE.sub("", text or "")[:300]).lstrip()


@functools.lru_cache(maxsize=256)  # each handler of the conversation layer asks about the same line
def clean(text: str) -> str:
    """Simplified, lower case, no mentions, emoji, spaces, punctuation or invisible characters."""
    return _NOISE.sub("", normalize(_INVISIBLE.sub("", text or "")[:600]))


@dataclass(frozen=True)
class FollowUp:
    kind: str  # "progress" (how is it going), "urge" (催办: too long), "detail" (#12 + news), "fixed" (通了, 谢谢)
    ticket_id: int | None  # a number the resident wrote, if any
    rest: str  # the words left once the follow-up phrase is gone: what the line says about the problem
    # Unmistakably about a report ("进度", "催一下", "有没有人管", "我那个…的事"), not "怎么样了" between
    # neighbours, which may be about anything.
    about_report: bool = True


# A line that opens with a ticket's number ("#12 今天晚上又在充") is about that ticket, whatever it says;
# one that names it further on, when it says the problem is back or still there ("上次那个#50又坏了",
# "报了两天了#56还是黑的") — not "合并 #2 到 #1" typed by a resident.
_LEADING_NUMBER = re.compile(r"^\s*[#＃]\s*(\d{1,9})")
_NAMED_NUMBER = re.compile(r"[#＃]\s*(\d{1,9})")
_AGAIN = re.compile(r"又|还是|还在|还没|再次|依旧|仍然|照样")


# The reporter says the problem went away ("通了，味儿也没了，谢谢李师傅", "今晚终于亮了", "算了，刚才又好了
# …先不用来了"): news for whoever holds the ticket, and the resident's cue to rate it.
_FIXED = re.compile(
    r"(?:^|终于|已经|总算|刚才|现在)(?:又)?(?:通了|亮了|热了|修好了|恢复了|来水了|来电了|解决了|换完了|换好了|修完了)|"
    r"(?:终于|已经|总算|刚才|现在|今天|今早|上午|下午)又?(?:好了|没事了|修好了)|不(?:漏|堵|响|臭|滴)了|亮堂(?:多)?了|(?:人|孩子|娃)(?:已经)?(?:救)?出来了|抱下来了|"
    r"不用(?:来|派人|管|修)了|先不用来|味儿?(?:也)?没了"
)


def followup(text: str) -> FollowUp | None:
    """The line asks about (or presses) an earlier report, or adds to the one it names first; None for
    anything else."""
    body = clean(text)
    if not body or len(body) > 80:
        return None
    urge, progress = URGE_RE.search(body), PROGRESS_RE.search(body)
    if urge is None and progress is None and len(body) <= 40 and _FIXED.search(body):
        number = TICKET_NUMBER.search(normalize(text or ""))
        return FollowUp("fixed", int(next(g for g in number.groups() if g)) if number else None,
                        _FIXED.sub("", body), about_report=False)
    if urge is None and progress is None:
        named = _LEADING_NUMBER.match(text or "")
        if named is None and _AGAIN.search(body):
            named = _NAMED_NUMBER.search(text or "")
        if named is None:
            return None
        # "#12 今天晚上又在充": news of that ticket's problem, for its record and whoever holds it.
        return FollowUp("detail", int(named.group(1)), clean(text[:named.start()] + text[named.end():]))
    rest = URGE_RE.sub("", PROGRESS_RE.sub("", body))
    number = TICKET_NUMBER.search(normalize(text or ""))
    ticket_id = int(next(g for g in number.groups() if g)) if number else None
    return FollowUp("urge" if urge else "progress", ticket_id, rest,
                    urge is not None or ticket_id is not None or _ABOUT_REPORT.search(body) is not None)


@functools.lru_cache(maxsize=1)
def _keywords() -> dict[str, tuple[str, ...]]:
    # Two characters or more: single ones ("度", "停", "叫") hide inside everyday words (进度).
    return {code: tuple(k for k in cat.keywords if len(k) >= 2) for code, cat in load_categories().items()
            if code != "other"}


def category_hints(text: str) -> set[str]:
    """Categories whose problem words the line contains (e.g. 下水道 → drainage)."""
    body = clean(text)
    return {code for code, words in _keywords().items() if any(w in body for w in words)}


def names_problem(text: str) -> bool:
    """The line names a problem (a category word or a place), not only that there is one."""
    return bool(category_hints(text)) or bool(_PLACE.search(clean(text)))


def is_vague_report(text: str) -> bool:
    """"看图", "这里又这样了", "这个问题有没有人管": says there is a problem, not which or where."""
    body = clean(text)
    if not body or len(body) > 30 or not _VAGUE.search(body):
        return False
    rest = _FILLER.sub("", _VAGUE.sub("", body))
    return len(rest) <= 3 and not names_problem(body)


def agrees(text: str) -> str | None:
    """A line that agrees with a report just made ("我家也是 天天门口一坨"): what it says besides.

    None when the line does not open with agreement; "" when it is nothing but agreement.
    """
    folded = _opening(text)
    found = _AGREE.match(folded)
    if found is None:
        return None
    return _FILLER.sub("", clean(folded[found.end():]))


# Agreement that says nothing but "same here" ("+1", "是的嘛", "我家也是", "同款"), unlike "我家也…" followed by
# something else the speaker's home did ("我家也包饺子了").
_PLAIN_AGREE = re.compile(rf"^(?:{_SAME_WORDS}|{_SAME_BUILDING}|{_WITNESSED}|[^\s,，。!！]{{0,8}}也是)")


# Someone (staff, mostly) acknowledging a report: "收到，我马上过去放个警示牌", "已联系物业".
_ACKNOWLEDGES = re.compile(r"^(?:收到|好的|好嘞|马上|已经?(?:联系|派|安排|报|通知)|正在)")


def acknowledges(text: str) -> bool:
    """The line opens by acknowledging (收到, 马上, 已联系…): talk about a report, not another topic."""
    return _ACKNOWLEDGES.match(_opening(text)) is not None


def agrees_plainly(text: str) -> bool:
    """The line opens with plain agreement ("+1 上次我还踩到了", "我屋头也是 9栋2单元")."""
    return _PLAIN_AGREE.match(_opening(text)) is not None


# A line that opens by calling a neighbour by name ("王姐，要空腹吗", "刘叔 明天几点"): for that person to
# answer, not the bot. Not the offices whose questions the bot forwards (网格长, 书记, 社区, 物业).
_TO_A_NEIGHBOUR = re.compile(
    r"^[\u4e00-\u9fff]{1,2}(?:姐|哥|叔|姨|阿姨|嫂|婶|大爷|大妈|奶奶|爷爷|老师|师傅|老板|大哥|大姐)(?:[，,：:\s!！]|$)"
)


def to_a_neighbour(text: str) -> bool:
    """The line is addressed to a neighbour by name: "王姐，要空腹吗"."""
    return _TO_A_NEIGHBOUR.match(_opening(text)) is not None


def is_ack(text: str) -> bool:
    """收到 / 好的 / 谢谢 / 👌 / 1 / emoji only: nothing to act on."""
    body = clean(text)
    return not body or _ACK.fullmatch(body) is not None


def adds_detail(text: str) -> bool:
    """A line that could describe a problem further (where, how long, how bad)."""
    body = clean(text)
    return bool(body) and (bool(_DETAIL.search(body)) or names_problem(body))


def place_in(text: str) -> str | None:
    """A building, unit, gate or landmark named in a short answer ("3号楼2单元", "东门口")."""
    folded = normalize(_INVISIBLE.sub("", text or "")[:200])
    found = _PLACE.search(folded.replace(" ", ""))
    return found.group(0) if found else None


def is_choice(text: str) -> bool:
    """A bare pick from a list the bot showed ("1", "第二个", "#12"): otherwise an acknowledgement."""
    body = clean(text)
    return bool(body) and len(body) <= 9 and (body.isdigit() or _CHOICE_ORDINAL.fullmatch(body) is not None)


def chosen_ticket(text: str, options: list[int]) -> int | None:
    """Which of the listed tickets an answer picks: "#12", "12", "第二个"."""
    body = clean(text)
    number = TICKET_NUMBER.search(normalize(text or ""))
    if number:
        wanted = int(next(g for g in number.groups() if g))
        return wanted if wanted in options else None
    if body.isdigit() and int(body) in options:
        return int(body)
    ordinal = _CHOICE_ORDINAL.search(body)
    if ordinal:
        index = _ORDINALS[ordinal.group(1) or ordinal.group(2)] - 1
        return options[index] if 0 <= index < len(options) else None
    return None
