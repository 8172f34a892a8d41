"""similarity.same_problem: neighbours' paraphrases of one problem match; other places or problems do not."""
from __future__ import annotations

import pytest

from handlers.similarity import place_marks, places_agree, same_problem

SAME = [
    ("小区东门的路灯坏了好几天了", "大门口晚上黑漆漆的 老人出门都不敢走"),
    ("东门路灯坏了", "东门那边黑灯瞎火的"),
    ("3号楼下水道堵了，污水冒出来了", "我们3号楼也返水了"),
    ("门口垃圾桶满了没人清", "大门口的垃圾都溢出来了"),
    ("楼上半夜装修吵得睡不着", "楼上天天电钻声音很大"),
    ("2号楼电梯坏了", "2号楼电梯又停了"),
    ("小区里的路全是冰 能不能扫扫雪", "尤其南门那个坡 滑得根本走不了"),  # northern winters
]
DIFFERENT = [
    ("3号楼下水道堵了", "5号楼下水道堵了"),  # another building
    ("东门路灯坏了", "西门路灯不亮"),  # another gate
    ("3号楼停电", "3号楼漏水"),  # same building, another problem
    ("楼道灯坏了", "垃圾桶满了没人清"),
    ("2单元电梯坏了", "3单元电梯坏了"),
]


@pytest.mark.parametrize("a,b", SAME)
def test_paraphrases_are_one_problem(a, b):
    assert same_problem(a, b) >= 0.5 and same_problem(b, a) >= 0.5


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_other_places_or_problems_are_not(a, b):
    assert same_problem(a, b) < 0.5


def test_place_marks():
    assert place_marks("3号楼2单元门口") == {"building": "3", "unit": "2", "gate": "gate"}
    assert place_marks("东门") == {"gate_side": "东", "gate": "gate"}
    assert places_agree("3号楼", "3号楼2单元") and not places_agree("东门", "北门")
    assert same_problem("", "") == 0.0 and same_problem(None, "路灯坏了") == 0.0
