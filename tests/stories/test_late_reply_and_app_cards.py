"""Replies after the passive window (the robot's response_url) and the rating buttons in a direct message."""
from __future__ import annotations

import pytest

from bot.local.callback_client import decrypt_wecom_reply, robot_text, wecom_callback, wecom_card_event_xml
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from bot.web.common import parse_flat_xml
from handlers import dispatch
from models import Ticket
from tests import fake_api
from tests.chat import ChatDriver
from tests.media_helpers import msg_id

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings
REPORT = "3号楼下水道堵了，污水都冒出来了"


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def test_a_reply_ready_after_the_passive_window_goes_through_response_url(chat, fake_wechat, monkeypatch, svc):
    real_run, calls = dispatch.pipeline.run, []

    def first_try_fails(msg, ctx):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real_run(msg, ctx)

    monkeypatch.setattr(dispatch.pipeline, "run", first_try_fails)
    response_url = fake_wechat.base_url + fake_wechat.state.issue_response_url()
    assert chat.answer(robot_text(msg_id(), "chat-g1", "zhangdaye", REPORT, response_url=response_url)) is None
    # The worker's retry (inline in a test app) owes the resident the reply: one POST to response_url.
    late = fake_wechat.state.messages_for(route="robot_response")
    assert len(late) == 1 and "已登记工单 #1" in late[0].text
    assert not fake_wechat.state.messages_for(target="chat-g1", route="wecom_chat")  # not twice


def test_a_response_url_on_another_host_is_never_used(chat, fake_wechat, monkeypatch):
    real_run, calls = dispatch.pipeline.run, []

    def first_try_fails(msg, ctx):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("hiccup")
        return real_run(msg, ctx)

    monkeypatch.setattr(dispatch.pipeline, "run", first_try_fails)
    chat.answer(robot_text(msg_id(), "chat-g1", "zhangdaye", REPORT,
                           response_url="http://127.0.0.1:1/cgi-bin/aibot/response?response_code=x"))
    assert not fake_wechat.state.messages_for(route="robot_response")
    # The owed reply still reaches the chat, by its own route.
    assert any("已登记工单 #1" in m.text for m in fake_wechat.state.messages_for(target="chat-g1"))


def press_in_app(client, user: str, task_id: str, key: str) -> str:
    xml = wecom_card_event_xml(DEMO_CORP_ID, user, task_id, key)
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200
    plain = parse_flat_xml(decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, resp.get_data(as_text=True)))
    assert plain["MsgType"] == "update_button" and "AgentID" not in plain
    return resp.get_data(as_text=True)


def test_the_reporter_rates_with_the_buttons_of_the_direct_message(chat, client, fake_wechat, svc):
    chat.say("chat-g1", "zhangdaye", REPORT)
    chat.say("chat-g1", "wangfang", "办结 #1 已疏通")
    asked = fake_wechat.state.messages_for(target="zhangdaye", route="wecom_user")
    card = asked[-1].extra["card"]
    assert [b["text"] for b in card["button_list"]] == ["满意", "基本满意", "不满意"]
    assert "请回复「满意 / 基本满意 / 不满意 #1」" in card["sub_title_text"]  # the words still say it
    good = next(b["key"] for b in card["button_list"] if b["text"] == "满意")
    reply = decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, press_in_app(client, "zhangdaye",
                                                                                     card["task_id"], good))
    assert "满意" in parse_flat_xml(reply.replace("<Button>", "").replace("</Button>", ""))["ReplaceName"]
    with svc.db.session() as s:
        assert (s.get(Ticket, 1).state, s.get(Ticket, 1).satisfaction) == ("closed", "满意")


def test_someone_else_pressing_the_rating_is_refused(chat, client, fake_wechat, svc):
    chat.say("chat-g1", "zhangdaye", REPORT)
    chat.say("chat-g1", "wangfang", "办结 #1 已疏通")
    card = fake_wechat.state.messages_for(target="zhangdaye", route="wecom_user")[-1].extra["card"]
    good = card["button_list"][0]["key"]
    reply = decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID,
                                press_in_app(client, "liuayi", card["task_id"], good))
    assert "没有权限" in reply
    with svc.db.session() as s:
        assert s.get(Ticket, 1).state == "resolved"


def test_a_forged_app_button_runs_nothing(client, demo, svc):
    reply = decrypt_wecom_reply(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID,
                                press_in_app(client, "zhangdaye", "gw-r1-1", "rate_good.1.1.0123456789abcdef"))
    assert "按钮无效" in reply
