"""Property test: no sequence of chat commands from any roles reaches an illegal state or
lets anyone act outside their scope. Runs through the real webhook."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from models import Identity, Ticket, TicketEvent
from models.state_machine import STATES, TRANSITIONS
from tests.chat import ChatDriver

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "25"))
ACTORS = {  # user → chat they type in
    "zhangdaye": "chat-g1", "liuayi": "chat-g1", "wangfang": "chat-g1", "zhaomin": "chat-g2",
    "huangshuji": "chat-c1", "songkezhang": "chat-s1", "qianshuiwu": "chat-water", "fengchengguan": "chat-urban",
}
COMMANDS = ["受理", "办结 已处理", "上报 需协调", "派 水务局", "派 城管", "报到", "驳回 不属实", "改 绿化",
            "满意", "基本满意", "不满意 没修好", "+1"]
# Who may ever cause each action, whatever the ticket's grid/department (scope checked below).
NEVER = {"liuayi": {"accept", "resolve", "escalate", "dispatch", "claim", "reject"},
         "zhaomin": {"accept", "resolve", "escalate", "dispatch", "claim", "reject", "rate", "reopen"}}


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(ACTORS)), st.sampled_from(COMMANDS)), max_size=14))
def test_random_command_sequences_stay_legal_and_in_scope(app, demo, svc, steps):
    from tests.conftest import _clean

    _clean(svc.db)
    svc.redis.flushdb()
    from bot.local.demo import seed_demo

    with svc.db.session() as s:
        seed_demo(s)
        s.commit()
    chat = ChatDriver(app.test_client())
    chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了")
    for user, command in steps:
        chat.say(ACTORS[user], user, f"{command} #1")

    with svc.db.session() as s:
        ticket = s.get(Ticket, 1)
        events = s.execute(select(TicketEvent).where(TicketEvent.ticket_id == 1).order_by(TicketEvent.id)).scalars().all()
        users = {i.person_id: i.external_id for i in s.execute(select(Identity)).scalars()}
    assert ticket.state in STATES
    state, raters = None, {"zhangdaye"}
    for e in events:
        if e.action == "follow":
            raters.add(users.get(e.actor_id))
        if e.from_state == e.to_state and e.action not in TRANSITIONS:
            continue  # follow / recategorise / overdue notes: no state change
        assert e.from_state == state, f"broken chain at {e.action}"
        sources, target = TRANSITIONS.get(e.action, ((None,), "new"))
        assert e.action == "open" or (e.from_state in sources and e.to_state == target)
        state = e.to_state
        actor = users.get(e.actor_id)
        assert e.action not in NEVER.get(actor, set()), f"{actor} did {e.action}"
        if e.action == "claim":
            assert actor in ("qianshuiwu", "fengchengguan", "huangshuji", "songkezhang")
        if e.action in ("rate", "reopen"):
            assert actor in raters  # only the reporter and those who followed it
    assert state == ticket.state
