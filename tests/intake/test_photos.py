"""The worker's photo download: bad input, each with a clear outcome, none with a 500 or a lost message."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.intake import photos as worker
from bot.local.callback_client import robot_image, robot_mixed
from models import OutboxItem, Photo, TicketEvent
from tests import fake_api
from tests.chat import ChatDriver
from tests.media_helpers import image_bytes, msg_id

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings
REPORT = "3号楼下水道堵了，污水都冒出来了"


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def only_photo(svc) -> Photo:
    with svc.db.session() as s:
        photo = s.execute(select(Photo)).scalar_one()
        s.expunge(photo)
        return photo


def timeline(svc, action: str) -> list[str]:
    with svc.db.session() as s:
        return s.execute(select(TicketEvent.note).where(TicketEvent.action == action)).scalars().all()


def told_sender(svc) -> list[str]:
    with svc.db.session() as s:
        return s.execute(select(OutboxItem.text).where(OutboxItem.dedup_key.like("photo%:failed"))).scalars().all()


def media_requests(fake_wechat) -> list[str]:
    return [path for path in fake_wechat.state.calls if path.startswith("/aibot-img/")]


def report_with(chat, fake_wechat, url: str) -> dict:
    return chat.answer(robot_mixed(msg_id(), "chat-g1", "zhangdaye", REPORT, [url]))


def test_an_expired_url_fails_at_once_and_the_ticket_says_so(chat, svc, fake_wechat):
    url = fake_wechat.base_url + fake_wechat.state.add_media(image_bytes(), lifetime=-1)
    assert "已登记工单 #1" in report_with(chat, fake_wechat, url)["stream"]["content"]  # the report stands
    photo = only_photo(svc)
    assert (photo.state, photo.ticket_id, photo.attempts) == ("failed", 1, 1)
    assert photo.last_error.startswith("expired")
    assert timeline(svc, "photo_failed") == ["照片未能保存：下载链接已过期"]
    assert told_sender(svc) == ["您发送的照片未能保存：下载链接已过期。如需补充，请重新发送照片。"]


def test_a_missing_url_fails_as_expired(chat, svc, fake_wechat):
    report_with(chat, fake_wechat, fake_wechat.base_url + "/aibot-img/doesnotexist")
    assert only_photo(svc).last_error.startswith("expired")


def test_a_url_outside_the_allowed_origins_is_never_fetched(chat, svc, fake_wechat):
    report_with(chat, fake_wechat, "http://169.254.169.254/latest/meta-data/")
    report_with(chat, fake_wechat, fake_wechat.base_url.replace("127.0.0.1", "localhost") + "/aibot-img/x")
    with svc.db.session() as s:
        errors = s.execute(select(Photo.last_error).order_by(Photo.id)).scalars().all()
    assert [e.split(":")[0] for e in errors] == ["foreign", "foreign"]
    assert not media_requests(fake_wechat)  # nothing was fetched (the fake at "localhost" is not the origin)


def test_bytes_that_do_not_decrypt_are_refused(chat, svc, fake_wechat):
    url = fake_wechat.base_url + fake_wechat.state.add_media(b"x" * 100, encrypted=False)
    report_with(chat, fake_wechat, url)
    assert only_photo(svc).last_error.startswith("undecryptable")


def test_a_decrypted_file_that_is_not_an_image_is_refused(chat, svc, fake_wechat):
    url = fake_wechat.base_url + fake_wechat.state.add_media(b"%PDF-1.7 not a photo" * 10)
    report_with(chat, fake_wechat, url)
    photo = only_photo(svc)
    assert (photo.state, photo.last_error.split(":")[0], photo.storage_key) == ("failed", "not_image", None)
    assert "不是图片" in told_sender(svc)[0]


def test_an_image_with_a_lying_header_is_refused(chat, svc, fake_wechat):
    url = fake_wechat.base_url + fake_wechat.state.add_media(b"\xff\xd8\xff" + b"\x00" * 500)
    report_with(chat, fake_wechat, url)
    assert only_photo(svc).last_error.startswith("not_image")


def test_a_50_mb_image_is_refused_without_reading_it_all(chat, svc, fake_wechat):
    big = b"\xff\xd8\xff" + b"\x00" * (50 * 1024 * 1024)
    url = fake_wechat.base_url + fake_wechat.state.add_media(big)
    report_with(chat, fake_wechat, url)
    photo = only_photo(svc)
    assert photo.last_error.startswith("too_large") and "超过 10 MB" in told_sender(svc)[0]


def test_thirty_photos_in_a_minute_keep_the_allowance_and_say_so(chat, svc, fake_wechat):
    urls = [fake_wechat.base_url + fake_wechat.state.add_media(image_bytes()) for _ in range(30)]
    answers = [chat.answer(robot_mixed(msg_id(), "chat-g1", "zhangdaye", "" if i else REPORT, urls[i * 6:i * 6 + 6]))
               for i in range(5)]
    with svc.db.session() as s:
        kept = s.execute(select(Photo.state)).scalars().all()
    assert len(kept) == svc.settings.photos_per_sender_per_minute == 12 and set(kept) == {"stored"}
    assert "没有收下" not in answers[0]["stream"]["content"]
    assert "每人每分钟最多 12 张，这次有 6 张没有收下" in answers[2]["stream"]["content"]
    assert "这次有 6 张没有收下" in answers[4]["stream"]["content"]


def test_a_network_failure_is_retried_by_the_worker_until_it_works(chat, svc, fake_wechat, app):
    url = fake_wechat.base_url + fake_wechat.state.add_media(image_bytes())
    path = url.split("?")[0].replace(fake_wechat.base_url, "")
    fake_wechat.state.fail_next(path, times=2, mode="http500")
    report_with(chat, fake_wechat, url)
    photo = only_photo(svc)
    assert (photo.state, photo.attempts, photo.last_error) == ("pending", 1, "HTTP 500")
    for _ in range(2):
        svc.clock.advance(700)  # past the backoff
        fake_api.sweep(app)
    photo = only_photo(svc)
    assert (photo.state, photo.attempts) == ("stored", 3)


def test_a_download_is_given_up_after_its_tries(chat, svc, fake_wechat, app):
    url = fake_wechat.base_url + fake_wechat.state.add_media(image_bytes())
    fake_wechat.state.fail_next(url.split("?")[0].replace(fake_wechat.base_url, ""), times=50, mode="http500")
    report_with(chat, fake_wechat, url)
    for _ in range(svc.settings.photo_download_attempts):
        svc.clock.advance(700)
        fake_api.sweep(app)
    photo = only_photo(svc)
    assert (photo.state, photo.attempts) == ("failed", svc.settings.photo_download_attempts)
    assert timeline(svc, "photo_failed") == ["照片未能保存：多次下载失败"]


def test_the_download_happens_after_the_ack_not_before(client, demo, svc, fake_wechat):
    ran = []
    svc.jobs.enqueue = lambda job, *args: ran.append((job, args))  # a worker that has not run yet
    chat = ChatDriver(client)
    plain = chat.answer(robot_image(msg_id(), "chat-g1", "zhangdaye",
                                    fake_wechat.base_url + fake_wechat.state.add_media(image_bytes())))
    assert "已收到 1 张照片" in plain["stream"]["content"]
    assert only_photo(svc).state == "pending" and not media_requests(fake_wechat)
    assert [job for job, _ in ran] == [worker.download_photo_job]


def test_decrypt_inverts_the_servers_encryption_and_refuses_bad_padding():
    key = worker.aes_key(fake_api.DEMO_AES_KEY)
    for size in (0, 1, 31, 32, 33, 1000):
        plain = bytes(range(256)) * 4
        assert worker.decrypt(worker.encrypt(plain[:size], key), key) == plain[:size]
    with pytest.raises(worker.Refused):
        worker.decrypt(worker.encrypt(b"abc", key)[:-16], key)
