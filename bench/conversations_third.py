"""A third, held-out set of grid-chat conversations for bench.bench_conversations (`--set third`).

Written by hand on 2026-12-03 by a third engineer, who had read neither the handlers nor the
classifier, nor the conversations of bench/conversations.py or bench/conversations_fresh.py beyond
their first lines (for the format). Every expected behaviour was fixed and committed before the set
was first played, and is what a grid leader would want the bot to do with the line, not a guess at
what it does. Same format as bench/conversations.py: each turn is (sender, text, expected, minutes
waited before it); expected is silent / reply / new / join:k / urgent:N / several:K; {t1}, {t2}, …
name this conversation's k-th ticket.

It talks the way a residents' chat in a southern, south-western or eastern city does: Chengdu and
Chongqing 四川话 (啥子, 莫得, 巴适, 咋个, 屋头), a little Guangzhou Cantonese-flavoured Mandarin
(唔该, 冇, 系咪), Shanghai (阿拉, 伐, 老…的) and Hangzhou; elderly voice-to-text with no punctuation
and homophone slips (在/再, 的/地, 以经), some Traditional characters, emoji, [图片] placeholders and
@网格长. Most lines are chit-chat (fog, hotpot-base 接龙 and questions about it, red packets, a lost
key, a cat that does parkour). Among them: reports with and without places; vague complaints that
need a question back; follow-ups hours or days later; neighbours confirming (我屋头也是, 同款, +1);
two problems in one message; emergencies typed badly (gas, fire, a collapsed elder, a child in a
stuck lift, a flooded garage with sparks, a knife fight); policy and how-to questions (社保, 医保,
独生子女, 居住证, 入学, 垃圾分类时间, 疫苗); and lines that only look like complaints (a repair done
and thanked, jokes, another city's news, forwarded articles, staff notices and acknowledgements such
as 已经报警了 / 已联系物业, a complaint about a group-buy's oranges addressed to its organiser).

First played 2026-12-03, PostgreSQL + Redis, expectations unchanged (`python -m bench.bench_conversations
--passes 1 --set third --show-failures`): 0.782 of 124 turns (silent 0.878, reply 0.800, new 0.933,
join 0.188, urgent 0.857, several 0.500) — the honest held-out figure; any later one is not.
"""
from __future__ import annotations

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS_THIRD: list[tuple[str, list[tuple]]] = [
    ("foggy morning in Chongqing", [
        ("zhangdaye", "各位早哦 今天雾好大 对面那栋楼都看不到了", "silent"),
        ("wx_wanglaoshi", "重庆就是这个样子嘛 习惯了", "silent"),
        ("liuayi", "早 吃了没得 楼下那家小面开门了 巴适得很", "silent"),
        ("wangfang", "大家早上好 大雾天开车的邻居注意安全哈", "silent"),
    ]),
    ("hotpot base group buy", [
        ("liuayi", "#接龙 周六团购牛油火锅底料 一斤装25元\n1.刘阿姨 3袋", "silent"),
        ("wx_xiaozhou", "2.小周 2袋 辣度可以选不", "silent"),
        ("chenxin", "3.陈欣 1袋", "silent"),
        ("wx_xiaozhou", "好久到货嘛 我周六不在屋头", "silent"),
    ]),
    ("stairwell light, neighbour, days later", [
        ("zhangdaye", "6栋2单元楼梯间的灯又不亮了 黑黢黢的 老年人上下楼要摔", "new"),
        ("wx_laoliu", "我屋头那层也是黑的 同一个单元", "join:1", 30),
        ("zhangdaye", "咋个还没得人来修嘛 都三天了", "join:1", 4320),
        ("liqiang", "收到 今天下午我带电工过来看", "silent", 20),
    ]),
    ("vague in Sichuanese, then the rubbish station", [
        ("wx_pangjie", "这个事情到底有没得人管哦 硬是恼火", "reply"),
        ("wx_pangjie", "就是小区后门那个垃圾站 臭得遭不住 苍蝇嗡嗡的 好几天都莫得人清了", "new", 3),
        ("liuayi", "是的嘛 我路过都要捂到鼻子", "join:1", 15),
    ]),
    ("gas smell by voice in Sichuanese", [
        ("wx_heshushu", "快点来人哦3栋1单元楼道头好大一股天然气的味道是不是哪家漏气了", "urgent:119"),
        ("liuayi", "我已经打了燃气公司电话了 大家莫开灯莫打火", "silent", 2),
        ("wangfang", "收到 我马上过来 已经通知物业关总阀", "silent", 3),
    ]),
    ("mother stuck in the lift, Guangzhou", [
        ("wx_ahua", "唔该快啲 8栋电梯困住人了 我阿妈在里面 按铃都冇人应", "urgent:96333"),
        ("wx_ahua", "等咗半个钟都冇人嚟 点算啊", "join:1", 30),
        ("wx_ahua", "出嚟了 阿妈冇事 多谢大家关心🙏", "silent", 20),
    ]),
    ("vegetables in Shanghai", [
        ("wx_ajie", "阿拉今朝去买小菜 青菜又涨价了 老贵的", "silent"),
        ("zhangdaye", "是伐 我昨天买的还便宜点", "silent"),
        ("wx_ajie", "侬去菜场早点 八点钟以前便宜", "silent"),
    ]),
    ("wet waste hours", [
        ("wx_laoshen", "请问现在湿垃圾几点钟可以扔 阿拉上班的人夜里回来来不及的", "reply"),
        ("wangfang", "早上7点到9点 晚上6点到8点 来不及的可以投到东门的误时投放点", "silent", 15),
        ("wx_laoshen", "晓得了 谢谢侬", "silent", 5),
    ]),
    ("ceiling dripping from upstairs", [
        ("wx_laoshen", "12号楼四楼阿拉屋里卫生间天花板一直滴水 楼上人家敲门也伐开 哪能办", "new"),
        ("liuayi", "侬先拍张照片 留个证据", "silent", 5),
        ("wx_laoshen", "滴了两天了 墙皮都泡起来了 到底有人管伐", "join:1", 2880),
    ]),
    ("another city's lift news", [
        ("chenxin", "看新闻没 外地有个小区电梯从十几楼掉下来了 吓死人", "silent"),
        ("wx_xiaoye", "真的假的 想想都后怕", "silent"),
        ("liuayi", "莫乱传 等官方消息", "silent"),
    ]),
    ("forwarded article", [
        ("zhangdaye", "【转发】速看！这几种食物千万不能放冰箱 很多人都做错了", "silent"),
        ("zhangdaye", "大家都看看 有用的", "silent", 1),
        ("chenxin", "张大爷 这种文章好多都是假的哈😅", "silent", 10),
    ]),
    ("social insurance in Sichuanese", [
        ("wx_liuge", "问哈子 灵活就业的社保在哪里交嘛 社区可以办不", "reply"),
        ("liqiang", "可以 带身份证周二周四上午到社区服务中心一楼窗口", "silent", 20),
        ("wx_liuge", "要得 谢谢哈", "silent", 2),
    ]),
    ("health insurance by voice", [
        ("zhangdaye", "请问一下城乡居民医保今年在那里交我老伴的是不是以经过期了", "reply"),
        ("wangfang", "张大爷 居民医保可以在微信上交 我明天上门帮您弄", "silent", 30),
        ("zhangdaye", "好的好的 麻烦你了", "silent", 3),
    ]),
    ("only-child reward in Traditional", [
        ("wx_chenpo", "請問獨生子女父母獎勵費要去哪裡申請 需要帶什麼證件", "reply"),
    ]),
    ("residence permit, Guangzhou", [
        ("wx_xiaolin", "想问下办居住证系咪要先去派出所登记 要唔要租房合同", "reply"),
        ("chenxin", "要的 我去年办过 租房合同和身份证都要", "silent", 10),
    ]),
    ("flu vaccine for the old", [
        ("liuayi", "老年人打流感疫苗是免费的吗 在哪里打", "reply"),
        ("wx_xiaoye", "社区卫生服务中心 我妈上周刚打了", "silent", 8),
    ]),
    ("black smoke from a window", [
        ("wx_laoyang", "着火了着火了 2栋5楼窗户在冒黑烟", "urgent:119"),
        ("chenxin", "已经打119了 消防车在路上", "silent", 1),
        ("wangfang", "已经报警了 大家不要坐电梯 走楼梯疏散 不要围观", "silent", 2),
    ]),
    ("elder collapsed in the garden", [
        ("wx_zhangmei", "快点 有个老年人在小区花园那点倒起了 喊都喊不应 咋个办", "urgent:120"),
        ("wx_lili", "我看到了 已经在打120了", "silent", 1),
        ("liqiang", "我马上过来 大家先不要随便搬动老人", "silent", 2),
    ]),
    ("garage flooding near the switchboard", [
        ("wx_xiaozhao", "地下车库进水了水都淹到配电箱那里了还在冒火花好吓人", "urgent:119"),
        ("wx_xiaozhao", "有没有人管啊 车都要泡了", "join:1", 10),
        ("wangfang", "已联系物业拉闸 供电局的人在路上了", "silent", 5),
    ]),
    ("two things in Chongqing", [
        ("wx_laotan", "说两个事哈 一个是4栋门口那个路灯坏了好久了 晚上黑咕隆咚的 还有就是小区头有人遛狗不牵绳"
                      " 昨天差点咬到娃儿", "several:2"),
        ("liqiang", "收到 路灯今天报修 遛狗的我们贴个通知", "silent", 30),
    ]),
    ("a repair done, thanked", [
        ("zhangdaye", "上个礼拜报的那个水管 师傅昨天来修好了 谢谢网格长👍", "silent"),
        ("wangfang", "不客气 有事随时说", "silent", 10),
        ("liuayi", "我们网格长做事就是巴适", "silent", 5),
    ]),
    ("cat parkour", [
        ("chenxin", "我家猫天天半夜跑酷 吵得我睡不着 谁来管管它😂", "silent"),
        ("wx_xiaoye", "哈哈哈 同款 我家那只也是", "silent", 2),
        ("liuayi", "猫主子惹不起", "silent", 3),
    ]),
    ("upstairs noise, then where, then again", [
        ("wx_xiaomo", "楼上天天晚上十二点还在拖椅子 蹦蹦跳跳的 烦死了", "new"),
        ("wx_xiaomo", "7栋3单元 就是我楼上那家", "join:1", 3),
        ("wx_xiaomo", "今天晚上又开始了 还管不管", "join:1", 1440),
    ]),
    ("street lights in Shanghainese", [
        ("wx_ayi_sh", "小区里厢路灯坏脱了 夜里向黑咚咚 老年人走路老危险的", "new"),
        ("zhangdaye", "+1", "join:1", 60),
    ]),
    ("red packet", [
        ("chenxin", "[红包] 周末愉快 手快有手慢无", "silent"),
        ("wx_xiaozhou", "谢谢老板🧧", "silent", 1),
        ("zhangdaye", "手慢了 莫抢到", "silent", 2),
    ]),
    ("water cut notice, then no water", [
        ("wangfang", "通知：明天上午9点到下午3点 3栋到6栋停水检修 请大家提前储水", "silent"),
        ("liuayi", "好的 谢谢提醒", "silent", 5),
        ("wx_laoliu", "说的下午三点来水 现在都晚上八点了 5栋还是莫得水 咋回事", "new", 1740),
    ]),
    ("bike shed roof, Hangzhou", [
        ("wx_laowu", "3幢楼下的自行车棚顶棚被风吹破了 下雨天车子都淋湿", "new"),
        ("wx_laowu", "这个事情怎么样了 还没人来弄", "join:1", 2880),
        ("liqiang", "已联系物业 这周五前修好", "silent", 60),
        ("wx_laowu", "好的 谢谢", "silent", 2),
    ]),
    ("West Lake holiday", [
        ("wx_xiaoye", "今天西湖边人好多 国庆出门要趁早", "silent"),
        ("chenxin", "灵隐寺也排长队 还是在家躺着舒服", "silent", 5),
        ("wx_xiaoye", "[图片] 断桥上全是人头", "silent", 2),
    ]),
    ("drain by voice with slips", [
        ("zhangdaye", "5栋门口的下水道堵了水漫的到处都是走路都再水里走", "new"),
        ("zhangdaye", "还在冒水 臭的很 以经两个钟头了", "join:1", 120),
    ]),
    ("forwarded gas explosion news", [
        ("wx_laotan", "转发：某地小区燃气爆炸 已造成3人受伤 提醒大家注意用气安全", "silent"),
        ("liuayi", "太吓人了 大家出门记得关阀门", "silent", 4),
    ]),
    ("child in a stuck lift, Traditional", [
        ("wx_chenpo", "電梯卡在七樓和八樓中間了 裡面有小孩在哭 快來人", "urgent:96333"),
        ("wx_chenpo", "按了緊急按鈕也沒人回應 怎麼辦", "join:1", 3),
        ("wangfang", "已联系电梯维保 十分钟到 大家先隔着门安抚孩子", "silent", 2),
    ]),
    ("oranges group buy, complaint to the organiser", [
        ("liuayi", "#接龙 明天团购赣南脐橙 10斤装39元\n1.刘阿姨 1箱", "silent"),
        ("wx_xiaomo", "上次那个橙子有好几个烂的 这次能保证不", "silent", 10),
        ("liuayi", "烂的拍照给我 我找商家退", "silent", 5),
    ]),
    ("water pressure, neighbours", [
        ("wx_heshushu", "今天屋头水压好小哦 洗澡都洗不成 9栋的", "new"),
        ("wx_pangjie", "我屋头也是 9栋2单元", "join:1", 10),
        ("wx_xiaozhou", "同款 水龙头细得像根线", "join:1", 5),
    ]),
    ("vague, then gives up", [
        ("wx_lili", "小区这个情况到底管不管嘛 反映好几回了", "reply"),
        ("wx_lili", "算了 说了也白说", "silent", 5),
    ]),
    ("dog mess, Guangzhou", [
        ("wx_ahua", "小区草地上成日有狗屎 主人都冇执 真系好核突", "new"),
        ("chenxin", "+1 上次我还踩到了", "join:1", 30),
    ]),
    ("lost key", [
        ("wx_xiaozhao", "谁的钥匙掉在1栋门口了 挂了个小熊 我放门卫那了", "silent"),
        ("wx_lili", "是我的！谢谢谢谢", "silent", 20),
    ]),
    ("school enrolment @网格长", [
        ("wx_laoliu", "@网格长 问一哈 娃儿明年上小学要办啥子手续 户口不在这边可以读不", "reply"),
        ("wangfang", "@老刘 要居住证加租房备案 我私聊发你材料清单", "silent", 40),
    ]),
    ("manhole @网格长", [
        ("wx_pangjie", "@网格长 小区门口那个井盖又被车压翻了 好危险", "new"),
        ("wangfang", "收到 马上让物业先围起来", "silent", 10),
        ("wx_pangjie", "看到围起来了 谢谢", "silent", 120),
    ]),
    ("staff notices", [
        ("liqiang", "今天下午两点在社区活动室开居民议事会 欢迎大家参加", "silent"),
        ("liqiang", "@陈欣 你反映的问题已经处理了 请查看", "silent", 60),
        ("chenxin", "看到了 谢谢李哥", "silent", 10),
    ]),
    ("broken swing with photos", [
        ("wx_xiaozhao", "[图片][图片] 看嘛 健身器材那里的秋千链子断了一根 娃儿差点摔下来", "new"),
        ("liuayi", "好危险 先莫让娃儿去玩", "silent", 5),
    ]),
    ("two things in Shanghainese", [
        ("wx_laoshen", "两桩事体 一桩是8号楼门口的垃圾桶满出来了没人收 还有一桩是楼道里有人堆了老多纸板箱"
                       " 消防通道都堵牢了", "several:2"),
    ]),
    ("smoked pork smell", [
        ("wx_xiaoye", "哪家在熏腊肉哦 满楼道都是烟熏味 香得很😋", "silent"),
        ("wx_pangjie", "我屋头也在熏 过年了嘛", "silent", 3),
    ]),
    ("knife fight in the car park", [
        ("wx_xiaomo", "楼下停车场有两个人打起来了有一个手里拿着刀吓死人了", "urgent:110"),
        ("wangfang", "已经报警了 大家不要靠近 待在屋里", "silent", 2),
    ]),
    ("charging e-bikes in the stairwell", [
        ("wx_laoyang", "10栋2单元楼道有人拉电线给电瓶车充电 一充就是一晚上 出了事咋个办", "new"),
        ("wx_laoyang", "#{t1} 今天晚上又在充 线就从窗户吊下来的", "join:1", 1440),
    ]),
    ("hot day, same here", [
        ("wx_lili", "今天好热哦 三十八度 人都要化了", "silent"),
        ("wx_xiaozhou", "我屋头也是 空调一直开起的", "silent", 4),
    ]),
    ("a second, different problem later", [
        ("liuayi", "1栋门口的台阶碎了一块 推轮椅的过不去", "new"),
        ("liuayi", "还有个事 1栋楼顶的水箱好像在漏 墙上一直往下流水", "new", 2880),
    ]),
    ("bulky waste how-to", [
        ("wx_ajie", "请问旧沙发这种大件垃圾要放到哪里 有没有人上门收的", "reply"),
        ("liqiang", "大件放到西门的大件垃圾堆放点 周三周六统一清运", "silent", 20),
    ]),
]
