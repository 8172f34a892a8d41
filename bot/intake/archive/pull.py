"""The archive pull job: every line of every bound `all` chat into the inbox, in order, once.

One puller at a time: a Redis lock (SET NX with a lease, released by its owner only) decides who
pulls; the cursor row is a second fence: it advances with `UPDATE … WHERE seq = <what we read>`,
so a puller that lost its lease (paused past the lease) cannot move the cursor back or skip.

For each pulled batch (GetChatData from the cursor, ARCHIVE_BATCH_SIZE records):
1. open each record: the random key with the private key of its publickey_ver (keys.py), the body
   with the source's DecryptData; a record that does not open is parked (parked.py), not lost;
2. read the JSON (lines.py) and skip what is not ours: one-to-one conversations, the bot's own lines
   (robots are "wb…", plus ARCHIVE_OWN_SENDERS), chats not bound to a grid, and the robot's lines:
   every line of a "mentions" chat and the lines that @ the bot (ownership.py: one channel each);
   a recall marks the inbox row of the recalled message (`recalled_at`);
3. hand each line to the same inbox as every channel (accept_message: exactly-once on
   (channel, msg_id), the same handlers), flood limits counted in the minute it was sent;
4. queue the replies through the outbox (replies.py), then advance the cursor to the last record
   whose inbox row is committed. A crash anywhere repeats records, which the inbox deduplicates.

A seq gap (the next record's seq is more than one above the last) is waited out once: the batch
stops before it and the next pull looks again (a record not yet visible shows up); a gap seen
twice is real, counted on the cursor row and logged. A pull stops after ARCHIVE_PULL_BUDGET_SECONDS
and queues the next pull job, so a backlog drains in slices and other jobs (deliveries, photo
downloads) run in between; robot callbacks are served by the web processes meanwhile.
"""
from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field

import redis
from redis.exceptions import LockError
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.delivery.outbox import deliver_soon
from bot.intake.archive import parked
from bot.intake.archive.channel import ArchiveChannel
from bot.intake.archive.errors import ArchiveUnavailable, KeyConfigError, RecordUnreadable
from bot.intake.archive.lines import ArchivedLine, read_line
from bot.intake.archive.replies import ChatRoute, Reply, queue_replies
from bot.intake.archive.source import EncryptedRecord
from bot.intake.inbox import accept_message
from bot.runtime.services import Services, services
from handlers.events import IncomingMessage
from models import ArchiveCursor, GroupChat, InboxMessage

log = logging.getLogger(__name__)
CHANNEL = "archive"
CURSOR = "wecom"
LOCK_KEY = "gridwhistle:archive:pull-lock"
DUE_KEY = "gridwhistle:archive:pull-due"
GAP_KEY = "gridwhistle:archive:gap"
ROBOT_SENDER = "wb"  # the archive names robots (ours included) by external ids starting with "wb"


@dataclass
class PullResult:
    locked: bool = False  # another puller holds the lock: nothing done
    error: str = ""  # why the pull stopped early (the cursor stays at the last committed record)
    pulled: int = 0
    accepted: int = 0
    replies: int = 0
    parked: int = 0
    unparked: int = 0
    recalled: int = 0
    gaps: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    cursor: int = 0
    more: bool = False  # stopped on the time budget with records left: the next job follows at once


def pull_archive_job() -> dict:
    """The worker's job: one budgeted pull; if records are left, the next pull is queued at once."""
    svc = services()
    result = pull_archive(svc)
    if result.more:
        svc.jobs.enqueue(pull_archive_job)
    return asdict(result)


def schedule_pull(svc: Services) -> bool:
    """From the sweep: queue a pull when ARCHIVE_PULL_INTERVAL_SECONDS have passed (all processes share it)."""
    if not svc.settings.archive_source:
        return False
    try:
        due = svc.redis.set(DUE_KEY, 1, nx=True, px=int(svc.settings.archive_pull_interval_seconds * 1000))
    except redis.RedisError:
        return False
    if due:
        svc.jobs.enqueue(pull_archive_job)
    return bool(due)


def pull_archive(svc: Services, channel: ArchiveChannel | None = None, budget: float | None = None) -> PullResult:
    s = svc.settings
    try:
        channel = channel if channel is not None else svc.archive
    except KeyConfigError as exc:
        log.error("archive not pulled: %s", exc)  # names the version and the place, never the key
        return PullResult(error=str(exc))
    if channel is None:
        return PullResult(error="the archive is off (ARCHIVE_SOURCE is empty)")
    budget = s.archive_pull_budget_seconds if budget is None else budget
    # The lease outlives the longest pull: the budget, one more batch, two SDK timeouts.
    lease = max(60.0, 4 * budget + 2 * s.archive_sdk_timeout_seconds)
    lock = svc.redis.lock(LOCK_KEY, timeout=lease, blocking=False)
    try:
        if not lock.acquire(blocking=False):
            return PullResult(locked=True)
    except redis.RedisError:
        # Without the lock two processes could pull at once; the cursor fence would hold, but the
        # work would be done twice. Wait for Redis.
        return PullResult(error="redis unavailable: no pull without the lock")
    try:
        return Puller(svc, channel, budget, lock).run()
    finally:
        try:
            lock.release()
        except (LockError, redis.RedisError):
            log.warning("archive pull lock expired before the pull ended (lease %.0f s)", lease)


class Puller:
    def __init__(self, svc: Services, channel: ArchiveChannel, budget: float, lock):
        self.svc, self.channel, self.budget, self.lock = svc, channel, budget, lock
        self.settings = svc.settings
        self.result = PullResult()
        self.rooms: dict[str, GroupChat | None] = {}
        self.bot_names = tuple(n.strip() for n in self.settings.robot_names.split(",") if n.strip())
        self.own = {u.strip() for u in self.settings.archive_own_senders.split(",") if u.strip()}
        self._pending_gaps = 0  # gaps accepted since the cursor row last counted them

    def run(self) -> PullResult:
        started = time.monotonic()
        seq = self.result.cursor = read_cursor(self.svc)
        self._retry_parked()
        while True:
            try:
                records = self.channel.source.get_chat_data(seq, self.settings.archive_batch_size)
            except ArchiveUnavailable as exc:
                log.warning("archive pull failed at seq %s: %s (code %s); the next tick tries again",
                            seq, exc, exc.code)
                self.result.error = f"{exc} (code {exc.code})" if exc.code else str(exc)
                break
            self.result.pulled += len(records)
            if not records:
                break
            deadline = started + self.budget
            last, by_chat, failure, stop = self._batch(seq, records, deadline)
            if last > seq and not self._commit(seq, last, by_chat):
                break
            seq = self.result.cursor = max(seq, last)
            if failure is not None:
                self.result.error = failure
                break
            if stop == "budget" or (stop is None and time.monotonic() > deadline
                                    and len(records) == self.settings.archive_batch_size):
                self.result.more = True
                break
            if stop == "gap" or len(records) < self.settings.archive_batch_size:
                break
            self._keep_lock()
        if self.result.pulled or self.result.unparked:
            log.info("archive pull: %d record(s), %d accepted, %d parked, cursor %d, %.3f s",
                     self.result.pulled, self.result.accepted, self.result.parked, self.result.cursor,
                     time.monotonic() - started)
        return self.result

    # -- one batch -----------------------------------------------------------------------------------
    def _batch(self, seq: int, records: list[EncryptedRecord], deadline: float):
        """(last seq handled, replies by chat, failure, why it stopped early: None, "gap" or "budget")."""
        last, by_chat = seq, {}
        for record in records:
            if record.seq <= last:
                continue  # already had (an overlapping answer)
            if last > seq and time.monotonic() > deadline:
                return last, by_chat, None, "budget"  # the rest of the batch is the next job's
            if last and record.seq > last + 1 and self._wait_for_gap(last, record.seq):
                return last, by_chat, None, "gap"
            try:
                self._take(record, by_chat)
            except Exception as exc:  # noqa: BLE001 — the database or Redis failed: stop before this record
                log.exception("archive record seq=%s could not be handed to the inbox", record.seq)
                return last, by_chat, f"{type(exc).__name__} at seq {record.seq}", None
            last = record.seq
        return last, by_chat, None, None

    def _wait_for_gap(self, last: int, seq: int) -> bool:
        """True: stop here and look again next pull; False: the gap was seen before, it is real."""
        try:
            first_sight = self.svc.redis.set(f"{GAP_KEY}:{last}:{seq}", 1, nx=True, ex=3600)
        except redis.RedisError:
            first_sight = False
        if first_sight:
            log.info("archive seq gap after %s (next %s): looking again on the next pull", last, seq)
            return True
        log.warning("archive seq gap after %s: %s record(s) never came; going on", last, seq - last - 1)
        self.result.gaps += seq - last - 1
        self._pending_gaps += seq - last - 1
        return False

    def _take(self, record: EncryptedRecord, by_chat: dict) -> None:
        try:
            line = self._open(record)
        except RecordUnreadable as exc:
            parked.park(self.svc, record, exc)
            self.result.parked += 1
            return
        self._handle(line, by_chat)

    def _open(self, record: EncryptedRecord) -> ArchivedLine:
        random_key = self.channel.keys.open_random_key(record.publickey_ver, record.encrypt_random_key)
        data = self.channel.source.decrypt_data(random_key, record.encrypt_chat_msg)
        try:
            return read_line(data, self.bot_names)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            # A JSON shape this code cannot read must not hold up every chat behind it: park it.
            raise RecordUnreadable("not_json", f"unreadable message JSON ({type(exc).__name__})") from None

    def _handle(self, line: ArchivedLine, by_chat: dict) -> None:
        skip = self._skip_reason(line)
        if skip:
            self.result.skipped[skip] = self.result.skipped.get(skip, 0) + 1
            return
        if line.action == "recall":
            self._mark_recalled(line)
            return
        chat = self.rooms[line.room_id]
        msg = IncomingMessage(
            channel=CHANNEL, msg_id=line.msgid, msg_type=line.msg_type, sender_id=line.sender, text=line.text,
            sent_at=line.sent_at, chat_id=chat.external_id, raw=line.raw, photo_urls=line.photo_urls,
            quote_text=line.quote_text,
            via="mixed" if line.text and line.photo_ids else "")
        reply = accept_message(msg, flood_at=line.sent_at.timestamp())
        self.result.accepted += 1
        # Words and photos get their answer; a sticker, a file or a voice note in a lively chat does not
        # (in an `all` chat the bot would otherwise talk after every one). They are kept all the same.
        if reply and line.has_words_or_photos:
            route = ChatRoute(chat.route_kind, chat.route_target, chat.member_count)
            by_chat.setdefault(route, []).append(Reply(line.msgid, line.sender, reply))

    def _skip_reason(self, line: ArchivedLine) -> str:
        if line.action == "switch":
            return "switch"
        if not line.room_id:
            return "direct"  # a member's one-to-one conversation: not the bot's business
        if line.sender.startswith(ROBOT_SENDER) or line.sender in self.own:
            return "own"
        chat = self._chat(line.room_id)
        if chat is None:
            return "unbound"
        if chat.listening != "all" or line.addressed:
            return "robot_hears"  # the robot's callback handles it (ownership.py)
        return ""

    def _chat(self, room_id: str) -> GroupChat | None:
        if room_id not in self.rooms:
            with self.svc.db.session() as session:
                found = session.execute(select(GroupChat).where(
                    GroupChat.channel == "wecom",
                    or_(GroupChat.archive_room_id == room_id,
                        GroupChat.archive_room_id.is_(None) & (GroupChat.external_id == room_id)),
                ).order_by(GroupChat.archive_room_id.is_(None))).scalars().first()
                if found is not None:
                    session.expunge(found)
            self.rooms[room_id] = found
        return self.rooms[room_id]

    def _mark_recalled(self, line: ArchivedLine) -> None:
        with self.svc.db.session() as session:
            marked = session.execute(update(InboxMessage).where(
                InboxMessage.channel == CHANNEL, InboxMessage.msg_id == line.recalled_msgid,
                InboxMessage.recalled_at.is_(None)).values(recalled_at=line.sent_at)).rowcount
            session.commit()
        self.result.recalled += marked

    # -- after a batch ---------------------------------------------------------------------------------
    def _commit(self, seq: int, last: int, by_chat: dict) -> bool:
        """Replies queued and the cursor moved from seq to last, together; False if fenced off."""
        now = self.svc.clock.now()
        with self.svc.db.session() as session:
            rows = queue_replies(session, by_chat, now)
            moved = session.execute(update(ArchiveCursor).where(
                ArchiveCursor.name == CURSOR, ArchiveCursor.seq == seq).values(
                seq=last, updated_at=now, gaps=ArchiveCursor.gaps + self._pending_gaps)).rowcount
            if moved != 1:
                session.rollback()
                log.error("archive cursor moved under this puller (expected %s); stopping", seq)
                self.result.error = "cursor moved by another puller"
                return False
            session.commit()
            ids = [r.id for r in rows]
        self._pending_gaps = 0
        self.result.replies += len(ids)
        deliver_soon(self.svc, ids)
        return True

    def _keep_lock(self) -> None:
        try:
            self.lock.reacquire()
        except (LockError, redis.RedisError):
            log.warning("archive pull lock could not be renewed; the cursor fence still guards the cursor")

    def _retry_parked(self) -> None:
        for parked_id, record, attempts in parked.due(self.svc, self.svc.clock.now()):
            try:
                line = self._open(record)
            except RecordUnreadable as exc:
                parked.still_closed(self.svc, parked_id, attempts, exc)
                continue
            by_chat: dict = {}
            self._handle(line, by_chat)
            with self.svc.db.session() as session:
                rows = queue_replies(session, by_chat, self.svc.clock.now())
                session.commit()
                ids = [r.id for r in rows]
            deliver_soon(self.svc, ids)
            parked.opened(self.svc, parked_id)
            self.result.unparked += 1
            log.info("parked archive record seq=%s opened after %s tries", record.seq, attempts)


def read_cursor(svc: Services) -> int:
    """The last committed seq (the row is created at 0 on the first pull)."""
    with svc.db.session() as session:
        seq = session.execute(select(ArchiveCursor.seq).where(ArchiveCursor.name == CURSOR)).scalar_one_or_none()
        if seq is not None:
            return seq
        try:
            session.add(ArchiveCursor(name=CURSOR, seq=0, updated_at=svc.clock.now(), gaps=0))
            session.commit()
        except IntegrityError:
            session.rollback()
            return session.execute(select(ArchiveCursor.seq).where(ArchiveCursor.name == CURSOR)).scalar_one()
        return 0
