"""Every sentence the knowledge base, deliberation (议事) and points (积分) say, in one place."""
from __future__ import annotations

# --- knowledge base (政策问答) -------------------------------------------------------
KB_ANSWER = "{answer}\n（来源：{source}。如仍有疑问，可直接说明，网格长会跟进。）"
KB_SOURCE_ENTRY = "知识库 K{entry_id}「{question}」，适用范围：{scope}"
KB_SOURCE_NOTICE = "{date}发布的通知《{title}》"
KB_NOTICE_ANSWER = "根据{date}发布的通知《{title}》：{body}"
KB_FORWARDED = "您的问题已转给网格长（咨询编号 Q{qid}），稍后答复。"
KB_TO_LEADER = (
    "【居民咨询 Q{qid}】（{grid}）{asker}：{text}\n"
    "知识库暂无答案。请引用本消息回复「答复 内容」，或发送「答复 Q{qid} 内容」："
    "答复会发到居民群，并存入本网格知识库。"
)
KB_LEADER_DONE = "已答复咨询 Q{qid}，并存入知识库 K{entry_id}（{scope}适用）。"
KB_TO_ASKER = "【咨询答复 Q{qid}】{asker}您好，关于「{question}」，{leader}答复：{answer}"
KB_NO_SUCH_QUESTION = "没有找到咨询 Q{qid}。"
KB_ALREADY_ANSWERED = "咨询 Q{qid} 已经答复过了（知识库 K{entry_id}）。再次答复会更新该条目。"
KB_NOT_ALLOWED = "抱歉，只有该网格的网格长、网格员或上级工作人员可以答复咨询 Q{qid}。"
KB_NEED_ANSWER = "请写明答复内容，例如「答复 Q{qid} 每周三上午在社区服务站办理」。"
KB_ADDED = "已存入知识库 K{entry_id}（{scope}适用）：{question}"
KB_ADD_USAGE = "格式：入库 问：问题 答：答案"
KB_ADD_NOT_ALLOWED = "抱歉，只有工作人员可以维护知识库。"
SCOPE_ALL = "全区"

# --- deliberation (党群议事) ----------------------------------------------------------
Y_OPENED = (
    "已登记议题 #Y{pid}：{text}\n"
    "本网格居民请回复「支持 #Y{pid}」或「反对 #Y{pid}」（也可引用本消息回复「支持」/「反对」），"
    "每人一票，截至 {closes} 前可改票。获得 {needed} 位居民支持即立项办理。"
)
Y_NEED_GRID = "议事需要在网格居民群里发起（或您尚未登记所在网格），请在本网格群里发送「议事：内容」。"
Y_TOO_SHORT = "请把建议写具体些，例如「议事：建议在3号楼加装电梯」。"
Y_NOT_IN_SCOPE = "抱歉，议题 #Y{pid} 属于其他网格，无法查看。"
Y_NO_SUCH = "没有找到议题 #Y{pid}。"
Y_NOT_OPEN = "议题 #Y{pid} {state}，不能再表态。"
Y_OTHER_GRID = "抱歉，议题 #Y{pid} 由{grid}居民表决，您不是该网格的登记居民，不能投票。感谢关心！"
Y_VOTED = "已记录您对议题 #Y{pid} 的意见：{stance}。当前支持 {support} / 需要 {needed}，反对 {oppose}。"
Y_SAME_VOTE = "您已{stance}过议题 #Y{pid}，每人只计一票。当前支持 {support} / 需要 {needed}，反对 {oppose}。"
Y_CHANGED = "已把您对议题 #Y{pid} 的意见改为：{stance}（以最后一次为准）。当前支持 {support} / 需要 {needed}，反对 {oppose}。"
Y_ADOPTED = (
    "议题 #Y{pid} 已获 {support} 位居民支持，达到立项标准，已立项并转为工单 #{ticket_id}，"
    "由{handler}办理，请于 {deadline} 前处理。"
)
Y_TO_SUPPORTER = "您支持的议题 #Y{pid}（{text}）已立项，转为工单 #{ticket_id} 办理，进展会通知您。"
Y_EXPIRED = "议题 #Y{pid}（{text}）表决期满：支持 {support}，反对 {oppose}，未达到 {needed} 位支持，未立项。感谢大家参与！"
Y_STATUS = "议题 #Y{pid}（{state}）：{text}\n支持 {support} / 需要 {needed}，反对 {oppose}；截止 {closes}。{notes}"
Y_NOTE_ADDED = "已为议题 #Y{pid} 添加备注。"
Y_NOTE_PUSH = "议题 #Y{pid} 新备注（{who}）：{note}"
Y_NOTE_NOT_ALLOWED = "抱歉，只有党员、网格长和社区工作人员可以给议题添加备注。"
Y_NOTE_EMPTY = "请写明备注内容，例如「备注 #Y{pid} 已与物业沟通，下周答复」。"
Y_STATE_NAMES = {"open": "表决中", "adopted": "已立项", "expired": "已到期"}
STANCE_NAMES = {"support": "支持", "oppose": "反对"}

# --- participation points (积分) --------------------------------------------------------
ACT_NAMES = {"report": "反映问题", "rating": "评价办理", "proposal": "议题立项", "volunteer": "志愿服务",
             "redeem": "兑换", "adjust": "调整", "revoke": "驳回扣回"}
P_BALANCE = "{name}的积分：{balance} 分。\n最近记录：\n{entries}\n发送「积分商城」查看可兑换物品。"
P_NO_ENTRIES = "（暂无）"
P_ENTRY_LINE = "{date} {act}{note} {delta:+d}"
P_SHOP = "【积分商城】\n{items}\n发送「兑换 物品名」兑换。您当前有 {balance} 分。"
P_SHOP_LINE = "{name}：{price} 分（库存 {stock}）"
P_SHOP_EMPTY = "积分商城暂无可兑换物品。"
P_REDEEMED = "兑换成功：{item}，扣除 {price} 分，余额 {balance} 分。请凭此消息到社区服务站领取（兑换单号 D{rid}）。"
P_NOT_ENOUGH = "积分不足：{item}需要 {price} 分，您当前有 {balance} 分。"
P_OUT_OF_STOCK = "抱歉，{item}已兑完。"
P_REDEEMED_IN_GROUP = "兑换成功：{item}，扣除 {price} 分，余额 {balance} 分。兑换单已私信发给您，请凭私信到社区服务站领取。"
P_ONE_AT_A_TIME = "每次兑换一件，请发送「兑换 {name}」。"
P_NO_ITEM = "没有找到可兑换的「{name}」。{shop}"
P_LISTED = "已上架：{name}，{price} 分，库存 {stock}（{scope}居民可兑换）。"
P_UNLISTED = "已下架：{name}。"
P_LIST_USAGE = "格式：上架 物品名 积分数分 库存数量，例如「上架 鸡蛋 20分 库存50」。"
P_STAFF_ONLY = "抱歉，只有社区工作人员可以{what}。"
P_AWARD_USAGE = "格式：记积分 @居民 分数 事由，例如「记积分 @张大爷 10 志愿服务」。"
P_NO_PERSON = "没有找到居民「{who}」，请用企业微信里的账号或登记的姓名。"
P_NO_SELF_AWARD = "抱歉，不能给自己记积分。积分由工作人员为居民记录，此操作已记录备查。"
P_NOT_YOUR_RESIDENT = "抱歉，{who}不是您负责范围内的居民。"
P_AWARDED = "已为{who}记 {points} 分（{note}），余额 {balance} 分。"
P_AWARDED_CAPPED = "已为{who}记 {points} 分（{note}）；今日该项积分已达上限 {cap} 分，超出部分未计。余额 {balance} 分。"
P_CAP_REACHED = "{who}今日「{act}」积分已达上限 {cap} 分，本次未记分。"
P_TO_RESIDENT = "您获得 {points} 积分（{note}），当前余额 {balance} 分。"
