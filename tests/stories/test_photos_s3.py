"""The whole photo path with PHOTO_STORE=s3: a resident's photo ends up in the bucket (moto, on loopback)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.local.callback_client import robot_mixed
from models import Photo
from tests import fake_api
from tests.chat import ChatDriver
from tests.media_helpers import image_bytes, msg_id

fake_wechat = fake_api.fake_wechat


@pytest.fixture
def settings(settings, fake_wechat, moto_endpoint):
    return settings.with_overrides(
        wecom_api_base_url=fake_wechat.base_url, wechat_api_base_url=fake_wechat.base_url,
        api_timeout_seconds=fake_api.API_TIMEOUT, photo_store="s3", photo_s3_endpoint_url=moto_endpoint,
        photo_s3_bucket="gridwhistle-test", photo_s3_access_key="test", photo_s3_secret_key="test")


def test_a_reported_photo_is_stored_in_the_bucket(client, demo, svc, fake_wechat):
    url = fake_wechat.base_url + fake_wechat.state.add_media(image_bytes("PNG"))
    plain = ChatDriver(client).answer(robot_mixed(msg_id(), "chat-g1", "zhangdaye", "路灯坏了一个星期了", [url]))
    assert "已收到 1 张照片" in plain["stream"]["content"]
    with svc.db.session() as s:
        photo = s.execute(select(Photo)).scalar_one()
    assert photo.state == "stored"
    obj = svc.photo_store.client.get_object(Bucket="gridwhistle-test", Key=photo.storage_key)
    assert obj["Body"].read() == image_bytes("PNG") and obj["ContentType"] == "image/png"
