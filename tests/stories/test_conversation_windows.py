"""The conversation layer's windows are settings (CONVERSATION_*_MINUTES), not constants: here the
continuation and the place question are longer than the defaults and the agreement window shorter."""
from __future__ import annotations

import dataclasses

import pytest

from tests.chat import ChatDriver
from tests.stories.test_conversation import number, tickets


@pytest.fixture
def settings(settings):
    return dataclasses.replace(settings, conversation_question_minutes=60, conversation_continuation_minutes=30,
                               conversation_same_problem_minutes=30, conversation_agreement_minutes=20).validated()


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def test_a_longer_continuation_window_takes_a_detail_twenty_minutes_later(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "下水道堵了，污水都冒出来了"))
    svc.clock.advance(20 * 60)
    added = chat.say("chat-g1", "zhangdaye", "就在3号楼2单元门口，已经两天了")
    assert f"#{n}" in added and tickets(svc) == 1


def test_a_longer_question_window_takes_the_place_half_an_hour_later(chat, svc):
    n = number(chat.say("chat-g1", "liuayi", "楼道的声控灯坏了 晚上上楼看不见"))
    svc.clock.advance(30 * 60)
    assert f"#{n}" in chat.say("chat-g1", "liuayi", "5号楼2单元")


def test_a_shorter_agreement_window_leaves_an_old_report_alone(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "楼下那帮人天天晚上十点多还在广场跳舞 音响开老大声"))
    svc.clock.advance(30 * 60)
    assert f"#{n}" not in chat.say("chat-g1", "liuayi", "确实 吵得睡不着觉")
