"""Every sentence the ticket loop says in a chat, in one place (Chinese for users)."""
from __future__ import annotations

HELP = (
    "【网格哨 使用说明】\n"
    "居民：直接说遇到的问题即可（可以附照片），我会登记工单并回复编号。\n"
    "  只接入机器人的群里，请先输入 @网格哨 再说问题。\n"
    "  跟进同一问题：引用工单消息回复「+1」或「我家也是」\n"
    "  查进度：进度 #工单号\n"
    "  紧急情况（着火、燃气泄漏、电梯困人、有人受伤）请先拨打119/120/110/96333，再在群里说明，我会立即通知网格长和社区。\n"
    "  评价：满意 / 基本满意 / 不满意 #工单号\n"
    "网格长/网格员（引用工单消息，或带上 #工单号）：\n"
    "  受理 · 办结 说明 · 上报 原因（吹哨）· 派 部门名 · 改 类别 · 驳回 理由\n"
    "部门/社区/街道：报到（认领）· 办结 说明\n"
    "议事：议事：建议内容 · 支持/反对 #Y编号 · 议事 #Y编号 查看\n"
    "积分：积分 · 积分商城 · 兑换 物品\n"
    "工作人员：答复 Q编号 内容 · 入库 问：…答：… · 上架 物品 20分 库存50 · 记积分 @居民 分数 事由 · 通知 范围：内容\n"
    "发送「帮助」随时查看本说明。"
)
# A greeting sent one-to-one (你好 / 在吗 / 您好请问): what the bot is for, in a few lines.
WELCOME = (
    "您好！我是网格哨，社区网格的值班助手。\n"
    "· 遇到问题（如楼道灯坏了、下水道堵了），直接说明问题和位置，可附照片，我会登记工单并告诉您编号；\n"
    "· 想咨询的事（如办证、补贴），直接问，我会回答或转给网格长；\n"
    "· 查进度：进度 #工单号。发送「帮助」查看全部用法。"
)
NON_TEXT = "暂时只能处理文字消息，请用文字描述您的问题。"
NEED_TICKET = "请引用工单消息，或在命令后加上工单号，例如「{command} #12」。"
NO_SUCH_TICKET = "没有找到工单 #{ticket_id}。"
NOT_ALLOWED = "抱歉，您没有权限对工单 #{ticket_id} 执行「{command}」。"
CONFLICT = "工单 #{ticket_id} 刚刚已被他人处理（当前状态：{state}），请刷新后再试。"
NEED_REASON = "请写明{what}，例如「{example}」。"
UNKNOWN_CATEGORY = "没有找到类别「{name}」。可选：{choices}"
UNKNOWN_DEPARTMENT = "没有找到部门「{name}」。可选：{choices}"
NO_HIGHER_LEVEL = "工单 #{ticket_id} 已在最高层级，请用「派 部门名」派单给职能部门。"
COMMENTED = "已添加备注。"
MERGED = "工单 #{ticket_id} 与 #{target_id} 是同一问题，已合并到 #{target_id}，后续进展请看 #{target_id}。"
UNMERGED = "工单 #{ticket_id} 已撤销与 #{target_id} 的合并，重新单独办理。"
MERGED_NOTE = "并入 #{target_id}"
MERGED_IN_NOTE = "合并了重复工单 #{ticket_id}（其记录与关注人已转到本单）"
UNMERGED_NOTE = "撤销并入 #{target_id}"
UNMERGED_OUT_NOTE = "撤销合并：#{ticket_id} 的记录与关注人已移回"
MERGE_NEEDS_TARGET = "请写明要并入的工单号，例如「合并 #{ticket_id} 到 #工单号」。"
MERGE_TARGET_CLOSED = "工单 #{ticket_id} 当前状态为「{state}」，不能再并入其他工单。"
# What an action lacks, asked for in the words of a form (console, buttons) …
NEEDS = {
    "resolve": "请填写办结说明。",
    "reject": "请填写驳回理由。",
    "comment": "请填写备注内容。",
    "dispatch": "请选择要派单的部门。",
    "escalate": "工单已在最高层级，请派单给职能部门。",
    "merge": "请填写要并入的工单号。",
}
# … and in the chat, where the answer shows the command to type.
CHAT_NEEDS = {
    "reject": NEED_REASON.format(what="驳回理由", example="驳回 #{ticket_id} 不属于本网格"),
    "escalate": NO_HIGHER_LEVEL,
}
# In the chat a bare 办结 means the work is done; the console asks what was done.
CHAT_DEFAULT_NOTES = {"resolve": "已处理"}

OPENED = "已登记工单 #{ticket_id}（{category}），{place}由{handler}负责，请于 {deadline} 前处理。"
FOLLOWED = "这个问题已有工单 #{ticket_id}（{category}，{state}），已把您加入关注，处理进展会通知您。"
ALREADY_FOLLOWING = "您已在关注工单 #{ticket_id}（{state}）。"
FOLLOW_OTHER_GRID = "工单 #{ticket_id} 属于其他网格，无法加入关注。如果您这里也有同样的问题，请直接描述，我们为您登记。"
FOLLOW_NOT_ALLOWED = "工单 #{ticket_id} 只有本网格的居民可以加入关注。"
# A duplicate found for someone who may not follow it (staff, a stranger): said, not joined.
DUPLICATE_EXISTS = "这个问题已有工单 #{ticket_id}（{category}，{state}），正在处理中。"
RATE_NOT_ALLOWED = "抱歉，您没有权限评价工单 #{ticket_id}：工单由反映人评价，工作人员不参与评价。"
RATE_REPORTER_FIRST = (
    "工单 #{ticket_id} 请先由反映人评价；如反映人在 {opens} 前没有评价，关注此工单的本网格居民也可以评价。"
)
FOLLOWER_RESOLVED = (
    "您关注的工单 #{ticket_id} 已办结：{note}\n反映人评价后工单关闭；如反映人在 {opens} 前没有评价，"
    "您也可以回复「满意 / 基本满意 / 不满意 #{ticket_id}」评价。"
)
NOT_IN_SCOPE = "抱歉，工单 #{ticket_id} 不在您所在网格，无法查看。"
STATUS = "工单 #{ticket_id}（{category}）：{state}，{handler}负责{deadline_part}。"

ACCEPTED = "工单 #{ticket_id} 已由{actor}受理，请于 {deadline} 前办结。"
RECATEGORISED = "工单 #{ticket_id} 类别已改为「{category}」。"
ESCALATED = "工单 #{ticket_id} 已上报（吹哨）至{unit}，请于 {deadline} 前响应。{reason}"
AUTO_ESCALATED = "工单 #{ticket_id} 已超期，已自动上报至{unit}，请于 {deadline} 前响应。"
DISPATCHED = "工单 #{ticket_id} 已派单至{department}，请于 {deadline} 前报到办理。"
CLAIMED = "{department}已报到，正在办理工单 #{ticket_id}。"
RESOLVED = "工单 #{ticket_id} 已办结：{note}\n请反映人回复「满意 / 基本满意 / 不满意 #{ticket_id}」评价。"
REJECTED = "工单 #{ticket_id} 已驳回：{reason}"
# The unit that handed a ticket down to a department (its work chat) hears how the department gets on.
DEPARTMENT_RESOLVED = "{department}已办结工单 #{ticket_id}：{note}（已请反映人评价）"
RATED = "感谢评价！工单 #{ticket_id} 评价为「{rating}」，已关闭。"
REOPENED = "工单 #{ticket_id} 评价为不满意，已退回{handler}重新办理，请于 {deadline} 前办结。{reason}"
CLOSED_UNRATED = "工单 #{ticket_id} 办结后未收到评价，已自动关闭。"
REMINDER = "提醒：工单 #{ticket_id}（{category}）将于 {deadline} 到期，请尽快处理。"
OVERDUE_AT_TOP = "工单 #{ticket_id} 已超期（{department}），请尽快办理。"
DIGEST = "【每日工单简报 {date}】{grid}：待办 {open} 件，其中超期 {overdue} 件；昨日新增 {new} 件，办结 {resolved} 件。"
RATE_WHICH = "您有多张待评价的工单（{ids}），请在评价后加上工单号，例如「满意 #{first}」。"
NOTHING_TO_RATE = "没有需要您评价的工单。"
ASK_RATING = "您反映的问题（工单 #{ticket_id}）已办结：{note}\n请回复「满意 / 基本满意 / 不满意 #{ticket_id}」评价。"
DIRECT_PROGRESS = "您关注的工单 #{ticket_id}：{text}"
UNSURE_FOR_LEADER = (
    "【待确认】{grid}群里有一条消息可能是诉求（把握不大，未自动登记）：\n{text}\n"
    "如需登记，请回复「登记 #M{inbox_id} 类别」（类别可省略，例如「登记 #M{inbox_id} 下水」）。"
)
NO_SUCH_MESSAGE = "没有找到待登记的消息 #M{inbox_id}。"
REGISTERED_ALREADY = "消息 #M{inbox_id} 已登记为工单 #{ticket_id}。"

# Emergencies (handlers.reports): what to do now comes first, with the number to call.
URGENT_HEAD = "【紧急】{advice}"
URGENT_OPENED = (
    "已登记紧急工单 #{ticket_id}（{category}），{place}已通知{handler}和{community}立即处理，"
    "请于 {deadline} 前响应。"
)
URGENT_JOINED = "这个情况已有紧急工单 #{ticket_id}（{state}），{handler}和{community}已收到通知。"
URGENT_JOINED_FOLLOWING = "处理进展会通知您。"
URGENT_PUSH = "【紧急工单 #{ticket_id}】{kind}（{category}）{place}\n反映：{text}\n请立即处置，并提醒现场拨打 {number}。期限 {deadline}。"
# Several problems in one message: one ticket each, all numbers in one reply.
SEVERAL_OPENED = "您反映了 {count} 个问题，已分别处理：\n{lines}"
SEVERAL_LINE_OPENED = "· #{ticket_id}（{category}）{place}由{handler}负责，请于 {deadline} 前处理"
SEVERAL_LINE_URGENT = "· #{ticket_id}（{category}）紧急，{place}已通知{handler}和{community}，请于 {deadline} 前响应"
SEVERAL_LINE_JOINED = "· 已有工单 #{ticket_id}（{category}，{state}），已把您加入关注"
SEVERAL_LINE_EXISTS = "· 已有工单 #{ticket_id}（{category}，{state}），正在处理中"
# A real report without a place: the ticket is open, the place is asked for in the same reply.
ASK_PLACE = "请补充具体位置（几号楼几单元、哪个门口或附近的标志性地点），直接回复即可。"
ASK_PLACE_URGENT = "请马上补充具体位置（几号楼几单元、哪个门口），以便尽快赶到。"
PLACE_FILLED = "已补充工单 #{ticket_id} 的地点：{place}。"
