"""Every sentence the broadcast feature says (社区发布通知), in one place."""
from __future__ import annotations

STATUS_ZH = {"draft": "待确认", "scheduled": "已定时", "sending": "发送中", "sent": "已发送", "cancelled": "已取消"}
DELIVERY_ZH = {"sent": "已送达", "failed": "发送失败", "retrying": "重试中", "missing": "未排队"}

# What goes into the group chats.
GROUP_NOTICE = "【通知】{title}\n{body}{signature}"
GROUP_NOTICE_UNTITLED = "【通知】{body}{signature}"
SIGNATURE = "\n——{unit}"

# The confirmation step.
DRAFT = ("通知草稿 #B{id}\n标题：{title}\n对象：{target}\n时间：{when}\n"
         "将发送到 {count} 个群：{chats}\n回复「确认发送」或「取消」（{minutes} 分钟内有效）。")
WHEN_NOW = "确认后立即发送"
WHEN_AT = "{at} 定时发送"
MORE_CHATS = "等"
SCHEDULED = "已定时：通知 #B{id}《{title}》将于 {at} 发送到 {count} 个群。回复「取消 #B{id}」可撤回。"
SENDING = "已发送：通知 #B{id}《{title}》正在发送到 {count} 个群。回复「通知报告 #B{id}」查看送达情况。"
CANCELLED = "已取消通知 #B{id}《{title}》。"
CANNOT_CANCEL = "通知 #B{id} {status}，不能取消了。"
NO_DRAFT = "没有待确认的通知（草稿 {minutes} 分钟内有效）。请重新发送「通知 对象：内容」。"
NO_SUCH = "没有找到通知 #B{id}。"
NOT_YOURS = "通知 #B{id} 不在您的管辖范围内。"

# Refusals and mistakes.
NOT_ALLOWED = "抱歉，发布通知需要社区、街道或区里的工作人员身份。如有需要，请联系您的网格员转达。"
NOT_ALLOWED_GRID_STAFF = "网格内的通知请直接发在本网格群里；由机器人向多个群发布通知，需要社区、街道或区里的工作人员身份。"
USAGE = ("发布通知的格式：\n通知 幸福里社区：明天上午9点到12点停水，请提前储水。\n"
         "对象可以是网格、社区、街道名称，「全部」（您管辖的全部网格）或「标签老旧小区」；"
         "定时发送在对象前写时间，如「通知 明天9:00 扬州路社区：…」或「通知 定时 2026-11-23 09:00 全部：…」。")
EMPTY_BODY = "通知内容是空的。格式：通知 对象：内容"
BAD_TIME = "没看懂发送时间「{text}」。可以写「明天9:00」「今天15:30」「11月23日9点」或「2026-11-23 09:00」。"
PAST_TIME = "定时时间 {at} 已经过去了，请换一个以后的时间。"
UNKNOWN_TARGET = "没有找到「{name}」。请写网格、社区或街道的名称，「全部」，或「标签XX」。"
AMBIGUOUS_TARGET = "「{name}」对应多个单位：{choices}。请写完整名称。"
OUT_OF_SCOPE = "「{name}」不在您的管辖范围内（您管辖：{scope}）。"
NO_SCOPE = "您的工作人员身份没有关联到具体的社区或街道，无法确定「全部」的范围。"
MANY_SCOPES = "您管辖多个单位（{scope}），请写明发送到哪一个。"
UNKNOWN_TAG = "您管辖的范围内没有带「{tag}」标签的网格。"
NO_GROUPS = "「{target}」下没有绑定的网格群，无法发送。"
TOO_LONG = "通知内容太长（{n} 字），请控制在 {limit} 字以内。"

# The delivery report.
REPORT = "通知 #B{id}《{title}》送达报告\n状态：{status}{when}\n共 {total} 个群：已送达 {sent}，重试中 {retrying}，发送失败 {failed}"
REPORT_WHEN_SENT = "（{at} 发出）"
REPORT_WHEN_SCHEDULED = "（定于 {at}）"
REPORT_LINE = "· {chat}：{state}"
REPORT_MORE = "……另有 {n} 个群"
