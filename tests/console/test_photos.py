"""Ticket photos on the console: before and after, signed expiring links, scope, no pushes."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from bot.local.callback_client import robot_mixed
from models import OutboxItem, Photo
from tests import fake_api
from tests.chat import ChatDriver
from tests.media_helpers import image_bytes, msg_id

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings
REPORT = "3号楼下水道堵了，污水都冒出来了"


@pytest.fixture
def ticket_with_photos(client, console, fake_wechat):
    chat = ChatDriver(client)
    before = fake_wechat.base_url + fake_wechat.state.add_media(image_bytes(color="#a33"))
    after = fake_wechat.base_url + fake_wechat.state.add_media(image_bytes("PNG", color="#3a3"))
    chat.answer(robot_mixed(msg_id(), "chat-g1", "zhangdaye", REPORT, [before]))
    chat.answer(robot_mixed(msg_id(), "chat-g1", "wangfang", "办结 #1 已疏通", [after]))
    return 1


def links(page: str) -> list[str]:
    return [u.replace("&amp;", "&") for u in re.findall(r'src="(/console/photos/[^"]+)"', page)]


def test_the_ticket_page_shows_before_and_after_through_signed_links(login_as, ticket_with_photos):
    c = login_as("wangfang")
    page = c.get("/console/tickets/1").get_data(as_text=True)
    assert "反映照片（办理前）" in page and "办结照片（办理后）" in page
    thumbs = [u for u in links(page) if "/thumb?" in u]
    fulls = [u for u in links(page) if "/full?" in u]
    assert len(thumbs) >= 2 and len(fulls) == 2
    full = c.get(fulls[0])
    assert full.status_code == 200 and full.mimetype == "image/jpeg" and full.data == image_bytes(color="#a33")
    assert c.get(fulls[1]).data == image_bytes("PNG", color="#3a3")
    assert c.get(thumbs[0]).data[:3] == b"\xff\xd8\xff"
    assert "附反映照片 1 张" in page and "附办结照片 1 张" in page  # on the timeline too


def test_a_link_that_is_forged_or_expired_or_out_of_scope_opens_nothing(login_as, ticket_with_photos, app):
    c = login_as("wangfang")
    full = [u for u in links(c.get("/console/tickets/1").get_data(as_text=True)) if "/full?" in u][0]
    assert c.get(full.replace("sig=", "sig=0")).status_code == 403
    assert c.get(full.replace("/full?", "/thumb?")).status_code == 403  # the signature names the variant
    expired_at = int(time.time()) - 1
    from bot.console import photos

    with app.test_request_context():
        stale = photos.signed_url(1, "full", now=expired_at - app.config["SETTINGS"].photo_link_seconds)
    assert c.get(stale).status_code == 403
    other = login_as("zhaomin")  # 幸福里第二网格: the ticket is not in her scope
    assert other.get(full).status_code == 404
    assert app.test_client().get(full).status_code in (302, 303)  # not logged in: to the login page


def test_photos_never_go_into_a_push(ticket_with_photos, console):
    with console.db.session() as s:
        texts = s.execute(select(OutboxItem.text)).scalars().all()
        keys = [p.storage_key for p in s.execute(select(Photo)).scalars()]
    assert texts and not any("/console/photos" in t or any(k in t for k in keys) for t in texts)
