"""Migration 0019_mask_knowledge on a database holding entries written before entries were stored masked."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.local.isolation import PrivateDatabase
from bot.runtime.config import ROOT
from models import CommunityCounter, KnowledgeEntry
from tests.conftest import BACKENDS, PG_SERVER_URL

BEFORE, AFTER = "0014_conversation", "0019_mask_knowledge"
PHONE, ID_NUMBER = "13912345678", "110101199003071234"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """An empty database of this test's own: the session's is already at the newest revision."""
    if request.param == "embedded":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    private = PrivateDatabase(PG_SERVER_URL, suffix="migration")
    yield private.create()
    private.drop()


def migrate_to(engine, revision: str, *, down: bool = False) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def entries(engine) -> dict[str, tuple[str, str, str]]:
    with Session(engine) as s:
        return {e.source: (e.question, e.variants, e.answer) for e in s.execute(select(KnowledgeEntry)).scalars()}


def counter(engine) -> int | None:
    with Session(engine) as s:
        return s.execute(select(CommunityCounter.value).where(CommunityCounter.name == "knowledge")).scalar()


def test_old_unmasked_entries_are_masked_as_the_write_path_masks_them_and_a_rerun_changes_nothing(database_url):
    engine = create_engine(database_url)
    try:
        migrate_to(engine, BEFORE)
        with Session(engine) as s:
            s.add_all([
                # A resident's forwarded question, answered by the grid leader (source "leader").
                KnowledgeEntry(source="leader", question=f"居住证怎么办？我住5号楼2单元501，电话{PHONE}，拨过12345",
                               answer=f"带身份证去派出所，咨询电话0532-88886666或12345，不行找我{PHONE}",
                               created_at=NOW, updated_at=NOW),
                # Written by staff with 入库: question, variants and answer are all staff text.
                KnowledgeEntry(source="staff", question="社区服务站201室几点开门", variants=f"身份证{ID_NUMBER}丢了怎么办",
                               answer="工作日8点半开门，电话010-8888-6666", created_at=NOW, updated_at=NOW),
            ])
            s.commit()
        migrate_to(engine, AFTER)
        masked = entries(engine)
        question, _, answer = masked["leader"]
        # The resident's question with the residents' rules: phone and door gone, building and hotline kept.
        assert PHONE not in question and "单元501" not in question and "5号楼2单元" in question and "12345" in question
        # The leader's answer with the staff rules: the office landline and hotline stay, the mobile goes.
        assert "0532-88886666" in answer and "12345" in answer and PHONE not in answer and "派出所" in answer
        question, variants, answer = masked["staff"]
        assert question == "社区服务站201室几点开门" and answer == "工作日8点半开门，电话010-8888-6666"
        assert ID_NUMBER not in variants and "丢了怎么办" in variants
        assert counter(engine) == 1  # running processes rebuild their search index

        # Idempotent: masking masked text changes nothing, and nothing changed is not a new index.
        migrate_to(engine, BEFORE, down=True)
        migrate_to(engine, AFTER)
        assert entries(engine) == masked and counter(engine) == 1
    finally:
        engine.dispose()
