"""Word segmentation with a private, quiet jieba tokenizer and the domain user dictionary.

Why private: the global jieba tokenizer is shared process state; another part of the bot loading
its own dictionary must not change how the classifier segments. Why quiet: jieba logs its
dictionary loading to stderr at INFO level on first use.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from pathlib import Path

import jieba

logger = logging.getLogger(__name__)

USERDICT_PATH = Path(__file__).resolve().parent / "data" / "userdict.txt"

jieba.setLogLevel(logging.WARNING)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def get_tokenizer() -> jieba.Tokenizer:
    """The process-wide private tokenizer, initialised once (about 0.5 s) on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = jieba.Tokenizer()
                tok.initialize()
                tok.load_userdict(str(USERDICT_PATH))
                _tokenizer = tok
                logger.debug("jieba tokenizer ready with %s", USERDICT_PATH)
    return _tokenizer


def words(text: str) -> list[str]:
    """Segment normalised text into words, dropping whitespace and bare punctuation."""
    # HMM=False: the HMM guesses unseen words at ~2x the cost; the character n-grams already cover
    # out-of-vocabulary strings, so the word features only need the dictionary segmentation.
    return [w for w in get_tokenizer().lcut(text, HMM=False) if _ALNUM.search(w)]


# One alphanumeric character makes a token a word ([^\W_] is exactly str.isalnum); whitespace and
# bare punctuation have none. A regex search is ~3x cheaper than testing each character in Python.
_ALNUM = re.compile(r"[^\W_]")


class WordAnalyzer:
    """Picklable analyzer for TfidfVectorizer: jieba words plus word bigrams.

    A class (not a lambda) so the fitted vectorizer can be persisted in the artifact; it holds no
    tokenizer state itself, so the artifact stays small and loads fast.
    """

    def __init__(self, bigrams: bool = True) -> None:
        self.bigrams = bigrams

    def __call__(self, text: str) -> list[str]:
        toks = words(text)
        if self.bigrams and len(toks) > 1:
            toks = toks + [a + "_" + b for a, b in itertools.pairwise(toks)]
        return toks
