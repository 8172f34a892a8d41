"""Points that cannot be abused (issue #16 items 5 and 12): no self-awards, every manual award audited,
no quantities in 兑换 (兑换 鸡蛋 -5), and the redemption voucher sent privately, not in the group."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.points_ledger import award
from models import AuditEntry, PointsAccount, Redemption
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, person, person_id


@pytest.fixture
def chat(client, demo, monkeypatch):
    monkeypatch.setattr(demo, "settings", demo.settings.with_overrides(
        points_rules="report=5/10,rating=2/10,proposal=20/40,volunteer=10/30"))
    return ChatDriver(client)


def balance(svc, user: str) -> int:
    with svc.db.session() as s:
        return s.execute(select(PointsAccount.balance)
                         .where(PointsAccount.person_id == person_id(svc, user))).scalar() or 0


def audit(svc) -> list[tuple[str, int | None, int | None]]:
    with svc.db.session() as s:
        return [(a.action, a.actor_id, a.subject_id) for a in s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()]


def test_staff_cannot_award_themselves_and_every_award_is_audited(chat, svc):
    me = person_id(svc, "huangshuji")
    assert "不能给自己记积分" in chat.say("chat-c1", "huangshuji", "记积分 @huangshuji 50 加班")
    assert "不能给自己记积分" in chat.say("chat-c1", "huangshuji", "记积分 @黄书记 50 加班")
    assert balance(svc, "huangshuji") == 0
    assert "记" in chat.say("chat-c1", "huangshuji", "记积分 @zhangdaye 10 志愿服务")
    resident = person_id(svc, "zhangdaye")
    assert audit(svc) == [("points_award_refused", me, me), ("points_award_refused", me, me),
                          ("points_award", me, resident)]


def test_no_quantities_and_the_voucher_goes_privately(chat, svc):
    chat.say("chat-c1", "huangshuji", "上架 鸡蛋 20分 库存5")
    with svc.db.session() as s:
        award(s, svc.settings, s.merge(person(svc, "zhangdaye")), "volunteer", now=svc.clock.now(), points=30)
        s.commit()
    for odd in ("兑换 鸡蛋 -5", "兑换 鸡蛋 x3", "兑换 鸡蛋0"):
        assert "每次兑换一件" in chat.say("chat-g1", "zhangdaye", odd), odd
    assert balance(svc, "zhangdaye") == 30
    in_group = chat.say("chat-g1", "zhangdaye", "兑换 鸡蛋 1个")
    assert "兑换成功" in in_group and "私信" in in_group and "D" not in in_group.replace("私信", "")
    with svc.db.session() as s:
        rid = s.execute(select(Redemption.id)).scalar_one()
    assert any(f"D{rid}" in t for t in outbox_texts(svc, "zhangdaye"))
    assert not any(f"D{rid}" in t for t in outbox_texts(svc, "chat-g1"))
    assert balance(svc, "zhangdaye") == 10
