"""`flask seed-history`: the demo district's past, played through the bot's own code paths.

A few weeks are played here (a year takes a minute or more: bench/bench_history.py times it).
"""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.app import create_app
from bot.local.history import Player, seed_history
from bot.local.history_script import KNOWLEDGE
from handlers.deadlines import CHINA
from models import (
    Broadcast, InboxMessage, KnowledgeEntry, OutboxItem, PointsEntry, Proposal, Ticket, TicketEvent, TicketRollupDay,
)
from tests.production import production


def _count(session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_weeks_of_history_are_chat_lines_through_the_bot(demo):
    now = demo.clock.now()
    with demo.db.session() as s:
        result = seed_history(s, demo.settings, now, days=21)
        assert result is not None and result.tickets > 20
        tickets = s.execute(select(Ticket)).scalars().all()
        assert len(tickets) == result.tickets  # every one opened by a resident's line (none written aside)
        lines = s.execute(select(InboxMessage).where(InboxMessage.msg_id.like("hist-%"))).scalars().all()
        assert len(lines) == result.messages and all(m.status == "processed" for m in lines)
        assert {t.source_inbox_id for t in tickets} <= {m.id for m in lines}
        start = now - timedelta(days=22)
        assert all(start <= t.created_at <= now for t in tickets)
        actions = Counter(s.execute(select(TicketEvent.action)).scalars())
        assert actions["open"] == len(tickets)
        assert actions["accept"] and actions["resolve"] and actions["rate"] and actions["close"]
        assert actions["escalate"] + actions["dispatch"] > 0 and actions["claim"] > 0
        states = Counter(t.state for t in tickets)
        assert states["closed"] > len(tickets) / 3  # most of the past is done …
        assert sum(states[x] for x in ("new", "accepted", "escalated", "dispatched", "claimed", "reopened")) > 0
        assert any(t.satisfaction for t in tickets) and any(t.on_time is True for t in tickets)
        # Replies were given (stored on the inbox rows) but the year's pushes were not queued …
        assert any(m.reply_text for m in lines)
        notice_rows = _count(s, OutboxItem, OutboxItem.notice_id.is_not(None))
        assert _count(s, OutboxItem) == notice_rows
        # … except the notices', with their delivery settled as the worker would have left it.
        if result.notices:
            assert _count(s, Broadcast, Broadcast.status == "sent") == result.notices
            assert _count(s, OutboxItem, OutboxItem.state == "pending") == 0
        assert _count(s, PointsEntry) > 0  # reports and ratings earned points through the handlers
        assert _count(s, TicketRollupDay) >= 21  # the dashboard reads whole days from the rollup
        # The command centre's policy answers went in through the 入库 command, valid in every grid.
        entries = s.execute(select(KnowledgeEntry)).scalars().all()
        assert len(entries) == len(KNOWLEDGE) and all(e.org_unit_id is None and e.active for e in entries)
        # Idempotent: a second run leaves it alone.
        assert seed_history(s, demo.settings, now, days=21) is None
        assert _count(s, Ticket) == len(tickets)
        assert _count(s, KnowledgeEntry) == len(KNOWLEDGE)


def test_a_seeded_district_answers_common_policy_questions(app, demo):
    from tests.chat import ChatDriver

    with demo.db.session() as s:
        seed_history(s, demo.settings, demo.clock.now(), days=3)
        s.commit()
    reply = ChatDriver(app.test_client()).say("chat-g1", "zhangdaye", "请问老年卡在哪办啊")
    assert "社区服务站" in reply and "转给网格长" not in reply


def test_the_seasons_come_out_as_designed(demo):
    with demo.db.session() as s:
        player = Player(s, demo.settings, datetime(2026, 12, 31, tzinfo=UTC), days=365)
        by_month: dict[int, Counter] = {1: Counter(), 7: Counter()}
        for month in by_month:
            for day in range(1, 29):
                player.queue.clear()
                player._plan_day(datetime(2026, month, day, tzinfo=CHINA))
                by_month[month].update(p[1] for _, _, kind, p in player.queue if kind == "report")
        january, july = by_month[1], by_month[7]
        assert january["heating"] > 10 and july["heating"] == 0
        assert july["drainage"] > 2 * january["drainage"]
        s.rollback()


def test_refused_in_production(settings, app, demo):
    prod = create_app(production(settings))
    try:
        result = prod.test_cli_runner().invoke(args=["seed-history", "--days", "3"])
        assert result.exit_code != 0 and "production" in result.output
        with demo.db.session() as s:
            assert _count(s, Ticket) == 0 and _count(s, Proposal) == 0
    finally:
        prod.extensions["gridwhistle"].db.dispose()


def test_the_command_seeds_once(app, demo):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-history", "--days", "4"])
    assert first.exit_code == 0, first.output
    assert "history seeded" in first.output
    again = runner.invoke(args=["seed-history", "--days", "4"])
    assert again.exit_code == 0 and "already has its history" in again.output
