"""积分 through the real webhook: earning with caps, the shop, and no overspending under concurrency."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from handlers.points_ledger import award
from models import OrgUnit, Person, PointsAccount, PointsEntry, Redemption, ShopItem
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, person, person_id, ref


@pytest.fixture
def chat(client, demo, monkeypatch):
    monkeypatch.setattr(demo, "settings", demo.settings.with_overrides(
        points_rules="report=5/10,rating=2/10,proposal=20/40,volunteer=10/30"))
    return ChatDriver(client)


def balance(svc, user: str) -> int:
    with svc.db.session() as s:
        return s.execute(select(PointsAccount.balance).where(PointsAccount.person_id == person_id(svc, user))).scalar() or 0


def ledger(svc, user: str) -> list[tuple[str, int, int]]:
    with svc.db.session() as s:
        return [(e.act, e.delta, e.balance_after) for e in s.execute(
            select(PointsEntry).where(PointsEntry.person_id == person_id(svc, user)).order_by(PointsEntry.id)).scalars()]


def test_reports_and_ratings_earn_points_within_the_daily_cap(chat, svc):
    first = chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水冒出来了")
    assert "已登记工单" in first
    chat.say("chat-g1", "zhangdaye", "小区东门路灯坏了好几天，晚上很黑")
    chat.say("chat-g1", "zhangdaye", "楼道里堆满了杂物，有消防隐患")
    # Three tickets, 5 points each, but the report cap is 10 a day.
    assert [d for a, d, _ in ledger(svc, "zhangdaye") if a == "report"] == [5, 5]
    shown = chat.say("chat-g1", "zhangdaye", "积分")
    assert "10 分" in shown and "反映问题 +5" in shown

    # A rating earns points once per ticket.
    n = ref(r"#(\d+)", first)
    chat.say("chat-g1", "wangfang", f"办结 #{n} 已疏通")
    assert "评价为「满意」" in chat.say("chat-g1", "zhangdaye", f"满意 #{n}")
    assert [d for a, d, _ in ledger(svc, "zhangdaye") if a == "rating"] == [2]
    # Every entry records the balance after it; the ledger adds up to the balance.
    rows = ledger(svc, "zhangdaye")
    assert rows[-1][2] == balance(svc, "zhangdaye") == sum(d for _, d, _ in rows) == 12


def test_staff_record_volunteering_with_a_cap_and_scope(chat, svc):
    reply = chat.say("chat-c1", "huangshuji", "记积分 @zhangdaye 10 志愿服务")
    assert "已为张大爷记 10 分" in reply
    assert any("您获得 10 积分" in t for t in outbox_texts(svc, "zhangdaye"))
    assert "超出部分未计" in chat.say("chat-c1", "huangshuji", "记积分 @张大爷 25 清扫楼道")
    assert "已达上限" in chat.say("chat-c1", "huangshuji", "记积分 @张大爷 5 清扫楼道")
    assert balance(svc, "zhangdaye") == 30
    # A resident cannot award points; staff cannot award outside their area.
    assert "只有社区工作人员" in chat.say("chat-g1", "liuayi", "记积分 @liuayi 100 自己给自己")
    assert "不是您负责范围内" in chat.say("chat-c1", "huangshuji", "记积分 @gaoyang 10 志愿服务")
    assert balance(svc, "liuayi") == 0


def test_shop_listing_and_redeeming(chat, svc):
    assert "只有社区工作人员" in chat.say("chat-g1", "zhangdaye", "上架 鸡蛋 20分 库存50")
    assert "已上架：鸡蛋，20 分，库存 2" in chat.say("chat-c1", "huangshuji", "上架 鸡蛋 20分 库存2")
    shop = chat.say("chat-g1", "zhangdaye", "积分商城")
    assert "鸡蛋：20 分" in shop and "库存 2" in shop
    # Not enough points: refused, nothing changes.
    assert "积分不足" in chat.say("chat-g1", "zhangdaye", "兑换 鸡蛋")
    with svc.db.session() as s:
        award(s, svc.settings, s.merge(person(svc, "zhangdaye")), "volunteer", now=svc.clock.now(), points=30)
        award(s, svc.settings, s.merge(person(svc, "liuayi")), "volunteer", now=svc.clock.now(), points=30)
        s.commit()
    ok = chat.say("chat-g1", "zhangdaye", "兑换 鸡蛋")
    assert "兑换成功：鸡蛋，扣除 20 分，余额 10 分" in ok
    assert "积分不足" in chat.say("chat-g1", "zhangdaye", "兑换 鸡蛋")
    assert "兑换成功" in chat.say("chat-g1", "liuayi", "兑换 鸡蛋")
    with svc.db.session() as s:  # last one: a third buyer finds it gone
        award(s, svc.settings, s.merge(person(svc, "chenxin")), "volunteer", now=svc.clock.now(), points=30)
        s.commit()
    assert "已兑完" in chat.say("chat-g1", "chenxin", "兑换 鸡蛋")
    assert balance(svc, "chenxin") == 30
    # Other grids under another community do not see C1's shop.
    assert "暂无" in chat.say("chat-g4", "gaoyang", "积分商城")
    assert ledger(svc, "zhangdaye")[-1] == ("redeem", -20, 10)


@pytest.mark.parametrize("threads", [2, 4])
def test_simultaneous_redemptions_cannot_overspend(app, demo, svc, settings, monkeypatch, threads):
    """Several requests at the same moment from one resident, balance enough for one only."""
    if settings.database_url.startswith("sqlite"):
        pytest.skip("real concurrency is a PostgreSQL property (SQLite serialises whole-database writes)")
    with svc.db.session() as s:
        c1 = s.execute(select(OrgUnit).where(OrgUnit.code == "C1")).scalar_one()
        s.add(ShopItem(name="大米", price=30, stock=100, org_unit_id=c1.id, created_at=svc.clock.now()))
        award(s, svc.settings, s.merge(person(svc, "zhangdaye")), "volunteer", now=svc.clock.now(), points=30)
        s.commit()
    barrier = threading.Barrier(threads)
    replies: list[str] = []
    errors: list[BaseException] = []

    def redeem_once(i: int) -> None:
        try:
            driver = ChatDriver(app.test_client())
            barrier.wait(timeout=10)
            replies.append(driver.say("chat-g1", "zhangdaye", "兑换 大米", msg_id=f"race-{threads}-{i}"))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    workers = [threading.Thread(target=redeem_once, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    assert sum("兑换成功" in r for r in replies) == 1, replies
    assert sum("积分不足" in r for r in replies) == threads - 1, replies
    assert balance(svc, "zhangdaye") == 0
    with svc.db.session() as s:
        assert s.execute(select(func.count()).select_from(Redemption)).scalar() == 1
        assert s.execute(select(ShopItem.stock).where(ShopItem.name == "大米")).scalar() == 99
    assert [d for a, d, _ in ledger(svc, "zhangdaye")] == [30, -30]


def test_simultaneous_awards_keep_to_the_cap_and_a_true_running_balance(demo, svc, settings):
    """Awards to one resident at the same moment, the account not there yet: one after the other.

    The ledger locks the balance row, then counts the day's awards against the cap and writes
    balance_after from the balance it read: without the lock two would both see room under the cap.
    """
    if settings.database_url.startswith("sqlite"):
        pytest.skip("real concurrency is a PostgreSQL property (SQLite serialises whole-database writes)")
    rules = svc.settings.with_overrides(points_rules="volunteer=10/30")
    pid, threads = person_id(svc, "zhangdaye"), 4
    barrier = threading.Barrier(threads)
    granted: list[int] = []
    errors: list[BaseException] = []

    def award_once(i: int) -> None:
        try:
            with svc.db.session() as s:
                p = s.get(Person, pid)
                barrier.wait(timeout=10)
                granted.append(award(s, rules, p, "volunteer", now=svc.clock.now(), ref=f"race-award-{i}").granted)
                s.commit()
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    workers = [threading.Thread(target=award_once, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    assert sorted(granted) == [0, 10, 10, 10]
    assert balance(svc, "zhangdaye") == 30
    assert ledger(svc, "zhangdaye") == [("volunteer", 10, 10), ("volunteer", 10, 20), ("volunteer", 10, 30)]


def test_a_rejected_report_gives_its_points_back_once_and_never_below_zero(chat, svc):
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水冒出来了"))
    kept = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", "小区东门路灯坏了好几天，晚上很黑"))
    assert balance(svc, "zhangdaye") == 10
    assert "已驳回" in chat.say("chat-g1", "wangfang", f"驳回 #{n} 经核实不属实")
    assert balance(svc, "zhangdaye") == 5
    assert ledger(svc, "zhangdaye")[-1] == ("revoke", -5, 5)
    assert f"驳回扣回（工单 #{n}） -5" in chat.say("chat-g1", "zhangdaye", "积分")
    # Only the rejected ticket's points, and only once (a second rejection is an illegal move).
    chat.say("chat-g1", "wangfang", f"驳回 #{n} 再次")
    assert balance(svc, "zhangdaye") == 5 and kept != n

    # Points already spent are not taken below zero: 3 of the other report's 5 went to the shop.
    with svc.db.session() as s:
        s.execute(update(PointsAccount).where(PointsAccount.person_id == person_id(svc, "zhangdaye"))
                  .values(balance=2))
        s.commit()
    chat.say("chat-g1", "wangfang", f"驳回 #{kept} 重复反映")
    assert balance(svc, "zhangdaye") == 0
    assert ledger(svc, "zhangdaye")[-1] == ("revoke", -2, 0)
