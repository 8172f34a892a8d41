"""Policy Q&A (知识库): answer residents' questions from staff-written entries and sent notices.

Why this shape:
- Retrieval is TF-IDF over jieba words plus character bigrams (short chat questions share few
  whole words with an entry but many bigrams), cosine similarity, one best hit. Above the
  configured threshold the bot answers and cites its source; below it the question goes to the
  grid leader, whose one-line reply (答复 …) both answers the resident and becomes a new entry.
- The index is built once per process and database, and rebuilt only when its version stamp
  changes: a counter in `community_counter` bumped by every write here, plus a cheap aggregate
  over entries and notices so that writers elsewhere (console, broadcasts) are seen too.
- Scope and validity are filtered at query time (entry unit must be the asker's grid or one of
  its ancestors; valid_from/valid_to around now), so the passage of time needs no rebuild.

Chat: any question (classifier intent "question") · 答复 Q7 内容 / quoting the forwarded
question with 答复 内容 (grid staff) · 入库 问：问题｜说法2 答：答案 (staff).
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from classifier.normalize import normalize
from classifier.tokenize import words
from handlers import community_texts as T
from handlers.commands import fold, normalise
from handlers.community_config import community_config
from handlers.context import Context
from handlers.settings import HandlerSettings
from handlers.deadlines import CHINA
from handlers.events import STAFF_MASKED, IncomingMessage, Outcome
from handlers.policy import ADMIN, ANSWER_ROLES, acts_over, has_role, staff_unit
from handlers.privacy import mask_personal_data, mask_staff_text, masked_excerpt
from handlers.tickets import TicketDesk
from models import (
    CommunityCounter,
    KnowledgeEntry,
    Notice,
    OrgUnit,
    PendingQuestion,
    Person,
    RoleAssignment,
)

log = logging.getLogger(__name__)

COUNTER = "knowledge"
QUESTION_REF = re.compile(r"(?<![A-Za-z])Q\s*(\d{1,9})")
LEADER_ANSWER = re.compile(r"^(?:答复|回复|解答)\s*[:：]?\s*(.*)$", re.DOTALL)
ADD_ENTRY = re.compile(r"^入库\s*[:：]?\s*问\s*[:：]\s*(.+?)\s*答\s*[:：]\s*(.+)$", re.DOTALL)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_STOP = set("的了吗呢啊呀吧哦哈嘛么请问一下我们你他她它这那是有在怎么什么")


# --- text analysis ------------------------------------------------------------------------
def analyse(text: str) -> list[str]:
    """jieba words (minus stop words) plus character bigrams of the cleaned text."""
    clean = normalize(text or "")
    toks = [w for w in words(clean) if not all(ch in _STOP for ch in w)]
    chars = "".join(ch for ch in _NOISE.sub("", clean.lower()) if ch not in _STOP)
    toks.extend(chars[i:i + 2] for i in range(len(chars) - 1))
    return toks


class Retriever:
    """A fitted TF-IDF matrix over documents; `scores(query)` is cosine similarity to each."""

    def __init__(self, texts: list[str]):
        self.size = len(texts)
        self.vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, min_df=1)
        self.matrix = self.vectorizer.fit_transform(texts) if texts else None

    def scores(self, query: str) -> np.ndarray:
        if self.matrix is None:
            return np.zeros(0)
        vec = self.vectorizer.transform([query])
        return (self.matrix @ vec.T).toarray().ravel()


def entry_text(question: str, variants: str, answer: str) -> str:
    """What is indexed for an entry: question and variants twice (residents' questions resemble
    them most), then the answer (it carries the place and department words)."""
    return f"{question}\n{variants}\n{question}\n{variants}\n{answer}"


# --- the index of entries and notices ------------------------------------------------------
@dataclass(frozen=True)
class Doc:
    kind: str  # "entry" | "notice"
    id: int
    unit_id: int | None
    valid_from: datetime | None
    valid_to: datetime | None
    title: str
    answer: str
    when: datetime | None


@dataclass(frozen=True)
class Hit:
    doc: Doc
    score: float


class KnowledgeIndex:
    def __init__(self, docs: list[Doc], texts: list[str]):
        self.docs = docs
        self.retriever = Retriever(texts)

    def search(self, query: str, unit_ids: set[int] | None, now: datetime, k: int = 3) -> list[Hit]:
        if not self.docs:
            return []
        scores = self.retriever.scores(query)
        hits = []
        for i in np.argsort(-scores):
            doc = self.docs[i]
            if scores[i] <= 0:
                break
            if doc.unit_id is not None and (unit_ids is None or doc.unit_id not in unit_ids):
                continue
            if (doc.valid_from and doc.valid_from > now) or (doc.valid_to and doc.valid_to < now):
                continue
            hits.append(Hit(doc, float(scores[i])))
            if len(hits) >= k:
                break
        return hits


def build_index(session: Session) -> KnowledgeIndex:
    docs, texts = [], []
    for e in session.execute(select(KnowledgeEntry).where(KnowledgeEntry.active.is_(True))
                             .order_by(KnowledgeEntry.id)).scalars():
        docs.append(Doc("entry", e.id, e.org_unit_id, e.valid_from, e.valid_to, e.question, e.answer, e.updated_at))
        texts.append(entry_text(e.question, e.variants, e.answer))
    for n in session.execute(select(Notice).where(Notice.sent_at.is_not(None)).order_by(Notice.id)).scalars():
        docs.append(Doc("notice", n.id, n.org_unit_id, None, None, n.title, n.body, n.sent_at))
        texts.append(f"{n.title}\n{n.title}\n{n.body}")
    log.info("knowledge index built: %s documents", len(docs))
    return KnowledgeIndex(docs, texts)


def version_stamp(session: Session) -> tuple:
    counter = session.execute(select(CommunityCounter.value).where(CommunityCounter.name == COUNTER)).scalar()
    entries = session.execute(select(func.count(KnowledgeEntry.id), func.max(KnowledgeEntry.updated_at))).one()
    notices = session.execute(select(func.max(Notice.id), func.count(Notice.sent_at))).one()
    return (counter or 0, entries[0], str(entries[1]), notices[0], notices[1])


_cache: dict[str, tuple[tuple, KnowledgeIndex]] = {}
_cache_lock = threading.Lock()


def current_index(session: Session) -> KnowledgeIndex:
    """The process's index for this database, rebuilt only when the stamp changed."""
    key = str(session.get_bind().url)
    stamp = version_stamp(session)
    cached = _cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        index = build_index(session)
        _cache[key] = (stamp, index)
        return index


def bump_version(session: Session) -> None:
    """Call after changing entries or notices (the aggregate stamp is only a safety net)."""
    changed = session.execute(update(CommunityCounter).where(CommunityCounter.name == COUNTER)
                              .values(value=CommunityCounter.value + 1)).rowcount
    if changed:
        return
    try:
        with session.begin_nested():
            session.add(CommunityCounter(name=COUNTER, value=1))
            session.flush()
    except IntegrityError:
        session.execute(update(CommunityCounter).where(CommunityCounter.name == COUNTER)
                        .values(value=CommunityCounter.value + 1))


def add_entry(session: Session, *, question: str, answer: str, unit: OrgUnit | None, author: Person | None,
              now: datetime, variants: str = "", source: str = "staff", valid_from: datetime | None = None,
              valid_to: datetime | None = None) -> KnowledgeEntry:
    entry = KnowledgeEntry(question=question[:1000], variants=variants, answer=answer,
                           org_unit_id=unit.id if unit else None, author_id=author.id if author else None,
                           source=source, valid_from=valid_from, valid_to=valid_to, created_at=now, updated_at=now)
    session.add(entry)
    session.flush()
    bump_version(session)
    return entry


# --- answering ---------------------------------------------------------------------------
def scope_name(session: Session, unit_id: int | None) -> str:
    unit = session.get(OrgUnit, unit_id) if unit_id else None
    return unit.name if unit else T.SCOPE_ALL


def _date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(CHINA)
    return f"{local.year}年{local.month}月{local.day}日"


def answer_text(session: Session, hit: Hit) -> str:
    """The answer, masked as staff text (it is sent with Outcome.reply_masked): official hotlines stay.

    Entries and notices are stored masked already; masking again here covers rows written before.
    """
    doc = hit.doc
    if doc.kind == "notice":
        return mask_staff_text(T.KB_NOTICE_ANSWER.format(date=_date(doc.when), title=doc.title,
                                                         body=mask_staff_text(doc.answer)[:400]))
    source = T.KB_SOURCE_ENTRY.format(entry_id=doc.id, question=mask_staff_text(doc.title)[:40],
                                      scope=scope_name(session, doc.unit_id))
    return mask_staff_text(T.KB_ANSWER.format(answer=doc.answer, source=source))


def lookup(session: Session, settings: HandlerSettings, text: str, grid: OrgUnit | None, now: datetime) -> Hit | None:
    """The best in-scope, valid answer above the threshold, or None."""
    units = set(grid.lineage_ids()) if grid is not None else None
    hits = current_index(session).search(text, units, now, k=1)
    threshold = community_config(settings).knowledge_threshold
    if hits and hits[0].score >= threshold:
        return hits[0]
    return None


def handle_question(ctx: Context, d: TicketDesk, text: str, grid: OrgUnit | None) -> str:
    """Called by the ticket loop for intent "question": answer, or forward to the grid leader."""
    hit = lookup(ctx.session, ctx.settings, text, grid, ctx.now)
    if hit is not None:
        log.info("question answered from %s %s (score %.2f)", hit.doc.kind, hit.doc.id, hit.score)
        return answer_text(ctx.session, hit)
    pending = PendingQuestion(asker_id=ctx.person.id, grid_id=grid.id if grid else None,
                              chat_id=ctx.chat.id if ctx.chat else None, inbox_id=ctx.inbox_id, text=text[:1000],
                              created_at=ctx.now)
    ctx.session.add(pending)
    ctx.session.flush()
    if grid is not None:
        forward = T.KB_TO_LEADER.format(qid=pending.id, grid=grid.name, asker=ctx.person.name, text=text[:300])
        for role in ctx.session.execute(select(RoleAssignment).where(
                RoleAssignment.org_unit_id == grid.id, RoleAssignment.role == "grid_leader")).scalars():
            d.push_to_person(role.person, forward, f"inbox{ctx.inbox_id}:staff")
    return T.KB_FORWARDED.format(qid=pending.id)


def may_answer(person: Person, pending: PendingQuestion) -> bool:
    return acts_over(person, ANSWER_ROLES, pending.grid)


def _body(msg) -> str:
    return normalise(msg.text) if msg.msg_type == "text" else ""


class LeaderAnswer:
    """答复 内容 quoting a forwarded 【居民咨询 Qn】, or 答复 Qn 内容: answer and remember."""

    name = "knowledge_answer"

    def match(self, msg: IncomingMessage, ctx: Context):
        folded = fold(msg.text) if msg.msg_type == "text" else fold("")
        found = LEADER_ANSWER.match(folded.text)
        if not found:
            return None
        rest = found.group(1)
        own = QUESTION_REF.match(rest)
        if own:
            # The answer is kept as the leader typed it (full-width punctuation, official numbers).
            answer = folded.tail(found.start(1) + own.end()).strip(" \t,，。:：")
            return (int(own.group(1)), answer if rest[own.end():].strip() else "")
        quote = msg.quote_text or ""
        quoted = QUESTION_REF.search(quote) if "咨询" in quote else None
        return (int(quoted.group(1)), folded.group(found).strip()) if quoted else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        qid, answer = found
        session = ctx.session
        pending = session.execute(select(PendingQuestion).where(PendingQuestion.id == qid)
                                  .with_for_update()).scalar_one_or_none()
        if pending is None:
            return Outcome(reply=T.KB_NO_SUCH_QUESTION.format(qid=qid), intent="command")
        if not may_answer(ctx.person, pending):
            return Outcome(reply=T.KB_NOT_ALLOWED.format(qid=qid), intent="command")
        if not answer:
            return Outcome(reply=T.KB_NEED_ANSWER.format(qid=qid), intent="command")
        # The entry is cited to other residents later: the resident's question is stored masked (their
        # phone and door never come back as a "source"), the leader's answer as staff text.
        answer = mask_staff_text(answer)
        if pending.entry_id is not None:
            entry = session.get(KnowledgeEntry, pending.entry_id)
            entry.answer, entry.updated_at, entry.author_id = answer, ctx.now, ctx.person.id
            bump_version(session)
        else:
            entry = add_entry(session, question=mask_personal_data(pending.text), answer=answer, unit=pending.grid,
                              author=ctx.person, now=ctx.now, source="leader")
        pending.answered_at, pending.answered_by_id, pending.entry_id = ctx.now, ctx.person.id, entry.id
        d = TicketDesk(session, ctx.settings, ctx.now)
        text = T.KB_TO_ASKER.format(qid=qid, asker=pending.asker.name, question=masked_excerpt(pending.text, 60),
                                    leader=ctx.person.name, answer=answer)
        key = f"q{qid}:answer:inbox{ctx.inbox_id}"
        if pending.chat is not None:
            d.push_to_chat(pending.chat, text, key, masked=STAFF_MASKED)  # masked above, hotlines kept
        else:
            d.push_to_person(pending.asker, text, key)
        reply = T.KB_LEADER_DONE.format(qid=qid, entry_id=entry.id, scope=scope_name(session, entry.org_unit_id))
        return Outcome(reply=reply, outgoing=tuple(d.outgoing), intent="command")


class AddEntry:
    """入库 问：问题｜其他问法 答：答案 — staff add an entry valid in their unit and below."""

    name = "knowledge_add"

    def match(self, msg: IncomingMessage, ctx: Context):
        folded = fold(msg.text) if msg.msg_type == "text" else fold("")
        return (ADD_ENTRY.match(folded.text), folded) if folded.text.startswith("入库") else None

    def handle(self, msg: IncomingMessage, ctx: Context, found):
        parsed, folded = found
        unit = staff_unit(ctx.person, ANSWER_ROLES)
        if unit is None:
            return Outcome(reply=T.KB_ADD_NOT_ALLOWED, intent="command")
        if parsed is None:
            return Outcome(reply=T.KB_ADD_USAGE, intent="command")
        forms = [f.strip() for f in re.split(r"[｜|]", parsed.group(1)) if f.strip()]
        if not forms:
            return Outcome(reply=T.KB_ADD_USAGE, intent="command")
        is_admin = has_role(ctx.person, {ADMIN})
        forms = [mask_staff_text(f) for f in forms]
        entry = add_entry(ctx.session, question=forms[0], variants="\n".join(forms[1:]),
                          answer=mask_staff_text(folded.group(parsed, 2)),
                          unit=None if is_admin else unit, author=ctx.person, now=ctx.now)
        return Outcome(reply=T.KB_ADDED.format(entry_id=entry.id, scope=scope_name(ctx.session, entry.org_unit_id),
                                               question=entry.question[:60]), intent="command")
