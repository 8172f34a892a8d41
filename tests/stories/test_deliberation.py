"""议事 through the real webhook: propose, vote once, refuse other grids, adopt, expire."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from handlers.deliberation import sweep_proposals
from models import PointsEntry, Proposal, ProposalVote, Ticket
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, person_id, ref


@pytest.fixture
def chat(client, demo, monkeypatch):
    monkeypatch.setattr(demo, "settings", demo.settings.with_overrides(
        proposal_threshold="3", proposal_min_supporters=1, proposal_days=7))
    return ChatDriver(client)


def test_a_proposal_from_words_to_ticket_and_one_that_expires(chat, svc, monkeypatch):
    """议事 in one district: words that are not votes, a proposal adopted as a ticket, one that
    expires from the sweep, and a threshold taken from the grid's households."""
    # "支持" with no proposal is everyday talk; "+1" on a ticket is still the ticket loop's.
    assert "议题" not in chat.say("chat-g1", "zhangdaye", "支持一下社区工作")
    report = chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水冒出来了")
    assert "已登记工单" in report
    assert chat.say("chat-g1", "liuayi", "+1", quote=report).startswith("这个问题已有工单")

    opened = chat.say("chat-g1", "zhangdaye", "议事：建议在3号楼加装电梯，方便老人上下楼")
    pid = ref(r"#Y(\d+)", opened)
    assert "已登记议题" in opened and "3 位居民支持" in opened

    first = chat.say("chat-g1", "zhangdaye", f"支持 #Y{pid}")
    assert "支持 1 / 需要 3" in first
    # Voting twice: still one voice.
    again = chat.say("chat-g1", "zhangdaye", f"支持 #Y{pid}")
    assert "每人只计一票" in again and "支持 1 / 需要 3" in again
    # Changing one's mind is allowed while open; the last stance counts.
    changed = chat.say("chat-g1", "liuayi", "反对", quote=opened)
    assert "反对 1" in changed
    changed = chat.say("chat-g1", "liuayi", f"支持 #Y{pid}")
    assert "改为：支持" in changed and "支持 2 / 需要 3" in changed and "反对 0" in changed

    # A resident of another grid is refused politely, in her own grid's chat or here.
    refused = chat.say("chat-g1", "sunli", f"支持 #Y{pid}")
    assert "不能投票" in refused and "幸福里第一网格" in refused

    # A party-member note; a plain resident may not add one.
    assert "只有党员" in chat.say("chat-g1", "chenxin", f"备注 #Y{pid} 我觉得很好")
    assert "已为议题" in chat.say("chat-g1", "wangfang", f"备注 #Y{pid} 已联系住建委了解加装政策")

    adopted = chat.say("chat-g1", "chenxin", "支持", quote=opened)
    assert "已立项" in adopted and "工单 #" in adopted
    ticket_id = ref(r"工单 #(\d+)", adopted)
    with svc.db.session() as s:
        proposal = s.get(Proposal, pid)
        ticket = s.get(Ticket, ticket_id)
        assert (proposal.state, proposal.ticket_id, proposal.support_count) == ("adopted", ticket_id, 3)
        assert ticket.category == "elevator" and ticket.reporter_id == person_id(svc, "zhangdaye")
        assert s.execute(select(func.count()).select_from(ProposalVote)).scalar() == 3
        # The proposer earns points for a supported proposal.
        assert s.execute(select(PointsEntry.delta).where(PointsEntry.act == "proposal")).scalars().all() == [20]
    # Every supporter is told directly.
    for user in ("zhangdaye", "liuayi", "chenxin"):
        assert any(f"#Y{pid}" in t and "已立项" in t for t in outbox_texts(svc, user)), user
    # Status and a late vote.
    assert "已立项" in chat.say("chat-g1", "zhangdaye", f"议事 #Y{pid}")
    assert f"议题 #Y{pid} 已立项，不能再表态" in chat.say("chat-g1", "zhangdaye", f"反对 #Y{pid}")

    # A proposal in another grid that finds no support expires from the sweep.
    opened = chat.say("chat-g2", "sunli", "议事: 建议小区门口增设快递柜")
    pid = ref(r"#Y(\d+)", opened)
    chat.say("chat-g2", "zhoujie", f"反对 #Y{pid}")
    with svc.db.session() as s:
        assert sweep_proposals(s, svc.settings, svc.clock.now()) == []  # not due yet
        later = svc.clock.now() + timedelta(days=8)
        pushes = sweep_proposals(s, svc.settings, later)
        s.commit()
        assert s.get(Proposal, pid).state == "expired"
    assert {p.route_target for p in pushes} == {"chat-g2", "sunli"}
    assert all("未立项" in p.text and "反对 1" in p.text for p in pushes)
    with svc.db.session() as s:  # a second sweep does nothing
        assert sweep_proposals(s, svc.settings, later) == []
    assert "不能再表态" in chat.say("chat-g2", "sunli", f"支持 #Y{pid}")

    # The threshold can be a share of the grid's households.
    monkeypatch.setattr(svc, "settings", svc.settings.with_overrides(proposal_threshold="10%"))
    opened = chat.say("chat-g1", "zhangdaye", "议事：建议增加健身器材")
    assert "32 位居民支持" in opened  # 10% of G1's 320 households


def test_simultaneous_last_votes_open_one_ticket_and_count_one_voice(app, demo, svc, settings, monkeypatch):
    """Abuse under real concurrency: one person's two identical votes at once, and two residents
    casting the deciding vote at the same moment."""
    if settings.database_url.startswith("sqlite"):
        pytest.skip("real concurrency is a PostgreSQL property")
    svc = app.extensions["gridwhistle"]
    monkeypatch.setattr(svc, "settings", svc.settings.with_overrides(proposal_threshold="3",
                                                                     proposal_min_supporters=1))
    pid = ref(r"#Y(\d+)", ChatDriver(app.test_client()).say("chat-g1", "zhangdaye", "议事：建议楼道加装声控灯"))
    voters = [("zhangdaye", 0), ("zhangdaye", 1), ("liuayi", 2), ("chenxin", 3)]
    barrier = threading.Barrier(len(voters))
    replies, errors = [], []

    def vote(user: str, i: int) -> None:
        try:
            driver = ChatDriver(app.test_client())
            barrier.wait(timeout=10)
            replies.append(driver.say("chat-g1", user, f"支持 #Y{pid}", msg_id=f"vote-race-{i}"))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=vote, args=v) for v in voters]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    assert all(r for r in replies), replies
    assert sum("达到立项标准" in r for r in replies) == 1, replies
    # zhangdaye's second message either found his vote or came after adoption: never a second voice.
    assert sum("每人只计一票" in r or "不能再表态" in r for r in replies) == 1, replies
    with svc.db.session() as s:
        proposal = s.get(Proposal, pid)
        assert (proposal.state, proposal.support_count) == ("adopted", 3)
        assert s.execute(select(func.count()).select_from(ProposalVote)).scalar() == 3
        assert s.execute(select(func.count()).select_from(Ticket)).scalar() == 1
