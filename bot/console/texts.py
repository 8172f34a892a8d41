"""Every sentence the console shows that is not in a template, in one place (Chinese).

Names of states, actions, roles, levels and categories come from models.vocabulary, so the
console calls them what the chat calls them.
"""
from __future__ import annotations

from models.vocabulary import LEVEL_NAMES

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
    413: ("文件太大", "上传的内容超过大小上限，未做任何修改。请压缩或简化后重试。"),
}
GRAIN_NAMES = {"day": "按日", "week": "按周", "month": "按月"}
# The ranking's levels, in the order the menu lists them.
RANK_LEVELS = {level: LEVEL_NAMES[level] for level in ("department", "street", "community", "grid")}
