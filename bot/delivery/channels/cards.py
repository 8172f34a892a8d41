"""Template cards (模板卡片): the buttons sent with a ticket message or a rating request.

A card's buttons carry event keys that name an action, a ticket and the ticket's version when the
card was drawn, signed with SECRET_KEY: `accept.12.3.<sig>`. A click comes back (robot
`template_card_event`, or the WeCom app's XML event) with that key; `read_key` refuses a key that
was not ours (forged or mangled), and `command_text` turns a good one into the very command a
person would type ("受理 #12"), so a click runs the same handler and the same permission check as
typing. The version lets the door tell a click on a card drawn before the ticket moved on.

Only JSON for WeCom lives here; which buttons a ticket offers comes from the state machine.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from models.state_machine import may_start
from models.vocabulary import category_name, state_name

# The words a click stands for, as typed in the chat (handlers.commands reads them).
ACTION_WORDS = {
    "accept": "受理", "escalate": "上报", "resolve": "办结", "claim": "报到", "dispatch": "派",
    "rate_good": "满意", "rate_ok": "基本满意", "rate_bad": "不满意",
}
RATINGS = ("rate_good", "rate_ok", "rate_bad")
# The staff buttons a card offers in a grid's own chat and in the work chats above it.
GRID_CHAT_ACTIONS = ("accept", "escalate", "resolve")
WORK_CHAT_ACTIONS = ("claim", "resolve", "escalate", "dispatch")
# WeCom's button styles: 1 blue, 2 red, 3 green, 4 grey.
STYLE = {"accept": 1, "claim": 1, "resolve": 3, "escalate": 2, "dispatch": 1,
         "rate_good": 3, "rate_ok": 1, "rate_bad": 2}
DEPARTMENT_QUESTION = "dept"
_KEY = re.compile(r"(accept|escalate|resolve|claim|dispatch|rate_good|rate_ok|rate_bad)\.(\d{1,9})\.(\d{1,9})\.([0-9a-f]{16})")
SUB_TITLE_LIMIT = 120  # characters WeCom shows under a card's title before cutting


@dataclass(frozen=True)
class CardKey:
    action: str
    ticket_id: int
    version: int


def _sig(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), f"card:{body}".encode(), hashlib.sha256).hexdigest()[:16]


def sign_key(secret: str, action: str, ticket_id: int, version: int) -> str:
    body = f"{action}.{ticket_id}.{version}"
    return f"{body}.{_sig(secret, body)}"


def read_key(secret: str, key: object) -> CardKey | None:
    """The action a button key names, or None for a key we never signed (forged, mangled, foreign)."""
    found = _KEY.fullmatch(key) if isinstance(key, str) else None
    if found is None:
        return None
    action, ticket_id, version, sig = found.groups()
    if not hmac.compare_digest(sig, _sig(secret, f"{action}.{ticket_id}.{version}")):
        return None
    return CardKey(action, int(ticket_id), int(version))


def command_text(key: CardKey, department_code: str | None = None) -> str:
    """What a person would type for this click: "受理 #12", "派 water #12", "满意 #12"."""
    word = ACTION_WORDS[key.action]
    if key.action == "dispatch":
        return f"{word} {department_code or ''} #{key.ticket_id}".replace("  ", " ")
    return f"{word} #{key.ticket_id}"


def staff_actions(state: str, work_chat: bool) -> list[str]:
    """The staff buttons for a ticket in this state: only moves the state machine allows now."""
    actions = WORK_CHAT_ACTIONS if work_chat else GRID_CHAT_ACTIONS
    return [a for a in actions if may_start(state, a)]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUB_TITLE_LIMIT else text[: SUB_TITLE_LIMIT - 1] + "…"


def ticket_card(secret: str, task_id: str, *, ticket_id: int, version: int, state: str, category: str,
                note: str, work_chat: bool, departments: list[tuple[str, str]] = ()) -> dict | None:
    """A button_interaction card for staff: 受理 / 上报 / 办结 (work chats: 报到 / 办结 / 上报 / 派 + a select).

    None when the state allows none of them (closed, or waiting for the resident's rating).
    """
    actions = staff_actions(state, work_chat)
    if not actions:
        return None
    card: dict = {
        "card_type": "button_interaction",
        "source": {"desc": "网格哨"},
        "main_title": {"title": f"工单 #{ticket_id} · {category_name(category)}", "desc": f"状态：{state_name(state)}"},
        "sub_title_text": _short(note),
        "task_id": task_id,
        "button_list": [{"text": "派单" if a == "dispatch" else ACTION_WORDS[a], "style": STYLE[a],
                         "key": sign_key(secret, a, ticket_id, version)} for a in actions],
    }
    if "dispatch" in actions and departments:
        card["button_selection"] = {
            "question_key": DEPARTMENT_QUESTION, "title": "派单部门",
            "option_list": [{"id": code, "text": name} for code, name in departments[:10]],
            "selected_id": departments[0][0],
        }
    return card


def rating_card(secret: str, task_id: str, *, ticket_id: int, version: int, note: str) -> dict:
    """满意 / 基本满意 / 不满意 for a resolved ticket (the reporter's or a follower's click counts)."""
    return {
        "card_type": "button_interaction",
        "source": {"desc": "网格哨"},
        "main_title": {"title": f"工单 #{ticket_id} 已办结", "desc": "请评价办理结果"},
        "sub_title_text": _short(note),
        "task_id": task_id,
        "button_list": [{"text": ACTION_WORDS[a], "style": STYLE[a], "key": sign_key(secret, a, ticket_id, version)}
                        for a in RATINGS],
    }


def done_card(task_id: str, *, ticket_id: int, state: str, category: str, note: str) -> dict:
    """The card once nothing is left to press: its title says where the ticket stands."""
    return {
        "card_type": "text_notice",
        "source": {"desc": "网格哨"},
        "main_title": {"title": f"工单 #{ticket_id} · {category_name(category)}", "desc": f"状态：{state_name(state)}"},
        "sub_title_text": _short(note),
        "task_id": task_id,
        "card_action": {"type": 0},
    }


def selected_option(event: dict, question_key: str = DEPARTMENT_QUESTION) -> str | None:
    """The option chosen in a card's select, from a template_card_event's selected_items."""
    items = event.get("selected_items") if isinstance(event, dict) else None
    items = items.get("selected_item") if isinstance(items, dict) else None
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and item.get("question_key") == question_key:
            ids = item.get("option_ids")
            ids = ids.get("option_id") if isinstance(ids, dict) else None
            if isinstance(ids, list) and ids and isinstance(ids[0], str) and re.fullmatch(r"[\w-]{1,32}", ids[0]):
                return ids[0]
    return None
