"""Is a new report the same problem as an open ticket? Cheap character-bigram overlap.

Chat messages are short, so the overlap coefficient (shared bigrams over the smaller
set) beats Jaccard: "3号楼也堵了" fully overlaps a longer report about 3号楼 drains.
"""
from __future__ import annotations

import re
import unicodedata

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
