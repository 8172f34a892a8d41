"""One message, several problems: split on clauses and enumerations, keep the distinct actionable ones.

Why: residents save up problems and send them in one message ("一是楼下烧烤店半夜吵，二是东门井盖
被掀了"). Judged as a whole the message gets one category and the second problem — often the
dangerous one — is lost. Here the message is cut only at strong boundaries (line breaks,
enumerations, 还有 / 另外, ；, sentence ends), never at commas: a comma usually continues the same
problem ("下水道堵了，污水冒出来了"). Each piece goes through the existing model (one batch); pieces
of one problem are merged back: a piece that is not a confident complaint, or is too short to
name a problem, or has the category of an earlier problem, joins its neighbour.

Bounded: at most MAX_CHARS characters are read and at most MAX_PIECES pieces classified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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
# A piece cut off by a sentence end alone stands as its own problem only when the model is this sure
# of its category ("又停电了！！！上礼拜刚停过一次，冰箱里的肉都臭了" is one complaint, not two).
SENTENCE_CATEGORY_CONFIDENCE = 0.9
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_EDGE = re.compile(r"^[\s，,、:：.．]+|[\s，,、:：]+$")


@dataclass(frozen=True)
class Problem:
    """One distinct problem in a message: its words, the model's view of them, an emergency if any."""

    text: str
    prediction: Prediction
    emergency: Emergency | None = None


def _pieces(text: str, max_pieces: int) -> list[tuple[str, bool]]:
    """(piece, marked): marked when a line break, ；, an enumeration or a connector opened it, not
    only a sentence end (a sentence end alone often continues the same complaint)."""
    text = (text or "")[:MAX_CHARS]
    raw: list[tuple[str, bool]] = []
    start, marked = 0, True
    for m in _BOUNDARY.finditer(text):
        raw.append((text[start:m.start()], marked))
        start, marked = m.end(), not _SENTENCE_END.fullmatch(m.group())
    raw.append((text[start:], marked))
    kept: list[tuple[str, bool]] = []
    for piece, opened in raw:
        piece = _EDGE.sub("", piece)
        if _CONTENT.search(piece):
            kept.append((piece, opened))
    if len(kept) > max_pieces:
        kept = kept[: max_pieces - 1] + [("，".join(p for p, _ in kept[max_pieces - 1:]), kept[max_pieces - 1][1])]
    return kept


def split_clauses(text: str, max_pieces: int = MAX_PIECES) -> list[str]:
    """The message cut at strong boundaries; empty and emoji-only pieces dropped; at most max_pieces
    (the rest stays with the last piece)."""
    return [piece for piece, _ in _pieces(text, max_pieces)]


def _content_len(text: str) -> int:
    return len(_CONTENT.findall(text))


def _actionable(p: Prediction, thresholds: Mapping[str, float] | None) -> bool:
    if p.intent != "complaint" or p.category is None:
        return False
    if not thresholds:
        return True
    # Both of the model's thresholds: a greeting piece ("网格长你好") can look like a complaint to the
    # intent head, but no category is sure of it.
    return (p.intent_confidence >= thresholds.get("intent", 0.0)
            and (p.category_confidence or 0.0) >= thresholds.get("category", 0.0))


def find_problems(text: str, predict_many: Callable[[Sequence[str]], list[Prediction]],
                  thresholds: Mapping[str, float] | None = None) -> list[Problem]:
    """The distinct actionable problems in a message, in order (empty when it has none).

    A message of one clause is one piece: the caller's own whole-message judgement stands.
    """
    marked_pieces = _pieces(text, MAX_PIECES)
    if len(marked_pieces) < 2:
        return []
    pieces = [p for p, _ in marked_pieces]
    any_marked = any(marked for _, marked in marked_pieces[1:])
    predictions = predict_many(pieces)
    groups: list[dict] = []  # {"texts": [...], "prediction": Prediction, "emergency": Emergency|None}
    for k, (piece, prediction) in enumerate(zip(pieces, predictions)):
        emergency = detect(piece)
        sure = (marked_pieces[k][1] and any_marked) or (
            (prediction.category_confidence or 0.0) >= SENTENCE_CATEGORY_CONFIDENCE)
        standalone = emergency is not None or (
            sure and _actionable(prediction, thresholds) and _content_len(piece) >= MIN_CONTENT)
        category = emergency.category(prediction.category) if emergency else prediction.category
        same = None
        if standalone:
            for g in groups:
                if g.get("lead"):
                    continue
                if emergency is not None and g["emergency"] is not None and g["emergency"].kind == emergency.kind:
                    same = g
                elif g["category"] == category:
                    same = g  # one problem, said twice (or its danger said apart): one ticket
                if same is not None:
                    break
        if standalone and same is None:
            groups.append({"texts": [piece], "prediction": prediction, "emergency": emergency,
                           "category": category})
        elif same is not None:
            same["texts"].append(piece)
            same["emergency"] = same["emergency"] or emergency
        elif groups:
            groups[-1]["texts"].append(piece)  # a detail, a thank-you, "麻烦尽快": stays with its problem
        else:
            groups.append({"texts": [piece], "prediction": prediction, "emergency": None, "lead": True})
    problems = []
    lead: list[str] = []
    for g in groups:
        if g.get("lead"):
            lead = g["texts"]  # words before the first problem ("网格长你好") carry no problem
            continue
        words = "，".join(g["texts"])
        problems.append(Problem(words, g["prediction"], g["emergency"]))
    if problems and lead and len(problems) == 1:
        only = problems[0]
        problems[0] = Problem("，".join(lead + [only.text]), only.prediction, only.emergency)
    return problems
