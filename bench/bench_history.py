"""How long `flask seed-history --days 365` takes: a year of the demo district through the bot.

    python -m bench.bench_history [--days 365] [--database-url URL] [--json out.json]

Default database: a fresh SQLite file (what `make run` uses); pass a PostgreSQL URL to time that
(its database is dropped and created). Reports wall and CPU seconds (this process; the machine
is shared, so CPU time is the steadier figure), chat lines per second, and, as the baseline in
the same run, the floor of the same number of lines: storing each as an inbox row and
committing it, with no handler at all.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def fresh_database(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-history-')) / 'history.db'}"
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        # A SQLite file is started afresh by removing it (there is no server to DROP DATABASE on).
        if u.database and u.database != ":memory:":
            Path(u.database).unlink(missing_ok=True)
        return url
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}"'))
        conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()
    return url


def floor(db, n: int) -> float:
    """Seconds to store n inbox rows, one commit each: what any n messages cost at the least."""
    from bot.intake.inbox import FINISH_ROW, INSERT_ROW

    now = datetime.now(UTC)
    started = time.perf_counter()
    with db.session() as session:
        for i in range(n):
            conn = session.connection()
            row = conn.execute(INSERT_ROW, {"channel": "wecom", "msg_id": f"floor-{i}", "msg_type": "text",
                                            "chat_id": "chat-g1", "sender_id": "zhangdaye", "text": "下水道堵了",
                                            "raw": "", "sent_at": now, "received_at": now, "status": "received",
                                            "attempts": 1}).inserted_primary_key[0]
            conn.execute(FINISH_ROW, {"inbox_id": row, "status": "processed", "reply_text": "", "intent": "chitchat",
                                      "processed_at": now, "last_error": None})
            session.commit()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    from bot.local.demo import seed_demo
    from bot.local.history import seed_history
    from bot.runtime.config import Settings
    from bot.runtime.db import Database, migrate

    url = fresh_database(args.database_url)
    db = Database(url)
    migrate(db.engine)
    settings = Settings(env="development", database_url=url)
    with db.session() as session:
        seed_demo(session)
        session.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        result = seed_history(session, settings, datetime.now(UTC), args.days)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    base = floor(db, result.messages)
    db.dispose()
    out = {"database": make_url(url).get_backend_name(), "days": args.days, "tickets": result.tickets,
           "chat_lines": result.messages, "notices": result.notices, "proposals": result.proposals,
           "rollup_rows": result.rollup_rows, "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
           "lines_per_second": round(result.messages / wall, 1), "floor_seconds": round(base, 1),
           "ratio_to_floor": round(wall / base, 1) if base else None}
    print(json.dumps(out, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
