"""Settings of the community features (knowledge base, 议事, 积分), parsed for use.

The values come from bot.runtime.config.Settings (KNOWLEDGE_THRESHOLD, PROPOSAL_*, POINTS_RULES);
this module turns them into rules: the points per act and daily caps, the supporters a proposal needs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from handlers.settings import HandlerSettings


@dataclass(frozen=True)
class PointsRule:
    points: int  # awarded per act (for "volunteer" the staff say how many; this is the default)
    daily_cap: int  # at most this many points per person per China calendar day from this act


DEFAULT_POINTS_RULES = "report=5/20,rating=2/10,proposal=20/40,volunteer=10/50"


@dataclass(frozen=True)
class CommunityConfig:
    knowledge_threshold: float = 0.35
    proposal_days: int = 14
    # "10%" = share of the grid's households (OrgUnit.households); "30" = a fixed number.
    proposal_threshold: str = "10%"
    proposal_min_supporters: int = 3
    points_rules: str = DEFAULT_POINTS_RULES

    def rules(self) -> dict[str, PointsRule]:
        """Parse "act=points/cap,…"; a malformed item raises ValueError naming it."""
        out: dict[str, PointsRule] = {}
        for item in filter(None, (x.strip() for x in self.points_rules.split(","))):
            try:
                act, value = item.split("=", 1)
                points, cap = value.split("/", 1)
                out[act.strip()] = PointsRule(int(points), int(cap))
            except ValueError:
                raise ValueError(f"POINTS_RULES item {item!r} must look like report=5/20") from None
        return out

    def supporters_needed(self, households: int) -> int:
        raw = self.proposal_threshold.strip()
        if raw.endswith("%"):
            needed = math.ceil(float(raw[:-1]) / 100.0 * max(households, 0))
        else:
            needed = int(raw)
        return max(needed, self.proposal_min_supporters, 1)


def community_config(settings: HandlerSettings) -> CommunityConfig:
    return CommunityConfig(
        knowledge_threshold=settings.knowledge_threshold, proposal_days=settings.proposal_days,
        proposal_threshold=settings.proposal_threshold, proposal_min_supporters=settings.proposal_min_supporters,
        points_rules=settings.points_rules,
    )
