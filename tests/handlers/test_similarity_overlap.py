"""similarity.overlap: is a new report the same problem as an open ticket? (character bigrams)"""
from __future__ import annotations

import pytest

from handlers.similarity import bigrams, overlap

CASES = [
    # a short follow-up inside a longer report: full overlap (the coefficient, not Jaccard)
    ("3号楼下水道堵了", "3号楼下水道堵了，污水冒出来", 1.0),
    ("3号楼停电", "3号楼漏水", 0.5),  # same building, another problem: {3号, 号楼} of four
    ("路灯坏了", "下水道堵了", 0.0),
    ("３号楼！！", "3号楼", 1.0),  # full-width digits and punctuation normalised away
    ("ABC", "abc", 1.0),  # case
    ("水", "水", 1.0),  # a single character is its own "bigram"
    ("的了吗", "3号楼", 0.0),  # only stop characters: nothing to compare
    ("", "3号楼", 0.0),
    (None, None, 0.0),
]


@pytest.mark.parametrize("a,b,score", CASES)
def test_overlap(a, b, score):
    assert overlap(a, b) == pytest.approx(score)
    assert overlap(b, a) == pytest.approx(score)  # symmetric


def test_bigrams_drop_noise_and_stop_characters():
    assert bigrams("3号楼 也 堵了！") == {"3号", "号楼", "楼堵"}
    assert bigrams("") == set()
