"""Splitting long text under WeChat's byte limits.

WeCom app text and group-robot text both stop at 2,048 UTF-8 bytes (a Chinese character is 3),
and an over-long message is rejected, not truncated. We split at the nicest boundary that fits
(line, then sentence, then clause, then anywhere between characters) and number the parts so
readers in a busy group can tell they belong together.
"""

from __future__ import annotations

import re

__all__ = ["TEXT_LIMIT_BYTES", "split_text", "strip_part_marker", "utf8_len"]

TEXT_LIMIT_BYTES = 2048

_MARKER = "({index}/{total})\n"
_MARKER_RE = re.compile(r"\A\(\d+/\d+\)\n")
# Break preferences, best first; the break goes right after the character.
_BREAKS: tuple[str, ...] = ("\n", "。！？!?；;…", "，,、：: \t")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _fit_prefix(text: str, max_bytes: int) -> str:
    """Longest prefix of whole characters within max_bytes."""
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def _cut_point(window: str) -> int:
    """Index just after the best break in window; the window end if there is none worth using."""
    floor = len(window) // 3  # a break in the first third would leave a tiny part
    for chars in _BREAKS:
        best = max(window.rfind(ch) for ch in chars)
        if best >= floor:
            return best + 1
    return len(window)


def _chunks(text: str, max_bytes: int) -> list[str]:
    parts: list[str] = []
    rest = text
    while utf8_len(rest) > max_bytes:
        window = _fit_prefix(rest, max_bytes)
        cut = _cut_point(window)
        parts.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        parts.append(rest)
    return parts


def split_text(text: str, limit_bytes: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Split text into parts of at most limit_bytes UTF-8 bytes each, markers included.

    Short text comes back unchanged as one part. Longer text gets a "(i/n)" line in front of
    every part; removing those lines (:func:`strip_part_marker`) and joining gives the original.
    """
    if limit_bytes < 16:
        raise ValueError("limit_bytes too small to hold a part marker")
    if utf8_len(text) <= limit_bytes:
        return [text]
    digits = 1
    while True:
        widest = _MARKER.format(index="9" * digits, total="9" * digits)
        chunks = _chunks(text, limit_bytes - utf8_len(widest))
        if len(str(len(chunks))) <= digits:
            break
        digits += 1
    total = len(chunks)
    return [
        _MARKER.format(index=i, total=total) + chunk
        for i, chunk in enumerate(chunks, 1)
    ]


def strip_part_marker(part: str) -> str:
    """Remove the "(i/n)" line split_text adds; text without one is returned as is."""
    return _MARKER_RE.sub("", part, count=1)
