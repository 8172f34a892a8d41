"""Text normalisation applied before tokenising, featurising or extracting places.

Why: residents type the same request in many surface forms (Traditional characters, full-width
digits from some input methods, @mentions, emoji, links). Folding them first means the model and
the place extractor see one canonical form, so training data covers more of what real users type.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

from .dialect import fold_dialect

logger = logging.getLogger(__name__)

# Bumped whenever normalize() maps some text differently: the model's features are computed on its
# output, so an artifact trained under another version would see text it was not trained on. The
# artifact header records it and the loader refuses a mismatch (model.py); the Makefile retrains
# when this file changes. 1: up to 2026-12; 2: Traditional 著 read as 着 (fold_zhe); 3: regional
# words folded to Mandarin (classifier/dialect.py: 屋头 → 家里, 冇 → 没有, 阿拉 → 我们); 4: phone, ID and
# card numbers (7 digits or more) read as one token.
NORMALIZER_VERSION = 4

EMOJI_TOKEN = " EMJ "
URL_TOKEN = " URL "
# A phone, ID or bank-card number: its digits are arbitrary, and as character n-grams they pulled a
# question with "电话13912345678" in it below the answer bar. House and room numbers are shorter.
NUMBER_TOKEN = " NUM "
_LONG_NUMBER_RE = re.compile(r"(?<![#＃\d])(?<!单号)(?<!工单)\d{7,}[xX]?")  # not a ticket's own number

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+", re.IGNORECASE)
# WeChat inserts U+2005 after a mention; residents often type a space or nothing at all.
_MENTION_DELIMITED_RE = re.compile(r"@[^\s@\u2005,，:：。!！?？]{1,8}(?=[\s\u2005,，:：。!！?？])")
_MENTION_ROLE_RE = re.compile(r"@(?:所有人|网格长|网格员|楼长|居委会|社区工作人员|物业|社区|书记|主任)")
_MENTION_BARE_RE = re.compile(r"@[\u4e00-\u9fff]{1,3}|@\S+")
# WeChat bracket emoji such as [强] [玫瑰] [捂脸] and Unicode pictographs / symbols.
_WECHAT_EMOJI_RE = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,4}\]")
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2300-\u23ff]+")
_SPACE_RE = re.compile(r"[\s\u2005\u3000]+")
_EMJ_RUN_RE = re.compile(r"(?:\s*EMJ\s*)+")

# Full-width ASCII letters, digits and symbols fold to half-width; Chinese punctuation
# (，。！？：；（）) is kept because it is what residents expect and carries sentence breaks.
_KEEP_FULLWIDTH = set("，！？：；（）")
_WIDTH_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH}
_WIDTH_TABLE[0x3000] = 0x20


@functools.lru_cache(maxsize=1)
def _t2s():
    """OpenCC converter plus the set of characters that actually need converting.

    Why the set: the pure-Python OpenCC costs ~50 µs per message; most messages are already
    Simplified, so a set lookup lets them skip conversion entirely.
    """
    import opencc
    from opencc import OpenCC

    triggers: set[str] = set()
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if key and values.split(" ")[0] != key:
                triggers.update(key)
    return OpenCC("t2s"), frozenset(triggers)


# In Traditional writing 著 is both zhù (著名, 著作: stays 著 in Simplified) and zhe / zháo / zhuó
# (關著燈, 睡著, 著火, 著急: 着 in Simplified), and OpenCC t2s keeps every 著 as it is, so "電梯裡關著人"
# came out as 关著人 — a form training (OpenCC s2t writes 着) never has. Simplified writers use 著
# only for zhù, so 著 becomes 着 except inside the closed set of zhù words below.
_ZHU_WORDS_RE = re.compile(r"著(?=名|作|称|述|书|录|者)|(?<=[显土名原论专巨编卓昭译遗拙])著")


def fold_zhe(text: str) -> str:
    """Traditional aspect / result 著 → 着 (关著 → 关着, 著火 → 着火); 著名, 著作, 显著 … keep 著."""
    if "著" not in text:
        return text
    keep = {m.start() for m in _ZHU_WORDS_RE.finditer(text)}
    return "".join("着" if ch == "著" and i not in keep else ch for i, ch in enumerate(text))


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese (OpenCC t2s, skipped when no Traditional character), then 著 → 着
    where it is the particle (fold_zhe)."""
    cc, triggers = _t2s()
    if any(ch in triggers for ch in text):
        text = cc.convert(text)
    return fold_zhe(text)


def fold_width(text: str) -> str:
    """Full-width letters/digits/symbols → half-width, keeping Chinese punctuation."""
    return text.translate(_WIDTH_TABLE)


def strip_mentions(text: str) -> str:
    """Remove @mentions: they name a person, not the request."""
    text = _MENTION_ROLE_RE.sub(" ", text)
    text = _MENTION_DELIMITED_RE.sub(" ", text)
    return _MENTION_BARE_RE.sub(" ", text)


def normalize(text: str) -> str:
    """Canonical form used by the model and the place extractor."""
    text = fold_width(text)
    text = _URL_RE.sub(" \x00u ", text)  # marker survives lower-casing, becomes URL_TOKEN
    text = fold_dialect(to_simplified(text))
    text = strip_mentions(text).lower()
    text = text.replace("\x00u", URL_TOKEN)
    text = _LONG_NUMBER_RE.sub(NUMBER_TOKEN, text)
    text = _WECHAT_EMOJI_RE.sub(EMOJI_TOKEN, text)
    text = _EMOJI_RE.sub(EMOJI_TOKEN, text)
    text = _EMJ_RUN_RE.sub(EMOJI_TOKEN, text)
    return _SPACE_RE.sub(" ", text).strip()
