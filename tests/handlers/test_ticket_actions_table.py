"""handlers.ticket_actions: one table of staff actions for the chat and the console.

The pure parts (dedup keys, where the answer lands, which buttons show) need no database; the
last tests run one action both ways on the demo district and compare what people are told.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from handlers import texts, ticket_actions
from handlers.ticket_actions import ActionRequest, available_actions, chat_origin, console_origin, perform
from handlers.tickets import TicketDesk
from models import GroupChat, Identity, Ticket
from models.vocabulary import ACTION_NAMES


def test_dedup_keys_per_chat_message_and_per_console_form():
    ticket = SimpleNamespace(id=12, version=3)
    assert chat_origin(88, None).key(ticket, "accept") == "t12:accept:88"
    assert console_origin(SimpleNamespace(id=7)).key(ticket, "accept") == "t12:accept:console7:v3"


def test_only_a_reply_into_the_tickets_own_chat_skips_the_push_there():
    in_chat = chat_origin(1, SimpleNamespace(id=5))
    assert in_chat.answers_in(5) and not in_chat.answers_in(6) and not in_chat.answers_in(None)
    assert not chat_origin(1, None).answers_in(None)  # one-to-one: the ticket's chat still hears it
    assert not console_origin(SimpleNamespace(id=7)).answers_in(5)


def test_chat_and_console_differ_only_in_their_parameters():
    chat, console = chat_origin(1, None), console_origin(SimpleNamespace(id=7))
    assert chat.default_notes == {"resolve": "已处理"} and console.default_notes == {}
    assert "驳回 #{ticket_id}" in chat.prompts["reject"] and console.prompts == {}
    assert "comment" in console.actions and "comment" not in chat.actions
    assert "recategorise" in chat.actions and "recategorise" not in console.actions


def _leader():
    return SimpleNamespace(id=1, roles=[SimpleNamespace(role="grid_leader", org_unit_id=4, department_id=None)])


def _ticket(state: str, department: int | None = None):
    grid = SimpleNamespace(id=4, lineage_ids=lambda: [4, 3, 2, 1])
    return SimpleNamespace(id=1, state=state, grid=grid, department_id=department, reporter_id=9)


@pytest.mark.parametrize("state,buttons", [
    ("new", ["accept", "escalate", "dispatch", "resolve", "reject", "merge", "comment"]),
    ("accepted", ["escalate", "dispatch", "resolve", "reject", "merge", "comment"]),
    ("dispatched", ["resolve", "reject", "merge", "comment"]),  # 报到 is the department's, not the grid's
    ("resolved", ["comment"]),
    ("closed", ["comment"]),
    ("merged", ["unmerge", "comment"]),
])
def test_console_buttons_are_state_machine_and_role_and_scope(state, buttons):
    assert available_actions(_leader(), _ticket(state)) == buttons


def test_a_department_sees_its_own_buttons():
    water = SimpleNamespace(id=2, roles=[SimpleNamespace(role="department_responder", org_unit_id=None,
                                                         department_id=6)])
    assert available_actions(water, _ticket("dispatched", department=6)) == ["claim", "resolve", "comment"]
    assert available_actions(water, _ticket("dispatched", department=7)) == []


# --- the same action from the chat and from the console (demo district) ----------------------------

def _person(s, user_id):
    return s.execute(select(Identity).where(Identity.external_id == user_id)).scalar_one().person


def _open(s, d: TicketDesk) -> Ticket:
    chat = s.execute(select(GroupChat).where(GroupChat.external_id == "chat-g1")).scalar_one()
    return d.open(reporter=_person(s, "zhangdaye"), chat=chat, grid=chat.org_unit, text="3号楼下水道堵了",
                  category="drainage", places=(), confidence=None, inbox_id=None)


def test_accept_from_the_chat_and_from_the_console_says_and_pushes_the_same(demo, svc):
    with svc.db.session() as s:
        d = TicketDesk(s, svc.settings, svc.clock.now())
        leader = _person(s, "wangfang")
        by_chat, by_console = _open(s, d), _open(s, d)
        chat = by_chat.chat
        said = perform(d, leader, by_chat.id, ActionRequest("accept", word="受理"), chat_origin(41, chat))
        clicked = perform(d, leader, by_console.id, ActionRequest("accept", word="受理"), console_origin(leader))
        assert said.ok and clicked.ok
        assert said.message == texts.ACCEPTED.format(ticket_id=by_chat.id, actor="幸福里第一网格网格长",
                                                     deadline=d.deadline_text(by_chat))
        assert clicked.message == said.message.replace(f"#{by_chat.id}", f"#{by_console.id}")
        # The chat's reply lands in chat-g1 already; the console's does not, so it pushes there too.
        assert {(o.route_target, o.dedup_key) for o in said.outgoing} == {
            ("zhangdaye", f"t{by_chat.id}:accept:41:person{by_chat.reporter_id}")}
        assert {o.route_target for o in clicked.outgoing} == {"chat-g1", "zhangdaye"}
        assert all(o.dedup_key.startswith(f"t{by_console.id}:accept:console{leader.id}:v") for o in clicked.outgoing)
        s.rollback()


def test_refusals_are_sentences_and_push_nothing(demo, svc):
    with svc.db.session() as s:
        d = TicketDesk(s, svc.settings, svc.clock.now())
        leader, resident = _person(s, "wangfang"), _person(s, "zhangdaye")
        t = _open(s, d)
        chat, console = chat_origin(41, t.chat), console_origin(leader)
        assert perform(d, leader, 10**8, ActionRequest("accept"), console) is None  # no such ticket
        refused = perform(d, resident, t.id, ActionRequest("accept", word="受理"), chat)
        assert not refused.ok and refused.message == texts.NOT_ALLOWED.format(ticket_id=t.id, command="受理")
        assert perform(d, leader, t.id, ActionRequest("reject"), console).message == texts.NEEDS["reject"]
        assert perform(d, leader, t.id, ActionRequest("reject"), chat).message == \
            texts.CHAT_NEEDS["reject"].format(ticket_id=t.id)
        assert perform(d, leader, t.id, ActionRequest("comment", note="x"), chat).message.startswith("抱歉")
        # A bare 办结 in the chat means "已处理"; a state that does not allow 受理 says so.
        done = perform(d, leader, t.id, ActionRequest("resolve"), chat)
        assert done.ok and s.get(Ticket, t.id).resolution_note == "已处理"
        again = perform(d, leader, t.id, ActionRequest("accept"), console)
        assert not again.ok and "不能受理" in again.message and again.outgoing == ()
        assert d.outgoing == list(done.outgoing)  # refusals added nothing to the desk's pushes
        s.rollback()


def test_every_action_in_the_table_is_named_in_the_vocabulary():
    assert set(ticket_actions.ACTIONS) <= set(ACTION_NAMES)
