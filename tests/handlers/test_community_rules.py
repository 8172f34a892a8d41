"""Small rules behind the scenarios: config parsing, thresholds, parsing, and the ledger's guards."""
from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from handlers.community_config import CommunityConfig, PointsRule
from handlers.deliberation import PROPOSE, STATUS, proposal_ref
from handlers.points_ledger import award, china_day_start
from models import PointsAccount
from tests.stories.helpers import person


def test_points_rules_parse_and_reject_garbage():
    assert CommunityConfig(points_rules="report=5/20, rating=2/6").rules() == {
        "report": PointsRule(5, 20), "rating": PointsRule(2, 6)}
    with pytest.raises(ValueError, match="report=5/20"):
        CommunityConfig(points_rules="report=5").rules()


@pytest.mark.parametrize("raw,households,needed", [("10%", 320, 32), ("10%", 0, 3), ("30", 320, 30), ("1", 5, 3)])
def test_supporters_needed(raw, households, needed):
    assert CommunityConfig(proposal_threshold=raw).supporters_needed(households) == needed


def test_proposal_parsing():
    assert PROPOSE.match("议事：建议在3号楼加装电梯").group(1) == "建议在3号楼加装电梯"
    assert PROPOSE.match("议事: 建议增设快递柜").group(1) == "建议增设快递柜"
    assert PROPOSE.match("议事 建议增设快递柜").group(1) == "建议增设快递柜"
    assert PROPOSE.match("议事规则是什么") is None
    assert STATUS.match("议事 #Y12").group(1) == "12"
    assert proposal_ref("支持 #Y12") == 12 and proposal_ref("支持 #y 7") == 7 and proposal_ref("支持 #12") is None


def test_china_day_starts_at_local_midnight():
    from datetime import datetime, timezone

    start = china_day_start(datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc))  # 01:00 on the 23rd in China
    assert start.astimezone(timezone.utc) == datetime(2026, 11, 22, 16, 0, tzinfo=timezone.utc)


def test_the_database_refuses_a_negative_balance(demo, svc):
    with svc.db.session() as s:
        award(s, svc.settings, s.merge(person(svc, "zhangdaye")), "volunteer", now=svc.clock.now(), points=5)
        s.commit()
        with pytest.raises(IntegrityError):
            s.execute(update(PointsAccount).values(balance=PointsAccount.balance - 6))
            s.flush()
        s.rollback()


def test_award_is_idempotent_by_ref(demo, svc):
    with svc.db.session() as s:
        p = s.merge(person(svc, "zhangdaye"))
        assert award(s, svc.settings, p, "report", now=svc.clock.now(), ref="report:t1").granted == 5
        assert award(s, svc.settings, p, "report", now=svc.clock.now(), ref="report:t1").granted == 0
        assert award(s, svc.settings, p, "unknown-act", now=svc.clock.now()).granted == 0
