import pytest

from classifier.places import extract_places


@pytest.mark.parametrize(
    "text, expected",
    [
        ("扬州路12号楼门口有个大坑", "扬州路12号楼"),
        ("网格长你好，3号楼2单元下水道堵了", "3号楼2单元"),
        ("幸福里3号楼2单元楼道灯坏了", "幸福里3号楼2单元"),
        ("我住阳光花园5栋602，电梯坏了", "阳光花园5栋602"),
        ("建设北路15号路灯不亮", "建设北路15号"),
        ("红旗新村12栋3单元停水了", "红旗新村12栋3单元"),
        ("２单元９０３水管爆了", "2单元903"),
        ("揚州路12號樓", "扬州路12号楼"),
    ],
)
def test_places_found(text, expected):
    assert expected in extract_places(text)


@pytest.mark.parametrize(
    "text",
    [
        "早上好",
        "好的收到👍",
        "污水漫到路上了",
        "请问社区打疫苗要预约吗",
        "马路上全是水",
        "社区工作人员说明天来",
    ],
)
def test_no_false_places(text):
    assert extract_places(text) == ()


def test_two_roads_in_order():
    assert extract_places("扬州路和解放路口那个大坑") == ("扬州路", "解放路")
