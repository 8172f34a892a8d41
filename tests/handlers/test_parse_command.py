"""parse_command: the short words people type, read into (command, ticket, argument) by rules."""
from __future__ import annotations

import pytest

from handlers.commands import message_ref, parse_command, ticket_ref

QUOTED = "已登记工单 #7（下水排水），由幸福里第一网格网格长负责"

# (text, quoted bot message, expected (name, ticket, arg, ticket from the quote) or None)
CASES = [
    # staff commands, with the ticket typed or taken from the quoted bot message
    ("受理 #12", None, ("accept", 12, "", False)),
    ("受理", QUOTED, ("accept", 7, "", True)),
    ("受理 #12", QUOTED, ("accept", 12, "", False)),  # the typed number wins over the quote
    ("受理", "hello", ("accept", None, "", False)),
    ("# 12 受理", None, ("accept", 12, "", False)),
    ("@网格哨 受理 #12", None, ("accept", 12, "", False)),  # leading mentions are not the command
    ("收到", None, ("accept", None, "", False)),  # a command word; the handler decides it is chat
    ("办结 #5 已疏通", None, ("resolve", 5, "已疏通", False)),
    ("已办结 #5", None, ("resolve", 5, "", False)),
    ("上报 #5 需要社区协调", None, ("escalate", 5, "需要社区协调", False)),
    ("吹哨 #3：积水三天了", None, ("escalate", 3, "积水三天了", False)),
    ("派 水务局 #5", None, ("dispatch", 5, "水务局", False)),
    ("派单 #5 水务局", None, ("dispatch", 5, "水务局", False)),
    ("报到 #5", None, ("claim", 5, "", False)),
    ("驳回 #5 不属于本网格", None, ("reject", 5, "不属于本网格", False)),
    ("不受理 #5 重复", None, ("reject", 5, "重复", False)),  # not 受理
    ("改为 路灯 #5", None, ("recategorise", 5, "路灯", False)),
    ("登记 #M12 路灯", None, ("register", None, "#M12 路灯", False)),  # #M12 is a message, not a ticket
    ("立案 #M3", None, ("register", None, "#M3", False)),
    # residents
    ("满意", None, ("rate_good", None, "", False)),
    ("满意！#2", None, ("rate_good", 2, "", False)),
    ("非常满意 #8", None, ("rate_good", 8, "", False)),
    ("基本满意#4", None, ("rate_ok", 4, "", False)),
    ("不满意 #3 还是漏水", None, ("rate_bad", 3, "还是漏水", False)),  # never read as 满意
    ("+1", QUOTED, ("follow", 7, "", True)),
    ("加一 #4", None, ("follow", 4, "", False)),
    ("我家也是", None, ("follow", None, "", False)),
    ("同样", None, ("follow", None, "", False)),
    ("进度 #3", None, ("status", 3, "", False)),
    ("查进度 #4", None, ("status", 4, "", False)),
    ("帮助", None, ("help", None, "", False)),
    ("？", None, ("help", None, "", False)),  # full-width, normalised
    ("HELP", None, ("help", None, "", False)),
    # careless input (issue #16 item 12): zero-width marks, numbers without "#", full-width forms
    ("受\u200b理 #5", None, ("accept", 5, "", False)),
    ("办\u200d结\ufeff #5 已疏通", None, ("resolve", 5, "已疏通", False)),
    ("受理5", None, ("accept", 5, "", False)),
    ("受理 5", None, ("accept", 5, "", False)),
    ("受理 5号工单", None, ("accept", 5, "", False)),
    ("受理 5号", None, ("accept", 5, "", False)),
    ("受理工单5", None, ("accept", 5, "", False)),
    ("办结 5 已清掏", None, ("resolve", 5, "已清掏", False)),
    ("办结 5号楼已清理", QUOTED, ("resolve", 7, "5号楼已清理", True)),  # building 5, not ticket 5
    ("进度5", None, ("status", 5, "", False)),
    ("受理　＃５", None, ("accept", 5, "", False)),
    ("+15", None, None),  # not "+1 5"
    # staff free text is kept as typed (issue #15 item 7): only the command word and number are normalised
    ("办结 #1 已清掏并消毒，无异味", None, ("resolve", 1, "已清掏并消毒，无异味", False)),
    ("驳回 #2 不属于本网格（已转物业）", None, ("reject", 2, "不属于本网格（已转物业）", False)),
    ("办结 #1：已清掏！明天复查", None, ("resolve", 1, "已清掏！明天复查", False)),
    ("办结 #1 已联系１３９１２３４５６７８", None, ("resolve", 1, "已联系１３９１２３４５６７８", False)),
    # everyday talk that starts like a command word is not one
    ("确认一下明天停水吗", None, None),
    ("完成了吗", None, None),
    ("一般般", None, None),
    ("3号楼下水道堵了", None, None),
    ("", None, None),
    ("受理" + "x" * 500, None, None),  # longer than any command
]


@pytest.mark.parametrize("text,quote,expected", CASES, ids=[c[0][:12] or "empty" for c in CASES])
def test_parse_command(text, quote, expected):
    cmd = parse_command(text, quote)
    got = None if cmd is None else (cmd.name, cmd.ticket_id, cmd.arg, cmd.ticket_from_quote)
    assert got == expected


@pytest.mark.parametrize("text,ticket,message", [
    ("受理 #12", 12, None),
    ("登记 #M12", None, 12),
    ("登记 # m 7 路灯", None, 7),
    ("工单 # 9", 9, None),
    (None, None, None),
    ("没有编号", None, None),
])
def test_ticket_and_message_references(text, ticket, message):
    assert ticket_ref(text) == ticket
    assert message_ref(text) == message
