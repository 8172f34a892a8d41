"""The rough edges a newcomer met, checked in a real browser at phone and desktop sizes.

The app messages row (网格哨（应用消息）) shows the persona's unread count and the newest line
(here a rating invitation); unread counts belong to the persona; the persona pickers show whole
labels; a quoted message shows two whole lines, never a sliver of a third; a toast goes away by
itself, on a tap and when the screen changes. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import re

import pytest
import requests

from tests.local.e2e.sandbox_page import ChatPage, expect, shot

pytestmark = pytest.mark.e2e
REPORT = "3号楼下水道堵了，污水都冒出来了"
SIZES = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser, sandbox_server):
    context = browser.new_context(viewport=SIZES[request.param], locale="zh-CN", timezone_id="Asia/Shanghai",
                                  is_mobile=request.param == "phone", has_touch=request.param == "phone")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield request.param, page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        shot(page, f"{request.node.name}-FAILED")
    context.close()


class Api:
    def __init__(self, base: str):
        self.base = base + "/sandbox/api"

    def say(self, chat_id: str, sender: str, text: str, quote: int | None = None) -> dict:
        resp = requests.post(f"{self.base}/chats/{chat_id}/messages", timeout=60,
                             json={"sender": sender, "text": text, "quote": quote})
        assert resp.status_code == 201, resp.text
        return resp.json()

    def unread(self, persona: str) -> dict:
        data = requests.get(f"{self.base}/chats", params={"persona": persona}, timeout=10).json()
        return {"dm": data["direct"]["unread"], **{c["chat_id"]: c["unread"] for c in data["chats"]}}

    def direct(self, user_id: str) -> list[dict]:
        return requests.get(f"{self.base}/users/{user_id}/messages", timeout=10).json()["messages"]


def label_fits(page, selector: str) -> tuple[float, float]:
    """(width of the chosen option's text, room for it in the closed select): the label is cut if wider."""
    return page.evaluate("""(sel) => {
        const s = document.querySelector(sel);
        const ctx = document.createElement("canvas").getContext("2d");
        const cs = getComputedStyle(s);
        ctx.font = cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
        const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;  // the arrow
        return [ctx.measureText(s.options[s.selectedIndex].text).width, room];
    }""", selector)


def badge(page, chat_id: str):
    return page.locator(f'.chat-item[data-chat-id="{chat_id}"] [data-testid="unread"]')


def test_first_look(sized, sandbox_server):
    size, page = sized
    base, _ = sandbox_server
    api = Api(base)
    # A report, the leader accepting it with a quote of the bot's long answer, and its resolution:
    # 张大爷 is invited to rate it in his app messages.
    opened = api.say("chat-g1", "zhangdaye", REPORT)["reply"]
    api.say("chat-g1", "wangfang", "受理，马上安排人去看", quote=opened["id"])
    n = int(re.search(r"#(\d+)", opened["text"]).group(1))
    api.say("chat-g1", "wangfang", f"办结 #{n} 已疏通")

    chat = ChatPage(page, base)
    chat.open()
    chat.be("zhangdaye")
    # The persona picker shows the whole label ("张大爷 · 居民"), the full roles underneath.
    expect(page.locator("#persona")).to_have_value("zhangdaye")
    text_width, room = label_fits(page, "#persona")
    assert text_width <= room, (text_width, room)
    expect(page.locator("#persona option:checked")).to_have_text("张大爷 · 居民")
    expect(page.locator("#persona-roles")).to_contain_text("居民（幸福里第一网格）")

    # The app messages row: the newest line (the rating invitation, pushed by the worker) and the
    # persona's unread count.
    preview = page.locator('.chat-item[data-chat-id="dm"] .preview')
    expect(preview).to_contain_text("已办结", timeout=15_000)
    expect(preview).to_contain_text("评价")
    page.wait_for_timeout(500)  # let the worker finish what it pushes for this resolution
    counts = api.unread("zhangdaye")
    assert counts["dm"] >= 1 and counts["chat-g1"] >= 1
    expect(badge(page, "dm")).to_have_text(str(counts["dm"]))
    expect(badge(page, "chat-g1")).to_have_text(str(counts["chat-g1"]))
    shot(page, f"first-look-{size}-1-list-unread")

    # Someone else's counts: 刘阿姨 has no app messages; in the grid chat every line is unread to her.
    chat.be("liuayi")
    others = api.unread("liuayi")
    assert others["dm"] == 0 and others["chat-g1"] > counts["chat-g1"]
    expect(badge(page, "chat-g1")).to_have_text(str(others["chat-g1"]))
    expect(badge(page, "dm")).to_have_count(0)
    chat.be("zhangdaye")
    expect(badge(page, "dm")).to_have_text(str(counts["dm"]))

    # Reading the app messages clears his badge there (and only there).
    page.click('.chat-item[data-chat-id="dm"]')
    expect(page.locator('[data-testid="card"]').last).to_be_visible()
    shot(page, f"first-look-{size}-2-app-messages")
    for _ in range(50):  # the page reports what it showed within its next poll
        if api.unread("zhangdaye")["dm"] == 0:
            break
        page.wait_for_timeout(200)
    assert api.unread("zhangdaye")["dm"] == 0
    page.click("#back")
    expect(badge(page, "dm")).to_have_count(0)
    assert api.unread("liuayi")["chat-g1"] == others["chat-g1"]

    # In the chat: the picker shows the name whole; the quote is two whole lines.
    chat.enter("chat-g1")
    text_width, room = label_fits(page, "#chat-persona")
    assert text_width <= room, (text_width, room)
    quoted = page.locator(".msg .quoted-text").first
    expect(quoted).to_be_visible()
    quoted.scroll_into_view_if_needed()
    box = quoted.evaluate("""(q) => {
        const lh = parseFloat(getComputedStyle(q).lineHeight);
        const frame = q.parentElement.getBoundingClientRect(), inner = q.getBoundingClientRect();
        return {lh, height: q.clientHeight, full: q.scrollHeight, gap: frame.bottom - inner.bottom};
    }""")
    assert box["full"] > box["height"], box  # long enough to be clamped
    assert abs(box["height"] - 2 * box["lh"]) < 1, box  # exactly two lines shown
    assert box["gap"] >= 3, box  # the padding below holds no text
    shot(page, f"first-look-{size}-3-quote")

    # A toast goes by itself, closes on a tap, and never outlives the screen it was about.
    page.click("#back")
    page.click("#clock-btn")
    page.click('#clock-sheet [data-minutes="60"]')
    toast = page.locator("#toast")
    expect(toast).to_contain_text("已快进")
    shot(page, f"first-look-{size}-4-toast")
    expect(toast).to_be_hidden(timeout=6_000)
    page.click("#clock-btn")
    page.click('#clock-sheet [data-minutes="60"]')
    expect(toast).to_be_visible()
    page.click("#toast-close")
    expect(toast).to_be_hidden()
    page.click("#clock-btn")
    page.click('#clock-sheet [data-minutes="60"]')
    expect(toast).to_be_visible()
    chat.enter("chat-g1")
    expect(toast).to_be_hidden()
