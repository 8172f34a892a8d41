"""A fifth, held-out set of grid-chat conversations for bench.bench_conversations (`--set fifth`).

Written by hand on 2026-12-04 by a fifth engineer, who had read neither the handlers nor the
classifier, nor bench/conversations.py, bench/conversations_fresh.py, bench/conversations_third.py
or bench/conversations_fourth.py beyond the fourth's docstring and first lines (for the format; a
grep for the scorer's vocabulary also showed three lines of the first set's docstring and five of its turns).
Every expected behaviour was fixed and committed before the set was first played, and is what a
grid leader would want the bot to do with the line, not a guess at what it does. Same format as
bench/conversations.py: each turn is (sender, text, expected, minutes waited before it); expected is
silent / reply / new / join:k / urgent:N / several:K; {t1}, {t2}, … name this conversation's k-th
ticket.

Voices not used by the other sets: 山东/河南 (俺, 恁, 中不中, 咋弄嘞, 得劲), 西北 (兰州/西安: 额, 嫑,
咥, 谝, 美得很), 江西/广西/云南 (莫, 哪样, 要得, 冇, 嗦粉, 菌子), 客家 (𠊎, 佢, 冇, 食, 屋下), a retired
teacher writing long formal paragraphs with full punctuation (此致敬礼, 恳请, 不胜感激), a delivery
rider typing in fragments, and a property-management staffer (wx_wuye) who posts notices and
answers in the group. Most lines are chit-chat (牛肉面, 泡馍, 煎饼卷大葱, 螺蛳粉, 见手青, 酿豆腐,
重阳 poems, sandstorms). Among them: reports with and without places; a report after a photo
("[图片]" then words); a report completed by a second message; a throat-clearing first line; vague
complaints that need a question back; the same complaint sent three times in a row; an old ticket
quoted days later ("上次那个#N又坏了"); follow-ups hours or days later; neighbours confirming; two
problems in one message and a later line about the second; late-night messages; a resident angry
at the bot, about a ticket and in general; a question about what became of a notice; emergencies
typed badly (a fire in an electric-bike shed, an old man not seen nor answering for two days, a gas
cylinder leaking in a restaurant downstairs, a child fallen into a pond, a man threatening with a
knife, a tree on power lines throwing sparks, someone shut in a lift); policy and how-to questions
(居住证, 高龄津贴, 养老金认证, 垃圾投放时间, 老年卡); and look-alikes: a past repair thanked, jokes,
another city's rain, a rumour, staff acknowledgements (收到 / 已派人 / 已报警 / 马上到), the property
company's water-tank notice and its answers, a group-buy 接龙, lost keys, rating words (满意) about food.

Judgement calls fixed in advance: an old man not seen nor answering for two days is urgent:110
(police open the door; 120 would also do, the scorer takes one); a child in a pond is urgent:120;
a tree on live wires with sparks and a leaking gas cylinder are urgent:119; a neighbour confirming
an emergency joins it (join:1); the property staffer's notices and answers are silent, their own
report of a hazard is new; a resident's second and third copies of the same complaint join the
first (the resident should see it is already on file, not be ignored nor get a second ticket);
"上次那个#N又坏了" while #N is still open joins it; a resident angry at the bot in general gets a
reply (an apology and a way to reach a person), angry about a ticket joins it; a throat-clearing
"在不在" addressed to the grid leader is silent; a question to the property staffer about their own
notice, or to a group-buy organiser, is silent; a question to the grid about a notice that went
quiet gets a reply; the rider's "快点 超时了" after his report is silent (urging, not a new fact).

44 conversations, 120 turns. Lines that matched the training data or the other sets (`grep -F`)
were reworded before the first play.

First played 2026-12-04, PostgreSQL + Redis, expectations unchanged (`python -m bench.bench_conversations
--passes 1 --set fifth --show-failures`): 0.792 of 120 turns (silent 0.967, reply 0.500, new 0.941,
join 0.435, urgent 0.500, several 1.000) — the honest held-out figure; any later one is not.
"""
from __future__ import annotations

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS_FIFTH: list[tuple[str, list[tuple]]] = [
    ("shandong breakfast", [
        ("zhangdaye", "俺刚从早市回来，今儿的煎饼卷大葱真得劲，恁都吃了没", "silent"),
        ("wx_laoguo", "吃了吃了，俺家那口子烙的油饼，一口下去满嘴香", "silent"),
        ("liuayi", "恁俩一大早就馋人嘞，俺这还饿着肚子擦桌子", "silent"),
        ("wx_laoguo", "明儿逢集，一块去赶集中不中？", "silent", 5),
    ]),
    ("henan dark stairwell, place in a second message, neighbour", [
        ("wx_hnxiaoli", "楼道里灯黑了好几天了，咋弄嘞，晚上上楼得摸着走", "new"),
        ("wx_hnxiaoli", "忘说了，是12号楼二单元，三楼到五楼都不亮", "join:1", 1),
        ("wx_laoguo", "对，俺也住二单元，黑得跟锅底一样，昨儿差点踩空", "join:1", 20),
    ]),
    ("lanzhou and xi'an noodles", [
        ("wx_lzmaniu", "额刚咥了一碗牛大，二细，加了个蛋，美得很", "silent"),
        ("wx_xaliu", "嫑谝了，额在西安只能咥泡馍，掰得手都酸了", "silent"),
        ("wx_lzmaniu", "下回来兰州额请你咥，嫑客气", "silent"),
    ]),
    ("xibei road hole, neighbour, staff", [
        ("wx_xaliu", "额们小区南门口路面塌了个坑，电动车过去差点翻了，赶紧来人看一下", "new"),
        ("wx_lzmaniu", "就是就是，额昨儿黑了也差点栽进去", "join:1", 5),
        ("liqiang", "收到，下午带人去南门看看", "silent", 10),
    ]),
    ("sandstorm", [
        ("wx_xaliu", "今儿风大得很，沙尘暴又来咧，额把窗子关得严严实实", "silent"),
        ("wx_lzmaniu", "嫑出门，额刚出去一趟吃了一嘴土", "silent"),
        ("wx_xaliu", "西安今儿也是黄蒙蒙的，额们单位都不让出去咧", "silent", 10),
    ]),
    ("guangxi vague, then the garbage pool", [
        ("wx_gxmo", "哎呀这个事情到底有莫有人管哦，烦死咯", "reply"),
        ("wx_gxmo", "就是我们15栋后面那个垃圾池，好几天莫人清了，臭得要命，苍蝇一大堆", "new", 5),
    ]),
    ("yunnan mushrooms", [
        ("wx_ynduan", "今天菜市场的菌子好新鲜，见手青要炒熟哦，莫要吃出问题", "silent"),
        ("chenxin", "要得要得，去年我同事吃了说看见满屋子小人跳舞", "silent"),
        ("wx_ynduan", "你莫吓我，哪样小人哦，我今晚还要炒一盘", "silent"),
    ]),
    ("yunnan branch hanging over the path, neighbour", [
        ("wx_ynduan", "我们20幢门口那棵树的枝枝断了，砸到一辆电动车，还有几根挂在上面要掉不掉的", "new"),
        ("wx_ynzhao", "是嘞，早上我送娃娃差点遭砸到", "join:1", 30),
    ]),
    ("guangxi snail noodles", [

        ("wx_gxmo", "今晚哪个去嗦粉？东门那家螺蛳粉加炸蛋", "silent"),
        ("liuayi", "要得，我带上我家崽，他最喜欢酸笋", "silent"),
    ]),
    ("hakka chat", [
        ("wx_hakka_a", "𠊎今朝去食酿豆腐，好食到飞起", "silent"),
        ("wx_hakka_b", "系咩，佢屋下个阿婆做个酿豆腐正经好食，𠊎下昼去买两斤", "silent"),
        ("wx_hakka_a", "冇问题，留一碗分𠊎尝下", "silent", 2),
    ]),
    ("hakka burst pipe", [
        ("wx_hakka_b", "𠊎屋下门口个水管爆忒了，水流到满地都系，3栋一楼，冇人管", "new"),
        ("wx_hakka_a", "𠊎行过看到了，水都流到路上去了", "join:1", 10),
        ("wx_wuye", "我们维修工已经过去关总阀了，稍等", "silent", 5),
    ]),
    ("retired teacher's letter on morning music, thanks later", [
        ("wx_laoshi", "尊敬的网格长同志：您好！本人系本小区7号楼住户，退休教师。近一月以来，每日清晨五时许，"
                      "小区东侧小广场即有人以大功率音箱播放舞曲，声震四邻，严重影响老年住户及值夜班者之休息。"
                      "本人曾当面婉言相劝，对方置之不理。恳请社区出面协调，规定活动时段并控制音量。此致，敬礼！", "new"),
        ("wangfang", "王老师您好，收到，我们这两天去跟跳舞队沟通", "silent", 30),
        ("wx_laoshi", "承蒙诸位费心，近日晨间已清静许多，老朽特此致谢。", "silent", 7200),
    ]),
    ("retired teacher asks about the old-age allowance", [
        ("wx_laoshi", "请教诸位：本人明年即满八十周岁，听闻可申领高龄津贴，不知应准备何种材料，又于何处办理？"
                      "烦请告知，不胜感激。", "reply"),
    ]),
    ("retired teacher's Double Ninth poem", [
        ("wx_laoshi", "诸位邻里：今日重阳，谨祝各位长辈身体康健、阖家安乐。老朽不揣浅陋，口占一绝：“菊黄枫赤又重阳，"
                      "邻里相扶岁月长。莫道桑榆晚景短，为霞尚可满天光。”见笑了。", "silent"),
        ("liuayi", "王老师写得真好，俺念了三遍", "silent"),
    ]),
    ("rider, gate, urging", [
        ("wx_qishou", "3号楼 门禁 坏了 刷不开 送餐的全卡外面", "new"),
        ("wx_qishou", "快点 超时了", "silent", 1),
        ("wx_wuye", "门禁我们在修，骑手师傅先走西侧小门", "silent", 3),
    ]),
    ("rider fragments to a customer", [
        ("wx_qishou2", "2单元 谁的外卖 放门口了 电话不接", "silent"),
        ("wx_qishou2", "黄焖鸡 尾号不说了 自己下来拿", "silent", 2),
    ]),
    ("rider finds an old man down", [
        ("wx_qishou", "6号楼 楼梯口 老头 倒地上 叫不醒 快", "urgent:120"),
        ("liqiang", "马上到", "silent", 1),
    ]),
    ("property company's water-tank notice", [
        ("wx_wuye", "【物业通知】本周六上午9:00—11:00对小区二次供水水箱进行清洗消毒，届时暂停供水，请各位业主提前储水，"
                    "不便之处请多包涵。", "silent"),
        ("wx_zhanga", "物业，周六停几个钟头啊", "silent", 10),
        ("wx_wuye", "两个小时左右，九点到十一点，洗完就来水", "silent", 3),
    ]),
    ("property staffer reports loose tiles", [
        ("wx_wuye", "网格长您好，我们日常巡查发现9号楼北侧外墙瓷砖有松动，下面正好是儿童游乐区，我们已拉了警戒线，"
                    "维修需要动用维修基金，麻烦社区帮忙走一下流程", "new"),
        ("wangfang", "收到，我这边报上去", "silent", 15),
    ]),
    ("the same complaint three times", [
        ("wx_fanren", "楼下烧烤摊天天晚上吵到一两点，油烟还往窗户里灌，到底管不管？", "new"),
        ("wx_fanren", "楼下烧烤摊天天晚上吵到一两点，油烟还往窗户里灌，到底管不管？", "join:1", 1),
        ("wx_fanren", "楼下烧烤摊天天晚上吵到一两点，油烟还往窗户里灌，到底管不管？？？", "join:1", 1),
    ]),
    ("lift door, then the old ticket again days later", [
        ("zhangdaye", "5号楼电梯门关不上，一开一合来回折腾，半天走不了", "new"),
        ("zhangdaye", "上次那个#{t1}又坏了，门还是关不严实", "join:1", 4320),
    ]),
    ("photo then a missing manhole cover, second photo", [
        ("liuayi", "[图片]", "silent"),
        ("liuayi", "恁看看，10号楼东边这个井盖盖子没了，黑天谁掉下去咋弄", "new", 1),
        ("wx_zhoujie", "[图片]", "silent", 5),
        ("wx_zhoujie", "俺也拍了，确实一个大窟窿，俺拿了个凳子先挡着", "join:1", 1),
    ]),
    ("late-night chopping upstairs", [
        ("chenxin", "都凌晨一点了，楼上还在剁东西，咚咚咚的，我明天还要早起上班", "new"),
        ("chenxin", "是8栋，我住6楼，就是正上面那家", "join:1", 2),
        ("chenxin", "昨儿晚上又剁到两点，#{t1}到底有没有人管", "join:1", 1200),
    ]),
    ("late-night leak onto a bed", [
        ("wx_yebanr", "半夜三点 楼上漏水漏到俺卧室 滴了一床 17号楼 咋弄嘞", "new"),
        ("wx_yebanr", "敲楼上门也不开 水还在滴 盆都接满了", "join:1", 10),
    ]),
    ("east-gate lights, angry at the bot", [
        ("wx_nuqi", "小区东门那一排路灯全灭了，一到晚上啥也看不见", "new"),
        ("wx_nuqi", "报了两天了#{t1}还是黑的，你们这机器人有啥用", "join:1", 2880),
        ("wx_nuqi", "还不如俺直接打12345", "silent", 1),
    ]),
    ("angry at the bot in general", [
        ("wx_laoliang", "这机器人有啥用，问它啥都答不上来，最后还得找人", "reply"),
        ("wx_laoliang", "俺就想问问，小区啥时候统一换智能燃气表，要自己掏钱不？", "reply", 2),
    ]),
    ("what became of the blood-pressure notice", [
        ("wx_tongzhi", "网格员，上回说的那个免费量血压的通知，后来还搞不搞了？咋没信儿了", "reply"),
        ("liqiang", "下周三上午在社区活动室，到时候群里再发通知", "silent", 20),
        ("wx_tongzhi", "李网格，那到时候要带医保卡不？", "silent", 5),
    ]),
    ("satisfied with the braised pork", [
        ("liuayi", "昨天团的那家卤肉饭，大家吃着满意不？", "silent"),
        ("wx_tuanyou", "满意满意，非常满意，下回还团", "silent"),
        ("chenxin", "一般吧，不太满意，有点齁咸", "silent"),
    ]),
    ("apple group-buy 接龙", [
        ("wx_tuanzhang", "#接龙 烟台红富士 十斤装 58元\n1. 团长 2箱", "silent"),
        ("wx_zhanga", "2. 5号楼 老张 1箱", "silent", 3),
        ("wx_liunainai", "3. 8号楼 刘 2箱", "silent", 4),
        ("wx_zhanga", "团长，啥时候到货嘞", "silent", 1),
    ]),
    ("lost keys", [
        ("wx_diule", "谁捡到一串钥匙，上面挂着个小熊挂件，可能掉在快递柜那边了", "silent"),
        ("wx_jiandao", "物业前台有人交了一串，恁去问问是不是", "silent", 15),
        ("wx_diule", "找着了找着了，就是俺的，谢谢恁嘞", "silent", 40),
    ]),
    ("electric-bike shed fire", [
        ("wx_huoqi", "着火了着火了 电动车棚 11号楼后头 火老大了 快叫消放队", "urgent:119"),
        ("wx_linju", "黑烟冒得老高 俺在阳台上都看见了", "join:1", 1),
        ("liqiang", "已报警，马上到", "silent", 1),
    ]),
    ("old man not seen for two days", [
        ("liuayi", "4号楼那个一个人住的老王头俩天没见人了 敲门不开 电话也不接 屋里灯一直亮着 别是出啥事了吧", "urgent:110"),
        ("wangfang", "已派人，我也马上过去", "silent", 2),
        ("liuayi", "门撬开了 人倒在地上 还有口气 快叫救护车", "join:1", 15),
    ]),
    ("gas cylinder leaking in the noodle shop downstairs", [
        ("wx_mianguan", "楼下面馆煤汽罐漏气 味道冲得很 老板还在那打火 3号楼底商 吓死人了", "urgent:119"),
        ("wx_laoguo", "俺闻着也是，半条街都是那股臭鸡蛋味儿", "join:1", 1),
    ]),
    ("child in the pond", [
        ("wx_hnxiaoli", "恁快来 有个小孩掉池塘里了 就中心花园那个 俺够不着", "urgent:120"),
        ("wx_zhoujie", "有人跳下去捞上来了 娃在哭 还有气 衣服都湿透了", "join:1", 2),
        ("liqiang", "已报警，120也叫了，我马上到", "silent", 1),
    ]),
    ("a man with a knife", [
        ("wx_ynduan", "7号楼下有个男的拿着刀 喊着要砍人 大家莫下楼 快报警", "urgent:110"),
        ("wx_gxmo", "我在窗户看到了，他还在那转", "join:1", 1),
    ]),
    ("tree on the wires, sparks", [
        ("wx_lzmaniu", "大风把树刮倒咧 压在电线上 滋啦滋啦冒火花 就在北门那条路上 娃娃們嫑过去", "urgent:119"),
        ("liqiang", "收到，已联系供电所断电", "silent", 3),
    ]),
    ("two problems in one message, the second worse next day", [
        ("wx_liangshi", "俺们13号楼两件事：一是单元门的闭门器坏了，门咣当咣当响；二是楼顶水箱往下渗水，六楼墙都湿透了",
         "several:2"),
        ("wx_liangshi", "渗水那个今儿更厉害了，顶棚都开始滴答水了", "join:2", 1440),
        ("wx_liangshi", "闭门器那个物业上午已经给换了，就剩渗水了", "join:1", 240),
    ]),
    ("throat-clearing, then the dripping air conditioner", [
        ("wx_shandong", "网格长在不在，跟恁说个事", "silent"),
        ("wx_shandong", "俺家楼上空调外机滴水，正好滴俺窗台上，啪嗒啪嗒响一宿，19号楼", "new", 1),
    ]),
    ("car-park barrier, follow-up hours later, neighbour", [
        ("chenxin", "14号楼地下车库入口的道闸坏了，杆子抬不起来，车都堵在外面", "new"),
        ("chenxin", "#{t1}咋样了，还堵着呢", "join:1", 180),
        ("wx_chezhu", "同上，俺在这排了二十分钟了", "join:1", 2),
    ]),
    ("shut in a lift", [
        ("wx_kunzhu", "救命 电体卡住了 2号楼 在8楼9楼中间 门打不开", "urgent:96333"),
        ("wx_kunzhu", "里面还有个老太太 心慌得很 快点", "join:1", 2),
    ]),
    ("policy questions in three voices", [
        ("wx_xinlai", "额刚搬来，想办个居住证，要带啥材料，去哪达办？", "reply"),
        ("wx_xinlai", "说了半天还是不晓得去哪达办，你们机器人有啥用嘛", "reply", 2),
        ("wx_ynduan", "请问我们这边厨余垃圾几点到几点可以丢？我下班晚", "reply", 60),
        ("wx_jxlaobiao", "我屋里老倌的养老金认证要得用手机搞不？冇去过社区", "reply", 60),
        ("zhangdaye", "俺那个老年卡丢了，补办中不中，得几天？", "reply", 60),
    ]),
    ("other city's rain, a rumour, a joke", [
        ("wx_laoguo", "看新闻郑州那边又下暴雨了，俺老家亲戚说水都到膝盖了", "silent"),
        ("wx_zhoujie", "朋友圈都在传隔壁小区有个白面包车偷小孩，真假不晓得，大家看好娃", "silent", 30),
        ("wx_laoguo", "恁别瞎传，派出所早辟谣了", "silent", 5),
        ("wx_shandong", "俺家猫把鱼缸扒翻了，鱼在地上蹦跶，猫在旁边看热闹，这算不算漏水事故哈哈", "silent", 30),
    ]),
    ("past repair thanked, jiangxi", [
        ("wx_jxlaobiao", "前几天报的那个水龙头，师傅昨天就来修好了，要得，点个赞", "silent"),
        ("liuayi", "俺家上回也是他修的，手脚麻利", "silent", 5),
    ]),
    ("fire lane blocked, staff", [
        ("wx_chezhu", "18号楼门口消防通道让几辆私家车堵死了，真有个急事车都开不进来", "new"),
        ("wangfang", "已派人去挪车", "silent", 10),
        ("liqiang", "收到", "silent", 1),
    ]),
]
