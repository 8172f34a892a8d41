"""What the conversation layer says in a chat (Chinese for users)."""
from __future__ import annotations

ASK_WHAT = "请说一下是什么问题、在哪个位置，我来登记。"
NO_TICKET_ASK = "没有找到您反映的在办工单。如有问题，请说一下是什么问题、在哪个位置，我来登记。"
FOLLOWUP_STATUS = "您反映的工单 #{ticket_id}（{category}）：{state}，{handler}负责{deadline_part}。"
URGED = "已替您催办，已通知{handler}。"
URGED_RECENTLY = "刚刚已催办过，{handler}已收到提醒。"
OTHERS_TICKET = "工单 #{ticket_id}（{category}）：{state}。这不是您反映的工单；如果您也遇到同样的问题，可回复「+1 #{ticket_id}」关注。"
WHICH_TICKET = "您有 {count} 张在办工单：{items}。请问是哪一张？回复工单号即可，例如「#{first}」。"
WHICH_ITEM = "#{ticket_id} {category}（{state}）"
DETAIL_ADDED = "已补充到工单 #{ticket_id}（{category}）。"
FIXED_NOTED = "已把您的反馈记到工单 #{ticket_id}（{category}），处理人确认办结后会请您评价。"
FIXED_RATE = "工单 #{ticket_id}（{category}）已办结，感谢反馈！请回复「满意」「基本满意」或「不满意」评价。"
PLACE_FILLED = "已补充工单 #{ticket_id} 的地点：{place}。"
# Pushed to whoever holds the ticket when a resident presses it.
URGE_PUSH = "【催办】居民催问工单 #{ticket_id}（{category}，{state}，期限 {deadline}）：{text}"
# Written on the ticket's record (events), for staff.
NOTE_FOLLOWUP = "居民询问进度：{text}"
NOTE_URGE = "居民催办：{text}"
NOTE_DETAIL = "居民补充：{text}"
NOTE_FIXED = "居民反馈问题已消除：{text}"
NOTE_PLACE = "居民补充地点：{place}"
