"""One message, several problems: clauses and enumerations split, one problem per distinct complaint."""
from __future__ import annotations

import pytest

from classifier.model import Prediction
from classifier.problems import MAX_PIECES, find_problems, split_clauses


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
    ("我家楼上漏水到我家了。另外小区门口乱停车堵路。麻烦了谢谢", ["dispute", "parking"]),
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
