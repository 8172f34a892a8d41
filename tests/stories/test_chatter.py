"""Greetings and acknowledgements through the real webhooks: a welcome one-to-one, silence in groups,
and never a ticket."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.local.callback_client import (
    decrypt_wecom_reply, robot_callback, robot_text, wecom_callback, wecom_text_xml,
)
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from handlers import texts
from models import Ticket
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def tickets(svc) -> int:
    with svc.db.session() as s:
        return s.execute(select(func.count(Ticket.id))).scalar_one()


@pytest.mark.parametrize("text", ["你好", "在吗", "您好请问", "您好，请问在吗？", "hello", "網格長在嗎"])
def test_a_greeting_sent_to_the_app_one_to_one_gets_the_welcome_not_a_ticket(client, demo, svc, text):
    xml = wecom_text_xml(DEMO_CORP_ID, "zhangdaye", text, f"dm-{abs(hash(text))}")
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200
    plain = decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, resp.data.decode())
    assert "网格哨" in plain and "工单" in plain  # the welcome, as the app's passive reply
    assert tickets(svc) == 0
    assert not [t for t in outbox_texts(svc, "chat-g1") if t]  # nothing reaches the grid's chat


def test_a_greeting_to_the_robot_one_to_one_is_answered_with_the_welcome(client, demo, svc):
    reply = ChatDriver(client).say(None, "liuayi", "你好")
    assert reply == texts.WELCOME and "工单" in reply and "帮助" in reply
    # An acknowledgement one-to-one asks nothing and is not a greeting: silence.
    assert ChatDriver(client).say(None, "liuayi", "好的谢谢👌") == ""
    assert tickets(svc) == 0


@pytest.mark.parametrize("text", ["你好", "大家早上好呀🌞", "收到", "1", "👌", "已阅", "@网格长 在吗",
                                  "[强][强]", "谢谢网格长辛苦了", "收\u200b到"])
def test_greetings_and_acknowledgements_in_a_group_get_no_reply_at_all(chat, svc, text):
    assert chat.say("chat-g1", "chenxin", text) == ""
    assert tickets(svc) == 0
    assert not [t for t in outbox_texts(svc, "chat-g1") if t]


def test_a_greeting_with_a_problem_still_opens_a_ticket(chat, svc):
    reply = chat.say("chat-g1", "zhangdaye", "你好，3号楼下水道堵了，污水都冒出来了")
    assert "已登记工单" in reply and tickets(svc) == 1


def test_the_robot_callback_of_a_group_greeting_is_an_empty_answer(client, demo):
    cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, robot_text("g-hi", "chat-g1", "liuayi", "在吗"))
    resp = client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200 and not resp.data


def test_a_question_about_a_running_group_buy_is_for_its_organiser(chat, svc):
    assert chat.say("chat-g1", "liuayi", "#接龙 周六团购五常大米 10斤一袋58元\n1. 刘阿姨 2袋") == ""
    assert chat.say("chat-g1", "wx_zhaoge", "2. 赵哥 1袋 啥时候到货啊") == ""
    assert chat.say("chat-g1", "wx_zhaoge", "啥时候到货啊") == ""
    # A policy question during the group buy still reaches the knowledge base / the grid leader.
    assert chat.say("chat-g1", "wx_zhaoge", "请问居住证怎么办 需要带啥材料") != ""
