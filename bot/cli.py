"""Flask CLI commands: migrate, seed the demo, export corrections for training."""
from __future__ import annotations

import json

import click
from flask import Flask
from sqlalchemy import select

from bot.db import migrate
from bot.services import services


def register(app: Flask) -> None:
    from bot import broadcast_cli

    broadcast_cli.register(app)  # broadcast, broadcast-report, outbox-retry
    from bot.console import rollup

    rollup.register(app)  # rollup-rebuild

    @app.cli.command("init-db")
    def init_db() -> None:
        """Bring the database schema to the newest migration."""
        migrate(services().db.engine)
        click.echo("database is up to date")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create the demo district (idempotent)."""
        from bot.console.accounts import seed_demo_accounts
        from bot.demo import seed_demo

        with services().db.session() as session:
            created = seed_demo(session)
            seed_demo_accounts(session)
            session.commit()
        click.echo("demo district created" if created else "demo district already present")

    @app.cli.command("export-corrections")
    @click.argument("path", type=click.Path(dir_okay=False))
    def export_corrections(path: str) -> None:
        """Write grid leaders' category corrections as JSONL for `python -m classifier train --extra`."""
        from models import CategoryCorrection

        with services().db.session() as session, open(path, "w", encoding="utf-8") as out:
            n = 0
            for c in session.execute(select(CategoryCorrection).order_by(CategoryCorrection.id)).scalars():
                out.write(json.dumps({"text": c.text, "intent": c.new_intent, "category": c.new_category},
                                     ensure_ascii=False) + "\n")
                n += 1
        click.echo(f"{n} corrections written to {path}")
