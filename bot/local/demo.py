"""A believable demo district for `make run` and the sandbox: streets, communities,
grids with their chats, residents, grid leaders and workers, staff and departments."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.local.demo_boundaries import seed_boundaries
from models import Department, GroupChat, Identity, OrgUnit, Person, RoleAssignment

DEPARTMENTS = [
    ("water", "区水务局", "drainage,utilities"),
    ("urban", "区城管委", "sanitation,illegal_building,greening,parking,lighting,road_traffic"),
    ("housing", "区住建委", "building_safety,elevator,property_mgmt,heating"),
    ("civil", "区民政局", "elderly_care,employment"),
    ("health", "区卫健委", "health,animals"),
    ("police", "公安分局", "security_fraud,noise,dispute,fire_safety"),
]
# street → community → grids (code, name, households, tags)
TREE = {
    ("S1", "新华街道"): {
        ("C1", "幸福里社区"): [("G1", "幸福里第一网格", 320, "老旧小区"), ("G2", "幸福里第二网格", 280, "")],
        ("C2", "扬州路社区"): [("G3", "扬州路第一网格", 350, "沿街商铺")],
    },
    ("S2", "朝阳街道"): {
        ("C3", "光明社区"): [("G4", "光明第一网格", 300, "老旧小区"), ("G5", "光明第二网格", 260, "")],
    },
}
# Grids whose residents' chat hears the bot only when a line @-mentions it: the WeCom robot alone,
# without the conversation archive (a district that has not licensed it, or an external group).
# Its pushes go through the robot's webhook key. The other grids' chats hear every line ("all").
MENTIONS_ONLY = {"G5": "demo-robot-key-g5"}
GRID_PEOPLE = {
    "G1": [("wangfang", "王芳", "grid_leader"), ("liqiang", "李强", "grid_worker"),
           ("zhangdaye", "张大爷", "resident"), ("liuayi", "刘阿姨", "resident"), ("chenxin", "陈欣", "resident")],
    "G2": [("zhaomin", "赵敏", "grid_leader"), ("sunli", "孙丽", "resident"), ("zhoujie", "周杰", "resident")],
    "G3": [("wujun", "吴军", "grid_leader"), ("zhengshu", "郑姝", "resident"), ("hemei", "何梅", "resident")],
    "G4": [("linfeng", "林峰", "grid_leader"), ("gaoyang", "高阳", "resident"), ("maxiu", "马秀", "resident")],
    "G5": [("luoling", "罗玲", "grid_leader"), ("heshu", "何叔", "resident"), ("jiangnan", "江楠", "resident")],
}
UNIT_STAFF = [("C1", "huangshuji", "黄书记", "community_staff"), ("C2", "xuzhuren", "徐主任", "community_staff"),
              ("C3", "guozhuren", "郭主任", "community_staff"), ("S1", "songkezhang", "宋科长", "street_staff"),
              ("S2", "tangkezhang", "唐科长", "street_staff"), ("D", "admin", "区指挥中心", "admin")]
DEPT_STAFF = [("water", "qianshuiwu", "钱工（水务）"), ("urban", "fengchengguan", "冯队（城管）"),
              ("housing", "chenzhujian", "陈工（住建）"), ("civil", "yangminzheng", "杨科（民政）"),
              ("health", "zhuweijian", "朱医生（卫健）"), ("police", "qinjingguan", "秦警官（公安）")]


def seed_demo(session: Session) -> bool:
    """Create the demo district once; returns False if it is already there."""
    if session.execute(select(OrgUnit).where(OrgUnit.code == "D")).scalar_one_or_none():
        return False
    units = {"D": OrgUnit(kind="district", code="D", name="和平区")}
    session.add(units["D"])
    for (s_code, s_name), communities in TREE.items():
        units[s_code] = OrgUnit(kind="street", code=s_code, name=s_name, parent=units["D"])
        for (c_code, c_name), grids in communities.items():
            units[c_code] = OrgUnit(kind="community", code=c_code, name=c_name, parent=units[s_code])
            for g_code, g_name, households, tags in grids:
                units[g_code] = OrgUnit(kind="grid", code=g_code, name=g_name, parent=units[c_code],
                                        households=households, tags=tags)
    session.add_all(units.values())
    depts = {code: Department(code=code, name=name, categories=cats) for code, name, cats in DEPARTMENTS}
    session.add_all(depts.values())

    def person(user_id: str, name: str) -> Person:
        p = Person(name=name)
        session.add(p)
        session.add(Identity(person=p, channel="wecom", external_id=user_id, route_kind="wecom_user"))
        return p

    for g_code, members in GRID_PEOPLE.items():
        grid = units[g_code]
        robot_key = MENTIONS_ONLY.get(g_code)
        session.add(GroupChat(channel="wecom", external_id=f"chat-{g_code.lower()}", name=f"{grid.name}居民群",
                              org_unit=grid, route_kind="robot" if robot_key else "wecom_chat",
                              route_target=robot_key or f"chat-{g_code.lower()}", member_count=len(members),
                              listening="mentions" if robot_key else "all"))
        for user_id, name, role in members:
            session.add(RoleAssignment(person=person(user_id, name), role=role, org_unit=grid))
    for unit_code, user_id, name, role in UNIT_STAFF:
        unit = units[unit_code]
        session.add(RoleAssignment(person=person(user_id, name), role=role, org_unit=unit))
        if unit.kind in ("community", "street"):
            session.add(GroupChat(channel="wecom", external_id=f"chat-{unit_code.lower()}",
                                  name=f"{unit.name}工作群", org_unit=unit, route_kind="wecom_chat",
                                  route_target=f"chat-{unit_code.lower()}", member_count=3))
    for dept_code, user_id, name in DEPT_STAFF:
        dept = depts[dept_code]
        session.add(RoleAssignment(person=person(user_id, name), role="department_responder", department=dept))
        session.add(GroupChat(channel="wecom", external_id=f"chat-{dept_code}", name=f"{dept.name}报到群",
                              department=dept, route_kind="wecom_chat", route_target=f"chat-{dept_code}",
                              member_count=2))
    session.flush()
    seed_boundaries(session)
    return True
