"""Every sentence the console shows that is not in a template, in one place (Chinese).

Names of states, actions, roles, levels and categories come from models.vocabulary, so the
console calls them what the chat calls them.
"""
from __future__ import annotations

from models.vocabulary import LEVEL_NAMES

LOGIN_FAILED = "用户名或密码错误。"
LOCKED = "登录失败次数过多，账号已锁定 15 分钟，请稍后再试。"
LOGGED_OUT = "已退出登录。"
GRAIN_NAMES = {"day": "按日", "week": "按周", "month": "按月"}
# The ranking's levels, in the order the menu lists them.
RANK_LEVELS = {level: LEVEL_NAMES[level] for level in ("department", "street", "community", "grid")}
