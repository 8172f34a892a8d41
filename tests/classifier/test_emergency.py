"""The emergency rule layer: recall on the hand-written set, each kind with its number, false alarms."""
from __future__ import annotations

import pytest

from classifier.emergency import EVAL_PATH, KINDS, NUMBERS, detect, evaluate


def test_recall_and_precision_on_the_hand_written_set():
    figures = evaluate(EVAL_PATH)
    assert figures["emergencies"] >= 150 and figures["others"] >= 150
    assert figures["recall"] >= 0.98, figures["misses"]
    assert figures["precision"] >= 0.95, figures["false_alarms"]
    assert figures["right_kind"] >= 0.95


@pytest.mark.parametrize(("text", "kind", "number"), [
    ("3号楼着火了快来人", "fire", "119"),
    ("3號樓著火了快來人", "fire", "119"),
    ("楼道里全是烟看不清", "fire", "119"),
    ("厨房一股煤气味好浓", "gas", "119"),
    ("樓道有煤氣味 好濃", "gas", "119"),
    ("电梯里困人了", "lift", "96333"),
    ("電梯困人快來", "lift", "96333"),
    ("電梯裡關著人 快點來", "lift", "96333"),  # 著 as the particle 着, which OpenCC keeps
    ("我被困在电梯里了救命", "lift", "96333"),
    ("老人摔倒了起不来了", "medical", "120"),
    ("樓下阿婆跌低咗起唔到身", "medical", "120"),
    ("有人在撬门3号楼2单元", "crime", "110"),
    ("有個男的拿刀在小區門口", "crime", "110"),
    ("围墙要倒了下面还有人走", "collapse", "119"),
    ("樓頂的招牌快要掉下來了", "collapse", "119"),
])
def test_each_kind_with_its_number(text, kind, number):
    found = detect(text)
    assert found is not None, text
    assert found.kind == kind and found.number == number
    assert number in found.advice


@pytest.mark.parametrize("text", [
    "消防演习", "电梯年检", "煤气费怎么交", "上次着火的事谢谢", "火锅店开业了", "楼道里一股烟味 谁在抽烟",
    "路太滑了 小心摔倒", "电梯坏了 爬楼好累", "燃气灶坏了 打不着火", "井盖那个太危险了,赶紧弄一下",
    "最近小偷多 大家锁好车", "已经灭了 虚惊一场", "", "👌👌", "   ",
])
def test_obvious_false_alarms_stay_quiet(text):
    assert detect(text) is None


def test_voice_to_text_without_punctuation_and_with_fillers():
    found = detect("那个那个就是说我们楼下的垃圾桶着了火了现在火很大")
    assert found is not None and found.kind == "fire"


def test_a_hit_in_a_fire_keeps_both_numbers():
    found = detect("楼下着火了 有个老人摔倒了起不来")
    assert found.kinds[:2] == ("fire", "medical")
    assert [line[5:8] for line in found.advice_lines()] == ["119", "120"]


def test_category_fits_the_kind():
    found = detect("电梯里困人了")
    assert found.category("elevator") == "elevator"
    assert found.category("noise") == "elevator"  # a model's odd guess gives way
    assert found.category(None) == "elevator"


def test_every_kind_has_a_number_and_advice():
    for kind in KINDS:
        assert NUMBERS[kind].isdigit()


def test_long_message_is_bounded():
    text = "楼下吵死了" * 2000 + "着火了"
    assert detect(text) is None  # past the first 2,000 characters: not read at all


@pytest.mark.parametrize("text", [
    "俺家老头子突然说不出话来了嘴都歪了咋办啊",
    "我妈突然半边身子动不了了 说话也说不清",
    "我爸胸口疼得厉害 满头大汗",
    "孩子吃果冻噎住了 脸都发紫了",
])
def test_stroke_heart_attack_and_choking_are_medical(text):
    found = detect(text)
    assert found is not None and found.kind == "medical" and found.number == "120"


@pytest.mark.parametrize("text", [
    "已经报警了 大家不要围观 走楼梯疏散",
    "已经打了110 警察马上就到",
    "已经打120了 大家让一让",
    "气得我说不出话来了",
])
def test_saying_the_call_was_made_is_no_new_alarm(text):
    # Usually staff after a resident raised the alarm: the alarm is already a ticket.
    assert detect(text) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("快报警 楼下有人打架", "crime"),
    ("楼下有人打架 已经报警了", "crime"),  # the fight itself is the alarm
    ("有人在撬门 快打110", "crime"),
])
def test_a_call_for_the_police_still_counts(text, kind):
    found = detect(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(("text", "kind", "number"), [
    ("车库进水了 水已经淹到配电柜了", "flood_power", "119"),
    ("配电房泡在水里了 还在冒水", "flood_power", "119"),
    ("二座升降機卡咗 入面有個阿婆", "lift", "96333"),
    ("楼下有个大爷倒起了 叫都叫不应", "medical", "120"),
])
def test_regional_words_and_water_at_the_electrics(text, kind, number):
    found = detect(text)
    assert found is not None and found.kind == kind and found.number == number


@pytest.mark.parametrize("text", [
    "消防通道停满了车 救护车根本进不来",   # a complaint about access, not an ambulance call
    "楼梯口那块板翘起来了 走路都要绊倒",   # a hazard, nobody fell
    "安全出口锁着 真着火了人往哪跑",       # rhetorical
    "隔壁在熏腊肉 楼道里都是烟熏味",       # cooking
    "我看到了 已经在打120了",              # the call is being made: the alarm was raised already
])
def test_complaints_and_talk_that_only_sound_urgent(text):
    assert detect(text) is None


@pytest.mark.parametrize("text", ["停车场有个小孩被锁在车里了 晒得直哭", "车里关着个孩子 车主不在"])
def test_a_child_shut_in_a_car_is_an_alarm(text):
    found = detect(text)
    assert found is not None and found.kind == "locked_in" and found.number == "110"


@pytest.mark.parametrize("text", ["我把钥匙锁在车里了", "我家狗把拖鞋咬烂了 这算不算家暴 哈哈"])
def test_keys_in_the_car_and_jokes_are_no_alarm(text):
    assert detect(text) is None


@pytest.mark.parametrize(("text", "kind"), [
    ("快来人 河边有个伢子掉下去了", "medical"),
    ("有个男的拿着菜刀在楼下追人", "crime"),
    ("楼上独居的王大爷三天没下楼了 敲门也没人应", "welfare"),   # 110: the door opened now
    ("救命 电体卡住了 在6楼7楼中间", "lift"),                     # voice input's 电梯
    ("一楼饭店煤汽罐漏气了 味好大", "gas"),
])
def test_water_knives_and_a_neighbour_not_seen_for_days(text, kind):
    found = detect(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize("text", [
    "菜刀钝了 谁家有磨刀石",
    "看新闻没 深圳有个小区的广告牌被台风刮倒了",   # news of another city
    "我家老头在阳台偷摸抽烟 哈哈",
])
def test_knives_news_and_sneaking_are_no_alarm(text):
    assert detect(text) is None


def test_someone_who_does_not_come_round_is_medical():
    found = detect("我在旁边 已经把他挪到树荫底下了 还是没醒")
    assert found is not None and found.kind == "medical"


def test_a_child_outside_a_balcony_railing_is_an_alarm_with_both_numbers():
    found = detect("对面12栋有个小孩爬到阳台栏杆外面去了 家里好像没大人")
    assert found is not None and found.kind == "fall_risk" and "110" in found.advice and "119" in found.advice
    assert detect("我家孩子爬到沙发上了") is None


def test_a_lost_child_is_an_alarm_and_lost_things_are_not():
    found = detect("有没有人看见我家孙子 六岁 蓝衣服 半个钟头了到处找不到")
    assert found is not None and found.kind == "missing" and found.number == "110"
    assert detect("孩子作业本找不到了") is None and detect("我家猫不见了") is None
