"""Every sentence the console shows that is not in a template, in one place (Chinese)."""
from __future__ import annotations

LOGIN_FAILED = "用户名或密码错误。"
THROTTLED = "尝试过于频繁，请 {seconds} 秒后再试。"
LOGGED_OUT = "已退出登录。"
PASSWORD_MISMATCH = "两次输入的新密码不一致。"
PASSWORD_CHANGED = "新密码已保存。"
# The console's error pages: status → (title, what to do).
ERROR_PAGES = {
    400: ("页面已过期", "页面已过期或请求不完整，请返回上一页刷新后重试。"),
    401: ("请先登录", "登录已失效，请重新登录后再操作。"),
    403: ("没有权限", "您的账号没有使用此页面的权限。如需开通，请联系区指挥中心。"),
    404: ("页面不存在", "您要找的页面或工单不存在，或不在您的管辖范围内。"),
    405: ("操作方式不正确", "此页面不支持这种操作，请返回上一页重试。"),
}
ACTION_NAMES = {
    "accept": "受理", "escalate": "上报（吹哨）", "dispatch": "派单", "claim": "报到认领",
    "resolve": "办结", "reject": "驳回", "comment": "备注",
}
EVENT_NAMES = {
    "open": "登记", "follow": "关注（+1）", "recategorise": "改类别", "comment": "备注",
    "accept": "受理", "escalate": "上报", "dispatch": "派单", "claim": "报到", "resolve": "办结",
    "reject": "驳回", "merge": "合并", "rate": "评价", "reopen": "退回", "close": "关闭",
}
ROLE_NAMES = {
    "grid_leader": "网格长", "grid_worker": "网格员", "community_staff": "社区", "street_staff": "街道",
    "department_responder": "职能部门", "admin": "区指挥中心",
}
GRAIN_NAMES = {"day": "按日", "week": "按周", "month": "按月"}
RANK_LEVELS = {"department": "职能部门", "street": "街道", "community": "社区", "grid": "网格"}
