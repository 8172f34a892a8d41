"""classifier/not_ours.py: news of elsewhere and jokes about one's own household are talk, not tickets."""
import pytest

from classifier.normalize import normalize
from classifier.not_ours import is_not_ours


def _not_ours(text: str) -> bool:
    return is_not_ours(text, normalize(text))


@pytest.mark.parametrize("text", [
    "看新闻没 南方有个小区楼顶塌了 吓人",
    "抖音上看到 别人家的化粪池炸了",
    "听说他们那边的小区天天停电",
    "成都有个小区电梯困了人一个钟头",
    "我家狗子把沙发拆了 还冲我摇尾巴😂",
    "俺家老头子修灯泡把全屋的闸整跳了 哈哈",
])
def test_talk_about_elsewhere_or_home(text):
    assert _not_ours(text)


@pytest.mark.parametrize("text", [
    "别的小区早就装了充电桩 我们小区到现在还没有",   # a complaint about here
    "看新闻说要查电动车进楼 我们3号楼楼道里停了一排",
    "儿女都在外地 老人一个人住 能不能上门看看",        # 外地 is where the children are
    "楼上的猫天天半夜跑 吵得我睡不着😂",              # another household's cat
    "保安天天在岗亭里刷抖音 陌生人进出都不问",          # the app, not news
    "我家下水道又堵了 哈哈 真服了",                    # a fault at home, not a household member
])
def test_complaints_about_here_stay_complaints(text):
    assert not _not_ours(text)


def test_the_model_hears_such_a_line_as_talk(model):
    assert model.predict("看新闻没 外地有个小区电梯从十几楼掉下来了 吓死人").intent == "chitchat"


def test_a_household_member_opening_the_line_with_a_laugh():
    assert _not_ours("老伴熬粥熬糊了 满屋子烟 开窗散了半天[捂脸]")
    assert not _not_ours("老伴在楼道里摔了一跤 腿动不了")   # no laugh: not a joke
