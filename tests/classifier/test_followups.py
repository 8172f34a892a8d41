"""classifier.followups: follow-ups, vague reports, acknowledgements, answers — phrasings written by hand
in the way residents type (no punctuation, Traditional characters, dialect, voice-to-text, emoji)."""
from __future__ import annotations

import pytest

from classifier.followups import (
    adds_detail, agrees, category_hints, chosen_ticket, clean, followup, is_ack, is_vague_report, names_problem,
    place_in,
)

PROGRESS = [
    "进度", "进度呢", "查下进度", "我那个下水道的事怎么样了", "我那个事咋样了", "我反映的问题处理了没",
    "有人管了没", "有没有人管啊", "有人处理没", "怎么样了", "咋样了啊网格长", "修好了没", "修了吗",
    "什么时候来修", "啥时候能弄好", "多久能修好", "有消息了吗", "有回复没", "结果呢",
    "怎麼樣了", "進度呢", "我上次說的事情呢", "點樣了", "搞掂未", "弄得咋样了嘛", "俺那事咋样了",
    "网格长 我前天报的那个单子有下文吗", "请问我反映的楼道灯的事情进展如何", "12号单怎么样了",
]
URGE = [
    "催一下", "催催", "帮忙催一下", "到底修不修", "到底有没有人管", "怎么还没人来", "咋还没人来修",
    "都三天了还没人来", "等了一个星期了", "一直没人管", "能不能快点", "赶紧来修啊", "搞快点嘛",
    "電梯裡還關著人呢怎麼還沒人來", "到底修唔修啊 仲未嚟", "催 一 下", "催一下🙏🙏",
    "还在冒水 都两个钟头了", "按了铃也没人应", "今天晚上又开始了 还管不管", "等咗半个钟都冇人嚟",
    "楼下也开始渗了 快点来人啊", "快来人啊",
]
NOT_FOLLOWUPS = [
    "大家早上好", "收到", "谢谢网格长", "楼道灯坏了", "今天几点停水啊", "明天社区有活动吗", "哈哈哈",
    "3号楼下水道堵了，污水冒出来了", "晚安", "好的", "👍", "有快递到了吗", "@网格长 在吗",
]


@pytest.mark.parametrize("text", PROGRESS)
def test_progress_questions(text):
    found = followup(text)
    assert found is not None and found.kind == "progress", text


@pytest.mark.parametrize("text", URGE)
def test_urges(text):
    found = followup(text)
    assert found is not None and found.kind == "urge", text


@pytest.mark.parametrize("text", NOT_FOLLOWUPS)
def test_other_lines_are_not_follow_ups(text):
    assert followup(text) is None


def test_a_follow_up_keeps_the_ticket_number_and_what_it_is_about():
    assert followup("进度 #12").ticket_id == 12
    assert followup("＃7怎么样了").ticket_id == 7
    assert followup("12号单怎么样了").ticket_id == 12
    assert followup("怎么样了").about_report is False  # neighbours ask each other that
    assert followup("进度").about_report and followup("催一下").about_report
    assert followup("我那个下水道的事怎么样了").about_report
    assert category_hints("我那个下水道的事怎么样了") == {"drainage"}
    assert category_hints("进度") == set()  # "度" alone is no heating word


VAGUE = ["看图", "看图 这里又这样了", "这里又这样了", "又这样了😡", "这个问题有没有人管", "这个事到底有没有人管",
         "看下照片", "又来了", "我要投诉", "反映个问题", "麻烦处理一下", "這裡又這樣了", "看图看图"]
NOT_VAGUE = ["3号楼下水道堵了看图", "看图 东门路灯又坏了", "@网格长 在吗", "怎么回事", "大家看看这个链接", "好的",
             "", "今天天气不错"]


@pytest.mark.parametrize("text", VAGUE)
def test_vague_reports(text):
    assert is_vague_report(text), text


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_not_vague(text):
    assert not is_vague_report(text), text


@pytest.mark.parametrize("text", ["收到", "收到收到", "好的", "1", "11", "👌", "🌸🌸", "[强]", "已阅", "谢谢网格长辛苦了",
                                  "ok", "OK👍", "嗯嗯", "哈哈哈", "\u200b", "", "好的谢谢！"])
def test_acknowledgements(text):
    assert is_ack(text), text


@pytest.mark.parametrize("text", ["3号楼", "路灯坏了", "收到 东门路灯还是不亮", "好的 什么时候来"])
def test_not_acknowledgements(text):
    assert not is_ack(text), text


@pytest.mark.parametrize("text,place", [
    ("3号楼2单元", "3号楼2单元"), ("就在东门口", "东门口"), ("大门口那边", "大门口"), ("在小区北门", "小区北门"),
    ("三号楼", "三号楼"), ("地下车库", "地下车库"), ("幸福路口", "幸福路口"), ("5栋", "5栋"),
])
def test_places_in_answers(text, place):
    assert place_in(text) == place


@pytest.mark.parametrize("text", ["不知道", "就那里", "好的", "赶紧弄一下"])
def test_no_place(text):
    assert place_in(text) is None


def test_details_and_problems():
    assert adds_detail("就在3号楼门口") and adds_detail("已经两天了") and adds_detail("越来越臭")
    assert not adds_detail("好的") and not adds_detail("谢谢")
    assert names_problem("东门路灯不亮") and not names_problem("怎么样了")


def test_choosing_a_ticket_from_a_list():
    assert chosen_ticket("#5", [3, 5]) == 5
    assert chosen_ticket("5", [3, 5]) == 5
    assert chosen_ticket("第二个", [3, 5]) == 5
    assert chosen_ticket("第一个", [3, 5]) == 3
    assert chosen_ticket("#9", [3, 5]) is None  # not one of those offered
    assert chosen_ticket("都不是", [3, 5]) is None


def test_clean_is_bounded_and_strips_the_invisible():
    assert clean("进\u200b度！！") == "进度"
    assert len(clean("好" * 5000)) <= 600


def test_a_unit_is_no_ticket_number():
    # "2单元" once read as ticket "2单": an emergency naming a unit was answered "没有找到工单 #2".
    assert followup("快来人啊4号楼2单元楼道里一股煤气味").ticket_id is None
    assert followup("3单元的事怎么样了").ticket_id is None
    assert followup("12号单怎么样了").ticket_id == 12 and followup("工单3催一下").ticket_id == 3


AGREEING = [("我家也是 天天单元门口一坨", "天天单元门口一坨"), ("+1", ""), ("确实 吵得睡不着觉", "吵得睡不着觉"),
            ("对 尤其南门那个坡", "尤其南门坡"), ("我們家也是", ""), ("同感", "")]


@pytest.mark.parametrize("text,rest", AGREEING)
def test_agreement_and_what_it_says_besides(text, rest):
    assert agrees(text) == rest


@pytest.mark.parametrize("text", ["对了 10号楼窗户玻璃碎了", "对面楼装修太吵", "一楼下水道堵了", "大家早上好", ""])
def test_not_agreement(text):
    assert agrees(text) is None
