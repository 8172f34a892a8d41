"""Chat traffic like a district's: many senders in four grid chats, delivered like WeCom does.

Each message is a signed, encrypted robot callback (bot.local.callback_client). The sender behaves
like WeCom's callback pusher: up to 3 tries of the same msgid, 5 s timeout each; a message is
"accepted" once one try answered HTTP 200. Everything sent is recorded for the checks.
"""
from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from bot.local.callback_client import robot_callback, robot_text
from bot.runtime.config import DEMO_AES_KEY, DEMO_TOKEN

CHATS = {"chat-g1": "wangfang", "chat-g2": "zhaomin", "chat-g3": "wujun", "chat-g4": "linfeng"}
DEMO_RESIDENTS = {"chat-g1": ["zhangdaye", "liuayi", "chenxin"], "chat-g2": ["sunli", "zhoujie"],
                  "chat-g3": ["zhengshu", "hemei"], "chat-g4": ["gaoyang", "maxiu"]}
CHITCHAT = ["大家早上好", "谢谢网格长👍", "哈哈哈", "好的", "晚安", "辛苦了", "今天天气不错", "吃了吗",
            "明天社区有活动吗", "请问老年卡怎么办理"]
# Concrete problems: a place and an object-specific defect, so most reports are distinct
# (similar reports in one grid merge into one ticket, which is right but opens no new ticket).
PLACES = ["幸福里{n}号楼", "光明小区{n}栋", "扬州路{n}号", "朝阳新村{n}单元", "新华苑{n}号楼", "老纺织厂宿舍{n}栋",
          "菜市场东门{n}号摊位旁", "育才小学{n}号门口", "和平公园{n}号入口", "锦绣家园{n}号楼"]
DEFECTS = {
    "下水道": ["堵了，污水冒出来了", "返臭味，熏得开不了窗"], "楼道灯": ["坏了好几天了，晚上摸黑", "一直闪，吓人"],
    "电梯": ["又坏了，老人下不了楼", "困人了，按铃没人应"], "暖气": ["不热，家里才十几度", "漏水，地板泡了"],
    "垃圾桶": ["满了没人清，苍蝇乱飞", "被撞翻了，垃圾满地"], "消防通道": ["被私家车堵死了", "堆满了杂物"],
    "路灯": ["全黑了，晚上不安全", "白天还亮着，浪费电"], "井盖": ["丢了，一个大坑", "松动了，车压过去哐哐响"],
    "自来水": ["停了一天了也没通知", "发黄，有铁锈味"], "外墙皮": ["脱落砸到车了", "裂了大缝，怕掉下来"],
    "工地": ["半夜还在施工，吵得睡不着", "扬尘太大，窗户不敢开"], "流浪狗": ["咬人了，孩子不敢出门", "一群在小区里乱窜"],
}


@dataclass
class Sent:
    """One message as the sender saw it (a replay of an earlier msgid is its own record)."""

    msg_id: str
    kind: str  # chitchat | complaint | command | replay
    chat: str
    user: str
    text: str
    t_send: float  # wall clock of the first try
    status: int | None = None  # HTTP status of the last try (None: no answer at all)
    tries: int = 0
    ack_s: float | None = None  # wall time of the accepted try (send → 200)
    error: str = ""
    reply: dict | None = None

    @property
    def accepted(self) -> bool:
        return self.status == 200


@dataclass
class Sender:
    """Posts callbacks with WeCom's retry behaviour; thread-safe; keeps every record."""

    base_url: str
    tries: int = 3
    timeout: float = 5.0
    retry_gap: float = 1.0  # after a fast failure (5xx, refused); a timeout already waited 5 s
    records: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    local: threading.local = field(default_factory=threading.local)

    def _session(self) -> requests.Session:
        s = getattr(self.local, "session", None)
        if s is None:
            s = self.local.session = requests.Session()
        return s

    def send(self, msg_id: str, chat: str, user: str, text: str, kind: str, quote: str | None = None,
             tries: int | None = None) -> Sent:
        rec = Sent(msg_id, kind, chat, user, text, time.time())
        message = robot_text(msg_id, chat, user, text, quote_text=quote)
        for attempt in range(tries or self.tries):
            rec.tries = attempt + 1
            cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, message)
            t0 = time.perf_counter()
            try:
                r = self._session().post(f"{self.base_url}/wecom/robot", params=cb.params, data=cb.body.encode(),
                                         headers={"Content-Type": cb.content_type}, timeout=self.timeout)
                rec.status = r.status_code
            except requests.RequestException as exc:
                rec.status, rec.error = None, type(exc).__name__
                self.local.session = None  # a broken connection: start a fresh one
            if rec.status == 200:
                rec.ack_s = time.perf_counter() - t0
                if r.content:
                    try:
                        rec.reply = r.json()
                    except ValueError:
                        pass
                break
            if rec.status is not None and rec.status < 500:
                break  # a 4xx is a verdict, WeCom would not retry it either
            time.sleep(self.retry_gap)
        with self.lock:
            self.records.append(rec)
        return rec

    # -- summaries -------------------------------------------------------------------------
    def counts(self, since: int = 0) -> dict:
        recs = self.records[since:]
        return {"sent": len(recs), "accepted": sum(r.accepted for r in recs),
                "retried": sum(r.tries > 1 for r in recs),
                "not_accepted": sum(not r.accepted for r in recs),
                "by_kind": dict(Counter(r.kind for r in recs))}


class Mix:
    """Chooses what the next message is; remembers msgids for replays and tickets for commands."""

    def __init__(self, seed: int, run_tag: str, senders_per_chat: int = 60,
                 weights: dict[str, float] | None = None):
        self.rng = random.Random(seed)
        self.tag = run_tag
        self.counter = itertools.count(1)
        self.senders = {chat: [f"r{chat[-1]}{i:03d}" for i in range(senders_per_chat)] + DEMO_RESIDENTS[chat]
                        for chat in CHATS}
        self.weights = weights or {"chitchat": 0.45, "complaint": 0.3, "replay": 0.1, "command": 0.15}
        self.history: list[tuple[str, str, str, str, str]] = []  # (msg_id, chat, user, text, kind)
        self.ticket_ids: list[tuple[int, str, str]] = []  # (ticket id, chat, state) to command
        self.lock = threading.Lock()

    def new_id(self) -> str:
        return f"{self.tag}-{next(self.counter):06d}"

    def next(self) -> tuple[str, str, str, str, str]:
        """(msg_id, chat, user, text, kind)."""
        with self.lock:
            kind = self.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
            if kind == "replay" and self.history:
                return (*self.history[self.rng.randrange(len(self.history))][:4], "replay")
            if kind == "command" and self.ticket_ids:
                ticket_id, chat, state = self.ticket_ids.pop(self.rng.randrange(len(self.ticket_ids)))
                # The grid leader accepts new tickets and whistles accepted ones up (吹哨):
                # one pushes to the reporter, the other into the community's staff chat.
                word = "受理" if state == "new" else "上报"
                item = (self.new_id(), chat, CHATS[chat], f"{word} #{ticket_id}", "command")
            else:
                if kind in ("replay", "command"):
                    kind = "complaint"
                chat = self.rng.choice(list(CHATS))
                user = self.rng.choice(self.senders[chat])
                if kind == "chitchat":
                    text = self.rng.choice(CHITCHAT)
                else:
                    thing = self.rng.choice(list(DEFECTS))
                    text = (self.rng.choice(PLACES).format(n=self.rng.randrange(1, 60)) + thing
                            + self.rng.choice(DEFECTS[thing]))
                item = (self.new_id(), chat, user, text, kind)
            self.history.append(item)
            return item

    def add_tickets(self, found: list[tuple[int, str, str]]) -> None:
        with self.lock:
            known = {t[0] for t in self.ticket_ids}
            self.ticket_ids.extend(t for t in found if t[0] not in known)


def drive(sender: Sender, mix: Mix, count: int, rate: float, concurrency: int = 16,
          on_tick=None, stop: threading.Event | None = None) -> None:
    """Send `count` messages at about `rate` per second (open loop, paced by start time)."""
    start = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for i in range(count):
            if stop is not None and stop.is_set():
                break
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if on_tick is not None:
                on_tick(i)
            msg_id, chat, user, text, kind = mix.next()
            pool.submit(sender.send, msg_id, chat, user, text, kind)
