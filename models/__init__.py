"""The memory: SQLAlchemy tables and the ticket state machine."""
from models.base import Base, UTCDateTime, utcnow
from models.inbox import InboxMessage
from models.org import LEVELS, Department, GroupChat, OrgUnit
from models.outbox import OutboxItem
from models.people import ROLES, Identity, Person, RoleAssignment
from models.tickets import CategoryCorrection, Ticket, TicketEvent, TicketFollower

__all__ = [
    "Base", "UTCDateTime", "utcnow", "InboxMessage", "LEVELS", "Department", "GroupChat",
    "OrgUnit", "OutboxItem", "ROLES", "Identity", "Person", "RoleAssignment",
    "CategoryCorrection", "Ticket", "TicketEvent", "TicketFollower",
]
