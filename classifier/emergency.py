"""Emergencies first: a rule layer with very high recall on top of the model.

Why rules and not the model: a fire, a gas smell or a person trapped in a lift must never wait for
a 12-hour ticket because the model was unsure or called it chit-chat. The words residents use for
these few situations are a small, closed set, so patterns catch them reliably, including
Traditional characters, no punctuation, dialect (粤: 火烛, 跌低, 𨋢; 东北: 嘎斯) and voice-to-text.

False alarms are kept out in two steps:
1. phrases that only look like an emergency are blanked before matching ("消防演习", "电梯年检",
   "煤气费", "油烟", "烟感", "火锅"), so "火锅店着火了" still counts;
2. a hit right after a hypothetical or near-miss word ("万一着火", "容易摔倒", "差点滑倒") or
   after a past marker ("上次着火"), or a message that thanks / reports it over, counts only
   when the message also says it is happening now ("快来", "现在", "救命").
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .dialect import fold_dialect
from .normalize import fold_width, to_simplified
from .not_ours import is_elsewhere

# kind → (number to call, what to do now). Shown to residents, so Chinese.
NUMBERS = {"fire": "119", "gas": "119", "lift": "96333", "medical": "120", "crime": "110", "collapse": "119",
           "flood_power": "119", "locked_in": "110", "welfare": "110", "fall_risk": "110", "missing": "110"}
NAMES = {"fire": "火情", "gas": "燃气泄漏", "lift": "电梯困人", "medical": "有人受伤或急病",
         "crime": "正在发生的违法犯罪", "collapse": "倒塌坠落危险", "flood_power": "积水危及配电设备",
         "locked_in": "有人被锁困在车内", "welfare": "独居人员多日失联", "fall_risk": "有人身处高处坠落险境", "missing": "有人走失"}
ADVICE = {
    "fire": "请立即拨打119；人员马上从楼梯撤离，不要乘电梯，用湿毛巾捂住口鼻、低姿前进；火小且安全时再用灭火器扑救。",
    "gas": "请立即拨打119（或燃气公司抢修电话）；不要开关电灯电器、不要点火、不要在屋内打电话，关闭燃气总阀，开窗通风，人员撤到室外。",
    "lift": "请拨打电梯内的应急电话或96333（电梯应急救援）；被困人员按警铃、保持冷静，不要扒门或强行出来，等待救援；有人受伤同时拨打120。",
    "medical": "请立即拨打120；不要随意搬动摔倒或受伤的人，保持呼吸通畅，出血处用干净的布按压止血，有人守着等急救人员。",
    "crime": "请立即拨打110；先保证自己的安全，不要与对方正面冲突，记住人员特征和逃离方向。",
    "collapse": "请立即远离危险区域并提醒周围人员，在安全距离外设置警戒；有人被困拨打119，有人受伤拨打120。",
    "missing": "请立即拨打110报警（孩子或老人走失不用等24小时），说清衣着和最后出现的地点；同时请邻居分头找、守住小区各出口，请物业调看监控。",
    "fall_risk": "请立即拨打110和119；楼下的人不要大声惊吓，设法联系其家人开门，有人能进屋时从背后抱回、不要拉扯；楼下可先清出地方。",
    "welfare": "请立即拨打110请民警到场开门查看，同时联系其家属；开门后如人已倒地或无反应，立即拨打120，不要随意搬动。",
    "locked_in": "请立即拨打110（或119）请求破窗救援，同时设法联系车主；烈日下车内温度很快升高，每一分钟都危险；孩子若已无反应，破窗后立即拨打120。",
    "flood_power": "请立即拨打119；所有人远离积水，不要蹚水靠近配电箱、电线和插座，站在干燥处才可拉闸断电；有人触电先断电再救人，并拨打120。",
}
# Where the ticket belongs when the model has no better (compatible) idea.
CATEGORIES = {
    "fire": ("fire_safety",),
    "gas": ("utilities", "fire_safety"),
    "lift": ("elevator",),
    "medical": ("health", "elderly_care"),
    "crime": ("security_fraud", "dispute"),
    "collapse": ("building_safety", "greening", "road_traffic", "illegal_building"),
    "flood_power": ("utilities", "drainage", "building_safety"),
    "locked_in": ("security_fraud", "health"),
    "welfare": ("elderly_care", "health"),
    "fall_risk": ("building_safety", "security_fraud"),
    "missing": ("security_fraud", "elderly_care"),
}
KINDS = tuple(NUMBERS)
# Any emergency can hurt or frighten someone: words about a person's health go with it.
PEOPLE_CATEGORIES = ("health", "elderly_care")
# What an emergency also knocks out, besides its own categories: a fire cuts the power and water.
KNOCKS_OUT = {"fire": ("utilities",)}

_PERSON = r"(?:人|孩子|小孩|娃|老人|老太|大爷|大妈|大娘|阿姨|婆婆|阿婆|阿公|伯伯|老伯|细伢子|伢子|娃子|奶奶|爷爷|外婆|外公|我妈|我爸|老婆|老公|孕妇|工人|小朋友|宝宝|邻居|住户)"
_LIFT = r"(?:电梯|电体|电题|升降梯|升降机|轿厢|𨋢|䢂|dianti)"  # 电体 / 电题: voice input's 电梯  # 𨋢 (Cantonese) comes out of OpenCC as 䢂
# Not 沼气: in a town it is the smell of a sewer (a drainage ticket), not a leak.
_GASW = r"(?:煤气|燃气|天然气|液化气|煤汽|燃汽|瓦斯|嘎斯|气罐|煤气罐)"

_POSITIVE: dict[str, tuple[str, ...]] = {
    "fire": (
        r"着火|起火|失火|火灾|火警|火烛|(?<!不)走水(?![管路电费])|着了火|烧着了|烧起来|燃起来|火烧|火苗|明火|火光|火势|大火|"
        r"火(?:还|都|也)?(?:很|好|太|特别|老)大|火蹿|蹿火|冒火|火花|爆炸|爆燃|燃烧|冒(?:黑|白|浓)?烟|浓烟|黑烟|"
        r"烟(?:很|好|太|特别|老)大|(?:好|很|老|太|特别)大的?烟|全是烟|都是烟|烟冒|往外冒烟",
    ),
    # Weak signs (a smell of smoke or burning): not when someone is smoking or cooking.
    "smoke": (
        r"烟雾|(?<![没])有烟|一股烟|烟味|烧焦|焦糊|焦味|糊味|呛得",
    ),
    "gas": (
        rf"{_GASW}.{{0,12}}?(?:味|漏|泄|臭|呛|嘶|嗤|滋滋|报警器.{{0,4}}?(?:响|叫|滴))",
        rf"(?:闻到|一股|好大|好重|很重|很浓|好浓|满屋|全是|都是){_GASW}",
        r"臭鸡蛋味|(?:厨房|灶|阀门|管道|管子|气表|楼道|家里|屋里|单元).{0,6}漏气|漏气.{0,4}(?:厨房|灶|阀门)",
    ),
    "lift": (
        rf"{_LIFT}.{{0,20}}?(?:困|被关|关着|关在|关住|关了(?:个|一个|两个|几个)?{_PERSON}|出不来|出不去|"
        rf"夹(?:住|伤|到|了)|夹人|坠|掉下去|冲顶|蹲底|救命|没出来|把(?:我|我们|{_PERSON})(?:关|困|卡|夹))",
        rf"救命.{{0,8}}?{_LIFT}|{_LIFT}.{{0,12}}?(?:卡住|卡在|卡了|停在|停住).{{0,12}}?(?:楼|层).{{0,4}}?中间|"
        rf"(?:困|夹)(?:在|住|进|喺)?了?{_LIFT}|(?:困|关|卡|锁|夹)(?:在|住|进|喺)了?.{{0,4}}{_LIFT}",
        rf"{_LIFT}.{{0,12}}?(?:卡住|卡在|卡着|卡了|停在半|停在两|停住|停了|不动了|打不开|开不了|开不开|门打不开|坏了|故障)"
        rf".{{0,16}}?(?:里面|里头|入面|在里|有{_PERSON}在?里|{_PERSON}(?:被)?(?:困|关|卡)|出不来)",
    ),
    "medical": (
        r"摔倒|跌倒|滑倒|绊倒|摔了一?跤|摔了一下|摔跤|跌了一?跤|跌跤|摔伤|跌伤|摔地上|摔在地|倒在地|倒地|躺在地上|"
        r"跌低|仆倒|栽倒|摔下|摔在|跌在|跌落|坠楼|跳楼|摔断|(?:腿|胳膊|手|骨头).{0,3}断了|(?:摔|跌|倒|滑).{0,6}起不来",
        rf"{_PERSON}.{{0,6}}?(?:从.{{0,6}})?(?:掉|摔|跌|坠)(?:下|进|到)",
        rf"(?:河|池塘|水塘|塘|湖|水库|水池|井|粪坑)(?:里|边|中)?.{{0,6}}?{_PERSON}.{{0,6}}?(?:掉|落|滑|跌)(?:下去|进去|进|下|到)",
        rf"{_PERSON}.{{0,6}}?(?:掉|落|滑|跌|栽)(?:进|到|下)?了?(?:河|池塘|水塘|水池|湖|水库|井|粪坑|水)里",
        r"水里扑腾|在水里挣扎|沉下去了",
        rf"受伤|伤着了|流血|出血|血流|满脸是血|一地血|骨折|头破|撞伤|砸伤|烫伤|烧伤|割伤|咬伤|被狗咬|被车撞|被撞倒|躺着不动|一动不动|撞倒了?{_PERSON}|把{_PERSON}撞|"
        r"撞到(?:人|了人|老人|小孩|孩子)|砸到(?:了)?(?:人|头|老人|小孩|孩子)|砸中",
        rf"晕倒|昏倒|晕过去|晕了过去|晕厥|昏迷|不省人事|没有?意识|叫不醒|喊不醒|没呼吸|没有呼吸|{_PERSON}没气了|"
        r"心脏病(?:犯|发|突发)|心梗|中风(?!后)|脑梗(?!后)|抽搐|抽风|口吐白沫|喘不上气|喘不过气|呼吸困难|休克|中暑|溺水|掉水里|落水|"
        r"(?:叫|喊|人)了?没反应|触电|被电到|电到人|电着了|割腕|自杀|轻生|想不开|吃错药|中毒|急救|救护车|(?<!已)(?<!已经)(?<!在)(?:打|叫|拨)120|倒起(?:了|在)",
        rf"{_PERSON}.{{0,12}}?(?:喊|叫)(?:都|也)?(?:喊|叫)?(?:不应|不答应|没应)",
        # Signs of a stroke or a heart attack, as a relative sees them (FAST: face, arm, speech).
        r"嘴(?:都|也|巴)?(?:歪|斜)|口眼歪斜|口角歪|(?:突然|一下子)(?:就)?说不出话|说不出话来了|说话(?:都)?(?:说不清|不清楚了|含糊)|舌头(?:发硬|硬了|不听使唤)|"
        r"半边(?:身子|身体|脸|手|腿)?(?:麻|不能动|动不了|没知觉|没劲|没力气)|手脚不听使唤|(?:胸口|心口|胸)(?:剧痛|疼得|痛得|闷得|绞痛)|"
        r"嘴唇发紫|脸(?:色)?发紫|噎住了|卡住喉咙|卡喉咙|喘不上来|(?:还是|一直|仍然)没醒|没醒过来|叫也不醒",

    ),
    "crime": (
        r"抢劫|打劫|抢东西|抢包|抢钱|抢手机|持刀|拿刀|拿着刀|举着刀|砍人|砍伤|捅人|捅了|行凶|杀人|绑架|劫持|"
        r"抢了.{0,4}(?:钱|包|手机|东西|项链|金|首饰)|强奸|非礼|猥亵|耍流氓|家暴|打老婆|打媳妇|入室|撬门|撬锁|撬窗|在撬|撬.{0,4}门|砸车|砸门|砸窗|砸玻璃|"
        r"打人|打架|斗殴|打起来|群殴|动手了|打得头破|持械|纵火|放火|跟踪|尾随|追着.{0,4}(?:砍|捅|打)|"
        r"(?:拿|举|提|抡)着?(?:一)?把?(?:菜刀|砍刀|水果刀|刀子|斧头)|"
        # A call to call the police is an alarm; "已经报警了" says someone already did (often staff,
        # after the alarm was raised): on its own it reports nothing new.
        r"(?:快|赶紧|赶快|马上|立刻|快点|帮忙|帮我|帮帮忙)(?:报警|打110)|报警啊|报警呀|报警报警|(?<!已)(?<!已经)(?<!已经打了)(?<!在)(?:打|报|叫|拨)110",
    ),
    # Theft counts only as it happens: not "老有人偷快递", "昨天车被偷了" (those are tickets, not 110 now).
    "theft": (
        r"(?:正在|在|还在|现在|刚刚|刚才|有人|快|抓).{0,6}?(?:偷|小偷|贼)|(?:小偷|贼|偷车|偷东西).{0,8}?"
        r"(?:在|跑|快|抓|还没走|就在)|遭贼|有贼|进贼|进了贼",
    ),
    # A child (or anyone) shut in a parked car: heatstroke within minutes.
    "locked_in": (
        rf"{_PERSON}.{{0,8}}?(?:被)?(?:锁|关|困|落)(?:在|进)?了?.{{0,3}}?车(?:里|内|上|里面|里头)",
        rf"车(?:里|内|里面|里头).{{0,10}}?(?:锁着|关着|困着|落下)(?:了|个|一个)?{_PERSON}",
    ),
    # A child (or an old person) lost: the first hour counts.
    "missing": (
        r"(?:儿子|女儿|闺女|孩子|小孩|娃|孙子|孙女|老人|老爷子|老太太)(?:走丢|不见)了|"
        r"(?:看到|看见|见到)(?:我家|我)?的?(?:儿子|女儿|闺女|孩子|小孩|孙子|孙女|老人|老爷子|老太太)|"
        r"(?:儿子|女儿|闺女|孩子|小孩|娃|孙子|孙女|老人).{0,30}?到处(?:都)?找不(?:到|着)",
    ),
    # Someone (a child) outside a balcony railing or on a window sill high up.
    "fall_risk": (
        rf"{_PERSON}.{{0,10}}?(?:爬|翻|站|坐|挂|吊)(?:到|上|出|在)?了?.{{0,4}}?(?:阳台|窗台|栏杆|护栏|窗户|窗子|楼顶|天台)"
        r"(?:外面|外边|外头|外|上|边上|沿)",
    ),
    # Someone living alone not seen for days and not answering: the door opened now (police), help ready.
    "welfare": (
        r"(?:几|好几|两|俩|三|四|五|\d+)(?:天|日)(?:都|了)?(?:没|未|不见)(?:见|见到|看见|出门|下楼|开门|露面|动静|出来)"
        r".{0,20}?(?:敲门|电话|叫门).{0,6}?(?:没|无|不)(?:人)?(?:应|回应|接|开|动静)",
    ),
    # Water rising to live electrics (a flooded basement, a garage, a switch room): electrocution.
    "flood_power": (
        r"(?:进水|淹|漫|泡|积水|水位|灌|倒灌|水都).{0,12}?(?:配电箱|配电柜|配电房|配电间|电箱|电表箱|电闸|变压器|箱变|充电桩|插座|电线|电缆)",
        r"(?:配电箱|配电柜|配电房|配电间|电箱|电表箱|变压器|箱变|充电桩).{0,6}?(?:进水|泡水|泡在水|淹了|被淹|漫过|在水里)",
    ),
    "collapse": (
        r"要塌|快塌|会塌|塌了|塌下|倒塌|坍塌|垮塌|垮了|塌方|塌陷|摇摇欲坠|冧",
        r"(?:树|大树|墙|围墙|围挡|广告牌|招牌|电线杆|电杆|杆子|脚手架|塔吊|房子|楼|阳台|棚|雨棚|架子|吊顶|天花板|桥)"
        r".{0,6}?(?:要倒|快倒|倒了|倒下|歪了|倾斜|要塌|快塌|要掉|快掉|掉下来|砸下来|往下掉|晃得|在晃|晃动)",
        r"(?:外墙|墙皮|瓷砖|玻璃|广告牌|招牌|空调外机|外机|窗户|窗框|雨棚|阳台|天花板|吊顶|树枝|花盆|铁皮|石头)"
        r".{0,8}?(?:要掉|快掉|掉下来了|砸下来|往下掉|随时|松动|晃晃)",
        r"随时.{0,4}(?:掉|塌|倒|砸)|要砸到|会砸到|快砸到|(?:倒|塌|掉)了?.{0,4}砸到了?(?:车|人|房)",
    ),
}

# Phrases blanked before matching: they look like an emergency word but are not one.
_MASK = re.compile(
    r"消防演习|消防演练|应急演练|演习|演练|火锅|火烧云|上火|火车|发火|火气|火爆|火红|火热|火腿|火柴|打火机|烟花|烟火|"
    r"抽烟|吸烟|烟头|香烟|烟酒|油烟|烟熏|熏烟|烟感|烟雾报警|烟囱|炊烟|烟草|灭火器|防火|火灾隐患|防范火灾|消防通道|消防栓|"
    r"电梯年检|电梯维保|电梯检修|电梯保养|电梯广告|电梯卡(?=刷|片|丢|补|办|坏|充|怎)|电梯费|加装电梯|(?<!呼吸)困难|困扰|犯困|困惑|贫困|困了就睡|"
    rf"{_GASW}(?:费|卡|表读数|充值|开户|安检|改造|公司|热水器安装|开通|通气|点火|价格|涨价)|煤气罐.{{0,2}}(?:卖|送|换)|"
    r"防盗|防骗|反诈|防诈|偷偷|偷摸|偷懒|小偷小摸|(?<!燃气)(?<!煤气)报警器|[打点]不?着火|(?:孩子|小孩|小朋友|学生)们?打架|"
    r"救护车通道|急救通道|生命通道|(?:救护车|消防车|急救车)(?:都|也|根本)?(?:进不来|进不去|开不进|过不去)|"
    r"塌房|超载报警|(?:猫|狗)[^人]{0,6}打架|倒闭|倒霉|倒车|倒垃圾|倒水|倒掉|倒了杯|摔门|摔东西|摔手机|摔坏|摔碎|打架子鼓|打人工|"
    r"血压|血糖|献血|验血|抽血|中毒太深|(?:气|感动|高兴|激动|惊讶|羞)得.{0,4}说不出话"
)
# A weak kind counts only when the message has none of these (someone smoking, cooking, burning offerings).
_KIND_VETO = {
    "smoke": re.compile(r"抽烟|吸烟|烟头|香烟|烟民|烧烤|油烟|做饭|炒|辣椒|烧菜|烧香|烧纸|祭祀|上坟|秸秆|蚊香|艾灸|鞭炮|烟花|"
                       r"熏|腊肉|腊肠|香肠|烤肉|烤串|香得"),
    "theft": re.compile(r"老有|常有|总有|经常|老是|总是|天天|每天|最近|监控|昨天|前天|上周|上个月|前几天|注意|提防|"
                       r"现在的|这年头|胆子"),
}
# Right before a hit: it did not happen (hypothetical, warning, near miss) or is over.
_NOT_NOW_BEFORE = re.compile(
    r"(?:万一|如果|假如|要是|假设|一旦|防止|预防|以防|避免|容易|都要|都会|算不算|算是|小心|当心|生怕|担心|会不会|差点|险些|差一点|随时会|(?<![害可])怕|天天|每天|经常|老是|总是|"
    r"幸好没|幸亏没|好在没|记得|可以直接|可以|可|请|上次|上回|那次|之前|以前|去年|前年|曾经|模拟)[^□]{0,8}$|(?:没有?|别)$"
)
# Right before a hit, for events that are over once they happened (not a gas smell that goes on).
_PAST_BEFORE = re.compile(r"(?:昨天|昨晚|前天|上周|上个月|前几天|年前|前段时间|前阵子|听说)[^□]{0,10}$")
_PAST_EXEMPT = {"gas", "smoke"}
# Anywhere in the message: it is over or it is talk about one.
_NOT_NOW = re.compile(
    r"(?:谢谢|感谢|多谢|辛苦)[^。]{0,12}(?:及时|帮忙|处理|救|灭|修好|赶来|出警|帮我们|来得快)|"
    r"(?:及时|帮忙|处理|救出|灭了|修好|赶来|出警)[^。]{0,10}(?:谢谢|感谢|多谢)|已经灭了|已经扑灭|扑灭了|灭掉了|火灭了|已经救出|救出来了|已经出来了|已处理|处理好了|"
    r"(?:救护车|消防车|消防员|警察|民警|警车|120|119|110)(?:已经|都)?(?:到了|来了|赶到|在路上)(?!没|吗|么)|"
    r"(?:接走|拉走|送走|抬走)了|控制住了|已控制|已经控制|"
    r"送医|送到医院|送去医院|解决了|弄好了|搞定了|修好了|不用管了|不用派人|已经好了|处理了|有人来修了|没事了|虚惊|误报|演习|演练|培训|讲座|知识|科普|宣传|安全提示|安全提醒|温馨提示|提醒大家|注意事项|怎么交|缴费|交费|"
    r"(?:着火|失火|火灾|起火)了?.{0,3}(?:往哪|怎么跑|咋跑|跑都跑不|跑不出去|逃不出去)|"
    r"多少钱|年检|新闻|视频里|电视上|电视剧|小说|游戏|梦见|做梦"
)
# Words that say it is happening now: they override the two vetoes above.
_NOW = re.compile(
    r"救命|快来|快点来|赶紧来|快叫|快打|快报警|快救|来人啊|来人|快点|赶快|赶紧|马上|立刻|正在|还在|此刻|紧急|"
    r"急死|十万火急|急急|help|sos|!!|！！"
)
_DROP = re.compile(r"[\s\u200b-\u200f\u2060\ufeff,，.。!！?？、;；:：~～…·\-—'\"“”‘’()（）\[\]【】<>《》]+")
_COMPILED = {kind: tuple(re.compile(p) for p in pats) for kind, pats in _POSITIVE.items()}
# When several kinds match, the one that kills fastest decides the number first.
_ORDER = ("fire", "gas", "lift", "locked_in", "fall_risk", "missing", "crime", "medical", "welfare", "flood_power",
          "collapse")


@dataclass(frozen=True)
class Emergency:
    """What the rule layer found: the kinds in order of urgency, the first decides the number."""

    kinds: tuple[str, ...]
    matched: str

    @property
    def kind(self) -> str:
        return self.kinds[0]

    @property
    def number(self) -> str:
        return NUMBERS[self.kind]

    @property
    def advice(self) -> str:
        return ADVICE[self.kind]

    @property
    def name(self) -> str:
        return NAMES[self.kind]

    def advice_lines(self, limit: int = 2) -> tuple[str, ...]:
        """What to do now for the first `limit` kinds (a fall in a fire: 119 and 120)."""
        return tuple(ADVICE[k] for k in self.kinds[:limit])

    def categories(self) -> tuple[str, ...]:
        """Every category a ticket of this emergency may have been filed under (any of its kinds)."""
        return tuple(dict.fromkeys(c for k in self.kinds for c in CATEGORIES[k]))

    def category(self, model_category: str | None) -> str:
        """The model's category when it fits this kind of emergency, else the kind's own."""
        allowed = CATEGORIES[self.kind]
        return model_category if model_category in allowed else allowed[0]

    def joined(self, other: Emergency) -> Emergency:
        """One alarm said in two pieces ("路面塌陷了，有人摔倒了"): both kinds, the most urgent first."""
        kinds = tuple(k for k in _ORDER if k in self.kinds or k in other.kinds)
        return self if kinds == self.kinds else Emergency(kinds, self.matched if kinds[0] in self.kinds else other.matched)

    def concerns(self, category: str | None) -> bool:
        """Whether words of this category belong to the emergency itself: a category of one of its
        kinds ("电梯门也打不开" next to a person trapped in a lift), what it knocks out ("着火了，整栋
        停电了"), or someone's health, hurt or frightened by it ("我头晕", "老人吓坏了")."""
        return category in PEOPLE_CATEGORIES or any(
            category in CATEGORIES[k] or category in KNOCKS_OUT.get(k, ()) for k in self.kinds)


def _simplified(text: str) -> str:
    # to_simplified reads the Traditional particle 著 as 着 ("電梯裡關著人" → 关着人), like the model;
    # fold_dialect reads regional words as Mandarin ("冇人嚟" → "没有人来"), like the model.
    return fold_dialect(to_simplified(fold_width(text))).lower()


def clean(text: str) -> str:
    """Simplified, half-width, lower case, without spaces and punctuation (voice-to-text has none)."""
    return _DROP.sub("", _simplified(text or ""))


def _blank(match: re.Match) -> str:
    return "□" * len(match.group())


def detect(text: str, max_chars: int = 2000) -> Emergency | None:
    """The emergency in one message, or None. Bounded: only the first `max_chars` characters."""
    raw = _simplified((text or "")[:max_chars])
    flat = clean(raw)
    if not flat:
        return None
    masked = _MASK.sub(_blank, flat)
    now = _NOW.search(raw.replace(" ", "")) is not None
    if not now and (_NOT_NOW.search(flat) or is_elsewhere(flat)):
        return None
    found: dict[str, str] = {}
    for kind, patterns in _COMPILED.items():
        for pat in patterns:
            veto = _KIND_VETO.get(kind)
            if veto is not None and veto.search(flat):
                break
            for m in pat.finditer(masked):
                before = masked[max(0, m.start() - 12):m.start()]
                if not now and (_NOT_NOW_BEFORE.search(before)
                                or (kind not in _PAST_EXEMPT and _PAST_BEFORE.search(before))):
                    continue
                found.setdefault(kind, m.group())
                break
            if kind in found:
                break
    if not found:
        return None
    theft = found.pop("theft", None)
    if theft:
        found.setdefault("crime", theft)
    smoke = found.pop("smoke", None)
    if smoke and "gas" not in found:  # a smell of burning is a fire; next to a gas smell it is the gas
        found.setdefault("fire", smoke)
    kinds = tuple(k for k in _ORDER if k in found)
    return Emergency(kinds, found[kinds[0]])


EVAL_PATH = Path(__file__).resolve().parent / "data" / "eval" / "emergencies.csv"


def evaluate(path: str | Path = EVAL_PATH) -> dict:
    """Recall, precision and right-kind rate on a hand-written CSV (text,kind; kind empty = none)."""
    tp = fn = fp = tn = right_kind = 0
    misses: list[str] = []
    false_alarms: list[str] = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            found = detect(row["text"])
            if row["kind"]:
                if found is None:
                    fn += 1
                    misses.append(row["text"])
                else:
                    tp += 1
                    right_kind += found.kind == row["kind"]
            elif found is None:
                tn += 1
            else:
                fp += 1
                false_alarms.append(row["text"])
    return {
        "emergencies": tp + fn, "others": tn + fp,
        "recall": tp / max(1, tp + fn), "precision": tp / max(1, tp + fp),
        "right_kind": right_kind / max(1, tp), "misses": misses, "false_alarms": false_alarms,
    }


if __name__ == "__main__":  # python -m classifier.emergency [path]
    import json
    import sys

    print(json.dumps(evaluate(*sys.argv[1:2]), ensure_ascii=False, indent=1))
