"""The org tree as the console reads it: every unit, one by its code, a subtree."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import OrgUnit


def all_units(db: Session) -> list[OrgUnit]:
    return db.execute(select(OrgUnit).order_by(OrgUnit.code)).scalars().all()


def unit_by_code(db: Session, code: str | None) -> OrgUnit | None:
    code = (code or "").strip()
    if not code:
        return None
    return db.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one_or_none()


def descendants(units: list[OrgUnit], root_ids: set[int]) -> set[int]:
    """root_ids and every unit below them (the org table is small: one pass per level)."""
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    out, frontier = set(root_ids), list(root_ids)
    while frontier:
        nxt = []
        for uid in frontier:
            for child in children.get(uid, []):
                if child not in out:
                    out.add(child)
                    nxt.append(child)
        frontier = nxt
    return out
