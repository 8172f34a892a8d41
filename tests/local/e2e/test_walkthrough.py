"""The demo a newcomer sees, in a real browser: a report goes round the whole ticket loop."""
from __future__ import annotations

import re

import pytest

from models import Ticket
from tests.local.e2e.sandbox_page import ChatPage, expect, shot

pytestmark = pytest.mark.e2e
REPORT = "3号楼下水道堵了，污水都冒出来了"


def test_report_accept_escalate_resolve_and_rate(page, sandbox_server):
    base, app = sandbox_server
    chat = ChatPage(page, base)
    chat.open()

    # A resident reports in the grid's chat; the bot answers with the ticket number.
    chat.be("zhangdaye")
    expect(page.locator('.chat-item[data-chat-id="chat-g1"]')).to_contain_text("幸福里第一网格居民群")
    shot(page, "walkthrough-00-chat-list")
    chat.enter("chat-g1")
    chat.say(REPORT)
    opened = chat.bot_says(r"已登记工单 #\d+")
    n = int(re.search(r"#(\d+)", opened.text_content()).group(1))
    shot(page, "walkthrough-01-report")

    # The grid leader quotes the bot's ticket message and accepts it, then whistles it up.
    chat.be("wangfang")
    expect(page.locator(".msg.mine .bubble", has_text=REPORT)).to_have_count(0)  # now someone else's
    chat.quote(opened)
    expect(page.locator("#quote-text")).to_contain_text(f"#{n}")
    chat.say("受理")
    chat.bot_says(rf"工单 #{n} 已由.*受理")
    shot(page, "walkthrough-02-accepted")
    chat.quote(opened)
    chat.say("上报")
    chat.bot_says(rf"工单 #{n} 已上报")
    shot(page, "walkthrough-03-escalated")

    # The community's staff see it in their work chat (an appchat/send push) and resolve it.
    chat.be("huangshuji")  # not in the residents' chat: back to the list
    expect(page.locator("#list-screen")).to_be_visible()
    chat.enter("chat-c1")
    pushed = chat.bot_says(rf"工单 #{n} 已上报")
    expect(pushed).to_contain_text(REPORT)
    chat.quote(pushed)
    chat.say("办结 已疏通")
    chat.bot_says(rf"工单 #{n} 已办结：已疏通")
    shot(page, "walkthrough-04-resolved")

    # The resident is asked to rate in a direct message, sees the result in the chat, rates.
    chat.be("zhangdaye")
    chat.enter("dm")
    chat.bot_says(rf"工单 #{n}）已办结：已疏通")
    shot(page, "walkthrough-05-rating-request")
    chat.enter("chat-g1")
    chat.bot_says(rf"工单 #{n} 已办结：已疏通")
    chat.say("满意")
    chat.bot_says(rf"工单 #{n} 评价为「满意」，已关闭")
    shot(page, "walkthrough-06-rated")

    with app.extensions["gridwhistle"].db.session() as s:
        ticket = s.get(Ticket, n)
        assert (ticket.state, ticket.satisfaction, ticket.level) == ("closed", "满意", "community")


def test_user_text_is_shown_as_text_never_as_markup(page, sandbox_server):
    chat = ChatPage(page, sandbox_server[0])
    chat.open()
    chat.be("liuayi")
    chat.enter("chat-g1")
    nasty = '<img src=x onerror="document.title=\'pwned\'">你好'
    chat.say(nasty)
    expect(page.locator(".msg.mine .bubble").last).to_have_text(nasty)
    assert page.locator(".messages img").count() == 0
    assert page.title() != "pwned"


def test_clock_button_makes_overdue_tickets_escalate(page, sandbox_server):
    chat = ChatPage(page, sandbox_server[0])
    chat.open()
    chat.be("zhangdaye")
    chat.enter("chat-g1")
    chat.say(REPORT)
    n = int(re.search(r"#(\d+)", chat.bot_says(r"已登记工单 #\d+").text_content()).group(1))
    page.click("#back")
    page.click("#clock-btn")
    page.click('#clock-sheet [data-minutes="4320"]')
    expect(page.locator("#toast")).to_contain_text("已快进")
    chat.enter("chat-g1")
    chat.bot_says(rf"工单 #{n} 已超期，已自动上报")
    shot(page, "clock-overdue-escalated")
