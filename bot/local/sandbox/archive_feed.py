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

from flask import current_app

from bot.intake.archive.lines import QUOTE_HEAD, QUOTE_RULE
from bot.intake.archive.pull import pull_archive_job
from bot.local.sandbox.hub import Sandbox
from bot.local.sandbox.store import SandboxMessage


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
    """Archive the line and pull; the bot's answer, when it is in the chat already (jobs run inline)."""
    sandbox.archive.record(archive_line(sandbox, message, photos, voice))
    current_app.extensions["gridwhistle"].jobs.enqueue(pull_archive_job)
    later = [m for m in sandbox.store.chat_messages(message.chat_id) if m.from_bot and m.id > message.id]
    return later[0] if later else None


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)
