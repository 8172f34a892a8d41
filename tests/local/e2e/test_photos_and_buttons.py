"""Photos and buttons in a real browser: the issue's whole story, from the phone to the console.

A resident posts a photo and a line of text and gets a ticket with the photo; the grid leader
presses 受理 (and 上报) on the card; the community picks 区水务局 in the card's select and presses
派单; the department reports and resolves with a photo; the resident presses 满意 in the app's
direct message; the console shows both photos on the ticket's timeline, before and after.
"""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from models import Photo, Ticket
from tests.local.e2e.sandbox_page import ChatPage, expect, shot
from tests.media_helpers import image_bytes

pytestmark = pytest.mark.e2e
REPORT = "3号楼下水道堵了，污水都冒出来了"


def wait_for_photos(app, count: int, timeout: float = 20) -> list[Photo]:
    """The worker thread downloads after the ack: wait until it has stored them."""
    svc = app.extensions["gridwhistle"]
    deadline = time.monotonic() + timeout
    while True:
        with svc.db.session() as s:
            rows = s.execute(select(Photo).where(Photo.state == "stored")).scalars().all()
            s.expunge_all()
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def test_photo_report_card_buttons_resolution_photo_rating_and_the_console(page, sandbox_server, tmp_path, browser):
    base, app = sandbox_server
    before, after = tmp_path / "before.jpg", tmp_path / "after.png"
    before.write_bytes(image_bytes("JPEG", (640, 480), "#8a5a2b"))
    after.write_bytes(image_bytes("PNG", (640, 480), "#2b8a4a"))
    chat = ChatPage(page, base)
    chat.open()

    # 1. The resident reports with a photo and a line of text: one ticket, the photo counted.
    chat.be("zhangdaye")
    chat.enter("chat-g1")
    chat.attach(before)
    chat.say(f"@网格哨 {REPORT}")  # an @-line is the robot's: its passive reply carries the buttons
    expect(page.locator(".msg.mine .photos img")).to_have_count(1)
    opened = chat.bot_says(r"已登记工单 #\d+[\s\S]*已收到 1 张照片")
    n = int(re.search(r"#(\d+)", opened.text_content()).group(1))
    shot(page, "media-01-photo-report")

    # 2. The grid leader presses 受理 on the card, then 上报: the card follows the ticket.
    chat.be("wangfang")
    card = chat.card(rf"工单 #{n}")
    chat.press(card, "受理")
    expect(chat.card(rf"工单 #{n}")).to_contain_text("状态：已受理")
    shot(page, "media-02-accepted-by-button")
    chat.press(chat.card(rf"工单 #{n}"), "上报")
    expect(chat.card(rf"工单 #{n}")).to_contain_text("状态：已上报")

    # 3. The community sends it to 区水务局 with the card's select and 派单.
    chat.be("huangshuji")
    chat.enter("chat-c1")
    chat.say(f"@网格哨 进度 #{n}")  # the card with the select comes with the robot's reply
    work_card = chat.card(rf"工单 #{n}")
    work_card.locator("select").select_option("water")
    chat.press(work_card, "派单")
    expect(chat.card(rf"工单 #{n}")).to_contain_text("状态：已派单")
    shot(page, "media-03-dispatched-by-select")

    # 4. The department reports and resolves with a photo of the work done.
    chat.be("qianshuiwu")
    chat.enter("chat-water")
    chat.say(f"报到 #{n}")
    chat.bot_says(rf"已报到，正在办理工单 #{n}")
    chat.attach(after)
    chat.say(f"办结 #{n} 已疏通")
    chat.bot_says(rf"工单 #{n} 已办结：已疏通[\s\S]*已收到 1 张照片")
    shot(page, "media-04-resolved-with-photo")

    # 5. The resident presses 满意 on the rating card of the app's direct message.
    chat.be("zhangdaye")
    chat.enter("dm")
    rating = chat.card(rf"工单 #{n} 已办结")
    chat.press(rating, "满意")
    expect(page.locator(".card-done").last).to_contain_text("满意")
    shot(page, "media-05-rated-by-button")
    with app.extensions["gridwhistle"].db.session() as s:
        ticket = s.get(Ticket, n)
        assert (ticket.state, ticket.satisfaction) == ("closed", "满意")
    assert {(p.ticket_id, p.role) for p in wait_for_photos(app, 2)} == {(n, "report"), (n, "resolution")}

    # 6. The console shows both photos, before and after, on the ticket's page and timeline.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    console = context.new_page()
    console.set_default_timeout(15_000)
    console.goto(f"{base}/console/login")
    console.fill("input[name=username]", "admin")
    console.fill("input[name=password]", "demo1234")
    console.click("button[type=submit]")
    console.wait_for_url("**/console/dashboard")
    console.goto(f"{base}/console/tickets/{n}")
    expect(console.locator(".photo-report .photo-thumb img")).to_have_count(1)
    expect(console.locator(".photo-resolution .photo-thumb img")).to_have_count(1)
    expect(console.locator(".timeline")).to_contain_text("附反映照片 1 张")
    expect(console.locator(".timeline")).to_contain_text("附办结照片 1 张")
    for img in console.locator(".photo-thumb img").all():
        assert img.evaluate("i => i.naturalWidth") > 0  # the signed link served a real picture
    console.locator(".photo-resolution .photo-thumb").first.click()
    expect(console.locator(".lightbox:target img")).to_be_visible()
    shot(console, "media-06-console-before-after")
    context.close()


def test_a_photo_sent_to_the_app_one_to_one_goes_with_the_report(page, sandbox_server, tmp_path):
    base, app = sandbox_server
    photo = tmp_path / "drain.jpg"
    photo.write_bytes(image_bytes("JPEG", (640, 480), "#5a6b2b"))
    chat = ChatPage(page, base)
    chat.open()
    chat.be("zhangdaye")
    chat.enter("dm")
    # One-to-one there is no @ and no group voice stand-in, but photos can be sent.
    expect(page.locator("#mention-chip")).to_be_hidden()
    expect(page.locator("#voice-chip")).to_be_hidden()
    chat.attach(photo)
    chat.say(REPORT)
    expect(page.locator(".msg.mine .photos img")).to_have_count(1)
    chat.bot_says(r"已登记工单 #\d+")
    shot(page, "media-06-photo-to-the-app")
    stored = wait_for_photos(app, 1)
    assert [(p.sender_channel, p.chat_external_id, p.role) for p in stored] == [("wecom", None, "report")]
    # Back in a group chat the group's tools are there again.
    chat.enter("chat-g1")
    expect(page.locator("#mention-chip")).to_be_visible()
