"""One message, several problems: split on clauses and enumerations, keep the distinct actionable ones.

Why: residents save up problems and send them in one message ("一是楼下烧烤店半夜吵，二是东门井盖
被掀了"). Judged as a whole the message gets one category and the second problem — often the
dangerous one — is lost. Here the message is cut only at strong boundaries (line breaks,
enumerations, 还有 / 另外, ；, sentence ends), never at commas: a comma usually continues the same
problem ("下水道堵了，污水冒出来了"). Each piece goes through the existing model (one batch); pieces
of one problem are merged back: a piece that is not a confident complaint, or is too short to
name a problem, or has the category of an earlier problem, joins its neighbour.

The one exception: a message with an emergency is cut at commas too. Residents add a second problem
to an alarm in the same breath ("煤气味好重，楼道灯也坏了"); judged as one, the message is one urgent
ticket of the emergency's category and the stair light is lost. So next to an emergency a comma piece
stands alone when it is a problem of its own: a short fault report by itself (classifier/short_fault.py;
a confident complaint is not enough, the words around an alarm are mostly its details: "物业电话没人
接") whose category the model is sure of, and which is not about the emergency itself
(Emergency.concerns: "电梯门也打不开" beside a trapped person, "我头晕" beside a gas smell). The emergency's own words ("煤气味很重，我头晕，快来人") stay one urgent ticket, and if the
commas cut the emergency's words apart so that no piece holds it ("电梯里，关着两个人"), the message
is read again without the comma cuts.

Bounded: at most MAX_CHARS characters are read and at most MAX_PIECES pieces classified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .emergency import Emergency, detect
from .model import Prediction

MAX_CHARS = 2000
MAX_PIECES = 12
MIN_CONTENT = 4  # Han characters (or letters) a piece needs to name a problem by itself

_ENUM = (
    r"[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、:：是个]?|其[一二三四五]|"
    r"(?<![0-9号栋楼单元室])[0-9]{1,2}[、.．:：)）](?![0-9])"
)
# Marks that enumerate wherever they stand: ① … ⑩, (1), （二）.
_MARK = r"[①-⑩]|[（(][0-9一二三四五六七八九十]{1,2}[)）]"
_CONNECTOR = (
    r"还有(?:就是|一个|一件事|个事|一点|件事)?|另外|此外|再就是|再有就是|再一个|再有|其次|最后|顺便说一下|顺便问一下|"
    r"顺便|同时还"
)
# A boundary: a line break, ；, a sentence end, or an enumeration / connector at a clause start.
_BOUNDARY = re.compile(
    rf"[\n\r；;。！!？?]+|{_MARK}|(?:^|(?<=[，,、\s。！!？?；;：:]))(?:{_ENUM})|(?:^|(?<=[，,、\s。！!？?；;：:]))(?:{_CONNECTOR})|"
    rf"(?<=[了啊呢吧的])(?:{_CONNECTOR})"
)
_SENTENCE_END = re.compile(r"[。！!？?]+")
# Inside a message with an emergency only (see the module doc).
_COMMA = re.compile(r"[，,]+")
# A piece cut off by a sentence end or (next to an emergency) a comma alone stands as its own problem
# only when the model is this sure of its category ("又停电了！！！上礼拜刚停过一次，冰箱里的肉都臭了" is
# one complaint, not two).
SENTENCE_CATEGORY_CONFIDENCE = 0.9
# How a piece was cut from the one before it (see _Piece).
MARKED, SENTENCE, COMMA = "marked", "sentence", "comma"
PIECE_INTENT_BAR = 0.7  # see _actionable
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_EDGE = re.compile(r"^[\s，,、:：.．]+|[\s，,、:：]+$")


@dataclass(frozen=True)
class Problem:
    """One distinct problem in a message: its words, the model's view of them, an emergency if any."""

    text: str
    prediction: Prediction
    emergency: Emergency | None = None


class _Piece(NamedTuple):
    text: str
    # MARKED: the message start, a line break, ；, an enumeration or a connector opened it; SENTENCE:
    # only a sentence end did (it often continues the same complaint); COMMA: only a comma did.
    cut: str
    # One of several parts of a clause cut at its commas (next to an emergency only).
    comma_part: bool = False


def _pieces(text: str, max_pieces: int, commas: bool = False) -> list[_Piece]:
    """The message's pieces; with `commas`, each clause is cut at its commas as well."""
    text = (text or "")[:MAX_CHARS]
    raw: list[_Piece] = []
    start, opened = 0, MARKED
    for m in _BOUNDARY.finditer(text):
        raw.append(_Piece(text[start:m.start()], opened))
        start, opened = m.end(), SENTENCE if _SENTENCE_END.fullmatch(m.group()) else MARKED
    raw.append(_Piece(text[start:], opened))
    if commas:
        cut_raw: list[_Piece] = []
        for piece in raw:
            parts = [part for part in _COMMA.split(piece.text) if _CONTENT.search(part)]
            if len(parts) < 2:
                cut_raw.append(piece)
                continue
            cut_raw.extend(_Piece(part, piece.cut if j == 0 else COMMA, True) for j, part in enumerate(parts))
        raw = cut_raw
    kept: list[_Piece] = []
    for piece in raw:
        words = _EDGE.sub("", piece.text)
        if _CONTENT.search(words):
            kept.append(piece._replace(text=words))
    if len(kept) > max_pieces:
        kept = kept[: max_pieces - 1] + [kept[max_pieces - 1]._replace(
            text="，".join(p.text for p in kept[max_pieces - 1:]))]
    return kept


def split_clauses(text: str, max_pieces: int = MAX_PIECES) -> list[str]:
    """The message cut at strong boundaries; empty and emoji-only pieces dropped; at most max_pieces
    (the rest stays with the last piece)."""
    return [piece.text for piece in _pieces(text, max_pieces)]


def _content_len(text: str) -> int:
    return len(_CONTENT.findall(text))


def _actionable(p: Prediction, thresholds: Mapping[str, float] | None) -> bool:
    if p.intent != "complaint" or p.category is None:
        return False
    if not thresholds:
        return True
    # Both heads must agree: a greeting piece ("网格长你好") can look like a complaint to the intent
    # head, but no category is sure of it. The intent bar for a piece is lower than the whole-message
    # bar (0.9 since the chit-chat round): that bar is set for lone chat lines at real base rates,
    # while a piece is a few words cut from a message that already names a problem, so the intent
    # head sees it without its context ("另外2单元的下水道也堵了" → 0.898).
    intent_bar = min(thresholds.get("intent", 0.0), PIECE_INTENT_BAR)
    return (p.intent_confidence >= intent_bar
            and (p.category_confidence or 0.0) >= thresholds.get("category", 0.0))


def _own_problem_beside_emergency(piece: _Piece, p: Prediction, sure: bool,
                                  thresholds: Mapping[str, float] | None, alarm: Emergency) -> bool:
    """A piece, itself no emergency, of a message that holds one: is it a problem of its own?

    A clause cut from the emergency by commas only must be a short fault report by itself
    (classifier/short_fault.py: "楼道灯也坏了") whose category the model is sure of and which is not
    about the emergency (Emergency.concerns); a confident complaint is not enough, since the words
    around an alarm are mostly its own details ("物业电话没人接", "估计是被车撞了"). A clause cut by a
    strong boundary is judged as in any message, except that a short fault report counts as said
    even when the model heard chit-chat ("另外垃圾好几天没清" → chit-chat 0.74): the lone-line bar
    guards a chat line that may be no report at all, and this message is one already."""
    category_sure = (p.category_confidence or 0.0) >= SENTENCE_CATEGORY_CONFIDENCE
    if piece.comma_part:
        return p.short_fault and category_sure and not alarm.concerns(p.category)
    said = _actionable(p, thresholds) or (
        p.short_fault and (p.category_confidence or 0.0) >= (thresholds or {}).get("category", 0.0))
    return said and sure


def may_hold_several(text: str, emergency: bool) -> bool:
    """Cheap, before any piece is classified: more than one clause, or an emergency (`emergency`: the
    caller's detect found one, so it is not run twice) with a comma."""
    if emergency and _COMMA.search(text or "") is not None:
        return True
    return len(_pieces(text, MAX_PIECES)) >= 2


def find_problems(text: str, predict_many: Callable[[Sequence[str]], list[Prediction]],
                  thresholds: Mapping[str, float] | None = None) -> list[Problem]:
    """The distinct actionable problems in a message, in order (empty when it has none).

    A message of one clause is one piece: the caller's own whole-message judgement stands.
    """
    alarm = detect(text)
    problems = _problems(_pieces(text, MAX_PIECES, commas=alarm is not None), predict_many, thresholds, alarm)
    if alarm is not None and problems and not any(p.emergency for p in problems):
        # The commas cut the emergency's own words apart ("电梯里，关着两个人"): read it as before.
        problems = _problems(_pieces(text, MAX_PIECES), predict_many, thresholds, alarm)
    return problems


def _problems(cut: list[_Piece], predict_many: Callable[[Sequence[str]], list[Prediction]],
              thresholds: Mapping[str, float] | None, alarm: Emergency | None) -> list[Problem]:
    if len(cut) < 2:
        return []
    any_marked = any(piece.cut == MARKED for piece in cut[1:])
    predictions = predict_many([piece.text for piece in cut])
    groups: list[dict] = []  # {"texts": [...], "prediction": Prediction, "emergency": Emergency|None}
    for piece, prediction in zip(cut, predictions):
        emergency = detect(piece.text)
        sure = (piece.cut == MARKED and any_marked) or (
            (prediction.category_confidence or 0.0) >= SENTENCE_CATEGORY_CONFIDENCE)
        if emergency is not None:
            standalone = True
        elif _content_len(piece.text) < MIN_CONTENT:
            standalone = False
        elif alarm is not None:
            standalone = _own_problem_beside_emergency(piece, prediction, sure, thresholds, alarm)
        else:
            standalone = sure and _actionable(prediction, thresholds)
        category = emergency.category(prediction.category) if emergency else prediction.category
        same = None
        if standalone:
            for g in groups:
                if g.get("lead"):
                    continue
                if emergency is not None and g["emergency"] is not None and (
                        g["emergency"].kind == emergency.kind or piece.comma_part):
                    same = g  # one alarm said in several words ("路面塌陷了，有人摔倒了"): one urgent ticket
                elif g["category"] == category:
                    same = g  # one problem, said twice (or its danger said apart): one ticket
                if same is not None:
                    break
        if standalone and same is None:
            groups.append({"texts": [piece.text], "prediction": prediction, "emergency": emergency,
                           "category": category, "cut": piece.cut})
        elif same is not None:
            same["texts"].append(piece.text)
            if same["emergency"] is not None and emergency is not None:
                same["emergency"] = same["emergency"].joined(emergency)
            else:
                same["emergency"] = same["emergency"] or emergency
        elif groups:
            groups[-1]["texts"].append(piece.text)  # a detail, a thank-you, "麻烦尽快": stays with its problem
        else:
            groups.append({"texts": [piece.text], "prediction": prediction, "emergency": None, "lead": True})
    problems = []
    lead: list[str] = []
    for g in groups:
        if g.get("lead"):
            lead = g["texts"]  # words before the first problem ("网格长你好") carry no problem
            continue
        words = "，".join(g["texts"])
        problems.append(Problem(words, g["prediction"], g["emergency"]))
    first_cut = next((g["cut"] for g in groups if not g.get("lead")), None)
    if problems and lead and (len(problems) == 1 or first_cut == COMMA):
        # Words cut from the first problem by a comma only are its own ("3栋2单元，电梯里关着人").
        first = problems[0]
        problems[0] = Problem("，".join(lead + [first.text]), first.prediction, first.emergency)
    return problems
