"""Broadcasts from the chat, through the real webhook, delivered by the outbox worker to a fake WeCom."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

import handlers.broadcast
from handlers import broadcast_texts as T
from handlers.broadcast import parse_when
from handlers.deadlines import CHINA
from handlers.knowledge import current_index
from models import Broadcast, Notice
from tests import fake_api
from tests.chat import ChatDriver
from tests.fake_api import outbox_rows, sweep

# Every channel of the app points at a local fake WeChat API (tests/fake_api.py).
fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

NOTICE = "明天上午9点到12点停水，请提前储水。"


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def texts_at(fake, chat_id: str) -> list[str]:
    return [m.text for m in fake.state.messages_for(chat_id, route="wecom_chat")]


def grid_texts(fake) -> list[str]:
    """Messages in grid chats (sweeps also send staff digests elsewhere, not counted here)."""
    return [m.text for m in fake.state.messages_for(route="wecom_chat") if m.target.startswith("chat-g")]


def broadcasts(svc) -> list[Broadcast]:
    with svc.db.session() as s:
        rows = s.execute(select(Broadcast).order_by(Broadcast.id)).scalars().all()
        s.expunge_all()
        return rows


def test_community_notice_reaches_every_grid_chat_after_confirmation(chat, svc, fake_wechat):
    draft = chat.say("chat-c1", "huangshuji", f"通知 幸福里社区：{NOTICE}")
    assert "将发送到 2 个群" in draft and "#B1" in draft
    assert "幸福里第一网格居民群" in draft and "幸福里第二网格居民群" in draft
    assert "确认发送" in draft
    assert fake_wechat.state.messages == []  # nothing leaves before the confirmation

    done = chat.say("chat-c1", "huangshuji", "确认发送")
    assert "已发送" in done and "2 个群" in done
    for chat_id in ("chat-g1", "chat-g2"):
        [text] = texts_at(fake_wechat, chat_id)
        assert text.startswith("【通知】") and NOTICE in text and "幸福里社区" in text
    assert texts_at(fake_wechat, "chat-g3") == [] and texts_at(fake_wechat, "chat-g4") == []

    [b] = broadcasts(svc)
    assert (b.target_kind, b.target_value, b.group_count) == ("community", "C1", 2)
    assert b.status in ("sending", "sent") and b.sent_at is not None and b.notice_id is not None
    rows = outbox_rows(svc, "broadcast1:")
    assert [r.state for r in rows] == ["sent", "sent"] and all(r.notice_id == b.id for r in rows)
    with svc.db.session() as s:
        notice = s.get(Notice, b.notice_id)
        assert notice.body == NOTICE and notice.sent_at is not None and notice.org_unit.code == "C1"
        assert any(d.kind == "notice" and d.id == notice.id for d in current_index(s).docs)

    # A second confirmation queues nothing new.
    assert chat.say("chat-c1", "huangshuji", "确认发送") == T.NO_DRAFT.format(minutes=30)
    assert len(fake_wechat.state.messages) == 2


def test_who_may_broadcast_where_and_drafts_that_never_leave(chat, svc, fake_wechat):
    """Residents are refused; a draft is cancelled or expires; each author reaches only their scope."""
    assert chat.say("chat-g1", "zhangdaye", f"通知 全部：{NOTICE}") == T.NOT_ALLOWED
    assert chat.say("chat-g1", "zhangdaye", "通知报告 #B1") == T.NOT_ALLOWED
    assert broadcasts(svc) == [] and fake_wechat.state.messages == []

    say = lambda user, text: chat.say("chat-c1", user, text)  # noqa: E731
    assert "#B1" in say("huangshuji", f"通知 全部：{NOTICE}")
    assert say("huangshuji", "取消") == T.CANCELLED.format(id=1, title="明天上午9点到12点停水")
    assert say("huangshuji", "确认发送") == T.NO_DRAFT.format(minutes=30)

    assert "#B2" in say("huangshuji", f"通知 幸福里第二网格：{NOTICE}")
    svc.clock.advance(31 * 60)
    assert say("huangshuji", "确认发送") == T.NO_DRAFT.format(minutes=30)

    assert "不在您的管辖范围内" in say("huangshuji", f"通知 光明社区：{NOTICE}")
    assert "没有找到「火星社区」" in say("huangshuji", f"通知 火星社区：{NOTICE}")
    assert "将发送到 3 个群" in say("songkezhang", f"通知 全部：{NOTICE}")
    assert "将发送到 1 个群" in say("songkezhang", f"通知 标签老旧小区：{NOTICE}")  # G4 is another street
    assert "将发送到 2 个群" in say("admin", f"通知 标签老旧小区：{NOTICE}")
    assert "将发送到 5 个群" in say("admin", f"通知 全部：【停水通知】{NOTICE}")  # G5 hears only @mentions, but hears notices
    assert "格式" in say("admin", "通知")
    assert fake_wechat.state.messages == []
    last = broadcasts(svc)[-1]
    assert (last.title, last.body, last.target_kind) == ("停水通知", NOTICE, "district")

    # Everyday talk that merely starts with the word is not a command.
    assert chat.say("chat-g1", "zhangdaye", "通知什么时候发") != T.NOT_ALLOWED


def test_scheduled_notice_is_sent_by_the_sweep_when_the_clock_passes(chat, svc, app, fake_wechat):
    draft = chat.say("chat-s1", "songkezhang", f"通知 明天9:00 扬州路社区：{NOTICE}")
    assert "将发送到 1 个群" in draft and "定时发送" in draft
    done = chat.say("chat-s1", "songkezhang", "确认发送")
    assert "已定时" in done and "09:00" in done
    [b] = broadcasts(svc)
    assert b.status == "scheduled" and b.scheduled_at.astimezone(CHINA).hour == 9

    sweep(app)
    assert texts_at(fake_wechat, "chat-g3") == []
    wait = (b.scheduled_at - svc.clock.now()).total_seconds()
    svc.clock.advance(wait - 60)
    sweep(app)
    assert texts_at(fake_wechat, "chat-g3") == []
    svc.clock.advance(61)
    sweep(app)
    assert [NOTICE in t for t in texts_at(fake_wechat, "chat-g3")] == [True]
    svc.clock.advance(5)
    sweep(app)  # settles sending → sent, sends nothing twice
    [b] = broadcasts(svc)
    assert b.status == "sent" and b.notice_id is not None
    assert len(grid_texts(fake_wechat)) == 1


def test_big_broadcasts_leave_the_webhook_to_the_sweep(chat, svc, app, fake_wechat, monkeypatch):
    """Hundreds of outbox rows do not fit in the 5-second reply window: the sweep queues them."""
    monkeypatch.setattr(handlers.broadcast, "INLINE_SEND_LIMIT", 1)
    chat.say("chat-c1", "huangshuji", f"通知 幸福里社区：{NOTICE}")
    assert "已发送" in chat.say("chat-c1", "huangshuji", "确认发送")
    assert grid_texts(fake_wechat) == [] and outbox_rows(svc) == []
    sweep(app)
    assert len(grid_texts(fake_wechat)) == 2 and broadcasts(svc)[0].notice_id is not None


def test_scheduled_notice_can_be_cancelled(chat, svc, app, fake_wechat):
    chat.say("chat-s1", "songkezhang", f"通知 定时 2099-01-05 08:30 全部：{NOTICE}")
    assert "已定时" in chat.say("chat-s1", "songkezhang", "确认发送")
    assert "不在您的管辖范围内" in chat.say("chat-c3", "guozhuren", "取消 #B1")
    assert chat.say("chat-s1", "songkezhang", "取消 #B1").startswith("已取消")
    svc.clock.advance(3600 * 24 * 365 * 80)
    sweep(app)
    assert grid_texts(fake_wechat) == [] and broadcasts(svc)[0].status == "cancelled"


def test_delivery_report_counts_sent_retrying_and_failed(chat, svc, app, fake_wechat):
    state = fake_wechat.state
    del state.chats["chat-g2"]  # WeCom answers 86003: permanent, the row goes dead
    state.fail_next("/cgi-bin/appchat/send", 1, "http500")  # the first group is retried later
    chat.say("chat-s1", "songkezhang", f"通知 新华街道：{NOTICE}")
    chat.say("chat-s1", "songkezhang", "确认发送")
    report = chat.say("chat-s1", "songkezhang", "通知报告 #B1")
    assert "共 3 个群：已送达 1，重试中 1，发送失败 1" in report and "发送中" in report
    assert report.index("发送失败") < report.index("· 扬州路第一网格居民群：已送达")

    svc.clock.advance(60)
    sweep(app)
    report = chat.say("chat-s1", "songkezhang", "通知报告 B1")
    assert "共 3 个群：已送达 2，重试中 0，发送失败 1" in report and "状态：已发送" in report
    assert "· 幸福里第二网格居民群：发送失败" in report
    assert "不在您的管辖范围内" in chat.say("chat-c3", "guozhuren", "通知报告 #B1")

    state.add_chat("chat-g2", ["owner", "member"])  # the admin fixes the chat, then retries
    result = app.test_cli_runner().invoke(args=["outbox-retry", "--all-dead"])
    assert result.exit_code == 0, result.output
    assert "1 dead item(s) requeued; 1 sent now" in result.output
    result = app.test_cli_runner().invoke(args=["broadcast-report", "1"])
    assert "已送达 3，重试中 0，发送失败 0" in result.output
    assert sorted(m.target for m in state.messages_for(route="wecom_chat")) == ["chat-g1", "chat-g2", "chat-g3"]


def test_group_text_is_masked(chat, svc, fake_wechat):
    chat.say("chat-c1", "huangshuji", "通知 幸福里第一网格：请3号楼2单元501室业主联系13812345678领取快递。")
    chat.say("chat-c1", "huangshuji", "确认发送")
    [text] = texts_at(fake_wechat, "chat-g1")
    assert "13812345678" not in text and "138****5678" in text
    assert "501" not in text and "3号楼2单元" in text
    with svc.db.session() as s:  # the notice itself keeps what the author wrote
        assert s.execute(select(func.count()).select_from(Notice).where(Notice.body.like("%13812345678%"))).scalar() == 1


def test_broadcast_time_parsing():
    now = datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)  # 13:00 in China
    def local(text):
        at, rest = parse_when(text, now)
        return (at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if at else None), rest

    assert local("明天9:00 扬州路社区") == ("2026-11-23 09:00", "扬州路社区")
    assert local("今天下午3点半 全部") == ("2026-11-22 15:30", "全部")
    assert local("2026-11-23 09:00 全部") == ("2026-11-23 09:00", "全部")
    assert local("11月23日8点 全部") == ("2026-11-23 08:00", "全部")
    assert local("1月2日8点 全部") == ("2027-01-02 08:00", "全部")
    assert local("幸福里社区") == (None, "幸福里社区")
    assert now + timedelta(hours=20) == parse_when("明天9:00", now)[0]


def test_a_notice_written_to_the_group_is_not_a_command(chat, svc, fake_wechat):
    """A grid leader (or a resident) posting "通知：…" in the group tells the group: no refusal there;
    one-to-one, or naming whom to send it to, it is a command and a grid leader hears why not."""
    notice = "通知：明天上午9点到下午3点 3栋到6栋停水检修 请大家提前储水"
    assert chat.say("chat-g1", "wangfang", notice) == ""
    assert chat.say("chat-g1", "zhangdaye", notice) == ""
    assert chat.say("chat-g1", "wangfang", f"通知 全部：{NOTICE}") == T.NOT_ALLOWED_GRID_STAFF
    assert chat.say(None, "wangfang", notice) == T.NOT_ALLOWED_GRID_STAFF
    assert chat.say(None, "zhangdaye", notice) == T.NOT_ALLOWED
    assert broadcasts(svc) == [] and fake_wechat.state.messages == []
