"""0018 backfills missed_deadline_at from the sweep's notes, on a database that has old tickets."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from bot.local.isolation import PrivateDatabase
from bot.runtime.db import ROOT, Database
from models import Ticket
from tests.conftest import BACKENDS, PG_SERVER_URL

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)


def _upgrade(db: Database, revision: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with db.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


@pytest.fixture(params=BACKENDS)
def empty_db(request, tmp_path):
    if request.param == "embedded":
        db = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield db
        db.dispose()
        return
    private = PrivateDatabase(PG_SERVER_URL, suffix="missed")  # not the run's own: that one is in use
    db = Database(private.create())
    yield db
    db.dispose()
    private.drop()


def test_backfill_marks_tickets_the_sweep_found_late(empty_db):
    _upgrade(empty_db, "0014_conversation")
    with empty_db.engine.begin() as conn:
        for tid in (1, 2):
            conn.execute(text(
                "INSERT INTO ticket (id, state, version, category, description, place_text, level, "
                "resolution_note, created_at, category_unsure, priority) VALUES "
                "(:id, 'escalated', 1, 'drainage', '下水道堵了', '', 'community', '', :t, false, 'normal')"),
                {"id": tid, "t": T0})
        for note, hours in (("超期自动上报", 30), ("超期自动派单", 50), ("已上报社区", 2)):
            conn.execute(text(
                "INSERT INTO ticket_event (ticket_id, action, from_state, to_state, note, created_at) "
                "VALUES (:tid, 'escalate', 'new', 'escalated', :note, :t)"),
                {"tid": 1 if note.startswith("超期") else 2, "note": note,
                 "t": T0.replace(hour=0) + timedelta(hours=hours)})
    _upgrade(empty_db, "heads")
    with empty_db.session() as s:
        late, prompt = s.get(Ticket, 1), s.get(Ticket, 2)
        assert late.missed_deadline_at == datetime(2026, 5, 2, 6, 0, tzinfo=timezone.utc)  # the first note
        assert prompt.missed_deadline_at is None  # a whistle by hand is not lateness
