"""A fourth, held-out set of grid-chat conversations for bench.bench_conversations (`--set fourth`).

Written by hand on 2026-12-03 by a fourth engineer, who had read neither the handlers nor the
classifier, nor bench/conversations.py, bench/conversations_fresh.py or bench/conversations_third.py
beyond the third's docstring and first lines (for the format). Every expected behaviour was fixed
and committed before the set was first played, and is what a grid leader would want the bot to do
with the line, not a guess at what it does. Same format as bench/conversations.py: each turn is
(sender, text, expected, minutes waited before it); expected is silent / reply / new / join:k /
urgent:N / several:K; {t1}, {t2}, … name this conversation's k-th ticket.

It mixes cities and generations: an old Beijing/Tianjin 胡同 and 大杂院 community (京片子: 甭, 得嘞,
倍儿, 忒, 劳驾; 天津: 介, 嘛), Hunan and Hubei (么子, 冇得, 搞么子, 晓得, 过早), 闽南/台湾-flavoured
writers in Traditional characters (喔, 耶, 阿嬤), young tenants typing fast in internet slang (yyds,
绝绝子, 破防了, 栓Q, 无语子, 家人们谁懂啊, emoji-only lines), elderly voice-to-text with homophone
slips and no punctuation (赌/堵, 网个长), and a foreign resident mixing simple Chinese with English.
Most lines are chit-chat (weather, 豆汁儿, 热干面, chess, a cat that knocks over the takeaway). Among
them: reports with and without places; a report completed by a second message a minute later (the
place, or the problem after a throat-clearing first line); vague complaints that need a question
back; follow-ups hours or days later and `#N 怎么样了`; neighbours confirming (+1, 同上, 我们楼也这样,
一样一样的); two problems in one message, and a later line about the second one; emergencies typed
badly (smoke, gas twice, an elder collapsed, a fall in the bathroom, a child locked in a car in the
sun, a dog biting a child, a balcony railing about to fall on a pavement, someone stuck in a lift);
policy and how-to questions (高龄津贴, 居住证, 养犬登记, 垃圾投放时间, 医保缴费, 养老助残卡); and
look-alikes: a past repair thanked, jokes, another city's floods, a forwarded water-cut rumour, a
hypothetical about a drain, a barbecue smell that is only cooking, staff notices and acknowledgements
(收到 / 已派人 / 已报警 / 马上到), a watermelon 接龙 and its questions, lost keys and a lost dog, a
room to rent.

Judgement calls fixed in advance: a child locked in a car is urgent:110 (police break the window;
119 would also do, the scorer takes one); a balcony railing about to fall and a gas smell are
urgent:119; a neighbour's question to a group-buy organiser, or to a staff member about their own
notice, is silent; a neighbour echoing a question the bot already answered is silent.

49 conversations, 120 turns. Lines that matched the training data or the other sets (`grep -F`)
were reworded before the first play.

First played 2026-12-03, PostgreSQL + Redis, expectations unchanged (`python -m bench.bench_conversations
--passes 1 --set fourth --show-failures`): 0.825 of 120 turns (silent 0.953, reply 0.667, new 0.842,
join 0.412, urgent 0.889, several 0.500) — the honest held-out figure; any later one is not.
"""
from __future__ import annotations

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS_FOURTH: list[tuple[str, list[tuple]]] = [
    ("hutong morning", [
        ("zhangdaye", "早啊各位 今儿天儿倍儿好 我刚遛鸟回来", "silent"),
        ("wx_laoliu", "得嘞 您老这精神头儿 我这刚打完一套太极", "silent"),
        ("liuayi", "胡同口那家豆汁儿焦圈儿今儿又开张了 甭上别家了", "silent"),
    ]),
    ("frozen courtyard pipe, neighbour, staff", [
        ("zhangdaye", "网格长 8号院西厢房外头那根水管子冻裂了 一个劲儿往外呲水 地上都结冰了 忒滑", "new"),
        ("wx_laoliu", "同上 院儿东头那水龙头也冻住了 一滴水都出不来", "join:1"),
        ("liqiang", "收到 这就带人过去 大家先别往那边走", "silent"),
        ("zhangdaye", "好嘞 辛苦您嘞", "silent"),
    ]),
    ("Tianjin stairwell junk, place a minute later", [
        ("wx_dalian", "介楼道里谁家堆的破烂儿 纸箱子泡沫板子一大堆 俩礼拜了 真着了火可嘛办", "new"),
        ("wx_dalian", "2号楼东单元 一楼到二楼拐弯那块儿", "join:1", 1),
        ("wangfang", "收到 已经联系物业今天去清", "silent"),
    ]),
    ("Hunan septic tank, days", [
        ("wx_hulaoshi", "搞么子哦 小区后门那个化粪池又冒出来了 臭得冇得办法 走路都要绕起走", "new"),
        ("wx_tanjie", "我晓得 昨天傍晚就闻到了 一样一样的", "join:1"),
        ("wx_hulaoshi", "又是一天了 还是冇得人来搞 门口的菜摊子都搬走了", "join:1", 1440),
    ]),
    ("Wuhan breakfast talk", [
        ("liuayi", "过早了冇 巷子口那家热干面今天排好长的队", "silent"),
        ("wx_tanjie", "莫讲了 我排了二十分钟 还是那个味 芝麻酱放得足", "silent"),
        ("chenxin", "听说汉口那边昨晚停了一夜电 我们这边还好没受影响", "silent"),
    ]),
    ("Hubei high-age allowance", [
        ("zhangdaye", "请问一哈 满了八十岁的高龄津贴是么子时候发 要到哪里去申请咯", "reply"),
        ("wx_tanjie", "我屋里老人家去年是在社区办的 带了身份证户口本", "silent"),
        ("zhangdaye", "好的 晓得了 多谢", "silent"),
    ]),
    ("Taiwanese lift out of order, +1", [
        ("wx_ahua", "請問一下 我們7號樓B座的電梯是不是又壞掉了 按了好久都沒反應耶 好煩喔", "new"),
        ("wx_meiling", "+1 我剛剛也是爬樓梯上來的 腳好痠", "join:1"),
    ]),
    ("Taiwanese grandma collapsed", [
        ("wx_meiling", "救命 阿嬤在樓下中庭跌倒 叫都叫不醒 怎麼辦 拜託快來人", "urgent:120"),
        ("wangfang", "已经打120了 我马上到 大家帮忙看着老人 先别挪动", "silent"),
        ("wx_meiling", "救護車到了 謝謝大家", "silent", 12),
    ]),
    ("elderly voice-to-text blocked drain", [
        ("zhangdaye", "王网格长你好我家楼下的下水道又赌了味道很大请你们派人来看一下我是四号楼的", "new"),
        ("liuayi", "是的我家也闻到臭味了从昨天晚上就开始了", "join:1"),
        ("zhangdaye", "谢谢王网个长", "silent", 5),
    ]),
    ("elderly voice-to-text, vague then radiator", [
        ("wx_laozhao", "喂喂这个怎么用的啊说话能听见吗", "silent"),
        ("wx_laozhao", "我们家那个东西又不行了你们到底管不管啊", "reply"),
        ("wx_laozhao", "就是那个暖气片不热了屋里冷的很老伴都冻感冒了", "new", 2),
    ]),
    ("young tenant, late-night barbecue", [
        ("wx_tutu", "救命 楼下烧烤摊天天半夜两点还在撸串划拳 吵得我破防了 栓Q", "new"),
        ("wx_kk", "+1 我也住这边 每晚都被吵醒 无语子", "join:1"),
        ("wx_tutu", "😭😭😭😭🙃", "silent"),
    ]),
    ("young tenant thanks the worker", [
        ("wx_kk", "yyds!! 网格员小哥昨天半小时就把我们楼道灯修好了 绝绝子", "silent"),
        ("liqiang", "哈哈应该的 有事随时说", "silent"),
        ("wx_tutu", "👍👍🫡", "silent"),
    ]),
    ("parcels block the fire escape, hours", [
        ("wx_tutu", "无语子 快递驿站把包裹全堆在9号楼的消防通道里了 小推车都挤不过去", "new"),
        ("wangfang", "收到 我让驿站下午之前清走", "silent"),
        ("wx_tutu", "家人们谁懂啊 到现在还堆着 一个箱子都没挪", "join:1", 300),
    ]),
    ("smoke in building 3", [
        ("wx_xiaoya", "三号楼五楼冒烟了！！烟好大 焦糊味呛人 快", "urgent:119"),
        ("wx_kk", "我也看到了 整个楼梯间都是烟", "join:1"),
        ("liqiang", "已报警 消防在路上 大家走安全通道下楼 别坐电梯", "silent"),
    ]),
    ("gas smell in a stairwell", [
        ("liuayi", "6号楼2单元楼道里好大一股煤气味 是不是谁家阀门没关 好吓人", "urgent:119"),
        ("wangfang", "已通知燃气公司 大家千万别碰电灯开关 别点火 先开窗", "silent"),
    ]),
    ("young tenant smells gas at home", [
        ("wx_tutu", "卧槽 厨房里冲鼻子的煤气味 灶打了几次都打不着 是不是漏了 在线等急", "urgent:119"),
    ]),
    ("child locked in a car in the sun", [
        ("wx_baoma", "快来人 东门露天停车场有个小孩被锁在车里 大太阳晒着 孩子一直哭 车主找不到", "urgent:110"),
        ("chenxin", "我去物业那边喊人 谁认识这辆车的车主", "silent"),
        ("wx_baoma", "警察来了 窗户砸开了 孩子没事 虚惊一场", "silent", 15),
    ]),
    ("dog bites a child", [
        ("wx_laoli", "小花园那边一条没拴绳的大狗把小孩咬了 腿上一直在流血 狗主人跑了", "urgent:120"),
        ("wx_baoma", "天哪 孩子没事吧", "silent"),
    ]),
    ("balcony railing about to fall", [
        ("zhangdaye", "不得了 11号楼四楼阳台那个铁栏杆松了 晃晃悠悠的 底下就是人行道 眼看要掉下来", "urgent:119"),
        ("liqiang", "马上到 先把底下拉上线不让人走", "silent"),
    ]),
    ("elderly voice-to-text, a fall in the bathroom", [
        ("wx_laozhao", "快来人啊我老伴在厕所里摔倒了起不来了头上出学了五号楼三单元", "urgent:120"),
        ("wangfang", "已经打了120 我和小李马上到", "silent"),
    ]),
    ("someone stuck in a lift", [
        ("wx_xiaoya", "电梯卡在7楼和8楼中间了 我在里面 按了警铃也没人理 15号楼 救命", "urgent:96333"),
        ("liqiang", "别慌 已联系维保 马上到 千万别扒门", "silent"),
    ]),
    ("two problems at once", [
        ("chenxin", "两个事：一是12号楼的门禁坏了谁都能进 二是楼下那排路灯一到晚上就全黑", "several:2"),
        ("wangfang", "收到 两件事都记下了", "silent"),
    ]),
    ("two problems in a courtyard, then the second", [
        ("wx_laoliu", "您给瞅瞅 院儿里公厕的水箱漏了一宿了 还有胡同口那堆建筑垃圾仨月没人拉了", "several:2"),
        ("zhangdaye", "可不是嘛 胡同口那堆渣土刮风就扬 我天天吃一嘴土", "join:2"),
    ]),
    ("loose paving, #N two days later", [
        ("liuayi", "5号楼门口那块地砖翘起来了 昨天有个老太太差点绊一跤", "new"),
        ("liuayi", "#{t1} 怎么样了 咋还没动静", "join:1", 2880),
        ("wangfang", "已派人 今天下午就补上", "silent"),
    ]),
    ("low water pressure, neighbours", [
        ("wx_zhoujie", "这两天水压怎么这么小 洗澡跟滴水似的 有没有人也这样", "new"),
        ("liuayi", "我们楼也这样", "join:1"),
        ("chenxin", "一样一样的 早上刷个牙都费劲", "join:1"),
    ]),
    ("forwarded water-cut rumour", [
        ("wx_laozhao", "【转发】紧急通知！！明天起全市停水三天 各家赶紧接水囤着 转发给家人朋友", "silent"),
        ("wangfang", "这是谣言 自来水公司没发过这个通知 大家别再转了", "silent"),
        ("wx_laozhao", "哦哦 那我删了", "silent"),
    ]),
    ("another city's floods", [
        ("wx_tanjie", "看新闻长沙那边下暴雨 好多车泡在水里了 吓死个人", "silent"),
        ("liuayi", "咱们也得留个心眼 要是哪天地库排水沟堵了可就麻烦了", "silent"),
    ]),
    ("watermelon 接龙", [
        ("chenxin", "#接龙 麒麟西瓜 一个8斤左右 32元 周五下午到\n1. 陈欣 2个", "silent"),
        ("wx_tutu", "2. 兔兔 1个 绝绝子 终于有瓜吃了", "silent"),
        ("zhangdaye", "小陈 西瓜给送到家不 我腿脚不利索", "silent"),
        ("chenxin", "送的大爷 放心", "silent"),
    ]),
    ("lost keys", [
        ("wx_laoli", "哪位邻居的钥匙串掉了 上面挂个小熊 在3号院门口捡的 搁门卫大爷那儿了", "silent"),
        ("liuayi", "我的我的 谢谢您嘞", "silent"),
    ]),
    ("lost dog", [
        ("wx_xiaoya", "我家狗狗丢了 白色比熊 戴红色项圈 看到的邻居麻烦说一声 万分感谢🙏", "silent"),
        ("wx_kk", "刚刚好像在快递站门口瞄到一只小白狗", "silent"),
    ]),
    ("room to rent", [
        ("wx_fangdong", "出租 8号楼朝南次卧 带阳台 近地铁 1800/月 限女生 有意私聊", "silent"),
        ("wx_kk", "还在吗 能养猫不", "silent"),
    ]),
    ("foreign resident", [
        ("wx_tom", "Hello 大家好, I am Tom from 10号楼. 楼道的 light 坏了, 晚上 very dark", "new"),
        ("wx_tom", "Sorry my Chinese 不好. Where can I 办 居住证?", "reply"),
        ("liuayi", "Tom 你去社区服务中心 带上护照和租房合同就行", "silent"),
    ]),
    ("Beijing dog licence", [
        ("wx_laoliu", "劳驾问一句 养狗得上哪儿登记办证 一年交多少钱", "reply"),
        ("zhangdaye", "甭问我 我也不门儿清 哈哈", "silent"),
    ]),
    ("new tenant asks about kitchen waste", [
        ("wx_tutu", "新搬来的 问下厨余垃圾几点能扔 晚上十点以后还能扔吗", "reply"),
        ("wx_kk", "欢迎新邻居🎉", "silent"),
    ]),
    ("Hunan vague grumble, then rubbish", [
        ("wx_hulaoshi", "这个小区物业真的是冇得用 么子事都不管", "reply"),
        ("wx_hulaoshi", "就是我们栋楼下的垃圾桶满得溢出来了 三天冇得人收", "new", 3),
    ]),
    ("Beijing vague, then renovation noise", [
        ("zhangdaye", "这事儿到底还有没有人管了 忒闹心", "reply"),
        ("zhangdaye", "甭提了 隔壁院儿装修 天天早上六点就开始砸墙", "new", 2),
        ("wangfang", "大爷 我这就去跟那家说 让他们按规定时间施工", "silent"),
    ]),
    ("Tianjin cold radiator, three days", [
        ("wx_dalian", "暖气片摸着跟冰坨子似的 屋里温度计就十二度 介日子没法过了 4号楼", "new"),
        ("wangfang", "收到 已经报给热力公司了", "silent"),
        ("wx_dalian", "都三天了 片子还是温吞吞的 介嘛效率啊", "join:1", 4320),
    ]),
    ("a past repair thanked", [
        ("zhangdaye", "上礼拜那根漏水的管子修好了 李师傅手艺倍儿棒 谢谢啊", "silent"),
        ("liqiang", "不客气大爷 应该的", "silent"),
    ]),
    ("cat jokes", [
        ("wx_kk", "我家猫今天把我外卖掀翻了 这算不算家暴 在线等 挺急的", "silent"),
        ("wx_tutu", "哈哈哈哈哈 笑死 猫主子yyds", "silent"),
        ("chenxin", "🤣🤣🤣🐱", "silent"),
    ]),
    ("staff notices", [
        ("wangfang", "通知：本周六上午9点社区卫生服务站在小区广场免费量血压测血糖 请老人们带好医保卡", "silent"),
        ("zhangdaye", "好嘞 我带上老伴一块儿去", "silent"),
        ("liqiang", "另外周日上午8点到12点停电检修 请大家提前做好准备", "silent"),
    ]),
    ("Minnan-flavoured dumping, +1", [
        ("wx_ahua", "社區後面那塊空地 一直有人亂丟垃圾 還有野狗在翻 好臭喔", "new"),
        ("wx_meiling", "真的 我每天經過都要捏鼻子", "join:1"),
    ]),
    ("Hubei medical insurance deadline", [
        ("wx_tanjie", "城乡居民医保今年么子时候截止交 手机上在哪里交咯", "reply"),
        ("wx_hulaoshi", "我也想晓得 去年差点冇赶上", "silent"),
    ]),
    ("old tree branch in the courtyard", [
        ("wx_laoliu", "院儿里那棵老槐树昨儿夜里刮大风 大杈子折了 耷拉在院墙上 底下老有孩子玩儿", "new"),
        ("zhangdaye", "可不是 我今儿早上也瞅见了", "join:1"),
    ]),
    ("chess in the sun", [
        ("wx_laozhao", "今天天气不错大家出来晒太阳了没有我在楼下下象棋呢", "silent"),
        ("zhangdaye", "老赵你等着 我这就下去将你的军", "silent"),
    ]),
    ("barbecue smell is only cooking", [
        ("wx_tutu", "哪来的烟味儿 谁家在阳台烤肉吗 香迷糊了", "silent"),
        ("wx_kk", "楼下新开的烤肉店 今天开业 排队的人老多了", "silent"),
    ]),
    ("van on the fire lane, +1", [
        ("chenxin", "有辆白色面包车停在13号楼东侧的消防车道上三天了 车牌还被挡住了", "new"),
        ("wx_zhoujie", "同上 我早上倒车差点刮上", "join:1"),
    ]),
    ("Hunan dripping air conditioner", [
        ("wx_tanjie", "楼上那家空调外机一直滴水 滴到我屋阳台上 讲了好几回冇得用 16栋", "new"),
    ]),
    ("Beijing senior card", [
        ("zhangdaye", "劳驾 我那张养老助残卡丢了 上哪儿补办去", "reply"),
    ]),
    ("throat-clearing, then the report", [
        ("wx_laoli", "网格长 跟您说个事儿", "silent"),
        ("wx_laoli", "14号楼后头那个井盖儿没了 晚上那块儿又没灯 谁走那儿准掉下去", "new", 1),
    ]),
]
