"""Loading labelled messages: the generated corpus, the held-out split and leaders' corrections.

Why one loader: training, evaluation, tests and the benchmark must read the same columns with the
same validation, and the data hash stored in the artifact must be computed over exactly what was
trained on.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
CORPUS_PATH = DATA_DIR / "corpus.csv"
TEST_PATH = DATA_DIR / "test.csv"
# Written by other hands than the training pools and never read by training: the stand-in for
# "resident messages nobody here trained on" (see data/README.md).
INDEPENDENT_PATH = DATA_DIR / "independent.csv"
INTENTS = ("complaint", "question", "chitchat")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    category: str | None  # set only for complaints
    group: str | None = None  # generator fragment id; lets calibration hold out whole phrasings


class CorpusError(ValueError):
    """A labelled row is invalid; the message names the file and line."""


def _make(
    text: str,
    intent: str,
    category: str | None,
    where: str,
    known: set[str] | None,
    group: str | None = None,
) -> Example:
    text = (text or "").strip()
    intent = (intent or "").strip()
    category = (category or "").strip() or None
    if not text:
        raise CorpusError(f"{where}: empty text")
    if intent not in INTENTS:
        raise CorpusError(f"{where}: intent must be one of {INTENTS}, got {intent!r}")
    if intent == "complaint":
        if category is None:
            raise CorpusError(f"{where}: a complaint needs a category")
        if known is not None and category not in known:
            raise CorpusError(f"{where}: unknown category {category!r}")
    else:
        category = None
    return Example(text, intent, category, (group or "").strip() or None)


def read_csv(path: Path, known_categories: set[str] | None = None) -> list[Example]:
    """Rows of a text,intent,category CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            _make(
                r.get("text", ""),
                r.get("intent", ""),
                r.get("category"),
                f"{path}:{i}",
                known_categories,
                r.get("group"),
            )
            for i, r in enumerate(csv.DictReader(fh), start=2)
        ]


def read_jsonl(path: Path, known_categories: set[str] | None = None) -> list[Example]:
    """Corrections exported by the bot: one {"text","intent","category"} object per line."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{i}: invalid JSON ({exc.msg})") from exc
            out.append(
                _make(
                    obj.get("text", ""),
                    obj.get("intent", ""),
                    obj.get("category"),
                    f"{path}:{i}",
                    known_categories,
                )
            )
    return out


def data_hash(examples: list[Example]) -> str:
    """Order-sensitive SHA-256 over the training rows (text, intent, category — not the group ids)."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(f"{ex.text}\t{ex.intent}\t{ex.category or ''}\n".encode())
    return h.hexdigest()
