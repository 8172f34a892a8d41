"""The memory: SQLAlchemy tables and the ticket state machine."""
from models.accounts import StaffAccount
from models.base import Base, UTCDateTime, utcnow
from models.inbox import InboxMessage
from models.org import LEVELS, Department, GroupChat, OrgUnit
from models.outbox import OutboxItem
from models.people import ROLES, Identity, Person, RoleAssignment
from models.tickets import CategoryCorrection, Ticket, TicketEvent, TicketFollower
from models.community import (  # noqa: E402  (after the tables it points at)
    CommunityCounter, KnowledgeEntry, Notice, PendingQuestion, PointsAccount, PointsEntry, Proposal,
    ProposalNote, ProposalVote, Redemption, ShopItem,
)
from models.broadcast import Broadcast  # noqa: E402
from models.rollup import TicketRollup, TicketRollupDay  # noqa: E402
from models.categories import CategoryOverride  # noqa: E402
from models.media import Photo  # noqa: E402
from models.sandbox import SandboxLine, SandboxSetting  # noqa: E402
from models.audit import AuditEntry  # noqa: E402

__all__ = [
    "Base", "UTCDateTime", "utcnow", "InboxMessage", "LEVELS", "Department", "GroupChat",
    "OrgUnit", "OutboxItem", "ROLES", "Identity", "Person", "RoleAssignment",
    "CategoryCorrection", "Ticket", "TicketEvent", "TicketFollower", "StaffAccount",
    "CommunityCounter", "KnowledgeEntry", "Notice", "PendingQuestion", "PointsAccount", "PointsEntry",
    "Proposal", "ProposalNote", "ProposalVote", "Redemption", "ShopItem", "Broadcast",
    "TicketRollup", "TicketRollupDay", "CategoryOverride", "Photo", "SandboxLine", "SandboxSetting",
    "AuditEntry",
]
