"""Every path out masks residents' words and keeps staff's official numbers (issue #16 item 4),
checked where the text actually arrives: the fake WeCom for groups, the outbox for direct pushes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.local.callback_client import wecom_callback, wecom_text_xml
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from models import InboxMessage, KnowledgeEntry, OrgUnit, ProposalNote, RoleAssignment
from tests import fake_api
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, person_id, ref

fake_wechat = fake_api.fake_wechat
settings = fake_api.settings

PHONE, DOOR = "13912345678", "501"


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def group_texts(fake, chat_id: str) -> list[str]:
    return [m.text for m in fake.state.messages_for(chat_id)]


def test_a_notice_keeps_its_official_hotline(chat, svc, fake_wechat):
    notice = "明天停水，咨询电话0532-88886666，或拨打12345。"
    chat.say("chat-c1", "huangshuji", f"通知 幸福里社区：{notice}")
    chat.say("chat-c1", "huangshuji", "确认发送")
    [text] = group_texts(fake_wechat, "chat-g1")
    assert "0532-88886666" in text and "12345" in text and "咨询电话0532-88886666，或拨打" in text


def test_a_leaders_answer_keeps_the_hotline_and_the_entry_is_stored_masked(chat, svc, fake_wechat):
    asked = chat.say("chat-g1", "zhangdaye", f"请问居住证怎么办理？我住5号楼2单元{DOOR}，电话{PHONE}")
    qid = ref(r"Q(\d+)", asked)
    forwarded = [t for t in outbox_texts(svc, "wangfang") if f"Q{qid}" in t]
    chat.say("chat-g1", "wangfang", "答复 带身份证到派出所户籍窗口办理，咨询电话0532-88886666。", quote=forwarded[0])
    [told] = [t for t in group_texts(fake_wechat, "chat-g1") if f"Q{qid}" in t]
    assert "0532-88886666" in told and PHONE not in told and f"单元{DOOR}" not in told and "关于「" in told
    with svc.db.session() as s:
        entry = s.execute(select(KnowledgeEntry)).scalar_one()
    assert PHONE not in entry.question and f"单元{DOOR}" not in entry.question and "居住证" in entry.question
    assert "0532-88886666" in entry.answer
    # The next resident gets the entry cited: the first resident's phone and door never come back,
    # the official number does, also as the passive reply into the group.
    again = chat.say("chat-g1", "liuayi", "居住证怎么办理？")
    assert "派出所户籍窗口" in again and "0532-88886666" in again
    assert PHONE not in again and f"单元{DOOR}" not in again


def test_escalation_and_proposal_pushes_mask_before_cutting(chat, svc, fake_wechat):
    # The phone sits across the 200th character: cut first, its first digits would leak.
    text = "下水道堵了" + "，" * 188 + f"电话{PHONE}"
    n = ref(r"#(\d+)", chat.say("chat-g1", "zhangdaye", text))
    chat.say("chat-g1", "wangfang", f"上报 #{n} 需要社区协调")
    chat.say("chat-c1", "huangshuji", f"派 水务局 #{n}")
    pushed = outbox_texts(svc, "chat-c1") + outbox_texts(svc, "chat-water")
    assert pushed and not any("1391" in t for t in pushed)
    opened = chat.say("chat-g1", "liuayi", f"议事：建议3号楼加装电梯，有意见请联系我{PHONE}")
    pid = ref(r"#Y(\d+)", opened)
    assert PHONE not in chat.say("chat-g1", "chenxin", f"议事 #Y{pid}")


@pytest.mark.parametrize("redis_forgot", [False, True], ids=["redis-dedup", "database-dedup"])
def test_a_retried_delivery_replays_the_reply_exactly_as_first_delivered(chat, svc, redis_forgot):
    # A knowledge answer is staff text: its hotlines reached the group on the first delivery and
    # were lost on WeChat's retry, which re-masked the stored reply with the residents' rules.
    asked = chat.say("chat-g1", "zhangdaye", "请问居住证怎么办理？")
    qid = ref(r"Q(\d+)", asked)
    forwarded = [t for t in outbox_texts(svc, "wangfang") if f"Q{qid}" in t]
    chat.say("chat-g1", "wangfang", f"答复 带身份证到派出所户籍窗口办理，咨询电话010-8888-6666，或拨打12345，"
             f"也可找楼长{PHONE}。", quote=forwarded[0])

    def twice(user: str, text: str, msg_id: str) -> tuple[str, str]:
        first = chat.say("chat-g1", user, text, msg_id=msg_id)
        if redis_forgot:
            svc.redis.flushdb()  # the retry is then caught by the database's unique key
        return first, chat.say("chat-g1", user, text, msg_id=msg_id)

    first, retry = twice("liuayi", "居住证怎么办理？", "kb-retry-1")
    assert first == retry and "派出所户籍窗口" in retry
    assert "010-8888-6666" in retry and "12345" in retry and PHONE not in retry
    # A resident's own words echoed back (a proposal) stay masked on the retry too.
    first, retry = twice("chenxin", f"议事：建议3号楼加装电梯，有意见请联系我{PHONE}", "y-retry-1")
    assert first == retry and "#Y" in retry and PHONE not in retry


LANDLINE = "0532-88886666"


def one_to_one_reply(client, svc, user: str, text: str, msg_id: str) -> str:
    """A message to the app one-to-one (no group, so no masking at the door): the reply it got."""
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, wecom_text_xml(DEMO_CORP_ID, user, text, msg_id))
    assert client.post("/wecom/callback", query_string=cb.params, data=cb.body,
                       content_type=cb.content_type).status_code == 200
    with svc.db.session() as s:
        return s.execute(select(InboxMessage.reply_text).where(InboxMessage.msg_id == msg_id)).scalar_one()


def stored_notes(svc) -> list[str]:
    with svc.db.session() as s:
        return list(s.execute(select(ProposalNote.text).order_by(ProposalNote.id)).scalars())


def test_a_staff_note_on_a_proposal_keeps_its_hotline_and_masks_a_residents_mobile(chat, svc, fake_wechat):
    pid = ref(r"#Y(\d+)", chat.say("chat-g1", "zhangdaye", "议事：建议3号楼加装电梯"))
    # From the community's chat, so the note is also pushed into the grid's chat.
    chat.say("chat-c1", "huangshuji", f"备注 #Y{pid} 加装政策请咨询{LANDLINE}或12345，业主{PHONE}已同意")
    [pushed] = [t for t in group_texts(fake_wechat, "chat-g1") if "新备注" in t]
    status = chat.say("chat-g1", "liuayi", f"议事 #Y{pid}")
    [stored] = stored_notes(svc)
    for text in (pushed, status, stored):
        assert LANDLINE in text and "12345" in text and PHONE not in text and "业主" in text


def test_a_party_members_note_is_masked_as_a_residents_words(chat, svc, client, fake_wechat):
    with svc.db.session() as s:
        g1 = s.execute(select(OrgUnit.id).where(OrgUnit.code == "G1")).scalar_one()
        s.add(RoleAssignment(person_id=person_id(svc, "liuayi"), role="party_member", org_unit_id=g1))
        s.commit()
    pid = ref(r"#Y(\d+)", chat.say("chat-g1", "zhangdaye", "议事：建议3号楼加装电梯"))
    assert "已为议题" in chat.say("chat-g1", "liuayi", f"备注 #Y{pid} 我家电话{LANDLINE}，住3号楼2单元{DOOR}")
    # Shown one-to-one nothing masks it at the door: it must have been masked as a resident's words.
    status = one_to_one_reply(client, svc, "chenxin", f"议事 #Y{pid}", "y-status-dm-1")
    [stored] = stored_notes(svc)
    assert "备注" in status
    for text in (status, stored):
        assert LANDLINE not in text and f"单元{DOOR}" not in text and "3号楼2单元" in text
