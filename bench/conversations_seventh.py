"""A seventh, held-out set of grid-chat conversations for bench.bench_conversations (`--set seventh`).

Written by hand by a seventh engineer, who had read neither the handlers nor the classifier, nor
any of the other conversation files beyond bench/conversations_sixth.py's docstring and first lines
(for the format). Every expected behaviour was fixed and committed before the set was first played,
and is what a grid leader would want the bot to do with the line, not a guess at what it does. Same
format as bench/conversations.py: each turn is (sender, text, expected, minutes waited before it);
expected is silent / reply / new / join:k / urgent:N / several:K; {t1}, {t2}, … name this
conversation's k-th ticket.

Two halves. The first is the family compound of an old state factory in a northern industrial town:
retired workers calling each other 老李 / 老张 / 赵师傅, chess at the gatehouse, memories of the
boiler room and the water tower, the morning market's prices, pensions, a 广场舞 schedule, a 接龙
for dumplings for people living alone, rumours of demolition, an elderly woman dictating by voice
input (no punctuation), a resident who puts a morning's worth of news and two problems into one
very long message. The second is a new high-rise estate in a southern city: a young couple who just
moved in, a landlord, a grandfather from the north minding his grandson, a Hong Kong resident writing
Traditional characters (some Cantonese), mothers with babies. Emergencies: an old man fallen in the
bathroom and bleeding (120), gas smell on a staircase (119), a man beating his wife next door (110),
a lift stuck between floors with people in it (96333), a fire alarm with real smoke in the corridor
(119), a child alone climbing over a balcony railing (110). Policy questions: the pension rise,
pension identity checks, residents' medical insurance, out-of-province medical reimbursement, a
Hong Kong resident's medical insurance, 老旧小区改造 costs, the 加装电梯 consent rule, decoration
hours, registering a rented flat, a tenant taking the landlord's air conditioner. Look-alikes: the
boiler pipe that burst in 1987, the water tower repaired in the nineties, an outage in the news for
another district, a lift accident in the news elsewhere, a fire drill, a joke, a demolition rumour,
staff acknowledgements and notices, a 接龙, keys found at the gatehouse, questions to a neighbour by
name, cooking smells.

Judgement calls fixed in advance: a neighbour confirming a problem or an emergency joins it (join:1),
also a household member; a report without a place is still a new ticket (the bot can ask where),
and the place given in the next line joins it; the reporter's follow-ups (still cold, worse, the
fixer has not come, fixed now thanks) join the ticket; another resident's report two days later of
the same overflowing manhole joins the first ticket; a corridor e-bike charging off a cable through
the door is a hazard ticket, not an emergency; a bottle thrown from a high floor that hit nobody is
a ticket, not a 110 call; a child over a balcony railing with nobody home is urgent with 110 (the
police get a door opened; 119 would also be defensible, the reply is expected to name 110); a
landlord's dispute with his departed tenant is a reply, not a ticket; rumours, memories and news
are silent even when they name a breakdown; a neighbour's answer to someone's question is silent;
a thank-you after the bot's answer is silent; staff lines are silent; a question addressed to a
neighbour by name is silent.

48 conversations, 110 turns: silent 50, join 27, new 13, reply 12, urgent 6, several 2.

Lines that matched the training data or the other sets (`grep -F`) were reworded before the first play
(one: a bare 收到).
"""
from __future__ import annotations

DAY = 60 * 24

# Senders: residents zhangdaye, liuayi, chenxin (demo), neighbours unknown to the bot (wx_…),
# staff wangfang (grid leader) and liqiang (grid worker).
CONVERSATIONS_SEVENTH: list[tuple[str, list[tuple]]] = [
    # ---- the old state-factory compound, north ----
    ("factory compound, chess and the burst boiler pipe of 1987", [
        ("wx_laoli", "老张，下午还在传达室门口杀两盘不？上回输给你我一宿没睡踏实", "silent"),
        ("zhangdaye", "来就来，记得带上你那副缺了个马的象棋", "silent", 3),
        ("wx_laoli", "想当年八七年冬天锅炉房爆了管子，全院冻了三天，还是咱二车间连夜给抢修好的", "silent", 10),
        ("zhangdaye", "那会儿大伙多齐心呐，一声招呼全出来了", "silent", 2),
    ]),
    ("factory compound, lukewarm radiators for days", [
        ("wx_laozhao", "3号楼东单元五楼暖气片一直温乎乎的，屋里才十四度，老伴儿穿着棉袄看电视", "new"),
        ("wangfang", "赵师傅，收到了，我跟热力公司联系", "silent", 20),
        ("wx_laozhao", "#{t1} 两天了还是不热，昨晚冻得一宿没合眼", "join:1", 2 * DAY),
        ("wx_laozhao", "热了热了，摸着都烫手，谢谢王主任跑前跑后", "join:1", DAY),
    ]),
    ("factory compound, when does the pension rise arrive", [
        ("liuayi", "今年养老金涨的那部分啥时候能到账？咱们这帮退休的都盼着呢", "reply"),
        ("wx_laozhou", "去年是七月底补发的，今年估计也差不多", "silent", 5),
        ("zhangdaye", "老周记性好，去年确实是七月底到的", "silent", 2),
    ]),
    ("factory compound, demolition rumour", [
        ("wx_laosun", "听说咱家属院要拆了，开发商都来量过了，一平米给八千", "silent"),
        ("wx_laoli", "净瞎扯，去年这时候也这么传，结果连个影儿都没有", "silent", 4),
        ("zhangdaye", "拆不拆的我不管，我就舍不得院里那棵老槐树", "silent", 6),
    ]),
    ("factory compound, will the old-compound renovation cost us", [
        ("zhangdaye", "咱这老厂家属院能不能报上老旧小区改造？外墙保温、管网这些要住户自己掏钱不", "reply"),
        ("chenxin", "这个我也想知道，我爸妈那栋楼外墙都起皮了", "silent", 3),
    ]),
    ("factory compound, lift retrofit consent", [
        ("wx_laowu", "我们5号楼想加装电梯，一楼二楼的不同意咋整？得多少户签字才能往上报", "reply"),
        ("wangfang", "吴姐，下礼拜开个楼门会，咱们当面细说", "silent", 30),
        ("wx_laowu", "好嘞王主任，那我先跟楼里各家打个招呼", "silent", 5),
    ]),
    ("factory compound, voice input: husband fallen in the bathroom", [
        ("wx_laoma", "快来人啊我家老头子在卫生间摔倒了起不来头上淌血了7号楼一单元二楼东户", "urgent:120"),
        ("wx_duimen", "我是对门老孙，这就过去帮着扶，马姐你先别挪他", "join:1", 1),
        ("wangfang", "我已经打了120，正往7号楼赶", "silent", 1),
    ]),
    ("factory compound, gas on the west staircase", [
        ("wx_laoqian", "2号楼西单元楼道里一股煤气味儿，冲得脑仁疼，谁家阀门没关好吧", "urgent:119"),
        ("liuayi", "我下楼也闻着了，四楼那块儿最重", "join:1", 2),
        ("wx_laoqian", "燃气公司的人来了，说是三楼那户胶管老化漏气，阀门已经关上了", "join:1", 40),
    ]),
    ("factory compound, morning market prices", [
        ("liuayi", "今儿早市西红柿四块五一斤，黄瓜也涨了，这菜价一天一个样", "silent"),
        ("wx_laozhou", "去二道街那家老两口的摊，三块八，就是得起早", "silent", 5),
        ("liuayi", "明早五点半门口集合，谁跟我一块儿去？", "silent", 3),
    ]),
    ("factory compound, everything in one long message", [
        ("wx_laohan", "各位老邻居早上好，跟大家唠叨几句啊，昨天我大孙子从沈阳回来看我了，带了两箱苹果，"
         "我给对门老孙家送了点，大伙要是想尝尝就来我家拿，然后呢今儿早上我下楼倒垃圾，6号楼门口那个"
         "垃圾箱满得都冒尖了，好几天没人来拉，野猫扒得满地都是，还有个事儿，6号楼跟7号楼中间那根路灯"
         "也不亮了，晚上黑灯瞎火的，我昨儿差点踩沟里，我这老胳膊老腿的摔一下可不得了，行了就这些，"
         "大伙吃了没", "several:2"),
        ("wx_laosun", "老韩，苹果给我留两个，我下午过去拿", "silent", 15),
    ]),
    ("factory compound, an outage in the news for the other side of the river", [
        ("wx_laosun", "新闻里说河西那片明天主管网检修要停一天水，幸亏咱们这边不挨着", "silent"),
        ("liuayi", "那我闺女家得提前接几桶水了", "silent", 4),
    ]),
    ("factory compound, dark stairwell without a place, then the place", [
        ("wx_laozhao2", "楼道灯又全不亮了，晚上上楼只能扶着墙一步步摸", "new"),
        ("wx_laozhao2", "忘说了，是9号楼三单元，一楼到五楼都黑着", "join:1", 3),
        ("liqiang", "好嘞，下午我扛梯子过去换", "silent", 20),
        ("wx_laozhao2", "换完了，亮堂多了，小李辛苦", "join:1", 6 * 60),
    ]),
    ("factory compound, square-dance schedule", [
        ("liuayi", "姐妹们，打下礼拜起广场舞改到晚上七点半开始，天凉了早点散", "silent"),
        ("wx_dama", "刘姐收到，音箱我来拎", "silent", 2),
        ("wx_dama2", "刘姐，新排的那支《万疆》啥时候开始教啊？", "silent", 3),
    ]),
    ("factory compound, paying residents' medical insurance", [
        ("wx_laoqian", "城乡居民医保明年的钱上哪交？一个人多少钱？我想给老伴儿一块交了", "reply"),
        ("wx_laoqian", "好，明白了，谢谢啊", "silent", 3),
    ]),
    ("factory compound, pension identity check by face", [
        ("wx_laohu", "养老金资格认证手机上刷脸老是通不过，眼睛一眨就提示失败，还有别的法子认证吗", "reply"),
    ]),
    ("factory compound, the old water tower: memory, then a real danger", [
        ("zhangdaye", "记得九几年咱院那个水塔漏水，厂里派了一个班的人修了一礼拜", "silent"),
        ("zhangdaye", "现在水塔早不用了，可锅炉房后头那个铁架子锈得直掉渣，一刮风就吱呀响，底下孩子老去钻着玩，就怕哪天塌了", "new", 5),
        ("wx_laoli", "可不是嘛，我孙子也老往那儿跑，我都骂过好几回了", "join:1", 10),
    ]),
    ("factory compound, dumplings 接龙", [
        ("wx_tuanzhang", "接龙：周六包饺子给院里独居老人送去\n1. 老韩 韭菜鸡蛋馅\n2. 刘姨 白菜猪肉", "silent"),
        ("zhangdaye", "接龙：周六包饺子给院里独居老人送去\n1. 老韩 韭菜鸡蛋馅\n2. 刘姨 白菜猪肉\n3. 老张 擀皮", "silent", 20),
    ]),
    ("factory compound, keys at the gatehouse", [
        ("wx_menwei", "谁丢了一串钥匙？上面挂个红色的小葫芦，搁传达室了", "silent"),
        ("wx_laoli", "是我的是我的，买菜时候掉的，一会儿过去拿", "silent", 8),
    ]),
    ("factory compound, the manhole behind building 4, two days apart", [
        ("wx_laosun", "4号楼后面那个下水井往外冒污水，臭得窗户都不敢开", "new"),
        ("wx_laozhou", "四号楼后头井盖那儿淌了一地脏水，苍蝇嗡嗡的，谁给管管啊", "join:1", 2 * DAY),
    ]),
    ("factory compound, beating his wife next door", [
        ("wx_xiaoyu", "8号楼二单元那家男的又在打老婆了，女的一直喊救命，还有摔东西的声音，吓死人了", "urgent:110"),
        ("wx_louxia", "我在楼下也听见了，喊得可惨了，快叫警察吧", "join:1", 1),
    ]),
    ("factory compound, a joke", [
        ("wx_laoli", "老张说他年轻时候是车间一枝花，我乐得假牙都差点飞出去", "silent"),
        ("zhangdaye", "哈哈哈老李你少揭我老底", "silent", 2),
    ]),
    ("factory compound, leaking roof getting worse", [
        ("wx_laohan", "10号楼顶层漏雨了，昨晚下了一宿，我家五楼天花板往下滴水，接了三盆了", "new"),
        ("wx_laohan", "这两天又下，墙皮都泡掉了，电线盒里也往外渗水，就怕漏电", "join:1", 3 * DAY),
    ]),
    ("factory compound, a granddaughter into university", [
        ("wx_laozhou", "我孙女考上大连理工了，礼拜六请老伙计们喝两盅", "silent"),
        ("liuayi", "恭喜恭喜，老周家出状元喽", "silent", 3),
        ("wangfang", "恭喜周叔！", "silent", 10),
    ]),
    ("factory compound, broken front steps, still not mended", [
        ("wx_laowu", "5号楼门口台阶水泥塌了一块，拄拐棍的老人根本过不去", "new"),
        ("wx_dama", "前天我打那儿过也差点崴了脚", "join:1", 15),
        ("wx_laowu", "#{t1} 都三天了还没人来弄，今儿下雪更滑了", "join:1", 3 * DAY),
    ]),
    ("factory compound, voice input: the old-age allowance", [
        ("wx_laoma", "那个我问一下啊就是那个八十岁以上的高龄补贴是上哪申请呀要带啥东西", "reply"),
    ]),
    # ---- the new high-rise estate, south ----
    ("high-rise, the young couple asks about decoration hours", [
        ("wx_xiaofu", "大家好，我们刚搬进18栋，请问小区装修几点到几点可以施工呀？周末能做吗", "reply"),
        ("wx_xiaofu", "好的，谢谢～", "silent", 2),
    ]),
    ("high-rise, lift stuck with people inside", [
        ("wx_lin", "12栋2号电梯卡在15楼和16楼中间了，里面有个阿婆和一个外卖小哥，按警铃没人应！", "urgent:96333"),
        ("chenxin", "我在大堂，物业的人还没到，我也在打电话", "join:1", 1),
        ("wx_lin", "人出来了，维保师傅把门撬开的，阿婆吓坏了但没受伤", "join:1", 40),
    ]),
    ("high-rise, fire alarm with real smoke", [
        ("wx_aqiang", "7栋的消防警报一直在响，20楼走廊全是烟，有烧焦的味道，大家快走楼梯下去！", "urgent:119"),
        ("wx_21lou", "是真的，我在21楼，楼梯间有烟往上飘", "join:1", 1),
        ("wangfang", "已通知物业和消防，大家走楼梯，千万别坐电梯", "silent", 1),
    ]),
    ("high-rise, a fire drill", [
        ("wx_xiaoxu", "9栋警报刚才又响了一通，物业说是在搞消防演练，吓我一大跳", "silent"),
    ]),
    ("high-rise, child climbing over a balcony railing", [
        ("wx_mama", "对面15栋十几楼有个小孩爬到阳台栏杆外面去了，好像家里没大人，喊他也听不见！", "urgent:110"),
        ("wx_mama2", "我也看到了，是16楼，保安已经上去敲门了", "join:1", 1),
        ("wx_mama", "抱下来了！孩子奶奶下楼取快递去了，吓得我腿都软了", "join:1", 6),
    ]),
    ("high-rise, Traditional: low water pressure", [
        ("wx_chan", "20棟這幾天水壓好低，洗澡水得一點點，熱水器都打唔著火，麻煩幫忙睇下", "new"),
        ("wx_tw", "我住20棟25樓也是這樣，早上根本沒有水", "join:1", 30),
    ]),
    ("high-rise, Traditional: good morning", [
        ("wx_chan", "各位街坊早晨，今日落大雨，出門記得帶遮", "silent"),
        ("wx_ahua", "早晨陈生～", "silent", 5),
    ]),
    ("high-rise, Traditional: medical insurance for a Hong Kong resident", [
        ("wx_chan", "想請問香港居民喺呢邊可唔可以參加醫保？要去邊度辦理？", "reply"),
    ]),
    ("high-rise, the landlord", [
        ("wx_fangdong", "我是5栋的房东，租客退房把我装的空调给拆走了，这个网格能管吗？", "reply"),
        ("wx_fangdong", "另外出租屋要不要去社区登记？租客的信息怎么报上去", "reply", 10),
    ]),
    ("high-rise, baby's vaccination", [
        ("chenxin", "今天带宝宝去打疫苗，哭得整个社康都听见了", "silent"),
        ("wx_baoma2", "正常的，我家那个打完还烧了一晚上", "silent", 6),
    ]),
    ("high-rise, basement refuse room getting worse", [
        ("wx_xiaoxu", "3栋负一楼垃圾房好几天没清运了，电梯门一开就是一股馊味", "new"),
        ("wx_xiaoxu", "更严重了，现在一楼大堂都是那个味，还爬出来好多蟑螂", "join:1", DAY),
    ]),
    ("high-rise, drilling at eleven at night", [
        ("wx_xiaofu", "晚上十一点了，18栋我们楼上还在打电钻，明天还要上班，这合理吗", "new"),
        ("wx_xiaofu_qi", "就是啊，宝宝刚哄睡又被吵醒了", "join:1", 2),
        ("wx_xiaofu", "昨晚快十二点才停，今晚要还这样我真要报警了", "join:1", DAY),
    ]),
    ("high-rise, two problems in one message", [
        ("wx_ahua", "两件事：一是地库B2那排充电桩坏了三个，插上枪没反应；二是6栋门禁刷卡一直失灵，老人家进不去", "several:2"),
        ("wx_ahua", "门禁今早修好了，地库那三个充电桩还是插上没反应", "join:1", DAY),
    ]),
    ("high-rise, e-bike charging in the corridor", [
        ("wx_lin", "11栋19楼走廊有人把电动车推上来充电，电线从门缝里拉出来的，太吓人了", "new"),
        ("wx_19lou", "这个我也拍到过好几回了，说了也不听", "join:1", 30),
    ]),
    ("high-rise, a lift accident in the news", [
        ("wx_ahua", "刚刷到新闻，外地有个小区电梯冲顶了，大家坐电梯都当心点", "silent"),
    ]),
    ("high-rise, asking a neighbour for the cook's number", [
        ("chenxin", "林姐，你上次说的那个上门做饭的阿姨，电话还有吗", "silent"),
        ("wx_lin", "有的，我私发给你", "silent", 3),
    ]),
    ("high-rise, northern grandfather's medical insurance", [
        ("wx_laoliang", "我是跟儿子过来带孙子的，医保在东北老家，在这边看病能报销吗？得办啥手续", "reply"),
    ]),
    ("high-rise, voice input: kitchen pipe leaking, fixer not come", [
        ("wx_apo", "喂喂那个我家厨房水管子漏水了一直滴滴滴地上全是水啊九栋十楼零二", "new"),
        ("wx_apo", "那个师傅还没来呀水越来越多了都流到客厅了", "join:1", 120),
    ]),
    ("high-rise, a bottle thrown from above", [
        ("wx_baoma2", "刚才17栋楼下从上面扔下来一个啤酒瓶，就砸在我儿子脚边，碎了一地，太缺德了", "new"),
        ("chenxin", "天啊，上个月也有人往下扔过烟头，得好好查一查", "join:1", 5),
    ]),
    ("high-rise, a power cut notice and cooking smells", [
        ("liqiang", "各位住户，明天上午九点到十一点13、14栋停电检修，请提前做好准备", "silent"),
        ("wx_ahua", "晓得了，今晚先把冰箱里的肉吃掉", "silent", 3),
        ("wx_13lou", "谁家在炖猪脚，香得我在走廊口水都流出来了", "silent", 60),
    ]),
    ("high-rise, parking card for new owners", [
        ("wx_xiaofu_qi", "请问新业主的地库月卡怎么办？要带什么材料", "reply"),
    ]),
    ("high-rise, a rumour about an unfinished estate", [
        ("wx_13lou", "听说隔壁那个楼盘烂尾了，咱们这个会不会也出什么事", "silent"),
    ]),
    ("high-rise, a manhole cover tilted at the east gate", [
        ("wx_xiaoxu", "小区东门那个井盖没盖严，翘起来半边，刚才一个骑车的差点栽进去", "new"),
        ("liqiang", "收到，我马上过去放个警示牌", "silent", 5),
        ("wx_dongmen", "刚路过看到了，确实翘得老高", "join:1", 10),
    ]),
]
