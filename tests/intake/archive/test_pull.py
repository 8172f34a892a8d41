"""The archive channel end to end: local archive (real RSA) → pull → inbox → handlers → outbox → fake WeCom."""
from __future__ import annotations

from sqlalchemy import func, select

from models import ArchiveCursor, InboxMessage, Ticket
from tests.intake.archive.conftest import pull, pull_job

REPORT = "3号楼下水道堵了，污水都冒出来了"


def inbox(svc) -> list[InboxMessage]:
    with svc.db.session() as s:
        rows = s.execute(select(InboxMessage).order_by(InboxMessage.id)).scalars().all()
        s.expunge_all()
        return rows


def cursor(svc) -> int:
    with svc.db.session() as s:
        return s.execute(select(ArchiveCursor.seq)).scalar_one()


def tickets(svc) -> int:
    with svc.db.session() as s:
        return s.execute(select(func.count(Ticket.id))).scalar_one()


def test_a_report_written_without_at_is_heard_ticketed_and_answered_in_the_chat(app, svc, archive, fake_wechat):
    archive.record(archive.text("chat-g1", "zhangdaye", "大家好"))
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT))
    result = pull_job(app)
    assert (result["pulled"], result["accepted"], result["cursor"], result["error"]) == (2, 2, 2, "")
    rows = inbox(svc)
    assert [(r.channel, r.chat_id, r.text, r.status) for r in rows] == [
        ("archive", "chat-g1", "大家好", "processed"), ("archive", "chat-g1", REPORT, "processed")]
    assert tickets(svc) == 1
    pushed = fake_wechat.state.messages_for("chat-g1", route="wecom_chat")
    assert [m.text[:8] for m in pushed] == ["已登记工单 #1"[:8]]
    assert cursor(svc) == 2


def test_a_repeated_batch_after_a_crash_adds_nothing(app, svc, archive, fake_wechat):
    archive.record(archive.text("chat-g1", "zhangdaye", REPORT))
    pull(app)
    with svc.db.session() as s:  # the crash: the cursor write was lost, the inbox rows were not
        s.execute(ArchiveCursor.__table__.update().values(seq=0))
        s.commit()
    again = pull(app)
    assert again.accepted == 1 and again.cursor == 1
    assert len(inbox(svc)) == 1 and tickets(svc) == 1
    assert len(fake_wechat.state.messages_for("chat-g1", route="wecom_chat")) == 1
