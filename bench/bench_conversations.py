"""Scripted multi-turn grid chats (bench/conversations.py) played through the real webhook, scored turn by turn.

    python -m bench.bench_conversations [--json out.json] [--passes 2] [--set main|fresh|third|fourth|fifth|sixth|seventh|eighth|all]

`--set main` (the default, the README's figure) plays bench/conversations.py; `--set fresh` the
held-out bench/conversations_fresh.py, written later by someone who had not read the handlers;
`--set third` bench/conversations_third.py, a third held-out set by another hand (southern voices);
`--set fourth` bench/conversations_fourth.py, a fourth by yet another hand (northern, central,
Traditional, young and elderly voices); `--set fifth` bench/conversations_fifth.py, a fifth by
another hand (鲁豫, 西北, 赣桂滇, 客家, formal letters, rider fragments, a property staffer); `--set sixth`
bench/conversations_sixth.py, a sixth by another hand (everyday Mandarin of a mid-size city); `--set seventh`
bench/conversations_seventh.py, a seventh by another hand (an old factory compound in the north, a new
high-rise estate in the south); `--set eighth` bench/conversations_eighth.py, an eighth by another hand (an
urban village and a resettlement estate on a big city's edge); `--set all` all eight.

Every conversation starts from a fresh demo district (database rows, Redis, clock) and is played
as WeCom sends it: signed, encrypted group-robot callbacks to /wecom/robot, the bot's passive
reply decrypted. On PostgreSQL + Redis when reachable (a database and a Redis db of this run's
own: bench/backends.py), else on SQLite and the in-process Redis stand-in. The clock is moved
forward where the script waits. Each turn is scored as silent / reply without a ticket / new
ticket / joins ticket k / urgent with the right number / several tickets (see
bench/conversations.py), and accuracy is reported per behaviour.

It also measures what the conversation layer costs on the webhook path, two ways in one run:
- the same turns played with the layer (handlers.conversation: its five handlers and the memory)
  and without it, passes alternating; this thread's CPU time per webhook call (time.thread_time),
  the lower of the passes per turn, then the medians (whole-request figures: noisy, ~10 ms each);
- the layer's own CPU time per message, metered inside the process (Meter below): its handlers,
  preparing the memory's read (which then rides on the admission's Redis round trip: that one
  extra pipelined command is not metered), its bookkeeping and writes, without the classifier
  and Classified that it hands on to.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select, text

from bench.backends import private_services
from bench.conversations import CONVERSATIONS
from bench.conversations_fresh import CONVERSATIONS_FRESH
from bench.conversations_third import CONVERSATIONS_THIRD
from bench.conversations_fourth import CONVERSATIONS_FOURTH
from bench.conversations_fifth import CONVERSATIONS_FIFTH
from bench.conversations_sixth import CONVERSATIONS_SIXTH
from bench.conversations_seventh import CONVERSATIONS_SEVENTH
from bench.conversations_eighth import CONVERSATIONS_EIGHTH
from bot.local.callback_client import decrypt_robot_reply, robot_callback, robot_text
from bot.runtime.config import DEMO_AES_KEY, DEMO_TOKEN, Settings

ROOT = Path(__file__).resolve().parent.parent
CHAT = "chat-g1"
KINDS = ("silent", "reply", "new", "join", "urgent", "several")
SETS = {"main": CONVERSATIONS, "fresh": CONVERSATIONS_FRESH, "third": CONVERSATIONS_THIRD,
        "fourth": CONVERSATIONS_FOURTH, "fifth": CONVERSATIONS_FIFTH, "sixth": CONVERSATIONS_SIXTH,
        "seventh": CONVERSATIONS_SEVENTH, "eighth": CONVERSATIONS_EIGHTH,
        "all": CONVERSATIONS + CONVERSATIONS_FRESH + CONVERSATIONS_THIRD + CONVERSATIONS_FOURTH + CONVERSATIONS_FIFTH
        + CONVERSATIONS_SIXTH + CONVERSATIONS_SEVENTH + CONVERSATIONS_EIGHTH}


def _backend(services: dict | None, tmp: str) -> tuple[str, str, str]:
    """(name, database URL, Redis URL): this run's own PostgreSQL database and Redis db when reachable
    (bench/backends.py), else a SQLite file and the in-process Redis stand-in."""
    if services is None:
        return "embedded", f"sqlite:///{tmp}/bench_conversations.db", ""
    return "postgresql+redis", services["database_url"], services["redis_url"]


class Player:
    def __init__(self, database_url: str, redis_url: str):
        # Imported here: the app (and the model it loads) only when the bench runs, not on `--help`.
        from bot.app import create_app
        from bot.runtime.db import migrate

        settings = Settings(env="test", database_url=database_url, redis_url=redis_url, job_mode="inprocess",
                            wecom_api_base_url="http://127.0.0.1:9", wechat_api_base_url="http://127.0.0.1:9",
                            photo_dir=str(ROOT / "instance" / "bench-photos")).validated()
        self.app = create_app(settings, start_jobs=False)
        self.svc = self.app.extensions["gridwhistle"]
        migrate(self.svc.db.engine)
        self.client = self.app.test_client()
        self.ids = 0

    def reset(self) -> None:
        """A fresh district: no tickets, no memory, the clock at now."""
        from bot.local.demo import seed_demo
        from models import Base

        with self.svc.db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(text(f"DELETE FROM {table.name}"))
        with self.svc.db.session() as session:
            seed_demo(session)
            session.commit()
        self.svc.redis.flushdb()

    def max_ticket(self) -> int:
        from models import Ticket

        with self.svc.db.session() as session:
            return session.execute(select(func.max(Ticket.id))).scalar() or 0

    def tickets_after(self, ticket_id: int) -> list[int]:
        from models import Ticket

        with self.svc.db.session() as session:
            return list(session.execute(select(Ticket.id).where(Ticket.id > ticket_id).order_by(Ticket.id)).scalars())

    def say(self, user: str, line: str) -> tuple[str, float]:
        """The bot's passive reply and this thread's CPU seconds for the webhook call."""
        self.ids += 1
        cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, robot_text(f"b{os.getpid()}-{self.ids}", CHAT, user, line))
        started = time.thread_time()
        resp = self.client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type)
        cpu = time.thread_time() - started
        if resp.status_code != 200:
            return f"<HTTP {resp.status_code}>", cpu
        if not resp.data:
            return "", cpu
        plain = decrypt_robot_reply(DEMO_TOKEN, DEMO_AES_KEY, json.loads(resp.data))
        stream = plain.get("stream") or {}
        return stream.get("content") or (plain.get("text") or {}).get("content") or "", cpu


def score(expected: str, reply: str, new_ids: list[int], ticket_ids: list[int]) -> bool:
    kind, _, arg = expected.partition(":")
    named = {int(n) for n in re.findall(r"#(\d+)", reply)}
    if kind == "silent":
        return reply == "" and not new_ids
    if kind == "reply":
        return reply != "" and not new_ids
    if kind == "new":
        return len(new_ids) == 1 and new_ids[0] in named
    if kind == "join":
        index = int(arg) - 1
        return not new_ids and index < len(ticket_ids) and ticket_ids[index] in named
    if kind == "urgent":
        return len(new_ids) >= 1 and arg in reply and new_ids[0] in named
    if kind == "several":
        return len(new_ids) == int(arg) and set(new_ids) <= named
    raise ValueError(expected)


def play(player: Player, conversations: list[tuple[str, list[tuple]]]) -> list[dict]:
    """Every conversation once, each from a fresh district; one row per turn."""
    rows = []
    for title, turns in conversations:
        player.reset()
        tickets: list[int] = []
        for turn in turns:
            user, line, expected = turn[:3]
            if len(turn) > 3 and turn[3]:
                player.svc.clock.advance(turn[3] * 60)
            line = line.format(**{f"t{i + 1}": t for i, t in enumerate(tickets)})
            before = player.max_ticket()
            METER.take()
            reply, cpu = player.say(user, line)
            inside = METER.take()
            new_ids = player.tickets_after(before)
            ok = score(expected, reply, new_ids, tickets)
            tickets += new_ids
            rows.append({"conversation": title, "user": user, "text": line, "expected": expected,
                         "reply": reply, "new": new_ids, "ok": ok, "cpu_ms": cpu * 1000,
                         "layer_ms": inside * 1000})
    return rows


class Meter:
    """This thread's CPU time inside the conversation layer, without what it asks of others.

    Time in Classified (a line the layer hands on as a report) and in the classifier (whose answer
    Classified reuses, handlers.dispatch.classify_once) is left out: without the layer the message
    pays it anyway.
    """

    def __init__(self):
        self.inside, self.excluded, self.depth = 0.0, 0.0, 0

    def take(self) -> float:
        spent, self.inside = self.inside, 0.0
        return spent

    def layer(self, fn):
        def timed(*args, **kwargs):
            if self.depth:
                return fn(*args, **kwargs)
            self.depth += 1
            started, excluded = time.thread_time(), self.excluded
            try:
                return fn(*args, **kwargs)
            finally:
                self.depth -= 1
                self.inside += time.thread_time() - started - (self.excluded - excluded)
        return timed

    def other(self, fn):
        def timed(*args, **kwargs):
            if not self.depth:
                return fn(*args, **kwargs)
            started = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.excluded += time.thread_time() - started
        return timed


METER = Meter()


def instrument() -> None:
    """Wrap the layer's handlers and memory calls (and what they hand on) in the meter."""
    from bot.intake import inbox
    from bot.runtime.services import Services
    from handlers import conversation, loop

    for cls in (conversation.AnswerQuestion, conversation.FollowUp, conversation.Vague, conversation.Continuation,
                conversation.Neighbour):
        cls.match, cls.handle = METER.layer(cls.match), METER.layer(cls.handle)
    conversation.remember = METER.layer(conversation.remember)
    # The memory's read is prepared before admission and rides on its round trip (bot.intake.inbox).
    inbox._memory_read = METER.layer(inbox._memory_read)
    loop.Classified.handle = METER.other(loop.Classified.handle)
    Services.classify = METER.other(Services.classify)


def layer(enabled: bool):
    """Switch the conversation layer on or off in this process (its handlers and its memory)."""
    from handlers import conversation, pipeline

    if not hasattr(layer, "saved"):
        layer.saved = (pipeline.run, conversation.remember)
    run, remember = layer.saved
    if enabled:
        pipeline.run, conversation.remember = run, remember
        return
    mine = {"answer_question", "follow_up", "vague", "continuation", "neighbour"}
    without = tuple(h for h in pipeline.HANDLERS if h.name not in mine)

    def run_without(msg, ctx):
        chosen = pipeline.first_match(msg, ctx, without)
        return pipeline.Outcome() if chosen is None else chosen[0].handle(msg, ctx, chosen[1])

    pipeline.run, conversation.remember = run_without, lambda msg, ctx, outcome: None


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--passes", type=int, default=3, help="passes with and without the layer, alternating")
    ap.add_argument("--json")
    ap.add_argument("--show-failures", action="store_true")
    ap.add_argument("--set", choices=sorted(SETS), default="main",
                    help="main: bench/conversations.py (the README figure); fresh, third, fourth, fifth, sixth, seventh, eighth: the held-out sets; "
                         "all: the eight")
    ap.add_argument("--only", action="append", metavar="TITLE",
                    help="play only the conversations whose title contains TITLE (repeatable), printing every turn")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)  # one log line per message would fill the terminal
    chosen = [c for c in SETS[args.set] if not args.only or any(t in c[0] for t in args.only)]

    with tempfile.TemporaryDirectory(prefix="bench-conversations-") as tmp, \
            private_services("conversations") as services:
        backend, database_url, redis_url = _backend(services, tmp)
        instrument()
        player = Player(database_url, redis_url)
        player.reset()
        player.say("zhangdaye", "大家好")  # warm-up: the model loaded, pools filled
        cpu = {"on": [], "off": []}
        inside: list[list[float]] = []
        scored = None
        for _ in range(args.passes):
            for mode in ("off", "on"):
                layer(mode == "on")
                rows = play(player, chosen)
                cpu[mode].append([r["cpu_ms"] for r in rows])
                if mode == "on":
                    inside.append([r["layer_ms"] for r in rows])
                if mode == "on" and scored is None:
                    scored = rows
        layer(True)
        player.svc.db.dispose()  # before the database is dropped

    by_kind: dict[str, list[bool]] = defaultdict(list)
    for r in scored:
        by_kind[r["expected"].partition(":")[0]].append(r["ok"])
    per_turn_on = [min(xs) for xs in zip(*cpu["on"])]
    per_turn_off = [min(xs) for xs in zip(*cpu["off"])]
    per_turn_layer = sorted(min(xs) for xs in zip(*inside))
    results = {
        "backend": backend,
        "set": args.set,
        "conversations": len(chosen),
        "turns": len(scored),
        "accuracy": round(sum(r["ok"] for r in scored) / len(scored), 3),
        "per_behaviour": {k: {"turns": len(by_kind[k]), "accuracy": round(sum(by_kind[k]) / len(by_kind[k]), 3)}
                          for k in KINDS if by_kind[k]},
        "cpu_ms_per_message": {
            "median_without_layer": round(statistics.median(per_turn_off), 3),
            "median_with_layer": round(statistics.median(per_turn_on), 3),
            "median_of_differences": round(statistics.median(a - b for a, b in zip(per_turn_on, per_turn_off)), 3),
            "layer_median": round(statistics.median(per_turn_layer), 3),
            "layer_p90": round(per_turn_layer[int(len(per_turn_layer) * 0.9)], 3),
            "passes": args.passes,
        },
        "failures": [{k: r[k] for k in ("conversation", "text", "expected", "reply", "new")}
                     for r in scored if not r["ok"]],
    }
    print(f"backend: {backend}; set {args.set}: {results['conversations']} conversations, {results['turns']} turns")
    print(f"turn accuracy: {results['accuracy']:.3f}")
    for kind, figures in results["per_behaviour"].items():
        print(f"  {kind:8s} {figures['accuracy']:.3f}  ({figures['turns']} turns)")
    c = results["cpu_ms_per_message"]
    print(f"webhook CPU per message (median ms): without the layer {c['median_without_layer']}, "
          f"with it {c['median_with_layer']}, median difference {c['median_of_differences']}")
    print(f"the conversation layer's own CPU per message: median {c['layer_median']} ms, p90 {c['layer_p90']} ms "
          f"(goal: median ≤ 0.5 ms)")
    if args.only:
        for r in scored:
            mark = "✓" if r["ok"] else "✗"
            print(f"  {mark} [{r['conversation']}] {r['user']}: {r['text']!r} expected {r['expected']}, "
                  f"got {r['reply']!r} new={r['new']}")
    elif args.show_failures:
        for f in results["failures"]:
            print(f"  ✗ [{f['conversation']}] {f['text']!r} expected {f['expected']}, got {f['reply']!r} new={f['new']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return results


if __name__ == "__main__":
    main()
