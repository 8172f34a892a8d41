"""Scripted grid-chat conversations for bench.bench_conversations, written by hand for it.

Not taken from the training corpus: written fresh in the way a residents' group chat in the demo
district (幸福里第一网格, chat-g1) talks — mostly chit-chat, with follow-ups, vague reports, two
problems in one rant, emergencies. Each turn is (sender, text, expected, minutes waited before it).

Expected behaviour of the bot for the turn:
- "silent": no reply, no ticket
- "reply": a reply, no new ticket (a question asked back, an answer, a forwarded question)
- "new": one new ticket, its number in the reply
- "join:k": no new ticket, the reply names this conversation's k-th ticket
- "urgent:N": a new ticket, and the reply tells the number N to call (119, 120, 110, 96333)
- "several:K": K new tickets, all their numbers in one reply
Texts may name this conversation's k-th ticket as {t1}, {t2}, ….
"""
from __future__ import annotations

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS: list[tuple[str, list[tuple]]] = [
    ("morning greetings", [
        ("zhangdaye", "大家早上好", "silent"),
        ("liuayi", "早上好张大爷🌞", "silent"),
        ("chenxin", "今天降温了 大家出门多穿点", "silent"),
        ("wangfang", "收到", "silent"),
    ]),
    ("group buying list", [
        ("liuayi", "#接龙 明天团购丹东草莓 1.张大爷 2斤 2.刘阿姨 1斤", "silent"),
        ("chenxin", "3.陈欣 2斤", "silent"),
        ("wx_wangjie", "4.王姐 3斤 明天几点到啊", "silent"),
        ("zhangdaye", "👍", "silent"),
    ]),
    ("report then progress", [
        ("zhangdaye", "3号楼下水道堵了 污水都漫到楼道里了", "new"),
        ("zhangdaye", "进度", "join:1", 120),
        ("zhangdaye", "谢谢", "silent"),
    ]),
    ("report then a detail", [
        ("liuayi", "楼道的声控灯坏了 晚上上楼看不见", "new"),
        ("liuayi", "就在5号楼2单元三楼", "join:1", 2),
        ("liuayi", "好的", "silent"),
    ]),
    ("vague then the answer", [
        ("chenxin", "看图 这里又这样了", "reply"),
        ("chenxin", "东门口的垃圾桶满了 好几天没人清", "new", 1),
    ]),
    ("vague, then nothing", [
        ("wx_laoli", "这个问题有没有人管", "reply"),
        ("wx_laoli", "算了", "silent", 1),
    ]),
    ("neighbour's paraphrase", [
        ("zhangdaye", "小区东门的路灯坏了 晚上啥也看不见", "new"),
        ("liuayi", "大门口晚上黑漆漆的 老人出门都不敢走", "join:1", 180),
    ]),
    ("urging a lift repair", [
        ("zhangdaye", "2号楼电梯坏了 停了一天了", "new"),
        ("zhangdaye", "到底修不修啊 楼上老人下不来", "join:1", 1440),
        ("zhangdaye", "催一下", "join:1", 10),
    ]),
    ("praise after a repair", [
        ("liuayi", "谢谢网格长 下水道修好了 👍👍", "silent"),
        ("zhangdaye", "点赞 效率真高", "silent"),
        ("wangfang", "应该的 有问题随时说", "silent"),
    ]),
    ("leave and away", [
        ("chenxin", "我这周出差 家里有事找我爱人", "silent"),
        ("liqiang", "网格长 我下午请假半天 去医院复查", "silent"),
        ("wangfang", "好的 注意身体", "silent"),
    ]),
    ("lost and found", [
        ("liuayi", "谁的钥匙掉在3号楼门口了 放门卫室了", "silent"),
        ("zhangdaye", "是我家的 谢谢谢谢", "silent"),
    ]),
    ("adverts", [
        ("wx_ad01", "家政保洁 开荒保洁 擦玻璃 欢迎咨询 价格实惠", "silent"),
        ("wx_ad02", "新店开业 凭小区门禁卡到店消费打八折", "silent"),
    ]),
    ("forwarded article", [
        ("liuayi", "【转发】冬季取暖注意事项 预防一氧化碳中毒 收藏转给家里老人", "silent"),
        ("zhangdaye", "有用 已转发", "silent"),
    ]),
    ("two problems in one rant", [
        ("zhangdaye", "楼下烧烤店天天半夜吵得睡不着 还有门口那个井盖被掀开了 晚上很危险", "several:2"),
    ]),
    ("fire", [
        ("liuayi", "3号楼5楼冒烟了 好像着火了", "urgent:119"),
    ]),
    ("trapped in the lift", [
        ("chenxin", "2单元电梯困人了 里面有个老人", "urgent:96333"),
    ]),
    ("gas smell", [
        ("zhangdaye", "楼道里一股煤气味 很浓", "urgent:119"),
    ]),
    ("a fall", [
        ("liuayi", "有个老人在小区门口摔倒了 头流血了", "urgent:120"),
    ]),
    ("a theft in progress", [
        ("chenxin", "有人在撬6号楼的电动车 现在还在", "urgent:110"),
    ]),
    ("@ the leader first", [
        ("zhangdaye", "@网格长 在吗", "silent"),
        ("wangfang", "在的 您说", "silent"),
        ("zhangdaye", "我家楼上一直漏水到我家卫生间 找他们也不理", "new", 1),
    ]),
    ("progress without a ticket", [
        ("chenxin", "进度", "reply"),
        ("chenxin", "好的", "silent"),
    ]),
    ("pressing someone else's ticket", [
        ("zhangdaye", "6号楼门口积水很深 走不了路", "new"),
        ("liuayi", "催一下 #{t1}", "join:1", 60),
    ]),
    ("two tickets: which one", [
        ("zhangdaye", "3号楼下水道堵了", "new"),
        ("zhangdaye", "小区北门的路灯不亮", "new", 30),
        ("zhangdaye", "进度", "reply", 60),
        ("zhangdaye", "第二个", "join:2"),
    ]),
    ("pets", [
        ("chenxin", "我家猫今天第一次下楼晒太阳🐱", "silent"),
        ("liuayi", "好可爱", "silent"),
        ("wx_wangjie", "品种是啥 英短吗", "silent"),
    ]),
    ("flowers", [
        ("liuayi", "看我家阳台的月季开了🌹", "silent"),
        ("zhangdaye", "真漂亮 怎么养的", "silent"),
    ]),
    ("acknowledgements", [
        ("chenxin", "1", "silent"),
        ("liuayi", "已阅", "silent"),
        ("zhangdaye", "👌", "silent"),
        ("wx_wangjie", "收到收到", "silent"),
    ]),
    ("staff information", [
        ("liqiang", "明天上午物业检修水泵 可能短时停水 大家提前储水", "silent"),
        ("zhangdaye", "好的 知道了", "silent"),
    ]),
    ("a neighbour asks about a reported lamp", [
        ("zhangdaye", "东门路灯坏了好几天了", "new"),
        ("liuayi", "东门路灯怎么还没修好", "join:1", 600),
    ]),
    ("voice to text", [
        ("zhangdaye", "喂网格长你好我是五号楼的那个我们楼下的垃圾好几天没人收了臭得很", "new"),
    ]),
    ("traditional characters", [
        ("wx_chen", "請問三號樓的電梯什麼時候修好 已經壞了兩天了", "new"),
    ]),
    ("dialect", [
        ("wx_laozhao", "俺们楼道里黑咕隆咚的灯泡坏了好些天了", "new"),
    ]),
    ("a second problem minutes later", [
        ("zhangdaye", "7号楼门口有辆僵尸车停了半年了", "new"),
        ("zhangdaye", "还有小区里流浪狗越来越多 晚上乱叫", "new", 2),
    ]),
    ("a question for the office", [
        ("liuayi", "请问老年卡在哪里办理 要带什么材料", "reply"),
    ]),
    ("dark evenings", [
        ("wx_wangjie", "今天天黑得真早 五点多就黑了", "silent"),
        ("chenxin", "是啊 冬至快到了", "silent"),
    ]),
    ("children playing", [
        ("liuayi", "楼下小孩玩得好开心 吵吵闹闹的挺热闹", "silent"),
    ]),
    ("emoji only", [
        ("zhangdaye", "🙏🙏🙏", "silent"),
        ("liuayi", "[强][强]", "silent"),
        ("chenxin", "🌹🌹", "silent"),
    ]),
    ("thanks after the reply", [
        ("chenxin", "地下车库入口的减速带坏了 车开过去咣咣响", "new"),
        ("chenxin", "好的谢谢网格哨", "silent", 1),
    ]),
    ("which ticket by its words", [
        ("zhangdaye", "4号楼下水道返水了", "new"),
        ("zhangdaye", "楼上邻居天天半夜蹦迪吵得睡不着", "new", 30),
        ("zhangdaye", "下水道那个事有人管了没", "join:1", 600),
    ]),
    ("how is it going, between neighbours", [
        ("chenxin", "王姐你家装修弄得怎么样了", "silent"),
        ("wx_wangjie", "快了 下周就能住了", "silent"),
    ]),
    ("links", [
        ("wx_wangjie", "大家看看这个链接 团购很划算", "silent"),
    ]),
    ("a complaint announced, then made", [
        ("wx_laoli", "我要投诉", "reply"),
        ("wx_laoli", "物业天天不打扫卫生 楼道里全是垃圾", "new", 1),
    ]),
    ("a question that expired", [
        ("chenxin", "看图", "reply"),
        ("chenxin", "今天天气真好", "silent", 60),
    ]),
    ("two residents and one question", [
        ("liuayi", "这里又这样了", "reply"),
        ("zhangdaye", "门口那堆建筑垃圾又没人清 都堆到路上了", "new", 1),
        ("liuayi", "对 就是门口的建筑垃圾 堆到路上了", "join:1", 1),
    ]),
    ("the place asked for", [
        ("zhangdaye", "路灯坏了 晚上很黑", "new"),
        ("zhangdaye", "在小区南门", "join:1", 1),
    ]),
    ("small talk about dinner", [
        ("liuayi", "晚上吃啥 有没有人一起去新开的饺子馆", "silent"),
        ("chenxin", "我去我去", "silent"),
        ("zhangdaye", "你们年轻人去吧 哈哈", "silent"),
    ]),
    ("a resident thanks staff for a visit", [
        ("zhangdaye", "今天社区医生上门量血压了 服务真好 感谢", "silent"),
    ]),
]
