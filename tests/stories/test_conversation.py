"""The conversation layer through the real webhook: follow-ups, questions, continuations, neighbours."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import Ticket, TicketEvent, TicketFollower
from tests.chat import ChatDriver
from tests.stories.helpers import outbox_texts


@pytest.fixture
def chat(client, demo):
    return ChatDriver(client)


def number(reply: str) -> int:
    found = re.search(r"#(\d+)", reply)
    assert found, reply
    return int(found.group(1))


def tickets(svc) -> int:
    with svc.db.session() as s:
        return s.execute(select(func.count(Ticket.id))).scalar_one()


def events(svc, ticket_id: int, action: str) -> list[str]:
    with svc.db.session() as s:
        return list(s.execute(select(TicketEvent.note).where(
            TicketEvent.ticket_id == ticket_id, TicketEvent.action == action)).scalars())


def test_progress_and_urges_join_the_senders_own_ticket(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    svc.clock.advance(600)
    for line in ("进度", "我那个下水道的事怎么样了", "有人管了没", "怎麼樣了"):
        reply = chat.say("chat-g1", "zhangdaye", line)
        assert f"#{n}" in reply and "下水排水" in reply, line
    urged = chat.say("chat-g1", "zhangdaye", "到底修不修啊 都三天了")
    assert f"#{n}" in urged and "催办" in urged
    assert tickets(svc) == 1
    assert len(events(svc, n, "followup")) == 4 and len(events(svc, n, "urge")) == 1
    # The urge reaches whoever holds the ticket (the grid leader), once per half hour.
    assert any("【催办】" in t and f"#{n}" in t for t in outbox_texts(svc, "wangfang"))
    again = chat.say("chat-g1", "zhangdaye", "催一下")
    assert "刚刚已催办过" in again
    assert sum("【催办】" in t for t in outbox_texts(svc, "wangfang")) == 1


def test_a_follow_up_from_someone_without_a_ticket_is_asked_what_it_is_about(chat, svc):
    assert "请说一下是什么问题" in chat.say("chat-g1", "chenxin", "进度")
    # … and "怎么样了" between neighbours is talk, not a question to the bot.
    assert chat.say("chat-g1", "liuayi", "你家孙子考试怎么样了") == ""
    assert tickets(svc) == 0


def test_naming_someone_elses_ticket_shows_its_state_but_presses_nothing(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    reply = chat.say("chat-g1", "chenxin", f"催一下 #{n}")
    assert f"#{n}" in reply and "不是您反映的工单" in reply
    assert events(svc, n, "urge") == []


def test_several_open_tickets_pick_by_words_else_ask_which(chat, svc):
    a = number(chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    svc.clock.advance(600)
    b = number(chat.say("chat-g1", "zhangdaye", "小区东门的路灯坏了好几天了"))
    svc.clock.advance(600)
    assert f"#{b}" in chat.say("chat-g1", "zhangdaye", "路灯那个事怎么样了")
    asked = chat.say("chat-g1", "zhangdaye", "进度")
    assert f"#{a}" in asked and f"#{b}" in asked and "哪一张" in asked
    assert f"#{a}" in chat.say("chat-g1", "zhangdaye", f"#{a}")
    assert "哪一张" in chat.say("chat-g1", "zhangdaye", "进度")
    answered = chat.say("chat-g1", "zhangdaye", "第二个")
    assert f"#{b}" in answered and f"#{a}" not in answered
    assert tickets(svc) == 2


def test_a_vague_report_gets_one_question_and_the_answer_opens_the_ticket(chat, svc):
    assert chat.say("chat-g1", "liuayi", "看图 这里又这样了") == "请说一下是什么问题、在哪个位置，我来登记。"
    assert chat.say("chat-g1", "liuayi", "这个问题有没有人管") == ""  # asked once already
    # A neighbour's line is not her answer; her own next line is.
    assert chat.say("chat-g1", "zhoujie", "大家早上好") == ""
    opened = chat.say("chat-g1", "liuayi", "5号楼门口垃圾堆满了没人清，臭死了")
    assert "已登记工单" in opened
    assert tickets(svc) == 1


def test_the_question_expires(chat, svc):
    chat.say("chat-g1", "liuayi", "看图")
    svc.clock.advance(3600)
    assert "请说一下" in chat.say("chat-g1", "liuayi", "这里又这样了")  # a new question, not an answer


def test_a_continuation_adds_details_to_the_fresh_report(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "下水道堵了，污水都冒出来了"))
    svc.clock.advance(60)
    added = chat.say("chat-g1", "zhangdaye", "就在3号楼2单元门口，已经两天了")
    assert f"#{n}" in added and ("补充" in added)
    assert tickets(svc) == 1
    with svc.db.session() as s:
        t = s.get(Ticket, n)
        assert "两天" in t.description and "3号楼" in t.place_text
    assert chat.say("chat-g1", "zhangdaye", "谢谢") == ""
    # After the window, a new line is judged alone again.
    svc.clock.advance(3600)
    assert "补充" not in chat.say("chat-g1", "zhangdaye", "3号楼门口积水很深")


def test_a_neighbours_paraphrase_follows_the_open_ticket(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "小区东门的路灯坏了好几天了"))
    svc.clock.advance(3 * 3600)
    reply = chat.say("chat-g1", "liuayi", "大门口晚上黑漆漆的，路灯不亮，老人走路不安全")
    assert f"#{n}" in reply and "关注" in reply
    assert tickets(svc) == 1
    with svc.db.session() as s:
        assert s.execute(select(func.count(TicketFollower.id)).where(TicketFollower.ticket_id == n)).scalar_one() == 1


def test_bad_input_never_breaks_the_conversation(chat, svc):
    clauses = ["楼上半夜装修吵得睡不着", "垃圾没人清", "路灯不亮", "下水道堵了", "狗乱叫", "车乱停", "电梯异响",
               "墙皮脱落", "暖气不热", "井盖松了"]
    long_rant = ("，还有".join(clauses) + "。" + "真的受不了了" * 400)[:2000]
    assert len(long_rant) == 2000
    assert chat.post("chat-g1", "zhangdaye", long_rant).status_code == 200
    for line in ("👌", "🌸🌸🌸", "1", "[强][强]", "\u200b\u200b"):
        assert chat.say("chat-g1", "liuayi", line) == "", line
    # Zero-width characters inside the words still read as the words.
    assert "请说一下" in chat.say("chat-g1", "chenxin", "进\u200b度")


def test_the_memory_is_bounded_and_expires(chat, svc):
    from handlers.memory import CHAT_LINES, LINE_CHARS, STATE_TTL_SECONDS

    for i in range(CHAT_LINES + 15):
        chat.say("chat-g1", f"neighbour{i}", f"哈哈哈{i}" + "好" * 500)
    memory = svc.memory
    lines = memory.recent_lines("robot:chat-g1")  # handlers.conversation.keys: channel and chat
    assert len(lines) == CHAT_LINES and all(len(x.text) <= LINE_CHARS for x in lines)
    assert lines[0].text.startswith(f"哈哈哈{CHAT_LINES + 14}")  # newest first
    keys = list(svc.redis.scan_iter("gw:conv:*"))
    assert keys and all(0 < svc.redis.ttl(k) <= STATE_TTL_SECONDS for k in keys)


def test_a_place_answer_fills_the_ticket_but_a_new_report_is_not_an_answer(chat, svc):
    first = number(chat.say("chat-g1", "zhangdaye", "路灯坏了 晚上很黑"))
    svc.clock.advance(60)
    second = chat.say("chat-g1", "zhangdaye", "还有3号楼下水道堵了，污水都冒出来了")
    assert "已登记工单" in second and number(second) != first
    filled = chat.say("chat-g1", "zhangdaye", "路灯在小区南门")
    assert f"#{first}" in filled
    with svc.db.session() as s:
        assert "南门" in s.get(Ticket, first).place_text


def test_a_neighbours_agreement_follows_the_latest_report(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "楼下那帮人天天晚上十点多还在广场跳舞 音响开老大声"))
    svc.clock.advance(600)
    reply = chat.say("chat-g1", "liuayi", "确实 吵得睡不着觉")
    assert f"#{n}" in reply and tickets(svc) == 1
    svc.clock.advance(60)
    assert f"#{n}" in chat.say("chat-g1", "chenxin", "我家也是") and tickets(svc) == 1
    # Agreement about something else is talk, and an old report is no longer what "我家也是" means.
    assert chat.say("chat-g1", "chenxin", "我家也包饺子了") == ""
    svc.clock.advance(7 * 3600)
    assert f"#{n}" not in chat.say("chat-g1", "wx_laozhou", "我家也是")


def test_the_same_problem_later_still_joins_the_fresh_report(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "2号楼电梯坏了 停了一天了"))
    svc.clock.advance(25 * 60)
    added = chat.say("chat-g1", "zhangdaye", "这电梯得好好查查 老是坏")
    assert f"#{n}" in added and "补充" in added and tickets(svc) == 1
    # Another problem, or the same one at another building, is its own report.
    svc.clock.advance(10 * 60)
    assert f"#{n}" not in chat.say("chat-g1", "zhangdaye", "5号楼电梯也坏了")
    assert tickets(svc) == 2


def test_a_follow_up_about_a_report_naming_no_other_problem_is_the_senders(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "3号楼楼上天天早上七点就开始装修电钻"))
    svc.clock.advance(24 * 3600)
    reply = chat.say("chat-g1", "zhangdaye", "还是那样 今天又七点开钻 有人管没")
    assert f"#{n}" in reply and tickets(svc) == 1


def test_a_bare_number_picks_from_the_tickets_listed_else_it_is_an_acknowledgement(chat, svc):
    a = number(chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了"))
    svc.clock.advance(600)
    b = number(chat.say("chat-g1", "zhangdaye", "小区东门的路灯坏了好几天了"))
    svc.clock.advance(600)
    assert chat.say("chat-g1", "zhangdaye", "1") == ""  # nothing asked: an acknowledgement
    asked = chat.say("chat-g1", "zhangdaye", "进度")
    assert f"#{a}" in asked and f"#{b}" in asked
    answered = chat.say("chat-g1", "zhangdaye", "1")
    assert f"#{a}" in answered and f"#{b}" not in answered
    assert chat.say("chat-g1", "zhangdaye", "2") == ""  # answered: "2" is talk again
    assert tickets(svc) == 2


def test_a_bare_plus_one_joins_the_report_it_answers_and_nothing_else(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "东门那排路灯全都不亮了 晚上黑得看不见路"))
    svc.clock.advance(40 * 60)
    assert f"#{n}" in chat.say("chat-g1", "liuayi", "+1")
    assert f"#{n}" in chat.say("chat-g1", "chenxin", "同款 我下班回来差点摔了")  # after another agreement
    # After other talk, "+1" signs up for whatever was said last, not for the report.
    chat.say("chat-g1", "wx_laozhou", "#接龙 周六团购草莓 20元一斤\n1. 老周 2斤")
    assert chat.say("chat-g1", "wx_xiaoma", "+1") == ""
    assert tickets(svc) == 1


def test_agreement_in_dialect_right_after_a_report_joins_it(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "5号楼后面垃圾站满出来了 好几天没人清"))
    svc.clock.advance(20 * 60)
    assert f"#{n}" in chat.say("chat-g1", "wx_pangjie", "是的嘛 我每回路过都要捂到鼻子")
    assert f"#{n}" in chat.say("chat-g1", "wx_ahua", "我屋头也是 天天闻到")
    assert tickets(svc) == 1


def test_a_line_opening_with_a_ticket_number_adds_to_that_ticket(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "3号楼2单元楼道里有人飞线给电动车充电"))
    svc.clock.advance(24 * 3600)
    reply = chat.say("chat-g1", "zhangdaye", f"#{n} 今晚又拉出来了 插头就挂在窗户外面")
    assert f"#{n}" in reply and tickets(svc) == 1
    with svc.db.session() as s:
        assert "插头就挂在窗户外面" in s.get(Ticket, n).description


def test_nobody_answering_is_an_urge_on_the_senders_ticket(chat, svc):
    n = number(chat.say("chat-g1", "liuayi", "1号楼电梯门坏了 关不上"))
    svc.clock.advance(30 * 60)
    reply = chat.say("chat-g1", "liuayi", "等咗半个钟都冇人嚟 点算啊")  # Cantonese: waited half an hour, nobody came
    assert f"#{n}" in reply and "催办" in reply and tickets(svc) == 1


def test_a_place_answer_may_repeat_the_reports_own_words(chat, svc):
    n = number(chat.say("chat-g1", "chenxin", "楼上天天半夜拖椅子 咚咚响 烦死了"))
    svc.clock.advance(120)
    assert f"#{n}" in chat.say("chat-g1", "chenxin", "8栋1单元 就是我楼上那户")
    with svc.db.session() as s:
        assert "8栋1单元" in s.get(Ticket, n).place_text
    assert tickets(svc) == 1


def test_a_second_alarm_of_the_same_kind_soon_after_joins_the_first(chat, svc):
    first = chat.say("chat-g1", "zhangdaye", "6号楼独居的赵奶奶俩天没见人了 敲门不开 电话也不接")
    assert "110" in first and tickets(svc) == 1
    svc.clock.advance(20 * 60)
    second = chat.say("chat-g1", "liuayi", "门打开了 人倒在地上 还有气 快叫救护车")
    assert f"#{number(first)}" in second and "120" in second and tickets(svc) == 1
    # Somewhere else it is another emergency.
    third = chat.say("chat-g1", "chenxin", "9号楼门口有个大爷晕倒了")
    assert tickets(svc) == 2 and f"#{number(first)}" not in third


def test_agreeing_with_an_alarm_follows_it_and_the_reporters_own_line_may_come_between(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "南门口路面塌了个大坑 电动车差点翻进去"))
    svc.clock.advance(600)
    assert f"#{n}" in chat.say("chat-g1", "liuayi", "就是就是 我昨晚也差点栽进去")
    m = number(chat.say("chat-g1", "chenxin", "12号楼车库道闸坏了 杆子抬不起来"))
    chat.say("chat-g1", "chenxin", f"#{m}咋样了 还堵着呢")
    assert f"#{m}" in chat.say("chat-g1", "wx_chezhu", "同上 俺在这排了二十分钟了")


def test_a_ticket_number_anywhere_in_a_line_is_about_that_ticket(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "3号楼电梯门关不严 一直报警"))
    svc.clock.advance(3 * 24 * 3600)
    reply = chat.say("chat-g1", "zhangdaye", f"上次那个#{n}又坏了 门还是关不严实")
    assert f"#{n}" in reply and tickets(svc) == 1


def test_calling_for_attention_is_not_a_report(chat, svc):
    assert chat.say("chat-g1", "wx_shandong", "网格长在不在，跟恁说个事") == ""
    reply = chat.say("chat-g1", "wx_shandong", "俺家楼上空调外机滴水 正好滴俺窗台上 19号楼")
    assert "已登记工单" in reply and tickets(svc) == 1


def test_a_leak_still_dripping_presses_the_leak_not_a_rubbish_problem(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "半夜楼上漏水漏到卧室 滴了一床 17号楼"))
    svc.clock.advance(10 * 60)
    reply = chat.say("chat-g1", "zhangdaye", "敲楼上门也不开 水还在滴 盆都接满了")
    assert f"#{n}" in reply and tickets(svc) == 1


def test_the_reporter_saying_it_is_fixed_goes_on_the_ticket_and_to_its_holder(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "8号楼门口下水道堵了 臭得很"))
    svc.clock.advance(26 * 3600)
    reply = chat.say("chat-g1", "zhangdaye", "通了，味儿也没了，谢谢师傅")
    assert f"#{n}" in reply and "评价" in reply and tickets(svc) == 1
    with svc.db.session() as s:
        notes = s.execute(select(TicketEvent.note).where(TicketEvent.ticket_id == n)).scalars().all()
    assert any("问题已消除" in (x or "") for x in notes)
    assert any(f"#{n}" in t and "问题已消除" in t for t in outbox_texts(svc, "wangfang"))
    # "好了好了 知道了" is an acknowledgement, not news about the ticket.
    assert f"#{n}" not in chat.say("chat-g1", "zhangdaye", "好了好了 知道了")


def test_an_outage_at_the_next_building_is_the_same_outage(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "我们9号楼怎么突然停水了 也没通知"))
    svc.clock.advance(300)
    assert f"#{n}" in chat.say("chat-g1", "liuayi", "我们10号楼也停了")
    assert tickets(svc) == 1


def test_a_question_to_a_neighbour_by_name_is_left_to_them(chat, svc):
    assert chat.say("chat-g1", "liuayi", "王姐，明天体检要空腹吗") == ""
    assert "Q" in chat.say("chat-g1", "liuayi", "网格长，明天体检要空腹吗")


def test_neighbours_confirm_in_their_own_words_after_staff_acknowledged(chat, svc):
    n = number(chat.say("chat-g1", "zhangdaye", "东门那个井盖没盖严 翘起来半边 差点把人绊倒"))
    chat.say("chat-g1", "liqiang", "收到，我马上过去放个警示牌")
    svc.clock.advance(300)
    assert f"#{n}" in chat.say("chat-g1", "wx_dongmen", "刚路过看到了，确实翘得老高")
    assert f"#{n}" in chat.say("chat-g1", "liuayi", "我下楼也看见了 晚上更吓人")
    assert tickets(svc) == 1


def test_an_alarm_opening_with_kuailairen_is_an_alarm_not_an_urge(chat, svc):
    reply = chat.say("chat-g1", "wx_gongtou", "快来人！工地有个师傅从脚手架上摔下来了 头上在流血")
    assert "120" in reply and tickets(svc) == 1


def test_what_a_witness_adds_during_an_emergency_joins_it(chat, svc):
    first = chat.say("chat-g1", "zhangdaye", "快来人 工地有个师傅从架子上摔下来了 头在流血")
    n = number(first)
    svc.clock.advance(120)
    assert f"#{n}" in chat.say("chat-g1", "wx_gongyou", "我就在旁边 人还有气 我们没敢动他")
    assert tickets(svc) == 1
    # Half an hour later, or about another problem, it is a report of its own.
    svc.clock.advance(40 * 60)
    chat.say("chat-g1", "liuayi", "3号楼下水道堵了 污水冒出来了")
    assert tickets(svc) == 2
