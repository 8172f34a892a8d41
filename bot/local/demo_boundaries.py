"""Plausible outlines of the demo district's grids (a few blocks in a city centre), for the map.

Neighbouring grids share their edges, as a district's real grid plan does. Coordinates are
WGS-84 longitude/latitude; nothing here is a real boundary.
"""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import OrgUnit

_OUTLINES = {
    "G1": [(117.1900, 39.1260), (117.1932, 39.1264), (117.1965, 39.1262), (117.1968, 39.1190), (117.1902, 39.1188)],
    "G2": [(117.1965, 39.1262), (117.2031, 39.1258), (117.2027, 39.1192), (117.1968, 39.1190)],
    "G3": [(117.1902, 39.1188), (117.1968, 39.1190), (117.2027, 39.1192), (117.2028, 39.1175), (117.2030, 39.1102),
           (117.1960, 39.1098), (117.1905, 39.1100)],
    "G4": [(117.2031, 39.1258), (117.2085, 39.1266), (117.2140, 39.1255), (117.2138, 39.1175), (117.2028, 39.1175),
           (117.2027, 39.1192)],
    "G5": [(117.2028, 39.1175), (117.2138, 39.1175), (117.2142, 39.1098), (117.2030, 39.1102)],
}


def geometry(code: str) -> str:
    ring = [list(p) for p in _OUTLINES[code]]
    return json.dumps({"type": "Polygon", "coordinates": [ring + [ring[0]]]}, separators=(",", ":"))


def seed_boundaries(session: Session) -> int:
    """Give each demo grid without a boundary its outline (idempotent); returns how many were set."""
    n = 0
    for unit in session.execute(select(OrgUnit).where(OrgUnit.code.in_(list(_OUTLINES)))).scalars():
        if unit.kind == "grid" and not unit.boundary:
            unit.boundary = geometry(unit.code)
            n += 1
    session.flush()
    return n
