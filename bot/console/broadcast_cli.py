"""Flask CLI for broadcasts and the outbox: send a notice, read its delivery report, retry dead items.

    flask --app 'bot.app:create_app()' broadcast --target community:C1 --title 停水通知 --body … [--at ISO]
    flask --app 'bot.app:create_app()' broadcast-report 12 [--json]
    flask --app 'bot.app:create_app()' outbox-retry 345 | --all-dead

The commands call the same functions as the chat (handlers.broadcast), queue outbox rows and
enqueue delivery jobs; with the in-process job runner (no worker thread in a CLI process) the
jobs run inline, so the command returns after the first delivery attempt of every group.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import click
from flask import Flask
from sqlalchemy import select, update

from bot.delivery.outbox import add_outgoing, deliver_soon
from bot.runtime.services import services
from handlers.broadcast import (
    BroadcastError, confirm_broadcast, create_broadcast, delivery_report, local_text, report_text,
)
from handlers.deadlines import CHINA
from models import Broadcast, Identity, OrgUnit, OutboxItem


def _parse_at(value: str | None) -> datetime | None:
    """ISO time; without an offset it is China time (what an operator in the district means)."""
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO time: {value!r}", param_hint="--at") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)
    return at.astimezone(timezone.utc)


def _author(session, user_id: str | None):
    if not user_id:
        return None
    identity = session.execute(select(Identity).where(Identity.external_id == user_id)).scalars().first()
    if identity is None:
        raise click.BadParameter(f"no person with user id {user_id!r}", param_hint="--author")
    return identity.person


def queue_pushes(svc, session, pushes, now) -> list[int]:
    """Outbox rows for pushes, committed, then one delivery job each (the sweep is the safety net)."""
    rows = add_outgoing(session, pushes, now)
    session.commit()
    ids = [r.id for r in rows]
    deliver_soon(svc, ids)
    return ids


def register(app: Flask) -> None:
    @app.cli.command("broadcast")
    @click.option("--target", required=True,
                  help="grid:G1 | community:C1 | street:S1 | district:D | tag:老旧小区[@UNITCODE]")
    @click.option("--title", default="", help="defaults to the body's first clause")
    @click.option("--body", required=True)
    @click.option("--at", "at", default=None, help="ISO time to send at (China time if no offset)")
    @click.option("--author", default=None, help="WeCom user id of the sender (scope is checked)")
    @click.option("--dry-run", is_flag=True, help="show how many groups it would reach, send nothing")
    def broadcast_command(target: str, title: str, body: str, at: str | None, author: str | None,
                          dry_run: bool) -> None:
        """Send (or schedule) a notice to the grid group chats of a target."""
        kind, _, value = target.partition(":")
        scope_unit_id = None
        if kind == "tag" and "@" in value:
            value, _, code = value.partition("@")
        else:
            code = ""
        svc = services()
        now = svc.clock.now()
        with svc.db.session() as session:
            if code:
                unit = session.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one_or_none()
                if unit is None:
                    raise click.BadParameter(f"no unit {code!r}", param_hint="--target")
                scope_unit_id = unit.id
            try:
                b = create_broadcast(session, _author(session, author), title, body, kind, value,
                                     _parse_at(at), now, scope_unit_id=scope_unit_id)
            except BroadcastError as err:
                raise click.ClickException(str(err)) from None
            if dry_run:
                click.echo(f"would reach {b.group_count} group chats ({b.target_label}); nothing saved")
                session.rollback()
                return
            pushes = confirm_broadcast(session, b, now)
            ids = queue_pushes(svc, session, pushes, now)
            if b.status == "scheduled":
                click.echo(f"broadcast #B{b.id} scheduled for {local_text(b.scheduled_at)} "
                           f"to {b.group_count} group chats")
            else:
                click.echo(f"broadcast #B{b.id} queued to {len(ids)} group chats (notice {b.notice_id})")

    @app.cli.command("broadcast-report")
    @click.argument("broadcast_id", type=int)
    @click.option("--json", "as_json", is_flag=True)
    def broadcast_report_command(broadcast_id: int, as_json: bool) -> None:
        """Per-group delivery of a broadcast: sent / failed / retrying."""
        svc = services()
        with svc.db.session() as session:
            b = session.get(Broadcast, broadcast_id)
            if b is None:
                raise click.ClickException(f"no broadcast {broadcast_id}")
            report = delivery_report(session, b)
            session.commit()
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False) if as_json else report_text(b, report, 1000))

    @app.cli.command("outbox-retry")
    @click.argument("outbox_id", type=int, required=False)
    @click.option("--all-dead", is_flag=True, help="retry every dead item")
    def outbox_retry_command(outbox_id: int | None, all_dead: bool) -> None:
        """Give dead outbox items a fresh set of attempts (after fixing the cause)."""
        if (outbox_id is None) == (not all_dead):
            raise click.UsageError("give an outbox id or --all-dead (not both)")
        svc = services()
        now = svc.clock.now()
        with svc.db.session() as session:
            q = select(OutboxItem.id).where(OutboxItem.state == "dead")
            if outbox_id is not None:
                q = q.where(OutboxItem.id == outbox_id)
            ids = list(session.execute(q.order_by(OutboxItem.id)).scalars())
            if outbox_id is not None and not ids:
                raise click.ClickException(f"outbox item {outbox_id} is not dead (or does not exist)")
            if ids:
                session.execute(update(OutboxItem).where(OutboxItem.id.in_(ids), OutboxItem.state == "dead")
                                .values(state="pending", attempts=0, next_attempt_at=now, last_error=None))
            session.commit()
        deliver_soon(svc, ids)
        with svc.db.session() as session:
            states = dict(session.execute(select(OutboxItem.id, OutboxItem.state)
                                          .where(OutboxItem.id.in_(ids or [-1]))).all())
        sent = sum(1 for s in states.values() if s == "sent")
        click.echo(f"{len(ids)} dead item(s) requeued; {sent} sent now")
