"""A second, held-out set of grid-chat conversations for bench.bench_conversations (`--set fresh`).

Written by hand on 2026-12-03 by an engineer who had not read the handlers nor (beyond the first
dozen) the conversations of bench/conversations.py, and whose expected behaviours were fixed and
committed before the set was first played. Same format as bench/conversations.py: each turn is
(sender, text, expected, minutes waited before it); expected is silent / reply / new / join:k /
urgent:N / several:K; {t1}, {t2}, … name this conversation's k-th ticket.

It talks the way a residents' chat in a northern city does: mostly chit-chat (weather, 接龙, a lost
cat, red packets, forwarded articles, notices and acknowledgements from staff), and among it reports
with and without places, follow-ups hours or days later, neighbours adding 我家也是 / +1, vague
complaints that need a question back, two problems in one rant, emergencies typed as voice-to-text
or in Traditional characters, policy questions, and lines that only look like complaints (a past
repair already done, jokes, news of another city).
"""
from __future__ import annotations

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS_FRESH: list[tuple[str, list[tuple]]] = [
    ("cold morning", [
        ("zhangdaye", "早啊各位 今儿零下十五度 冻死个人", "silent"),
        ("liuayi", "可不是嘛 出门帽子手套都戴上", "silent"),
        ("wx_sunjie", "早上好☀️", "silent"),
        ("chenxin", "听说明天还有雪 开车的慢点", "silent"),
        ("wangfang", "各位邻居早上好 天冷路滑 老人尽量少出门", "silent"),
    ]),
    ("rice group buy", [
        ("liuayi", "#接龙 周六团购五常大米 10斤一袋58元\n1. 刘阿姨 2袋", "silent"),
        ("wx_zhaoge", "2. 赵哥 1袋", "silent"),
        ("zhangdaye", "+1", "silent"),
        ("chenxin", "3. 陈欣 1袋 放门卫就行", "silent"),
        ("wx_zhaoge", "啥时候到货啊", "silent"),
    ]),
    ("lost cat", [
        ("chenxin", "谁家看见一只橘猫 脖子上系着红绳 昨晚从5号楼跑出去了", "silent"),
        ("liuayi", "好像在车棚那边看见过一只黄的", "silent"),
        ("chenxin", "谢谢刘姨 我这就去找", "silent"),
        ("chenxin", "找到了！在车棚里猫着呢 谢谢大家🙏", "silent", 40),
    ]),
    ("heating cold, neighbours, then days", [
        ("zhangdaye", "7号楼暖气不热 屋里才十六度 老伴冻得直哆嗦", "new"),
        ("wx_laozhou", "我家也是 7号楼3单元 暖气片摸着就温乎", "join:1", 20),
        ("liuayi", "+1 我们单元也不热", "join:1", 5),
        ("zhangdaye", "都两天了 暖气还是不热 怎么还没人来", "join:1", 2880),
        ("wangfang", "收到 已经联系热力公司了 今天下午来人", "silent", 30),
    ]),
    ("vague then dancing", [
        ("wx_xiaoma", "咱们小区这个事到底有没有人管啊 太闹心了", "reply"),
        ("wx_xiaoma", "就是楼下那帮人天天晚上十点多还在广场跳舞 音响开老大声", "new", 2),
        ("zhangdaye", "确实 吵得睡不着觉", "join:1", 10),
    ]),
    ("two problems in a rant", [
        ("liuayi", "我真是服了 3号楼门口的井盖松了 一踩咣当咣当响 差点把人绊倒 还有楼道里堆了一堆纸壳子破家具"
                   " 好几个月了也没人清 着火了咋整", "several:2"),
        ("wangfang", "收到 明天安排人处理", "silent", 30),
    ]),
    ("gas smell by voice", [
        ("wx_laowang", "快来人啊4号楼2单元楼道里一股煤气味儿特别冲是不是哪家漏气了", "urgent:119"),
        ("liuayi", "我去敲门问问 大家千万别开灯别打火", "silent", 1),
    ]),
    ("old man fell", [
        ("wx_dasao", "哎呀妈呀 6号楼门口有个老爷子摔倒了 起不来了 脑袋磕出血了", "urgent:120"),
        ("wx_dasao", "救护车来了 拉走了", "silent", 20),
    ]),
    ("smoke in Traditional characters", [
        ("wx_ahui", "8號樓頂層冒黑煙了 好像著火了", "urgent:119"),
        ("wangfang", "已经报警了 大家不要围观 走楼梯疏散", "silent", 2),
    ]),
    ("trapped in the lift", [
        ("chenxin", "2号楼电梯卡在9楼和10楼中间了我妈在里面出不来喊半天没人应", "urgent:96333"),
        ("chenxin", "人出来了 吓死了 这电梯得好好查查", "join:1", 25),
    ]),
    ("policy questions", [
        ("wx_liujie", "请问医保卡丢了去哪补办啊", "reply"),
        ("wx_xiaozhang", "居住证怎么办 需要带啥材料", "reply", 5),
        ("zhangdaye", "养老金资格认证在手机上咋弄 我不会", "reply", 30),
    ]),
    ("a notice and acknowledgements", [
        ("wangfang", "【通知】本周六上午9点至11点 社区卫生服务站在小区广场免费测血压血糖 请有需要的居民带好身份证",
         "silent"),
        ("zhangdaye", "收到", "silent"),
        ("liuayi", "收到 谢谢王网格长", "silent"),
        ("wx_laozhou", "👍", "silent"),
    ]),
    ("thanks for a past repair", [
        ("liuayi", "上礼拜单元门门禁坏了 昨天已经修好了 感谢王网格长跑前跑后", "silent"),
        ("zhangdaye", "小王这孩子真是好样的", "silent"),
        ("wangfang", "都是应该做的 大家有事随时找我", "silent"),
    ]),
    ("red packet", [
        ("chenxin", "[红包] 恭喜发财 大吉大利", "silent"),
        ("wx_zhaoge", "谢谢老板", "silent"),
        ("liuayi", "手慢了 没抢着😂", "silent"),
    ]),
    ("articles and another city's news", [
        ("zhangdaye", "【转发】专家提醒：冬天这五种食物千万别空腹吃 赶紧告诉家里人", "silent"),
        ("wx_laowang", "看新闻了没 沈阳那边一个小区燃气爆炸了 太吓人了", "silent"),
        ("liuayi", "是啊 咱们家里也得注意 出门关阀门", "silent"),
    ]),
    ("street light, place later", [
        ("wx_xiaoma", "路灯又不亮了 晚上遛狗黑灯瞎火的", "new"),
        ("wx_xiaoma", "就是北门进来那条道 第三根杆子", "join:1", 3),
        ("wx_xiaoma", "谢了", "silent", 1),
    ]),
    ("iced manhole, asked after days", [
        ("zhangdaye", "1号楼后边的下水井冒水了 都冻成冰了 走路直打滑", "new"),
        ("zhangdaye", "那个事咋样了", "join:1", 2880),
        ("zhangdaye", "催催 老人摔了可咋整", "join:1", 240),
    ]),
    ("follow-up from nowhere", [
        ("wx_xiaozhang", "怎么还没人来啊", "reply"),
        ("wx_xiaozhang", "楼上漏水 我家卫生间天花板都湿了 5号楼1单元", "new", 3),
    ]),
    ("jokes", [
        ("wx_zhaoge", "我家那口子打呼噜跟拖拉机似的 这噪音谁管管哈哈哈", "silent"),
        ("liuayi", "哈哈哈 这个网格员可管不了", "silent"),
        ("chenxin", "我家猫半夜跑酷 楼下邻居多担待啊😂", "silent"),
    ]),
    ("staff talk", [
        ("liqiang", "网格长 4号楼那个井盖我下午去看了 已处理", "silent"),
        ("wangfang", "好的 辛苦了", "silent"),
        ("liqiang", "明天上午我在社区值班 有事找我", "silent"),
        ("wangfang", "各位居民 明天起小区东门晚上十点关闭 请走南门", "silent"),
    ]),
    ("fire lane blocked", [
        ("liuayi", "不知道谁家的车天天堵在9号楼那的消防通道上 救护车都进不来", "new"),
        ("wx_laozhou", "9号楼那个白色SUV又停那了 说了多少回了", "join:1", 300),
        ("wangfang", "收到 我联系车主", "silent", 10),
    ]),
    ("snow and ice", [
        ("chenxin", "外面下大雪了 好美❄️", "silent"),
        ("zhangdaye", "小区里的路全是冰 早上好几个人摔了 能不能撒点盐扫扫雪", "new", 60),
        ("liuayi", "对 尤其南门那个坡 滑得根本走不了", "join:1", 30),
    ]),
    ("renovation noise, Traditional", [
        ("wx_ahui", "樓上天天早上七點就開始裝修電鑽 週末也不停 3號樓", "new"),
        ("wx_ahui", "还是那样 今天又七点开钻 有人管没", "join:1", 1440),
        ("wx_ahui", "好的 谢谢", "silent", 1),
    ]),
    ("dog mess", [
        ("wx_dasao", "小区里狗屎到处都是 遛狗的也不收拾 咋整啊", "new"),
        ("liuayi", "我家也是 天天单元门口一坨", "join:1", 10),
    ]),
    ("water cut", [
        ("zhangdaye", "3号楼停水了 一点水都没有 也没个通知", "new"),
        ("liuayi", "我家也没水", "join:1", 5),
        ("wangfang", "【通知】因主管道抢修 3号楼至5号楼临时停水 预计下午4点恢复 请大家提前储水", "silent", 20),
        ("zhangdaye", "收到 谢谢", "silent", 2),
    ]),
    ("a report among dumplings", [
        ("liuayi", "今儿包饺子了 酸菜馅的", "silent"),
        ("chenxin", "馋了😋", "silent"),
        ("wx_laowang", "对了 10号楼楼道窗户玻璃碎了 风呼呼往里灌 冻得慌", "new", 5),
        ("wangfang", "收到 明天找人换玻璃", "silent", 15),
    ]),
    ("property fee grumble", [
        ("wx_laozhou", "物业费年年涨 服务一点没见好 真是的", "reply"),
        ("wx_laozhou", "垃圾站那块好几天没人收拾了 味儿老大了 就在西门边上", "new", 5),
    ]),
    ("which of two", [
        ("zhangdaye", "3号楼2单元楼道灯坏了", "new"),
        ("zhangdaye", "还有小区南门口的地砖翘起来了 绊脚", "new", 10),
        ("zhangdaye", "咋样了 有人管没", "reply", 1440),
        ("zhangdaye", "第一个", "join:1", 1),
    ]),
    ("burst heating pipe at night", [
        ("wx_xiaozhang", "半夜暖气管子爆了 热水哗哗往外喷 满屋子都是水汽 11号楼", "new"),
        ("wx_xiaozhang", "楼下也开始渗了 快点来人啊", "join:1", 10),
        ("liqiang", "收到 我马上联系热力抢修", "silent", 3),
    ]),
    ("lost and found, help wanted", [
        ("wx_sunjie", "谁家孩子的羽绒服落在小广场长椅上了 蓝色的 我放物业了", "silent"),
        ("wx_zhaoge", "可能是我家的 下班去拿 谢谢啊", "silent", 30),
        ("chenxin", "咱小区有会修电脑的吗 有偿", "silent", 60),
        ("wx_laowang", "我儿子会 私聊你", "silent", 5),
    ]),
    ("voice-to-text reports", [
        ("wx_dasao", "那个我跟你说啊就是我们5号楼那个垃圾道堵了好几天了味道老大了你们给看看呗", "new"),
        ("wx_dasao", "俺家老头子突然说不出话来了嘴都歪了咋办啊", "urgent:120", 600),
    ]),
    ("pension and chat", [
        ("zhangdaye", "我那养老金这个月咋还没到账啊", "reply"),
        ("liuayi", "一般15号才发 别着急", "silent", 3),
        ("zhangdaye", "哦哦 那我再等等", "silent", 2),
    ]),
    ("someone on the roof, Traditional street light", [
        ("wx_ahui", "社區門口的路燈壞了好幾天了 晚上很暗", "new"),
        ("wx_laowang", "12号楼楼顶站着个人 看着要往下跳 快报警", "urgent:110", 120),
    ]),
    ("evening chatter", [
        ("liuayi", "今晚广场舞暂停一次哈 太冷了", "silent"),
        ("wx_sunjie", "好嘞 那明天见", "silent", 5),
        ("zhangdaye", "今儿晚上吃啥 我家炖酸菜白肉", "silent", 30),
        ("chenxin", "张大爷家伙食真好😄", "silent", 2),
        ("wx_zhaoge", "晚安各位", "silent", 120),
    ]),
    ("blocked drain, worker, then resolved", [
        ("chenxin", "6号楼1单元下水道返味儿 一楼地漏往上冒脏水", "new"),
        ("liqiang", "收到 我这就过去看看", "silent", 15),
        ("chenxin", "师傅来过了 通开了 谢谢李哥", "silent", 180),
        ("zhangdaye", "李强办事麻利👍", "silent", 5),
    ]),
    ("how do I apply", [
        ("wx_xiaoma", "想问下咱这儿独生子女奖励金在哪申请", "reply"),
        ("wx_xiaoma", "好的谢谢", "silent", 10),
        ("wx_liujie", "高龄补贴80岁以上是不是每月都有", "reply", 60),
    ]),
    ("urging without a word of place", [
        ("wx_laozhou", "单元门的闭门器坏了 门咣咣的撞 半夜吓一跳 4号楼2单元", "new"),
        ("wx_laozhou", "咋还没修呢 都三天了", "join:1", 4320),
        ("wx_laozhou", "@网格长 麻烦催一下", "join:1", 60),
    ]),
]
