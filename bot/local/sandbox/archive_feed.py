"""What a member writes in an `all` chat reaches the bot through the conversation archive, as in WeCom.

The line is archived in the local archive source (bot.local.archive_source: the archive's JSON,
the random key sealed with real RSA) and a pull is queued at once: the sandbox stands for a pull
interval of zero, so the page feels live; production pulls every ARCHIVE_PULL_INTERVAL_SECONDS
(see the README for the end-to-end delay). The bot answers by pushing into the chat (the outbox,
the fake WeCom API), never passively. Photos are archived media (GetMediaData), a voice message
is an archived voice note with no transcript (the archive keeps the audio only), and a quote is
written into the text the way WeCom writes quoted replies into the archive.
"""
from __future__ import annotations

import json
import time

from flask import current_app
from sqlalchemy import select

from bot.intake.archive.lines import QUOTE_HEAD, QUOTE_RULE
from bot.intake.archive.pull import pull_archive_job, read_cursor
from bot.local.sandbox.hub import Sandbox
from bot.local.sandbox.store import SandboxMessage
from models import InboxMessage

WAIT_SECONDS = 15.0  # the first line after a start pays for the pull's first batch
POLL_SECONDS = 0.05


def archive_line(sandbox: Sandbox, message: SandboxMessage, photos: list[bytes], voice: bool) -> dict:
    """The archive's JSON for one line a member posted."""
    sent_ms = int(sandbox.svc.clock.now().timestamp() * 1000)
    line = {"msgid": message.msgid, "action": "send", "from": message.sender, "tolist": [],
            "roomid": message.chat_id, "msgtime": sent_ms}
    if voice:
        audio = sandbox.archive.add_media(message.text.encode())  # stands in for the AMR file
        return {**line, "msgtype": "voice", "voice": {"md5sum": "", "voice_size": len(message.text.encode()),
                                                       "play_length": max(1, len(message.text) // 4),
                                                       "sdkfileid": audio}}
    text = message.text
    if message.quote:
        text = f'{QUOTE_HEAD}"{message.quote["sender_name"]}：\n{message.quote["text"]}"{QUOTE_RULE}{text}'
    files = [sandbox.archive.add_media(p) for p in photos]
    if not files:
        return {**line, "msgtype": "text", "text": {"content": text}}
    if not text and len(files) == 1:
        return {**line, "msgtype": "image", "image": {"md5sum": "", "filesize": len(photos[0]), "sdkfileid": files[0]}}
    items = ([{"type": "text", "content": _json({"content": text})}] if text else []) + [
        {"type": "image", "content": _json({"md5sum": "", "filesize": len(p), "sdkfileid": f})}
        for p, f in zip(photos, files)]
    return {**line, "msgtype": "mixed", "mixed": {"item": items}}


def feed(sandbox: Sandbox, message: SandboxMessage, photos: list[bytes], voice: bool) -> SandboxMessage | None:
    """Archive the line and queue a pull; the bot's answer once it is in the chat (None: no answer).

    Like the robot's callback, the request waits for the answer, here until the pull has taken the
    line (the cursor passed its seq) and, if the bot answered, until the push reached the chat, at
    most WAIT_SECONDS; the page shows a later answer when it polls.
    """
    svc = current_app.extensions["gridwhistle"]
    seq = sandbox.archive.record(archive_line(sandbox, message, photos, voice))
    svc.jobs.enqueue(pull_archive_job)
    deadline = time.monotonic() + WAIT_SECONDS
    while read_cursor(svc) < seq and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    with svc.db.session() as session:
        answered = session.execute(select(InboxMessage.reply_text).where(
            InboxMessage.channel == "archive", InboxMessage.msg_id == message.msgid)).scalar_one_or_none()
    while True:
        later = [m for m in sandbox.store.chat_messages(message.chat_id, after=message.id) if m.from_bot]
        if later or not answered or time.monotonic() >= deadline:
            return later[0] if later else None
        time.sleep(POLL_SECONDS)


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)
