"""The webhook bench's floor app really does the durable part it claims to measure."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from wechatpy.enterprise import parse_message

from bot.local.callback_client import decrypt_wecom_reply, wecom_callback, wecom_text_xml
from tests.conftest import DEMO


@pytest.fixture
def floor_client(app, settings, monkeypatch):
    if not settings.redis_url:
        pytest.skip("the floor app talks to the real Redis, as in the bench")
    from bench.floor_app import create_floor_app

    monkeypatch.setenv("WECOM_TOKEN", DEMO["token"])
    monkeypatch.setenv("WECOM_AES_KEY", DEMO["aes_key"])
    monkeypatch.setenv("WECOM_CORP_ID", DEMO["corp_id"])
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    return create_floor_app().test_client()


def test_floor_commits_one_inbox_row_per_message_and_replies(floor_client, svc):
    from models import InboxMessage

    xml = wecom_text_xml(DEMO["corp_id"], "resident7", "楼道灯坏了", "77001")
    cb = wecom_callback(DEMO["token"], DEMO["aes_key"], DEMO["corp_id"], xml)
    for _ in range(2):  # WeChat's retry of the same MsgId
        r = floor_client.post("/wecom/callback", query_string=cb.params, data=cb.body.encode(),
                              headers={"Content-Type": cb.content_type})
        assert r.status_code == 200
        plain = decrypt_wecom_reply(DEMO["token"], DEMO["aes_key"], DEMO["corp_id"], r.get_data(as_text=True))
        assert parse_message(plain).content == "楼道灯坏了"
    with svc.db.session() as session:
        rows = session.execute(select(InboxMessage.sender_id, InboxMessage.text, func.count())
                               .group_by(InboxMessage.sender_id, InboxMessage.text)).all()
    assert rows == [("resident7", "楼道灯坏了", 1)]
