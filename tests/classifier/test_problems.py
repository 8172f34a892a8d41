"""One message, several problems: clauses and enumerations split, one problem per distinct complaint."""
from __future__ import annotations

import pytest

from classifier.model import Prediction
from classifier.problems import MAX_PIECES, find_problems, may_hold_several, split_clauses


@pytest.mark.parametrize(("text", "pieces"), [
    ("一是楼下烧烤店半夜太吵 二是3号楼电梯里困人了 三是路灯坏了", ["楼下烧烤店半夜太吵", "3号楼电梯里困人了", "路灯坏了"]),
    ("网格长你好\n1. 楼道灯不亮\n2. 垃圾三天没人清运了", ["网格长你好", "楼道灯不亮", "垃圾三天没人清运了"]),
    ("第一，垃圾桶满了；第二，有人遛狗不牵绳", ["垃圾桶满了", "有人遛狗不牵绳"]),
    ("楼道灯坏了好几天了 另外2单元的下水道也堵了", ["楼道灯坏了好几天了", "2单元的下水道也堵了"]),
    ("①路灯不亮②井盖没了", ["路灯不亮", "井盖没了"]),
    ("(1)暖气不热(2)电梯停运", ["暖气不热", "电梯停运"]),
    # commas continue one problem; a building number is not an enumeration
    ("3号楼下水道堵了，污水都冒出来了，麻烦尽快来看看", ["3号楼下水道堵了，污水都冒出来了，麻烦尽快来看看"]),
    ("3号楼2单元502下水道堵了", ["3号楼2单元502下水道堵了"]),
    ("👍\n😀\n🌹", []),
    ("", []),
])
def test_split_clauses(text, pieces):
    assert split_clauses(text) == pieces


@pytest.mark.parametrize(("text", "categories"), [
    ("楼下烧烤店天天半夜吵得睡不着，还有东门那个井盖被人掀了，太危险了", ["noise", "road_traffic"]),
    ("一是楼下烧烤店半夜太吵 二是3号楼电梯里困人了 三是路灯坏了", ["noise", "elevator", "lighting"]),
    ("网格长你好\n1. 楼道灯不亮\n2. 垃圾三天没人清运了\n3、有人在楼道里飞线充电", ["lighting", "sanitation", "fire_safety"]),
    ("楼上漏水把我家天花板泡坏了。另外小区门口乱停车堵路。麻烦了谢谢", ["dispute", "parking"]),
    ("3号楼楼道灯坏了好几天了 另外2单元的下水道也堵了", ["lighting", "drainage"]),
])
def test_distinct_problems_with_the_model(model, text, categories):
    problems = find_problems(text, model.predict_many, model.thresholds)
    assert [p.prediction.category for p in problems] == categories


def test_pieces_of_one_problem_merge(model):
    problems = find_problems("楼道灯坏了。楼道灯一直不亮。晚上看不见", model.predict_many, model.thresholds)
    assert len(problems) == 1 and problems[0].text == "楼道灯坏了，楼道灯一直不亮，晚上看不见"
    assert find_problems("下水道堵了 还有味道", model.predict_many, model.thresholds)[0].prediction.category == "drainage"


def test_a_single_clause_leaves_the_whole_message_judgement_alone(model):
    assert find_problems("3号楼下水道堵了，污水都冒出来了", model.predict_many, model.thresholds) == []


def test_chitchat_pieces_are_no_problem(model):
    assert find_problems("谢谢网格长。楼下那家的狗好可爱", model.predict_many, model.thresholds) == []


def test_an_emergency_piece_is_a_problem_whatever_the_model_says(model):
    problems = find_problems("楼下太吵了。3號樓電梯困人", model.predict_many, model.thresholds)
    assert problems[-1].emergency is not None and problems[-1].emergency.kind == "lift"


@pytest.mark.parametrize(("text", "expected"), [
    ("煤气味好重，楼道灯也坏了", [("煤气味好重", "gas"), ("楼道灯也坏了", None)]),
    ("樓道裡好大的煤氣味，電梯也停了", [("樓道裡好大的煤氣味", "gas"), ("電梯也停了", None)]),
    ("有人被困电梯里了，另外垃圾好几天没清", [("有人被困电梯里了", "lift"), ("垃圾好几天没清", None)]),
    # words before the emergency cut by a comma only are its own (the place)
    ("3栋2单元，电梯里关着两个人，楼道灯也坏了", [("3栋2单元，电梯里关着两个人", "lift"), ("楼道灯也坏了", None)]),
])
def test_an_emergency_and_another_problem_after_a_comma_are_two_problems(model, text, expected):
    problems = find_problems(text, model.predict_many, model.thresholds)
    assert [(p.text, p.emergency and p.emergency.kind) for p in problems] == expected


@pytest.mark.parametrize("text", [
    "煤气味很重，我头晕，快来人",  # the emergency's own words
    "着火了，整栋楼停电了",  # what the fire knocks out
    "有人被困在电梯里，电梯门也打不开",  # the lift's own category
    "電梯困人了！！2單元電梯卡在9樓和10樓之間，裏面有個老人，物業電話沒人接",  # a detail, not a fault report
    "电梯里，关着两个人，快来",  # the commas cut the emergency's words apart
])
def test_an_emergency_alone_with_commas_inside_stays_one_problem(model, text):
    assert len(find_problems(text, model.predict_many, model.thresholds)) <= 1


def test_commas_still_continue_one_problem_without_an_emergency(model):
    """Only an emergency opens the comma cuts: two faults after a comma stay one message's judgement."""
    assert find_problems("楼道灯又坏了，下水道也堵了", model.predict_many, model.thresholds) == []
    assert not may_hold_several("楼道灯又坏了，下水道也堵了", emergency=False)
    assert may_hold_several("煤气味好重，楼道灯也坏了", emergency=True)


def test_two_kinds_of_one_alarm_said_apart_by_a_comma_are_one_problem_with_both_kinds():
    """"路面塌陷了，有人摔倒了": one alarm, one urgent ticket, both numbers' advice."""
    text = "路面塌陷了一大块，有人摔倒了起不来，楼道灯也坏了"

    def predict_many(pieces):
        return [_stub(p, "lighting" if "灯" in p else "road_traffic", short_fault="灯" in p) for p in pieces]

    problems = find_problems(text, predict_many, {"intent": 0.9, "category": 0.7})
    assert [p.text for p in problems] == ["路面塌陷了一大块，有人摔倒了起不来", "楼道灯也坏了"]
    assert problems[0].emergency.kinds == ("medical", "collapse")


def _stub(text: str, category: str, short_fault: bool = False) -> Prediction:
    return Prediction(text, "complaint", 0.95, category, 0.95, ((category, 0.95),), (), False, short_fault)


def test_bounded_on_a_long_message_with_many_clauses():
    seen: list[list[str]] = []

    def predict_many(texts):
        seen.append(list(texts))
        return [Prediction(t, "complaint", 1.0, f"c{k}", 1.0, (), (), False) for k, t in enumerate(texts)]

    text = "；".join(f"第{k}个问题是楼道里堆满了杂物没人管" * 8 for k in range(10)) + "😀" * 700
    assert len(text) > 2000
    problems = find_problems(text, predict_many, {"intent": 0.8, "category": 0.7})
    assert len(seen) == 1 and len(seen[0]) <= MAX_PIECES  # one batch, bounded
    assert 2 <= len(problems) <= MAX_PIECES
    many = "\n".join(f"{k}. 第{k}件事楼道灯坏了" for k in range(1, 40))
    assert len(split_clauses(many)) == MAX_PIECES
