"""An eighth, held-out set of grid-chat conversations for bench.bench_conversations (`--set eighth`).

Written by hand by an eighth engineer, who had read neither the handlers nor the classifier, nor
any of the other conversation files beyond bench/conversations_seventh.py's docstring and first lines
(for the format). Every expected behaviour was fixed and committed before the set was first played,
and is what a grid leader would want the bot to do with the line, not a guess at what it does. Same
format as bench/conversations.py: each turn is (sender, text, expected, minutes waited before it);
expected is silent / reply / new / join:k / urgent:N / several:K; {t1}, {t2}, … name this
conversation's k-th ticket.

One grid on the edge of a big city, two halves. The first is an urban village (城中村): migrant
workers on building sites, a foreman, small shop owners, landlords renting out rooms by the dozen,
narrow numbered lanes (巷), e-bikes everywhere, shared kitchens and public toilets, roof-top iron
sheds, a 螺蛳粉 stall, rent going up, children moved into the village school, a 接龙 for mooncakes,
red envelopes, keys found at a toilet door, a Cantonese-speaking neighbour writing Traditional
characters. The second is a resettlement estate (安置小区) of returned villagers now in high-rises:
old farmers missing their fields, a tool shed put up by the vegetable plots, lifts, corridor e-bike
charging, square dancing, the wait for property certificates. Voices: plain Mandarin with slips,
西南官话 (啥子, 咋个, 遭不住, 晓得), 江淮 (乖乖隆地咚, 搞不赢), voice input without punctuation,
emoji; the grid worker liqiang also posts in the group. Emergencies: a rented room on fire while
e-bike batteries charge (119), a worker fallen from scaffolding (120), a gas smell in a shared
kitchen (119), a knife fight in a lane (110), a child missing for over an hour (110), an old man
trapped under a collapsed shed (119). Policy questions: 租房备案, 积分入学, 居住证 renewal, 社保转移,
registering tenants of a resettlement flat, the resettlement flats' property certificates.
Look-alikes: memories of the fields, a fire in the news elsewhere, a joke, a demolition rumour,
staff notices and acknowledgements, ads, a 接龙, lost-and-found, questions to a neighbour by name,
rent grumbling, pork prices.

Judgement calls fixed in advance: a neighbour confirming a problem or an emergency, or adding what
they saw, joins it (join:k); a report without a place is still a new ticket and the place given in
the next line joins it; the reporter's follow-ups (still broken, worse, fixed now, "it was a
mistake" withdrawing it, the missing child found) join the ticket; another resident's report days
later of the same roof-top shed, corridor charging or broken public toilet joins the first ticket;
two problems in one message are two tickets (several:2) and a follow-up naming one joins that one;
corridor e-bike charging off a cable is a hazard ticket, not an emergency; a stolen e-bike battery
(last night) is a ticket, not a 110 call; a barking dog is a ticket; a burst pipe flooding a lawn is
a ticket; rumours, memories, news, jokes and ads are silent; a question to a neighbour by name is
silent, and so is a question the grid can't answer (who buys old air conditioners); rent grumbling is
silent; a neighbour's answer and a thank-you are silent; staff lines are silent.

45 conversations, 106 turns: silent 54, join 26, new 12, reply 6, urgent 6, several 2.

Lines that matched the training data or the other sets (`grep -F`, whole lines and clauses of six characters or more) were reworded
before the first play (seven clauses, no whole line).
"""
from __future__ import annotations

DAY = 60 * 24

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS_EIGHTH: list[tuple[str, list[tuple]]] = [
    # ---- the urban village ----
    ("urban village, the site stops for two days", [
        ("wx_laotang", "今早工头讲工地停两天，又要喝西北风了😂", "silent"),
        ("wx_xiaoyu", "停工也好，正好回去把娃的作业看一哈，平时哪有空管他", "silent", 3),
        ("wx_laotang", "你是享福咯，我这房租下个礼拜就要交了", "silent", 2),
    ]),
    ("urban village, a rented room on fire with batteries charging", [
        ("wx_xiaoma", "起火了起火了！！后巷那栋出租屋二楼有人在屋头给电瓶充电，窗户在往外冒黑烟，里面好像还有人", "urgent:119"),
        ("wx_laotang", "我也看到了，烟好大，楼上的人正在往下跑", "join:1", 1),
        ("liqiang", "我马上过来，大家莫往里冲", "silent", 1),
    ]),
    ("urban village, e-bikes blocking lane three", [
        ("wx_hongjie", "巷子里电动车停得乱七八糟，真要有个啥事消防车根本进不来，天天都这样", "new"),
        ("wx_hongjie", "就是菜市场后头那条三巷，靠公厕那一头", "join:1", 2),
        ("wangfang", "红姐，收到，明天我们去挨家劝一下", "silent", 30),
        ("wx_hongjie", "#{t1} 劝了两天又堆回来了，比原来停得还多", "join:1", 2 * DAY),
    ]),
    ("urban village, a landlord asks about 租房备案", [
        ("wx_fangdong_chen", "我家楼上有六间房出租，租房备案是去哪里办？要准备啥子材料？", "reply"),
        ("wx_laotang", "陈老板是不是又要涨房租了哈哈", "silent", 4),
    ]),
    ("urban village, demolition rumour", [
        ("wx_ajie", "听说我们村明年要整村拆迁，一平方补两万多，真的假的哦", "silent"),
        ("wx_laotang", "年年都讲要拆，我头发都等白了", "silent", 3),
        ("wx_xiaoyu", "真拆了我们这些租房的去哪住嘛😭", "silent", 2),
    ]),
    ("urban village, a worker fallen from scaffolding", [
        ("wx_gongtou_zhao", "快来人！村口那栋在建的楼有个师傅从脚手架上摔下来了，头上在流血，喊他不答应", "urgent:120"),
        ("wx_xiaoma", "我就在旁边，人还有气，我们没敢动他", "join:1", 1),
    ]),
    ("urban village, 积分入学 for a migrant's child", [
        ("wx_xiaoyu", "我们外地的娃娃明年要上小学，积分入学咋个算分？社保要交满几年才行？", "reply"),
        ("wx_hongjie", "我家老大前年就是积分进的，材料要早点准备", "silent", 5),
        ("wx_xiaoyu", "要得，谢谢红姐", "silent", 1),
    ]),
    ("urban village, gas smell in the shared kitchen", [
        ("wx_axiu", "公用厨房里一股好大的煤气味，不晓得哪家的阀门没关，我灯都不敢开", "urgent:119"),
        ("wx_laotang", "我在三楼都闻到了，味道冲得很", "join:1", 2),
    ]),
    ("urban village, the new 螺蛳粉 stall", [
        ("wx_xiaoma", "村口新开那家螺蛳粉还可以，酸笋给得足", "silent"),
        ("wx_ajie", "我吃了一回，辣得我一晚上没睡着🥵", "silent", 6),
        ("wx_xiaoma", "你那个胃哦，下回喊老板少放点辣子", "silent", 2),
    ]),
    ("urban village, a roof-top iron shed growing, reported twice", [
        ("chenxin", "七巷最里头那家又在楼顶搭铁皮房，电焊焊了好几天，吵得要命，还怕哪天塌下来砸到人", "new"),
        ("wangfang", "收到，这个是违建，我们报给城管", "silent", 60),
        ("wx_axiu", "七巷尽头那个楼顶的铁皮房还在往上加，都快三层高了，没人管的吗", "join:1", 3 * DAY),
    ]),
    ("urban village, a knife fight in lane five", [
        ("wx_ajie", "五巷有两个人打起来了，一个拿着菜刀在追另一个，快报警啊！", "urgent:110"),
        ("wx_hongjie", "是真的，我在楼上看得到，地上都有血了，吓死人", "join:1", 1),
    ]),
    ("urban village, mooncake 接龙 and red envelopes", [
        ("wx_hongjie", "中秋村委发月饼，要的接龙：\n1. 红姐 2盒", "silent"),
        ("wx_xiaoyu", "1. 红姐 2盒\n2. 小于 1盒", "silent", 4),
        ("liuayi", "谢谢老板的红包🧧手慢只抢到两毛😂", "silent", 2),
    ]),
    ("urban village, a five-year-old missing for an hour", [
        ("wx_amei", "有没有人看到我家儿子？五岁，穿黄衣服，刚才在小卖部门口玩，一个多钟头了到处找不到😭😭", "urgent:110"),
        ("wx_laotang", "我半个钟头前看到一个穿黄衣服的小娃娃往大马路那边走了", "join:1", 2),
        ("wx_amei", "娃找到了，自己跑到他外婆家去了，谢谢大家帮忙找", "join:1", 40),
    ]),
    ("urban village, no water and a dark lane in one message", [
        ("wx_laotang", "说两个事：一是我们这栋从昨天下午停水到现在，也没人通知一声；二是巷口那盏路灯坏了一个多月，晚上黑黢黢的", "several:2"),
        ("wx_laotang", "#{t2} 路灯还是没修，昨晚上有个老人家在那摔了一跤", "join:2", DAY),
    ]),
    ("urban village, keys found at the toilet", [
        ("wx_xiaoma", "哪个掉了一串钥匙，挂了个小熊公仔，公厕门口捡的，放在小卖部了", "silent"),
        ("wx_ajie", "那串是我的！谢谢马哥🙏", "silent", 10),
    ]),
    ("urban village, renewing the 居住证", [
        ("wx_gongtou_zhao", "居住证快到期了要去哪里续？手机上能不能办", "reply"),
        ("wx_xiaoyu", "我上个月在手机上弄的，几分钟就好了", "silent", 3),
    ]),
    ("urban village, the drain in lane three by voice input", [
        ("zhangdaye", "那个三巷的下水道又堵了污水都漫到路中间来了臭得很走路都要踮起脚", "new"),
        ("wx_hongjie", "对头，我早上路过鞋子都打湿了", "join:1", 20),
        ("zhangdaye", "#{t1} 通好了谢谢你们", "join:1", DAY),
    ]),
    ("urban village, when all this was vegetable fields", [
        ("wx_laoyang", "以前这一片全是菜地，我家那块种空心菜，挑到城里五分钱一把", "silent"),
        ("wx_laotang", "杨伯记性真好，那时候我还没来这边", "silent", 3),
    ]),
    ("urban village, the grid worker's notice to landlords", [
        ("liqiang", "各位房东注意，本周五前把出租屋新住进来的人员信息报给我，谢谢配合", "silent"),
        ("wx_fangdong_chen", "晓得了李哥，明天弄好发你", "silent", 5),
        ("liqiang", "好的陈老板，辛苦", "silent", 2),
    ]),
    ("urban village, a low wire that was a clothes line", [
        ("wx_axiu", "四巷口那根电线垂得好低，骑车的人要埋着头才过得去", "new"),
        ("wx_axiu", "搞错了，是人家晾衣服的绳子不是电线，不好意思哈", "join:1", 60),
    ]),
    ("urban village, the rent goes up", [
        ("wx_xiaoyu", "房东讲下个月起每间涨一百，遭不住哦", "silent"),
        ("wx_laotang", "涨就涨吧，附近也找不到更便宜的了", "silent", 3),
    ]),
    ("urban village, the boy at the village school", [
        ("wx_amei", "娃娃这学期转到村小了，老师讲他普通话说得比我还标准😂", "silent"),
        ("wx_axiu", "小娃学得快，我家那个现在回老家土话都不会讲了", "silent", 4),
    ]),
    ("urban village, the lane-two toilet, reported again", [
        ("wx_xiaoma", "二巷那个公共厕所冲不了水好几天了，臭得不得了", "new"),
        ("wx_ajie", "二巷公厕还是冲不出水，里面都没法下脚了，有没有人来管一下", "join:1", 3 * DAY),
    ]),
    ("urban village, a stolen e-bike battery", [
        ("wx_gongtou_zhao", "昨晚停在六巷口的电动车电瓶被人偷了，这个月第二回了，能不能在那装个监控", "new"),
        ("wx_xiaoma", "我的上礼拜也被偷了，就在那一片", "join:1", 15),
    ]),
    ("urban village, lychees in Cantonese", [
        ("wx_ahua", "今日買咗好多荔枝，邊個想要自己過嚟拎啦🙂", "silent"),
        ("wx_amei", "谢谢华姐，我等下带娃过来拿", "silent", 5),
    ]),
    ("urban village, who buys old air conditioners", [
        ("wx_fangdong_chen", "有没有人晓得哪里收旧空调，我有两台要处理掉", "silent"),
    ]),
    # ---- the resettlement estate ----
    ("resettlement estate, three years in a high-rise", [
        ("wx_wangbo", "住了三年楼房还是不习惯，没得地种，天天就是坐电梯上上下下", "silent"),
        ("zhangdaye", "我在阳台种了几盆葱，过过瘾", "silent", 4),
        ("wx_wangbo", "张大爷你那个葱长得咋样？", "silent", 2),
    ]),
    ("resettlement estate, a lift down for days", [
        ("wx_lijie", "8栋2单元电梯又坏了，停了三天了，住十八楼的老人根本下不来", "new"),
        ("liuayi", "是的，我妈就住那栋，这几天都是我背她下楼", "join:1", 30),
        ("wx_lijie", "#{t1} 还是没人来修，物业说在等配件", "join:1", 2 * DAY),
        ("wx_lijie", "今天修好了，总算能坐了", "join:1", DAY),
    ]),
    ("resettlement estate, an old man under a collapsed shed", [
        ("wx_wangbo", "后面菜地边上搭的那个棚子垮了，刘老汉被压在里头，喊得应声，我们几个搬不动", "urgent:119"),
        ("wx_laoyang", "我们在扒砖头了，赶紧叫消防的来", "join:1", 1),
    ]),
    ("resettlement estate, moving 社保 from home province", [
        ("wx_xiaozhou", "我想把老家的社保转到这边来，要去哪个窗口办？需不需要老家先开证明", "reply"),
        ("wx_xiaozhou", "好的明白了👍", "silent", 5),
    ]),
    ("resettlement estate, corridor charging, reported again", [
        ("chenxin", "5栋一单元楼道里好几辆电瓶车在充电，插线板从窗户里扯出来的，晚上怕出事", "new"),
        ("wangfang", "收到，明天安排人去楼道清一下", "silent", 30),
        ("chenxin", "#{t1} 昨晚又有人在那充", "join:1", 2 * DAY),
        ("wx_lijie", "5栋1单元楼道又在飞线充电，插线板都烤黑了", "join:1", 2 * DAY),
    ]),
    ("resettlement estate, a fire in the news", [
        ("wx_xiaozhou", "新闻说隔壁区一个城中村昨晚电动车起火，烧了一整栋楼，好吓人", "silent"),
        ("wx_lijie", "所以我从来不把电瓶拎回家充", "silent", 3),
    ]),
    ("resettlement estate, a joke about lifts", [
        ("wx_wangbo", "孙子问我以前村里咋没电梯，我说以前我们是爬树上楼的🤣", "silent"),
        ("liuayi", "王伯你太会讲了", "silent", 2),
    ]),
    ("resettlement estate, square-dance noise and a full bin", [
        ("wx_xiaozhou", "反映两个问题：小区广场舞音响晚上十点了还开得震天响；还有东门垃圾桶三四天没人清，苍蝇乱飞", "several:2"),
        ("wx_xiaozhou", "#{t2} 今天垃圾车来拉走了", "join:2", DAY),
    ]),
    ("resettlement estate, a plumber's number", [
        ("chenxin", "刘阿姨，你上回说的那个修水管的师傅电话还在不？", "silent"),
        ("liuayi", "在的，我私发给你", "silent", 3),
    ]),
    ("resettlement estate, a dog barking at night in Traditional", [
        ("wx_ahua", "樓下那家的狗每天半夜叫個不停，已經一個禮拜了，老人家都睡不好", "new"),
        ("wx_ahua", "#{t1} 今晚又叫到兩點", "join:1", DAY),
    ]),
    ("resettlement estate, 粽子 for 端午", [
        ("wx_laoyang", "端午社区包粽子，去年我一个人包了四十个，今年还去", "silent"),
        ("wx_lijie", "杨伯包的碱水粽最好吃，给我留两个🤤", "silent", 5),
    ]),
    ("resettlement estate, ads", [
        ("wx_zhongjie", "出租：幸福家园3栋两室一厅，拎包入住，月租一千五，有意私聊", "silent"),
        ("wx_shutong", "专业疏通下水道、开锁换锁，电话见头像", "silent", 30),
    ]),
    ("resettlement estate, staff about the bike-shed meeting", [
        ("wangfang", "今天下午三点在活动室开居民会，讲车棚改造的事，请大家准时参加", "silent"),
        ("liqiang", "王姐，车棚那边的图纸我打印出来了", "silent", 10),
    ]),
    ("resettlement estate, a burst pipe, place given after", [
        ("wx_laoyang", "水管爆了，哗哗地往外冒水", "new"),
        ("wx_laoyang", "在11栋后面那块绿化带里，水都流到马路上了", "join:1", 2),
    ]),
    ("resettlement estate, a pothole at the south gate by voice input", [
        ("liuayi", "喂喂那个南门进来那里地上有个大坑昨天晚上有个骑电动车的摔了你们赶紧找人来填一下", "new"),
        ("wx_wangbo", "那个坑我也看到好久了，下雨一积水根本看不出深浅", "join:1", 10),
    ]),
    ("resettlement estate, renting a resettlement flat to outsiders", [
        ("wx_fangdong_li", "我把安置房租给外地人住，要不要去派出所登记？不登记会不会罚款", "reply"),
    ]),
    ("resettlement estate, a leaking fire hydrant", [
        ("wx_xiaozhou", "12栋门口的消防栓一直在漏水，地上积了一大滩，天冷了要结冰", "new"),
        ("liqiang", "我刚去看了，已经报给水务了", "silent", 45),
        ("wx_xiaozhou", "好了，水务的人今天换了阀门，不漏了", "join:1", DAY),
    ]),
    ("resettlement estate, when do the property certificates come", [
        ("wx_wangbo", "我们安置房住了三年了，不动产证到底啥时候能办下来？", "reply"),
        ("wx_laoyang", "等着吧，隔壁那个小区等了五年", "silent", 6),
    ]),
    ("resettlement estate, pork prices in 江淮 flavour", [
        ("wx_laozhu", "乖乖隆地咚，今个菜市场猪肉又涨了，十八块一斤", "silent"),
        ("wx_laoyang", "搞不赢，还是自己腌点咸货划算", "silent", 3),
    ]),
]
