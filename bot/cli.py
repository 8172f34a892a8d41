"""Flask CLI commands: migrate, seed the demo, export corrections for training, and the console's own."""
from __future__ import annotations

import json
import time

import click
from flask import Flask
from sqlalchemy import select

from bot.console import broadcast_cli, rollup
from bot.console.accounts import DEMO_REFUSED, seed_demo_accounts
from bot.runtime.db import migrate
from bot.runtime.services import services
from models import CategoryCorrection


def register(app: Flask) -> None:
    broadcast_cli.register(app)  # broadcast, broadcast-report, outbox-retry
    rollup.register(app)  # rollup-rebuild

    @app.cli.command("init-db")
    def init_db() -> None:
        """Bring the database schema to the newest migration."""
        migrate(services().db.engine)
        click.echo("database is up to date")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create the demo district (idempotent); refused in production (its accounts share demo1234)."""
        if services().settings.env == "production":
            raise click.ClickException(DEMO_REFUSED.format(command="seed-demo"))
        # The demo district is a local stand-in: imported only when someone asks for it, so a
        # production process never loads bot.local.
        from bot.local.demo import seed_demo

        with services().db.session() as session:
            created = seed_demo(session)
            seed_demo_accounts(session)
            session.commit()
        click.echo("demo district created" if created else "demo district already present")

    @app.cli.command("seed-history")
    @click.option("--days", default=365, show_default=True, help="days of history to play up to now")
    def seed_history_command(days: int) -> None:
        """Play a year of believable chat into the demo district (idempotent); refused in production."""
        if services().settings.env == "production":
            raise click.ClickException(DEMO_REFUSED.format(command="seed-history"))
        # Local stand-ins like seed-demo's: imported only when asked for, never by a production process.
        from bot.local.demo import seed_demo
        # The grids' made-up outlines: a stand-in too.
        from bot.local.demo_boundaries import seed_boundaries
        # The history replays chat into the demo district: a stand-in too.
        from bot.local.history import seed_history

        svc = services()
        with svc.db.session() as session:
            seed_demo(session)
            seed_boundaries(session)  # a district seeded before grids had outlines gets them now
            seed_demo_accounts(session)
            session.commit()
            started = time.perf_counter()
            result = seed_history(session, svc.settings, svc.clock.now(), days)
        if result is None:
            click.echo("demo district already has its history")
            return
        click.echo(f"history seeded in {time.perf_counter() - started:.1f} s: {result.first_day} → {result.last_day}, "
                   f"{result.tickets} tickets, {result.messages} chat lines, {result.notices} notices, "
                   f"{result.proposals} proposals, {result.rollup_rows} rollup rows")

    @app.cli.command("export-corrections")
    @click.argument("path", type=click.Path(dir_okay=False))
    def export_corrections(path: str) -> None:
        """Write grid leaders' category corrections as JSONL for `python -m classifier train --extra`."""
        with services().db.session() as session, open(path, "w", encoding="utf-8") as out:
            n = 0
            for c in session.execute(select(CategoryCorrection).order_by(CategoryCorrection.id)).scalars():
                out.write(json.dumps({"text": c.text, "intent": c.new_intent, "category": c.new_category},
                                     ensure_ascii=False) + "\n")
                n += 1
        click.echo(f"{n} corrections written to {path}")
