"""Prometheus metrics at /metrics, correct across many web and worker processes.

Counters live in one Redis hash (every process increments it); gauges are read from the
database at scrape time. So a scrape of any one process shows the whole deployment.
"""
from __future__ import annotations

import logging
import redis
from flask import Blueprint, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from sqlalchemy import func, select

from bot.intake.counters import BUCKETS, KEY
from bot.runtime.services import services
from models import InboxMessage, OutboxItem, Ticket
from models.state_machine import OPEN_STATES, STATES

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)


class GridWhistleCollector:
    def __init__(self, svc):
        self.svc = svc

    def collect(self):
        try:
            raw = {k.decode(): float(v) for k, v in self.svc.redis.hgetall(KEY).items()}
        except redis.RedisError:
            raw = {}
        msgs = CounterMetricFamily("gridwhistle_messages_in", "Messages accepted, by intent", labels=["intent"])
        for key, value in raw.items():
            if key.startswith("messages_in:"):
                msgs.add_metric([key.split(":", 1)[1]], value)
        yield msgs
        count = raw.get("classify_count", 0.0)
        buckets, running = [], 0.0
        for le in BUCKETS:
            running += raw.get(f"classify_in:{le}", 0.0)
            buckets.append((str(le), running))
        buckets.append(("+Inf", count))
        yield HistogramMetricFamily("gridwhistle_classification_seconds", "Classifier latency per message",
                                    buckets=buckets, sum_value=raw.get("classify_sum", 0.0))
        with self.svc.db.session() as s:
            now = self.svc.clock.now()
            by_state = dict(s.execute(select(Ticket.state, func.count()).group_by(Ticket.state)).all())
            overdue = s.execute(select(func.count()).select_from(Ticket).where(
                Ticket.state.in_(OPEN_STATES),
                Ticket.deadline_at < now)).scalar()
            outbox = dict(s.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state)).all())
            failed_inbox = s.execute(select(func.count()).select_from(InboxMessage)
                                     .where(InboxMessage.status == "failed")).scalar()
        opened = CounterMetricFamily("gridwhistle_tickets_opened", "Tickets opened")
        opened.add_metric([], float(sum(by_state.values())))
        yield opened
        tickets = GaugeMetricFamily("gridwhistle_tickets", "Tickets by state", labels=["state"])
        for state in STATES:
            tickets.add_metric([state], float(by_state.get(state, 0)))
        yield tickets
        yield GaugeMetricFamily("gridwhistle_tickets_overdue", "Open tickets past their deadline", value=overdue)
        backlog = GaugeMetricFamily("gridwhistle_outbox", "Outbox items by state", labels=["state"])
        for state in ("pending", "sending", "sent", "dead"):
            backlog.add_metric([state], float(outbox.get(state, 0)))
        yield backlog
        yield GaugeMetricFamily("gridwhistle_inbox_failed", "Inbox messages waiting for a retry", value=failed_inbox)


@bp.get("/metrics")
def metrics() -> Response:
    registry = CollectorRegistry()
    registry.register(GridWhistleCollector(services()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
