"""政策问答 through the real webhook: answered from entries and notices, else forwarded to the
grid leader, whose one reply answers the resident and becomes a new entry."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import handlers.knowledge as kb
from bot.local.callback_client import wecom_callback, wecom_text_xml
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN
from models import KnowledgeEntry, Notice, OrgUnit, PendingQuestion
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts, ref


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def unit(s, code: str) -> OrgUnit:
    return s.execute(select(OrgUnit).where(OrgUnit.code == code)).scalar_one()


def test_the_knowledge_base_answers_residents_within_its_scope(chat, svc, monkeypatch):
    """Only staff add entries; an entry answers and is cited, inside its community only; expired
    entries and unsent notices are not used; the index is built once and rebuilt on a change."""
    assert "只有工作人员" in chat.say("chat-g1", "zhangdaye", "入库 问：随便 答：随便")

    added = chat.say("chat-c1", "huangshuji",
                     "入库 问：高龄补贴怎么申请｜80岁老人津贴去哪办 答：80周岁以上老人持身份证、户口本到社区服务站申请，每月发放。")
    assert "已存入知识库 K" in added and "幸福里社区" in added
    entry_id = ref(r"K(\d+)", added)
    reply = chat.say("chat-g1", "zhangdaye", "请问80岁以上老人的高龄津贴在哪里办理？")
    assert "社区服务站申请" in reply and f"K{entry_id}" in reply and "幸福里社区" in reply
    assert outbox_texts(svc, "wangfang") == []  # nothing bothered the grid leader
    # The entry is scoped to 幸福里社区: a resident of 光明社区 is forwarded instead.
    other = chat.say("chat-g4", "gaoyang", "请问80岁以上老人的高龄津贴在哪里办理？")
    assert "转给网格长" in other
    assert any("高龄津贴" in t for t in outbox_texts(svc, "linfeng"))

    # Expired entries and notices not yet sent answer nothing.
    now = svc.clock.now()
    with svc.db.session() as s:
        kb.add_entry(s, question="疫苗接种时间", answer="每周二上午在社区卫生站接种。", unit=None, author=None,
                     now=now, valid_to=now - timedelta(days=1))
        s.add(Notice(title="3号楼停水通知", body="因管道维修，11月25日9:00-17:00幸福里3号楼停水，请提前储水。",
                     target="幸福里3号楼", org_unit_id=unit(s, "G1").id, created_at=now))
        s.commit()
    assert "转给网格长" in chat.say("chat-g1", "zhangdaye", "社区疫苗接种是什么时候？")
    assert "转给网格长" in chat.say("chat-g1", "liuayi", "3号楼明天停水吗")
    with svc.db.session() as s:  # the broadcast is sent: now it answers, citing the notice
        s.execute(Notice.__table__.update().values(sent_at=now))
        s.commit()
    answered = chat.say("chat-g1", "chenxin", "3号楼什么时候停水？")
    assert "停水通知" in answered and "11月25日" in answered

    # The index is built once, and again when an entry is added.
    builds = []
    real = kb.build_index
    monkeypatch.setattr(kb, "build_index", lambda s: builds.append(1) or real(s))
    kb._cache.clear()
    chat.say("chat-g1", "zhangdaye", "请问垃圾分类的投放时间是几点")
    chat.say("chat-g1", "liuayi", "请问垃圾分类的投放时间是几点？")
    assert len(builds) == 1
    chat.say("chat-c1", "huangshuji", "入库 问：垃圾分类投放时间 答：每天7:00-9:00和18:00-20:00定时定点投放。")
    answer = chat.say("chat-g1", "chenxin", "请问垃圾分类的投放时间是几点")
    assert "定时定点" in answer and len(builds) == 2


def test_a_leaders_answer_reaches_the_resident_and_becomes_an_entry(chat, svc, client):
    """A question nobody can answer goes to the grid leader; a reply by quote in the group or by
    number in a direct message answers the resident, and becomes an entry for the next one."""
    asked = chat.say("chat-g1", "zhangdaye", "请问居住证怎么办理，需要带什么材料？")
    qid = ref(r"Q(\d+)", asked)
    forwarded = [t for t in outbox_texts(svc, "wangfang") if f"Q{qid}" in t]
    assert forwarded and "居住证" in forwarded[0]

    # Someone else's leader and a plain resident cannot answer it.
    assert "只有该网格" in chat.say("chat-g2", "zhaomin", "答复 办理需要身份证", quote=forwarded[0])
    assert "只有该网格" in chat.say("chat-g1", "liuayi", f"答复 Q{qid} 随便说说")
    # The grid leader quotes the forwarded question and answers in one line.
    done = chat.say("chat-g1", "wangfang", "答复 带身份证、租房合同到派出所户籍窗口办理，约15个工作日。",
                    quote=forwarded[0])
    assert f"Q{qid}" in done and "知识库 K" in done and "幸福里第一网格" in done
    assert any("派出所户籍窗口" in t and "张大爷" in t for t in outbox_texts(svc, "chat-g1"))
    with svc.db.session() as s:
        entry = s.execute(select(KnowledgeEntry)).scalar_one()
        assert (entry.source, entry.org_unit_id) == ("leader", unit(s, "G1").id)
        assert s.get(PendingQuestion, qid).entry_id == entry.id

    # The next neighbour asking the same gets the answer at once.
    again = chat.say("chat-g1", "liuayi", "居住证怎么办理？")
    assert "派出所户籍窗口" in again and f"K{entry.id}" in again

    # The leader can also answer by number in a direct message to the bot.
    asked = chat.say("chat-g1", "zhangdaye", "请问医保缴费截止到哪天？")
    qid = ref(r"Q(\d+)", asked)
    xml = wecom_text_xml(DEMO_CORP_ID, "wangfang", f"回复 Q{qid} 今年城乡居民医保缴费截止到12月31日。", "dm-1")
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    resp = client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type)
    assert resp.status_code == 200
    assert any("12月31日" in t for t in outbox_texts(svc, "chat-g1"))
    with svc.db.session() as s:
        assert s.get(PendingQuestion, qid).answered_at is not None
