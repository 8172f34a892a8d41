"""`make reset-demo` (`python -m bot.local.sandbox.reset`): the demo district as on the first `make run`.

The sandbox keeps its chat history and its moved clock in the database next to the tickets, so a
restart keeps the demo as it was. To start over, this drops every table of the configured database
(the schema is rebuilt by the migrations), deletes the bot's own keys from Redis (clock offset,
sessions, caches: everything under "gridwhistle:"), deletes the photos the local photo store kept
(PHOTO_STORE=local: the files under PHOTO_DIR/photos/, nothing else there; an S3 bucket is never
touched), then migrates and seeds the demo again.
It refuses to run with GRIDWHISTLE_ENV=production. Stop `make run` first: a running sandbox holds
the database open and would keep writing to the old one.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil

from sqlalchemy import MetaData
from sqlalchemy.engine import make_url

from bot.intake.photo_store import PHOTO_FOLDER
from bot.local.sandbox.__main__ import prepare_database
from bot.runtime.config import Settings
from bot.runtime.db import Database
from bot.runtime.redis_conn import connect

log = logging.getLogger(__name__)
REDIS_PATTERN = "gridwhistle:*"
REFUSED = "reset-demo never runs with GRIDWHISTLE_ENV=production"


def drop_everything(db: Database) -> int:
    """Drop every table the database has (those of models, of migrations, alembic_version); how many."""
    found = MetaData()
    found.reflect(db.engine)
    found.drop_all(db.engine)
    return len(found.tables)


def forget_redis(url: str) -> int:
    """Delete the bot's keys from its Redis (nothing to do for the embedded one: it dies with the process)."""
    if not url:
        return 0
    client = connect(url)
    keys = list(client.scan_iter(match=REDIS_PATTERN, count=500))
    if keys:
        client.delete(*keys)
    return len(keys)


def forget_photos(settings: Settings) -> int:
    """Delete the local photo store's files (the old demo's tickets are gone, so are their photos); how many.

    Only the folder every photo key starts with, under the configured PHOTO_DIR: a PHOTO_DIR shared
    with other files keeps them. PHOTO_STORE=s3 is left alone (a bucket may hold more than a demo).
    """
    if settings.photo_store != "local":
        return 0
    folder = settings.photo_directory / PHOTO_FOLDER
    if not folder.is_dir():
        return 0
    files = sum(1 for path in folder.rglob("*") if path.is_file())
    shutil.rmtree(folder)
    return files


def reset_demo(settings: Settings) -> tuple[int, int, int]:
    """Drop, forget, migrate and seed; (tables dropped, Redis keys deleted, photo files deleted)."""
    if settings.env == "production":
        raise SystemExit(REFUSED)
    db = Database(settings.effective_database_url)
    try:
        tables = drop_everything(db)
    finally:
        db.dispose()
    keys = forget_redis(settings.redis_url)
    photos = forget_photos(settings)
    prepare_database(settings)
    return tables, keys, photos


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if os.environ.get("GRIDWHISTLE_ENV") == "production":  # before the settings refuse the demo secrets
        raise SystemExit(REFUSED)
    settings = Settings.from_env()
    where = make_url(settings.effective_database_url).render_as_string(hide_password=True)
    tables, keys, photos = reset_demo(settings)
    print(f"\n  演示数据已重置：{where}（删除 {tables} 张表、{keys} 个 Redis 键、{photos} 个照片文件，"
          "已重新迁移并写入示范区）"
          f"\n  再运行 make run 即可从头体验。\n", flush=True)


if __name__ == "__main__":
    main()
