"""The place is a building, unit, gate or landmark, never a verb phrase: real-style reports."""
from __future__ import annotations

import pytest

from classifier.places import extract_places


@pytest.mark.parametrize("text", [
    "井盖那个太危险了,赶紧弄一下",
    "井盖那个太危险了 赶紧弄一下",
    "快帮忙弄一下",
    "你们赶快弄",
    "麻烦弄一下巷子里的灯",
    "赶紧修一下路吧",
    "在那边弄了好几天了",
    "我出门的时候看到的",
    "关门了没人",
    "这条巷子太黑",
    "能不能搞一下",
    "怎么弄啊",
    "👍👍👍",
    "好的谢谢",
])
def test_no_verb_phrase_becomes_a_place(text):
    assert extract_places(text) == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("东门口的路灯坏了好几天了", "东门口"),
    ("小区北门那个井盖被人掀了", "北门"),
    ("南大门保安又不在", "南大门"),
    ("幸福里小区东门有个大坑", "幸福里小区东门"),
    ("2单元门口堆满了垃圾", "2单元门口"),
    ("幼儿园门口天天乱停车", "幼儿园门口"),
    ("菜市场旁边有人占道摆摊", "菜市场旁边"),
    ("地下车库漏水漏得厉害", "地下车库"),
    ("篮球场的灯一直不亮", "篮球场"),
    ("公交站那边井盖没了", "公交站"),
    ("垃圾站臭死了没人清", "垃圾站"),
    ("人民路和解放路路口红绿灯坏了", "解放路"),
    ("长乐路123弄3号门口有个坑", "长乐路123弄3号门口"),
    ("3号楼2单元下水道堵了", "3号楼2单元"),
    ("5栋楼下的树倒了", "5栋"),
    ("車棚那裡電瓶車亂停", "车棚"),
    ("快递柜旁边有个坑", "快递柜旁边"),
    ("阳光花园东门外面的路灯不亮", "阳光花园东门"),
    ("停车场出口的栏杆坏了", "停车场出口"),
    ("8号门那里有人乱扔垃圾", "8号门"),
])
def test_buildings_gates_and_landmarks(text, expected):
    assert expected in extract_places(text)


def test_the_place_is_never_a_verb_with_a_real_place_nearby():
    assert extract_places("3号楼井盖太危险了,赶紧弄一下") == ("3号楼",)
