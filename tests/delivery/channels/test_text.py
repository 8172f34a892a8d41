"""Splitting over the byte limit: parts fit, nothing is lost, no character is cut."""

from __future__ import annotations

import pytest

from bot.delivery.channels.text import TEXT_LIMIT_BYTES, split_text, strip_part_marker, utf8_len

NOTICE_LINE = (
    "各位居民：本周六上午9点在3号楼前开展消防演练，请配合工作人员疏散，注意安全。\n"
)


def rejoin(parts: list[str]) -> str:
    return "".join(strip_part_marker(p) for p in parts)


def test_short_text_is_unchanged() -> None:
    assert split_text("你好") == ["你好"]
    exact = "长" * (TEXT_LIMIT_BYTES // 3)
    assert split_text(exact) == [exact]


@pytest.mark.parametrize(
    "text",
    [
        NOTICE_LINE * 60,  # many lines
        "这是一句没有换行的长句子，" * 300,  # clause breaks only
        "长" * 3000,  # no break at all: hard cut between characters
        "a😀b" * 1500,  # 4-byte characters
        "Mixed 中英文 text. " * 400,
    ],
)
def test_parts_fit_and_rejoin_to_the_original(text: str) -> None:
    parts = split_text(text)
    assert len(parts) > 1
    assert all(utf8_len(p) <= TEXT_LIMIT_BYTES for p in parts)
    assert rejoin(parts) == text
    assert parts[0].startswith(f"(1/{len(parts)})\n")
    assert parts[-1].startswith(f"({len(parts)}/{len(parts)})\n")


def test_prefers_line_then_sentence_boundaries() -> None:
    parts = split_text(NOTICE_LINE * 60)
    assert all(strip_part_marker(p).endswith("\n") for p in parts[:-1])
    sentences = split_text("请注意安全。" * 400)
    assert all(strip_part_marker(p).endswith("。") for p in sentences[:-1])


def test_small_limit_with_many_parts_keeps_marker_width_right() -> None:
    text = "第一段内容。" * 200
    parts = split_text(text, limit_bytes=64)
    assert len(parts) >= 10
    assert all(utf8_len(p) <= 64 for p in parts)
    assert rejoin(parts) == text


def test_marker_stripping_leaves_ordinary_text_alone() -> None:
    assert strip_part_marker("(注意)\n内容") == "(注意)\n内容"
