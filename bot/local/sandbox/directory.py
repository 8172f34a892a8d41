"""Who is in which sandbox chat, read from the bot's own org data (demo.py seeds it).

WeCom knows chat membership; our database only knows roles. The sandbox derives members
the way a district sets its chats up: a grid's residents' chat holds everyone with a role
in that grid; a community/street work chat holds that unit's staff plus the leaders one
level down (grid leaders, community staff); a department chat holds its responders.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import GroupChat, Identity, OrgUnit, Person, RoleAssignment
from models.vocabulary import role_name

log = logging.getLogger(__name__)

# Roles one level down that also sit in a unit's work chat.
CHILD_LEADERS = {"community": ("grid_leader",), "street": ("community_staff",), "district": ("street_staff",)}


@dataclass
class Member:
    user_id: str
    name: str
    roles: list[str] = field(default_factory=list)  # Chinese role names, e.g. "网格长（幸福里第一网格）"
    role_codes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"user_id": self.user_id, "name": self.name, "roles": self.roles, "role_codes": self.role_codes}


@dataclass
class Chat:
    chat_id: str  # GroupChat.external_id: WeCom's chatid
    name: str
    route_kind: str
    route_target: str
    grid: str | None  # the grid's name for a residents' chat
    unit: str | None  # the org unit or department the chat belongs to
    members: list[Member]
    # "all": the bot hears every line (the conversation archive); "mentions": only lines that @ it.
    listening: str = "all"

    def to_json(self) -> dict:
        return {"chat_id": self.chat_id, "name": self.name, "grid": self.grid, "unit": self.unit,
                "listening": self.listening, "members": [m.to_json() for m in self.members]}


def _role_label(role: RoleAssignment) -> str:
    name = role_name(role.role)
    where = role.org_unit.name if role.org_unit is not None else role.department.name if role.department else ""
    return f"{name}（{where}）" if where else name


def people(session: Session) -> dict[int, Member]:
    """Every person with a WeCom identity, keyed by person id, with role names."""
    rows = session.execute(
        select(Person, Identity.external_id).join(Identity, Identity.person_id == Person.id)
        .where(Identity.channel == "wecom").order_by(Person.id)
        .options(selectinload(Person.roles).selectinload(RoleAssignment.org_unit),
                 selectinload(Person.roles).selectinload(RoleAssignment.department))
    ).all()
    found: dict[int, Member] = {}
    for person, user_id in rows:
        if person.id in found:
            continue
        found[person.id] = Member(user_id=user_id, name=person.name,
                                  roles=[_role_label(r) for r in person.roles],
                                  role_codes=[r.role for r in person.roles])
    return found


def chats(session: Session) -> list[Chat]:
    """Every WeCom group chat with its members, residents' chats first."""
    members = people(session)
    roles = session.execute(select(RoleAssignment)).scalars().all()
    units = {u.id: u for u in session.execute(select(OrgUnit)).scalars()}
    result = []
    for chat in session.execute(select(GroupChat).where(GroupChat.channel == "wecom").order_by(GroupChat.id)).scalars():
        person_ids: list[int] = []
        unit = units.get(chat.org_unit_id) if chat.org_unit_id else None
        for role in roles:
            if chat.department_id is not None and role.department_id == chat.department_id or unit is not None and role.org_unit_id == unit.id:
                person_ids.append(role.person_id)
            elif unit is not None and role.role in CHILD_LEADERS.get(unit.kind, ()):
                child = units.get(role.org_unit_id) if role.org_unit_id else None
                if child is not None and child.parent_id == unit.id:
                    person_ids.append(role.person_id)
        seen: set[int] = set()
        chat_members = []
        for pid in person_ids:
            if pid in members and pid not in seen:
                seen.add(pid)
                chat_members.append(members[pid])
        result.append(Chat(
            chat_id=chat.external_id, name=chat.name, route_kind=chat.route_kind, route_target=chat.route_target,
            grid=unit.name if unit is not None and unit.kind == "grid" else None,
            unit=unit.name if unit is not None else chat.department.name if chat.department else None,
            members=chat_members, listening=chat.listening or "all",
        ))
    result.sort(key=lambda c: c.grid is None)  # stable: residents' chats first, then staff chats
    return result
