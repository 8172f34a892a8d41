"""Which channel hears a chat: one per chat, so a line heard by both robot and archive is handled once.

A chat's `listening` decides: "all" is the archive's (every line, pulled), "mentions" the robot's
(only @-lines, called back). With the archive on, a robot callback for a line in an "all" chat is
acknowledged without handling: the same line arrives through the archive a pull later and is
handled there (the archive and the robot give one line different msgids, so the inbox's key alone
could not tell). The archive skips "mentions" chats likewise (pull.py). Button presses and stream
refreshes are not archived lines: the robot keeps handling them in every chat.
"""
from __future__ import annotations

from sqlalchemy import select

from bot.runtime.services import Services
from models import GroupChat


def archive_hears(svc: Services, chat_id: str | None) -> bool:
    if not chat_id or not svc.settings.archive_source:
        return False
    with svc.db.session() as session:
        listening = session.execute(select(GroupChat.listening).where(
            GroupChat.channel == "wecom", GroupChat.external_id == chat_id)).scalar_one_or_none()
    return listening == "all"
