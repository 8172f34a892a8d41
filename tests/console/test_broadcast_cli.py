"""The broadcast CLI: same functions as the chat, scope-checked, scheduled sends left to the sweep."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.broadcast import BroadcastError, create_broadcast, delivery_report, send_broadcast
from models import Broadcast, Identity
from tests import fake_api
from tests.fake_api import sweep

# Every channel of the app points at a local fake WeChat API (tests/fake_api.py).
fake_wechat = fake_api.fake_wechat
settings = fake_api.settings


@pytest.fixture
def cli(app, demo):
    return app.test_cli_runner()


def grid_targets(fake) -> list[str]:
    return sorted(m.target for m in fake.state.messages_for(route="wecom_chat") if m.target.startswith("chat-g"))


def test_cli_broadcast_to_a_community_and_report(cli, fake_wechat):
    result = cli.invoke(args=["broadcast", "--target", "community:C1", "--title", "停水通知",
                              "--body", "明天上午停水，请提前储水。"])
    assert result.exit_code == 0, result.output
    assert "broadcast #B1 queued to 2 group chats" in result.output
    assert grid_targets(fake_wechat) == ["chat-g1", "chat-g2"]
    assert fake_wechat.state.messages_for("chat-g1")[0].text.startswith("【通知】停水通知\n明天上午停水")

    report = json.loads(cli.invoke(args=["broadcast-report", "1", "--json"]).output)
    assert (report["status"], report["total"], report["sent"], report["failed"]) == ("sent", 2, 2, 0)


def test_cli_dry_run_scope_and_errors(cli, svc, fake_wechat):
    result = cli.invoke(args=["broadcast", "--target", "tag:老旧小区", "--body", "通知内容", "--dry-run"])
    assert result.exit_code == 0 and "would reach 2 group chats" in result.output
    result = cli.invoke(args=["broadcast", "--target", "tag:老旧小区@S2", "--body", "x", "--dry-run"])
    assert "would reach 1 group chats" in result.output
    result = cli.invoke(args=["broadcast", "--target", "community:C3", "--body", "x", "--author", "huangshuji"])
    assert result.exit_code != 0 and "不在您的管辖范围内" in result.output
    result = cli.invoke(args=["broadcast", "--target", "community:C9", "--body", "x"])
    assert result.exit_code != 0 and "没有找到" in result.output
    result = cli.invoke(args=["outbox-retry"])
    assert result.exit_code != 0
    with svc.db.session() as s:
        assert s.execute(select(Broadcast)).first() is None
    assert fake_wechat.state.messages == []


def test_cli_scheduled_broadcast_goes_out_on_the_sweep(cli, app, svc, fake_wechat):
    at = svc.clock.now().replace(microsecond=0).isoformat()
    result = cli.invoke(args=["broadcast", "--target", "district:D", "--body", "x", "--at", at])
    assert result.exit_code != 0 and "已经过去" in result.output
    later = (svc.clock.now() + timedelta(days=1)).replace(microsecond=0).isoformat()
    result = cli.invoke(args=["broadcast", "--target", "street:S2", "--body", "周六义诊。", "--at", later])
    assert result.exit_code == 0 and "scheduled" in result.output, result.output
    sweep(app)
    assert grid_targets(fake_wechat) == []
    svc.clock.advance(24 * 3600 + 1)
    sweep(app)
    assert grid_targets(fake_wechat) == ["chat-g4"]


def test_console_api_create_and_send(svc, demo):
    """The functions the console will call: author scope enforced, one push per chat, idempotent."""
    now = svc.clock.now()
    with svc.db.session() as s:
        author = s.execute(select(Identity).where(Identity.external_id == "huangshuji")).scalar_one().person
        with pytest.raises(BroadcastError):
            create_broadcast(s, author, "t", "b", "street", "S1", None, now)
        b = create_broadcast(s, author, "停水", "明天停水", "grid", "G2", None, now)
        pushes = send_broadcast(s, b, now)
        assert [(p.route_target, p.dedup_key, p.notice_id) for p in pushes] == [
            ("chat-g2", f"broadcast{b.id}:chat2", b.id)]
        assert send_broadcast(s, b, now) == []  # already sending: nothing twice
        assert delivery_report(s, b).count("missing") == 0


def test_tag_notice_is_knowledge_for_the_grids_it_reached(svc, demo):
    from models import Notice, OrgUnit

    now = svc.clock.now()
    with svc.db.session() as s:
        street = s.execute(select(Identity).where(Identity.external_id == "songkezhang")).scalar_one().person
        s1 = s.execute(select(OrgUnit).where(OrgUnit.code == "S1")).scalar_one()
        b = create_broadcast(s, street, "", "加装电梯意见征集", "tag", "老旧小区", None, now, scope_unit_id=s1.id)
        assert [p.route_target for p in send_broadcast(s, b, now)] == ["chat-g1"]
        assert s.get(Notice, b.notice_id).org_unit.code == "G1"
        b = create_broadcast(s, None, "", "加装电梯意见征集", "tag", "老旧小区", None, now)
        assert [p.route_target for p in send_broadcast(s, b, now)] == ["chat-g1", "chat-g4"]
        assert s.get(Notice, b.notice_id).org_unit.code == "D"
        assert b.title == "加装电梯意见征集" and b.target_label == "标签「老旧小区」"
