"""Shared helpers for the community scenario tests (knowledge base, 议事, 积分)."""
from __future__ import annotations

import re

from sqlalchemy import select

from models import Identity, OutboxItem, Person


def outbox_texts(svc, target: str) -> list[str]:
    with svc.db.session() as s:
        return list(s.execute(select(OutboxItem.text).where(OutboxItem.route_target == target)
                              .order_by(OutboxItem.id)).scalars())


def person_id(svc, user: str) -> int:
    with svc.db.session() as s:
        return s.execute(select(Identity.person_id).where(Identity.external_id == user)).scalar_one()


def person(svc, user: str) -> Person:
    with svc.db.session() as s:
        p = s.get(Person, person_id(svc, user))
        s.expunge(p)
        return p


def ref(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found, text
    return int(found.group(1))
