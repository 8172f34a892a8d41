"""The conversation memory (handlers.memory) kept in Redis, so every web and worker process agrees.

Keys, all expiring (nothing grows without bound):
- gw:conv:s:<chat>:<sender>  JSON SenderState without its question (last lines, fresh report)
- gw:conv:q:<chat>:<sender>  JSON Question, taken with GETDEL so two deliveries cannot both answer it
- gw:conv:l:<chat>           list of the chat's last lines (LTRIM to CHAT_LINES)
- gw:conv:r:<chat>           list of the chat's last reports (LTRIM to CHAT_REPORTS)
Each message costs one script call (read the state and the chat's last lines, record the line); writes
come only with news.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import asdict, replace

import redis

from handlers.memory import (
    CHAT_LINES, CHAT_REPORTS, LINE_CHARS, LINES_BEFORE, SENDER_LINES, STATE_TTL_SECONDS, Line, Question, Report,
    SenderState, Snapshot,
)

log = logging.getLogger(__name__)
PREFIX = "gw:conv"
# Keys are built from chat and user ids the platform sends; keep them short and printable.
MAX_KEY_PART = 128


# Read the sender's state, question, the chat's reports and its last few lines; record the line
# (bounded, expiring).
SNAPSHOT_SCRIPT = """
local state = redis.call('GET', KEYS[1])
local question = redis.call('GET', KEYS[2])
local reports = redis.call('LRANGE', KEYS[3], 0, tonumber(ARGV[4]) - 1)
local before = redis.call('LRANGE', KEYS[4], 0, tonumber(ARGV[5]) - 1)
if ARGV[1] ~= '' then
  redis.call('LPUSH', KEYS[4], ARGV[1])
  redis.call('LTRIM', KEYS[4], 0, tonumber(ARGV[2]) - 1)
  redis.call('EXPIRE', KEYS[4], tonumber(ARGV[3]))
end
return {state, question, reports, before}
"""
_prefetched = threading.local()
SNAPSHOT_SHA = hashlib.sha1(SNAPSHOT_SCRIPT.encode()).hexdigest()


def _part(value: str) -> str:
    value = value or "-"
    if len(value) <= MAX_KEY_PART and value.isprintable() and " " not in value:
        return value  # the usual id: as it is
    return "".join(ch for ch in (value or "-")[:MAX_KEY_PART] if ch.isprintable() and not ch.isspace()) or "-"


def _loads(raw) -> dict | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _valid(raws, kind) -> list[dict]:
    """The stored items that have exactly the fields of `kind` (others: another version's; skipped)."""
    fields = set(kind.__dataclass_fields__)
    out = []
    for raw in raws or ():
        data = _loads(raw)
        if data is not None and set(data) == fields:
            out.append(data)
    return out


class RedisConversationMemory:
    def __init__(self, client: redis.Redis, ttl_seconds: int = STATE_TTL_SECONDS):
        self.redis, self.ttl = client, ttl_seconds

    def _state_key(self, chat: str, sender: str) -> str:
        return f"{PREFIX}:s:{_part(chat)}:{_part(sender)}"

    def _question_key(self, chat: str, sender: str) -> str:
        return f"{PREFIX}:q:{_part(chat)}:{_part(sender)}"

    def sender_state(self, chat: str, sender: str) -> SenderState:
        try:
            raw_state, raw_question = self.redis.mget(self._state_key(chat, sender), self._question_key(chat, sender))
        except redis.RedisError:
            log.warning("conversation memory unreachable; treating the sender as new", exc_info=True)
            return SenderState()
        data = _loads(raw_state) or {}
        question = _loads(raw_question)
        if question is not None:
            data["question"] = question
        return SenderState.from_dict(data)

    def snapshot_call(self, chat: str, sender: str, line: Line | None) -> tuple[str, str, tuple, tuple]:
        """The snapshot as one script call (script, sha, keys, args), for a caller that already makes a
        round trip to Redis for this message (bot.intake.admission) and can carry it along."""
        line_json = json.dumps(asdict(replace(line, text=line.text[:LINE_CHARS])), ensure_ascii=False) if line else ""
        keys = (self._state_key(chat, sender), self._question_key(chat, sender),
                f"{PREFIX}:r:{_part(chat)}", f"{PREFIX}:l:{_part(chat)}")
        return SNAPSHOT_SCRIPT, SNAPSHOT_SHA, keys, (line_json, CHAT_LINES, self.ttl, CHAT_REPORTS, LINES_BEFORE)

    @staticmethod
    def keep_prefetched(chat: str, sender: str, line: Line | None, raw) -> None:
        """Hold a snapshot read along with another call, for this thread's next snapshot() of that line.

        One slot per thread: a message whose handlers never ask (a repeat, a throttled one) leaves
        at most one stale entry, replaced by the next message's.
        """
        _prefetched.slot = ((chat, sender, line.text if line else None), raw)

    def snapshot(self, chat: str, sender: str, line: Line | None) -> Snapshot:
        held = getattr(_prefetched, "slot", None)
        if held is not None and held[0] == (chat, sender, line.text if line else None):
            _prefetched.slot = None
            return self._parse(held[1])  # read (and the line recorded) on the admission's round trip
        _, _, keys, args = self.snapshot_call(chat, sender, line)
        try:
            raw = self._evalsha(keys, args)
        except redis.RedisError:
            log.warning("conversation memory unreachable; treating the sender as new", exc_info=True)
            return Snapshot(SenderState(), ())
        return self._parse(raw)

    @staticmethod
    def _parse(raw) -> Snapshot:
        try:
            raw_state, raw_question, raw_reports, raw_before = raw
        except (TypeError, ValueError):
            return Snapshot(SenderState(), ())
        data = _loads(raw_state) or {}
        question = _loads(raw_question)
        if question is not None:
            data["question"] = question
        return Snapshot(SenderState.from_dict(data), tuple(Report(**d) for d in _valid(raw_reports, Report)),
                        tuple(Line(**d) for d in _valid(raw_before, Line)))

    def _evalsha(self, keys: tuple, args: tuple):
        """The snapshot script in one command (EVALSHA, loaded on first use): most of the layer's CPU
        per message was redis-py packing five commands and parsing their replies."""
        try:
            return self.redis.execute_command("EVALSHA", SNAPSHOT_SHA, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:
            self.redis.script_load(SNAPSHOT_SCRIPT)
            return self.redis.execute_command("EVALSHA", SNAPSHOT_SHA, len(keys), *keys, *args)

    def _push(self, pipe, key: str, item: dict, limit: int) -> None:
        pipe.lpush(key, json.dumps(item, ensure_ascii=False))
        pipe.ltrim(key, 0, limit - 1)
        pipe.expire(key, self.ttl)

    def save_sender_state(self, chat: str, sender: str, state: SenderState) -> None:
        lines = tuple(replace(x, text=x.text[:LINE_CHARS]) for x in state.lines[-SENDER_LINES:])
        body = {"lines": [asdict(x) for x in lines],
                "fresh": asdict(state.fresh) if state.fresh else None}
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(self._state_key(chat, sender), json.dumps(body, ensure_ascii=False), ex=self.ttl)
        q_key = self._question_key(chat, sender)
        if state.question is None:
            pipe.delete(q_key)
        else:
            q = state.question
            # The key lives until the question expires (at least a minute: the bot's clock may be ahead).
            seconds = max(60, int(q.until - q.asked_at) + 60)
            pipe.set(q_key, json.dumps(asdict(q), ensure_ascii=False), ex=seconds)
        self._run(pipe)

    def take_question(self, chat: str, sender: str) -> Question | None:
        try:
            raw = self.redis.execute_command("GETDEL", self._question_key(chat, sender))
        except redis.RedisError:
            log.warning("conversation memory unreachable; no pending question", exc_info=True)
            return None
        data = _loads(raw)
        if data is None:
            return None
        try:
            return Question(**{**data, "tickets": tuple(data.get("tickets", ()))})
        except TypeError:
            return None

    def remember_line(self, chat: str, line: Line) -> None:
        pipe = self.redis.pipeline(transaction=False)
        self._push(pipe, f"{PREFIX}:l:{_part(chat)}", asdict(replace(line, text=line.text[:LINE_CHARS])), CHAT_LINES)
        self._run(pipe)

    def recent_lines(self, chat: str) -> list[Line]:
        return [Line(**d) for d in self._list(f"{PREFIX}:l:{_part(chat)}", CHAT_LINES, Line)]

    def remember_report(self, chat: str, report: Report) -> None:
        pipe = self.redis.pipeline(transaction=False)
        self._push(pipe, f"{PREFIX}:r:{_part(chat)}", asdict(replace(report, text=report.text[:LINE_CHARS])),
                   CHAT_REPORTS)
        self._run(pipe)

    def recent_reports(self, chat: str) -> list[Report]:
        return [Report(**d) for d in self._list(f"{PREFIX}:r:{_part(chat)}", CHAT_REPORTS, Report)]

    def _list(self, key: str, limit: int, kind) -> list[dict]:
        try:
            raws = self.redis.lrange(key, 0, limit - 1)
        except redis.RedisError:
            log.warning("conversation memory unreachable", exc_info=True)
            return []
        return _valid(raws, kind)

    @staticmethod
    def _run(pipe) -> None:
        try:
            pipe.execute()
        except redis.RedisError:
            # Memory is a help, not a record: the message is still handled and stored without it.
            log.warning("conversation memory not saved", exc_info=True)
