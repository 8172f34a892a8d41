"""What the demo district's year is made of: what residents report in which season, where the
recurring hot spots are, what staff answer, which notices go out. Data only; bot/local/history.py
plays it through the bot.

The seasons are those of a northern Chinese city: heating complaints from the trial run in
November to the end of the heating season in March, drains in the rainy season (June–August),
greening and noise in summer, sanitation peaking around the Spring Festival.
"""
from __future__ import annotations

# Places residents name, per grid (streets and buildings of demo.py's district).
PLACES = {
    "G1": ["幸福里3号楼", "幸福里5号楼", "幸福里小区北门", "幸福里12栋", "幸福里车棚"],
    "G2": ["幸福里二区8栋", "幸福里二区东门", "幸福里二区花园", "幸福里二区21号楼"],
    "G3": ["扬州路12号", "扬州路菜市场", "扬州路公交站", "扬州路38号商铺", "扬州路与新华街路口"],
    "G4": ["光明小区5栋", "光明小区2栋", "光明小区南门", "光明小区活动室"],
    "G5": ["光明二区9号楼", "光明二区停车场", "光明二区健身广场", "光明二区3单元"],
}
# Reports per day in an average month, per grid (~2,000 a year for ~1,500 households: about what
# a lively grid chat sees); old estates and shop streets report more.
GRID_RATE = {"G1": 1.1, "G2": 0.6, "G3": 0.9, "G4": 0.85, "G5": 0.55}
# How quickly each grid's leader gets round to a ticket (×): the ranking should not be a tie.
LEADER_PACE = {"G1": 0.8, "G2": 1.5, "G3": 1.0, "G4": 0.9, "G5": 1.2}
# ×deadline a department usually needs; above 1.0 is late.
DEPT_PACE = {"water": 0.45, "urban": 0.6, "housing": 0.85, "civil": 0.5, "health": 0.55, "police": 0.4}

# category → weight per month (Jan … Dec).
SEASONS: dict[str, tuple[float, ...]] = {
    "heating": (6, 5, 3, 0.3, 0, 0, 0, 0, 0, 0.5, 5, 7),
    "drainage": (1, 1, 1.2, 1.5, 2.5, 5, 7, 6.5, 3, 1.5, 1, 1),
    "sanitation": (3.5, 4, 2.5, 2.5, 2.5, 3, 3.5, 3.5, 2.5, 3, 2.5, 3),
    "greening": (0.3, 0.3, 1, 2, 2.5, 2.5, 2.5, 2, 1.5, 1, 0.6, 0.3),
    "noise": (1.2, 1.5, 1.2, 1.5, 2, 2.8, 3, 3, 2, 1.5, 1.2, 1.2),
    "parking": (2, 2.5, 2, 2, 2, 2, 2, 2, 2, 2.5, 2, 2),
    "lighting": (2, 1.8, 1.5, 1.2, 1, 1, 1, 1, 1.2, 1.5, 2, 2.2),
    "elevator": (1.2, 1.2, 1.2, 1.2, 1.2, 1.5, 1.8, 1.8, 1.2, 1.2, 1.2, 1.2),
    "property_mgmt": (1.8, 1.5, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8, 1.8),
    "utilities": (1.5, 1.2, 1, 1, 1.2, 1.8, 2, 2, 1.2, 1, 1.2, 1.5),
    "road_traffic": (1, 1, 1, 1, 1, 1.2, 1.2, 1.2, 1, 1, 1, 1),
    "animals": (0.6, 0.6, 0.8, 1, 1.2, 1.2, 1.2, 1.2, 1, 0.8, 0.6, 0.6),
    "dispute": (0.8, 1, 0.8, 0.8, 0.8, 1, 1, 1, 0.8, 0.8, 0.8, 0.8),
    "elderly_care": (1, 1, 0.8, 0.8, 0.8, 0.8, 1, 1, 0.8, 0.8, 0.8, 1),
    "building_safety": (0.4, 0.4, 0.4, 0.5, 0.6, 0.8, 0.9, 0.8, 0.5, 0.4, 0.4, 0.4),
    "illegal_building": (0.4, 0.4, 0.6, 0.8, 0.8, 0.6, 0.5, 0.5, 0.6, 0.6, 0.5, 0.4),
    "fire_safety": (1, 1.2, 0.6, 0.5, 0.4, 0.4, 0.4, 0.4, 0.5, 0.6, 0.8, 1),
    "security_fraud": (0.5, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6),
    "health": (0.7, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 0.6, 0.5, 0.5, 0.6, 0.7),
    "other": (0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8),
}

# What residents write, per category ({p}: a place from PLACES).
REPORTS: dict[str, tuple[str, ...]] = {
    "heating": ("{p}暖气不热，屋里才十五度", "{p}家里暖气片冰凉的 老人受不了", "{p}暖气管漏水了，地上都是水",
                "{p}供暖都一个礼拜了还是温乎的", "{p}暖气阀门关不上，热得没法睡"),
    "drainage": ("{p}下水道堵了，污水冒出来", "{p}门口雨水排不出去，积水到脚脖子", "{p}化粪池满了 臭得不行",
                 "{p}楼下井盖往外冒水", "{p}一下雨地下车库就进水"),
    "sanitation": ("{p}垃圾桶满了好几天没人清", "{p}楼道里堆了一堆装修垃圾", "{p}路边有人倒垃圾，苍蝇好多",
                   "{p}垃圾站味道太大了", "{p}楼下全是狗屎没人管"),
    "greening": ("{p}树枝快压到电线了", "{p}草坪被人种了菜", "{p}大树歪了 刮风怕倒",
                 "{p}绿化带的树死了一片", "{p}树上有马蜂窝 孩子不敢过"),
    "noise": ("{p}楼上半夜装修太吵", "{p}广场舞音响开得太大声", "{p}烧烤摊到凌晨还在吵",
              "{p}工地晚上十点还在施工", "{p}楼下KTV吵得睡不着"),
    "parking": ("{p}门口车辆乱停堵住消防通道", "{p}有辆车停了半年没动过", "{p}电动车在楼道里充电停放",
                "{p}外来车占了小区车位", "{p}共享单车堆满人行道"),
    "lighting": ("{p}路灯不亮好几天了", "{p}楼道灯坏了 晚上摸黑", "{p}路灯白天也亮着", "{p}小区门口那排灯全灭了"),
    "elevator": ("{p}电梯又坏了，老人上不去", "{p}电梯关门夹人", "{p}电梯里有异响 不敢坐", "{p}电梯困人了快来"),
    "property_mgmt": ("{p}物业不管事，报修没人来", "{p}物业乱收停车费", "{p}楼顶漏雨物业推来推去",
                      "{p}单元门禁坏了一个月"),
    "utilities": ("{p}停水了什么时候来水", "{p}水压太小 楼上没水", "{p}闻到燃气味道", "{p}又停电了 冰箱的东西都化了"),
    "road_traffic": ("{p}路面塌了个大坑", "{p}红绿灯坏了 车乱开", "{p}人行道砖翘起来绊人", "{p}路口没有斑马线 过马路危险"),
    "animals": ("{p}有条大狗不拴绳 吓到孩子", "{p}流浪猫太多 晚上叫", "{p}楼上养鸽子 满阳台鸽子粪", "{p}遛狗不牵绳还凶人"),
    "dispute": ("{p}楼上漏水到我家 他不管", "{p}邻居在楼道堆东西不让说", "{p}对门装摄像头对着我家门", "{p}和楼下因为空调外机吵起来了"),
    "elderly_care": ("{p}独居老人好几天没见出门", "{p}老人想申请助餐 怎么办", "{p}老人行动不便 想要上门服务"),
    "building_safety": ("{p}外墙皮掉下来了 差点砸到人", "{p}阳台裂缝越来越大", "{p}楼梯扶手松了"),
    "illegal_building": ("{p}一楼住户私自扩建院子", "{p}楼顶有人搭彩钢房", "{p}有人在绿地上盖小棚子"),
    "fire_safety": ("{p}消防栓没水", "{p}楼道里堆满纸箱 着火就完了", "{p}灭火器都过期了"),
    "security_fraud": ("{p}有人上门推销保健品骗老人", "{p}单元门口有陌生人转悠", "{p}车被人划了"),
    "health": ("{p}小区里有人乱扔医疗垃圾", "{p}蚊子太多 能不能打药", "{p}老鼠到处跑"),
    "other": ("{p}快递柜坏了取不出件", "{p}公告栏的通知被撕了", "{p}小区网络信号太差"),
}
# What the one who fixed it writes with 办结, per category (else the generic ones).
RESOLUTIONS: dict[str, tuple[str, ...]] = {
    "heating": ("已联系热力公司上门排气，室温恢复到20度", "已更换暖气阀门", "管道已维修，恢复供暖"),
    "drainage": ("已安排疏通，管道畅通", "积水已抽排，雨水口已清掏", "化粪池已清掏"),
    "sanitation": ("垃圾已清运", "已协调保洁公司增加清运频次", "装修垃圾已清理，已提醒业主"),
    "greening": ("树枝已修剪", "已安排园林队处理", "马蜂窝已摘除"),
    "noise": ("已上门劝导，对方表示整改", "已联系执法队现场处理", "已告知施工方夜间停工"),
    "parking": ("车辆已挪走", "已张贴告知单，车主已联系", "已清理消防通道"),
    "lighting": ("路灯已修复", "已更换灯泡", "线路已检修"),
    "elevator": ("电梯已维修恢复运行", "维保单位已到场处置"),
}
RESOLVED_GENERIC = ("已处理", "已现场处置完毕", "已协调相关单位解决", "已上门处理，居民认可")
REJECT_REASONS = ("不属于本网格受理范围，已告知居民拨打12345", "重复反映，已在原工单处理", "经核实情况不属实")
ESCALATE_REASONS = ("需要社区协调物业", "涉及多个单位，网格内解决不了", "需要专业部门处理")
UNHAPPY = ("还是没修好", "只是表面处理了一下", "过两天又坏了")
STAFF_NOTES = ("已向社区反映，下周开会讨论", "已请物业测算费用", "感谢大家参与，正在征求意见")

# Recurring hot spots: (grid, category, place, months it flares up (1–12), extra reports a day
# while it does). Every one also flares in the last weeks, so the hot-spot page shows them now.
HOT_SPOTS = (
    ("G1", "drainage", "幸福里3号楼", (6, 7, 8), 0.5),
    ("G3", "parking", "扬州路菜市场", tuple(range(1, 13)), 0.25),
    ("G4", "heating", "光明小区5栋", (11, 12, 1, 2), 0.45),
    ("G2", "noise", "幸福里二区花园", (6, 7, 8), 0.3),
)
HOT_SPOT_RECENT_DAYS = 14

# Notices the units send to their residents' chats: (month or 0 for any, title, body).
NOTICES = (
    (11, "关于冬季供暖试运行的通知", "本市将于11月1日起供暖试运行，请居民检查自家暖气阀门，发现漏水及时报修。"),
    (12, "冬季燃气安全提示", "天冷用气增多，请注意开窗通风，发现燃气异味立即关闭阀门并拨打抢修电话。"),
    (1, "春节期间垃圾清运安排", "春节期间垃圾清运时间调整为每日早7点、晚6点两次，请居民分类投放。"),
    (2, "烟花爆竹禁放提示", "本区全域禁止燃放烟花爆竹，请大家共同遵守，发现违规燃放可向社区反映。"),
    (3, "春季消防安全检查通知", "社区将于本月组织楼道消防检查，请清理楼道堆物，保持消防通道畅通。"),
    (4, "老旧小区改造意见征集", "老旧小区改造方案已公示在社区公告栏，欢迎居民提出意见建议。"),
    (5, "垃圾分类宣传周", "本周开展垃圾分类宣传，社区工作人员将在小区门口设点答疑。"),
    (6, "汛期防汛安全提示", "进入汛期，请居民关好门窗、不在低洼处停车，发现积水及时反映。"),
    (7, "高温天气防暑提示", "近期持续高温，请老人和儿童减少午间外出，社区服务站提供免费绿豆汤。"),
    (8, "暴雨预警：地下车库请挪车", "气象台发布暴雨橙色预警，请地下车库车辆尽快挪至地面。"),
    (9, "老年人助餐服务报名", "社区老年食堂开始报名，65岁以上老人可凭身份证到社区服务站登记。"),
    (10, "国庆期间安全提示", "国庆假期外出请关好门窗水电燃气，谨防诈骗电话。"),
    (0, "社区议事会召开通知", "本周六上午9点在社区活动室召开居民议事会，欢迎大家参加。"),
)
PROPOSALS = ("建议在3号楼加装电梯", "建议小区增设电动车充电桩", "建议把闲置空地改成健身广场",
             "建议增加夜间保安巡逻", "建议在北门增设快递柜", "建议小区车位划线统一管理")
