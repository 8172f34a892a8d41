"""The handler list: its order, and which handler each kind of message reaches (no database).

Every case below is decided by the handlers' match() alone, which reads only the message and
the sender's roles; the database is never asked, so the context has none.
"""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from handlers import pipeline
from handlers.context import Context
from handlers.events import IncomingMessage, Outcome

ORDER = [
    "media_only", "non_text", "help", "propose", "vote", "proposal_note", "points_balance", "points_shop", "points_shop_admin",
    "points_award", "knowledge_answer", "knowledge_add", "staff_command", "merge", "register", "broadcast", "rating",
    "follow", "status", "chatter", "answer_question", "follow_up", "vague", "continuation", "neighbour", "classified",
]
TICKET_MESSAGE = "已登记工单 #5（下水排水），由幸福里第一网格网格长负责"
PROPOSAL_MESSAGE = "【议题 #Y3】建议在3号楼加装电梯，支持请回复「支持 #Y3」"
STAFF = SimpleNamespace(id=1, name="王芳", roles=[SimpleNamespace(role="grid_leader", org_unit_id=4, department_id=None)])
RESIDENT = SimpleNamespace(id=2, name="张大爷", roles=[SimpleNamespace(role="resident", org_unit_id=4, department_id=None)])


def context(person) -> Context:
    return Context(session=None, settings=None, classify=None, now=datetime.now(timezone.utc), chat=None,
                   inbox_id=1, load_person=lambda: person)


def message(text: str = "", quote: str | None = None, msg_type: str = "text") -> IncomingMessage:
    # A robot "image" carries its download URL; the Official Account's image (PicUrl) is not fetched.
    photos = ("https://media.example/p1",) if msg_type == "image" and quote == "photo" else ()
    return IncomingMessage(channel="wecom", msg_id="m1", msg_type=msg_type, sender_id="u1", text=text,
                           sent_at=datetime.now(timezone.utc), chat_id="chat-g1",
                           quote_text=None if photos else quote, photo_urls=photos)


def test_the_order():
    assert [h.name for h in pipeline.HANDLERS] == ORDER
    assert len({type(h) for h in pipeline.HANDLERS}) == len(ORDER)


# (text, quoted message, message type, sender, the handler that takes it)
ROUTES = [
    ("", "photo", "image", RESIDENT, "media_only"),  # photos without words wait for them
    ("", None, "voice", RESIDENT, "media_only"),  # no transcript: asked to type
    ("", None, "image", RESIDENT, "non_text"),
    ("", None, "event", RESIDENT, "non_text"),
    ("帮助", None, "text", RESIDENT, "help"),
    ("帮助 我家漏水", None, "text", RESIDENT, "classified"),  # help takes no argument
    ("议事：建议在3号楼加装电梯", None, "text", RESIDENT, "propose"),
    ("议事 #Y3", None, "text", RESIDENT, "propose"),
    ("支持 #Y3", None, "text", RESIDENT, "vote"),
    ("+1 #Y3", None, "text", RESIDENT, "vote"),  # a proposal's +1 is a vote …
    ("+1", PROPOSAL_MESSAGE, "text", RESIDENT, "vote"),
    ("+1", TICKET_MESSAGE, "text", RESIDENT, "follow"),  # … a ticket's +1 is a follow
    ("+1 #5", None, "text", RESIDENT, "follow"),
    ("支持", None, "text", RESIDENT, "classified"),  # 支持 alone is talk
    ("备注 #Y3 已联系物业", None, "text", STAFF, "proposal_note"),
    ("积分", None, "text", RESIDENT, "points_balance"),
    ("积分商城", None, "text", RESIDENT, "points_shop"),
    ("兑换 鸡蛋", None, "text", RESIDENT, "points_shop"),
    ("上架 鸡蛋 20分 库存50", None, "text", RESIDENT, "points_shop_admin"),  # it refuses residents itself
    ("记积分 @liuayi 10 志愿服务", None, "text", STAFF, "points_award"),
    ("答复 Q7 周二上午收", None, "text", STAFF, "knowledge_answer"),
    ("入库 问：几点收垃圾 答：早八点", None, "text", STAFF, "knowledge_add"),
    ("受理 #12", None, "text", STAFF, "staff_command"),
    ("受理 #12", None, "text", RESIDENT, "staff_command"),  # it answers 没有权限 itself
    ("确认 #12", None, "text", STAFF, "staff_command"),  # 确认 with a ticket is 受理, not a broadcast
    ("受理", TICKET_MESSAGE, "text", STAFF, "staff_command"),
    ("受理", None, "text", STAFF, "staff_command"),  # staff are asked which ticket
    ("受理", None, "text", RESIDENT, "classified"),
    ("收到", None, "text", STAFF, "chatter"),  # everyday words need a ticket number
    ("你好", None, "text", RESIDENT, "chatter"),  # a bare greeting or acknowledgement asks nothing …
    ("您好，请问在吗？", None, "text", RESIDENT, "chatter"),
    ("@网格长\u2005在嗎", None, "text", RESIDENT, "chatter"),
    ("收\u200b到👌", None, "text", RESIDENT, "chatter"),
    ("[强][强]", None, "text", RESIDENT, "chatter"),
    ("大家早上好呀🌞", None, "text", RESIDENT, "chatter"),
    ("你好，我家下水道堵了", None, "text", RESIDENT, "classified"),  # … unless more words follow
    ("在吗 电梯里困人了", None, "text", RESIDENT, "classified"),
    ("派 水务局 #12", None, "text", STAFF, "staff_command"),
    ("登记 #M12 路灯", None, "text", STAFF, "register"),
    ("登记 #M12 路灯", None, "text", RESIDENT, "classified"),
    ("通知 幸福里社区：明天停水", None, "text", STAFF, "broadcast"),
    ("通知报告 #B3", None, "text", STAFF, "broadcast"),
    ("确认发送", None, "text", RESIDENT, "classified"),  # only staff confirm a broadcast
    ("满意", None, "text", RESIDENT, "rating"),
    ("满意 #5", None, "text", RESIDENT, "rating"),
    ("不满意 #5 还在漏", None, "text", RESIDENT, "rating"),
    ("一般", None, "text", RESIDENT, "classified"),  # 一般 without a ticket is talk
    ("我家也是", TICKET_MESSAGE, "text", RESIDENT, "follow"),
    ("我家也是", None, "text", RESIDENT, "classified"),  # no ticket named: the classifier decides
    ("进度 #5", None, "text", RESIDENT, "status"),
    ("进度", None, "text", RESIDENT, "follow_up"),  # which ticket: decided in handle (handlers.conversation)
    ("3号楼下水道堵了，污水冒出来了", None, "text", RESIDENT, "classified"),
]


@pytest.mark.parametrize("text,quote,msg_type,sender,expected", ROUTES,
                         ids=[f"{r[0][:10] or r[2]}-{r[3].name}" for r in ROUTES])
def test_each_kind_of_message_reaches_its_handler(text, quote, msg_type, sender, expected):
    chosen = pipeline.first_match(message(text, quote, msg_type), context(sender))
    assert chosen is not None and chosen[0].name == expected


def test_nothing_matches_a_blank_text_and_the_outcome_is_empty():
    assert pipeline.first_match(message("   "), context(RESIDENT)) is None
    assert pipeline.run(message("   "), context(RESIDENT)) == Outcome()


def test_chit_chat_never_loads_the_sender():
    loads = []
    ctx = Context(session=None, settings=None, classify=None, now=datetime.now(timezone.utc), chat=None,
                  inbox_id=1, load_person=lambda: loads.append(1) or RESIDENT)
    assert pipeline.first_match(message("收到"), ctx)[0].name == "chatter"
    assert pipeline.first_match(message("今天天气真好"), ctx)[0].name == "classified"
    assert loads == []
    assert ctx.person is RESIDENT and ctx.person is RESIDENT and loads == [1]  # then once, and kept
