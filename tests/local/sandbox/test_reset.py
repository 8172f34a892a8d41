"""`make reset-demo`: history, clock, tickets and the bot's Redis keys gone; the demo district seeded again."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.intake.photo_store import LocalPhotoStore, PhotoMissing, S3PhotoStore, photo_key
from bot.local.sandbox.__main__ import prepare_database
from bot.local.sandbox.reset import forget_photos, main, reset_demo
from bot.local.sandbox.store import SandboxMessage, TranscriptStore
from bot.runtime.db import Database
from bot.runtime.redis_conn import connect
from models import OrgUnit, Person, SandboxLine, SandboxSetting, Ticket


def count(db: Database, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_reset_demo_starts_over(settings, tmp_path, monkeypatch):
    # Its own database file: the run's shared test database is left alone.
    settings = settings.with_overrides(database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    prepare_database(settings)
    db = Database(settings.effective_database_url)
    store = TranscriptStore(db)
    store.add_to_chat("chat-g1", SandboxMessage(id=store.next_id(), sender="zhangdaye", sender_name="张大爷",
                                                text="3号楼下水道堵了", time="2026-01-01T00:00:00+00:00",
                                                from_bot=False))
    store.set_setting("clock_offset_seconds", "86400.0")
    with db.session() as session:
        reporter = session.scalar(select(Person).limit(1))
        session.add(Ticket(state="new", category="drainage", description="下水道堵了", place_text="",
                           reporter_id=reporter.id, level="grid"))
        session.commit()
    units = count(db, OrgUnit)
    photos = LocalPhotoStore(settings.photo_directory)
    old_photo = photo_key(1, "ab" * 32, "jpg")
    photos.put(old_photo, b"\xff\xd8 the old demo's photo", "image/jpeg")
    photos.put(photo_key(1, "ab" * 32, "jpg", "thumb"), b"\xff\xd8 its thumbnail", "image/jpeg")
    beside = settings.photo_directory / "notes.txt"  # not the store's: PHOTO_DIR may hold other files
    beside.write_text("kept")
    if settings.redis_url:
        connect(settings.redis_url).set("gridwhistle:clock:offset_seconds", "86400")
    db.dispose()

    tables, _, photo_files = reset_demo(settings)

    db = Database(settings.effective_database_url)
    try:
        assert tables > 10
        assert count(db, SandboxLine) == 0 and count(db, SandboxSetting) == 0 and count(db, Ticket) == 0
        assert count(db, OrgUnit) == units  # the demo district is back
    finally:
        db.dispose()
    assert photo_files == 2
    with pytest.raises(PhotoMissing):
        photos.get(old_photo)
    assert beside.read_text() == "kept"
    if settings.redis_url:
        assert connect(settings.redis_url).get("gridwhistle:clock:offset_seconds") is None


def test_reset_demo_refuses_production(monkeypatch, capsys):
    monkeypatch.setenv("GRIDWHISTLE_ENV", "production")
    with pytest.raises(SystemExit, match="never runs with GRIDWHISTLE_ENV=production"):
        main([])


def test_reset_demo_never_touches_an_s3_photo_store(settings, moto_endpoint):
    settings = settings.with_overrides(photo_store="s3", photo_s3_endpoint_url=moto_endpoint,
                                       photo_s3_bucket="reset-demo-keeps", photo_s3_access_key="test",
                                       photo_s3_secret_key="test")
    bucket = S3PhotoStore(moto_endpoint, "reset-demo-keeps", "test", "test", "us-east-1")
    key = photo_key(7, "cd" * 32, "jpg")
    bucket.put(key, b"\xff\xd8 a photo in the bucket", "image/jpeg")
    local_folder = settings.photo_directory / "photos"  # a local folder of the same name is not the store either
    local_folder.mkdir(parents=True)
    (local_folder / "left.jpg").write_bytes(b"\xff\xd8")

    assert forget_photos(settings) == 0

    assert bucket.get(key) == b"\xff\xd8 a photo in the bucket"
    assert (local_folder / "left.jpg").exists()
