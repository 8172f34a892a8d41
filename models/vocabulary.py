"""The Chinese names users read for every code the product stores, in one place.

States, actions (as chat commands and as timeline events), roles, org levels and unit kinds are
fixed here; complaint categories come from the one file an admin extends
(classifier/data/categories.csv). Chat texts, the console and the sandbox all read these, so a
role or a state is called the same everywhere.
"""
from __future__ import annotations

from classifier.categories import load_categories

STATE_NAMES = {
    "new": "待受理",
    "accepted": "已受理",
    "escalated": "已上报",
    "dispatched": "已派单",
    "claimed": "已报到",
    "reopened": "已退回",
    "resolved": "已办结",
    "rated": "已评价",
    "closed": "已关闭",
    "rejected": "已驳回",
    "merged": "已合并",
}
# What a ticket event is called on the timeline; state-machine actions share these names.
ACTION_NAMES = {
    "open": "登记",
    "follow": "关注（+1）",
    "recategorise": "改类别",
    "comment": "备注",
    "accept": "受理",
    "escalate": "上报",
    "dispatch": "派单",
    "claim": "报到",
    "resolve": "办结",
    "reject": "驳回",
    "merge": "合并",
    "unmerge": "撤销合并",
    "rate": "评价",
    "reopen": "退回",
    "close": "关闭",
    "photo": "照片",
    "photo_failed": "照片未能保存",
    "overdue": "超期督办",
    "urge": "催办",
    "note": "补充",
    "followup": "询问进度",
    "urgent": "紧急",
    "place": "补充地点",
}
# Ticket priority (handlers.reports marks emergencies urgent; the console shows and sorts it).
PRIORITY_NAMES = {"urgent": "紧急", "normal": "普通"}
ROLE_NAMES = {
    "resident": "居民",
    "grid_worker": "网格员",
    "grid_leader": "网格长",
    "community_staff": "社区工作人员",
    "street_staff": "街道工作人员",
    "department_responder": "职能部门",
    "party_member": "党员",
    "admin": "区指挥中心",
}
LEVEL_NAMES = {"grid": "网格", "community": "社区", "street": "街道", "department": "职能部门"}
UNIT_KIND_NAMES = {"district": "区", "street": "街道", "community": "社区", "grid": "网格"}


def state_name(state: str) -> str:
    return STATE_NAMES.get(state, state)


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action)


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role)


def priority_name(priority: str) -> str:
    return PRIORITY_NAMES.get(priority, priority)


def category_name(code: str) -> str:
    category = load_categories().get(code)
    return category.name_zh if category else code
