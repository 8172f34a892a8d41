"""Regional words folded to Mandarin before anything reads a message.

Why: grid chats are written in the residents' own speech — 四川/重庆 (屋头, 莫得, 啥子, 咋个), 粤
(冇, 唔係, 嘅, 咗, 嚟, 点算), 湘鄂 (冇得, 么子), 吴 (阿拉, 侬, 伐, 覅), 东北 (咋整, 埋汰), net slang (木有, 神马) — and
voice-to-text writes them down as said. The model, the follow-up and agreement rules and the
emergency patterns were written in Mandarin; without this step "我屋头也是" is not "我家也是", and
"等咗半个钟都冇人嚟" is not "等了半个钟都没有人来".

Only words whose Mandarin reading is safe in any context are folded, so a Mandarin message comes
out exactly as it went in: 系 alone (联系, 关系), 贼 (a thief), 老 and 好 (Mandarin intensifiers too), 伊
(伊利) and 食 (食堂) are left alone; 伐 only where it ends a question ("有人管伐"), 睇 / 揾 / 畀 /
喺 / 嘢 / 啲 are Cantonese-only characters. Runs after Traditional → Simplified (OpenCC turns 係 into
系 and 唔該 into 唔该), on lower-cased or original text alike.
"""
from __future__ import annotations

import re

# (word, Mandarin), each safe wherever it occurs. Left out on purpose, because a Mandarin message
# holds them with another meaning: 恼火 / 安逸 (Mandarin too), 而家 (然而家里), 边个 / 边度 (那边个子,
# 那边度假), 点解 / 点样 (重点解决, 有点样子), 物事 (人物事迹).
_FOLDS: tuple[tuple[str, str], ...] = (
    # 四川 / 重庆 / 贵州
    ("屋头", "家里"), ("有没得", "有没有"), ("莫得", "没有"), ("没得", "没有"), ("啥子", "什么"),
    ("咋个", "怎么"), ("晓得", "知道"), ("硬是", "真是"), ("巴适", "舒服"), ("一哈", "一下"), ("娃儿", "孩子"),
    ("小区头", "小区里"), ("楼道头", "楼道里"), ("院子头", "院子里"),
    # 湖南 / 湖北
    ("搞么子", "干什么"), ("么子", "什么"),
    # 粤 (after OpenCC: 係 → 系, 唔該 → 唔该)
    ("系唔系", "是不是"), ("系咪", "是不是"), ("唔系", "不是"), ("唔该", "谢谢"), ("唔好", "不要"),
    ("冇得", "没有"), ("冇", "没有"), ("嘅", "的"), ("咗", "了"), ("嚟", "来"), ("佢哋", "他们"), ("我哋", "我们"), ("你哋", "你们"),
    ("佢", "他"), ("乜嘢", "什么"), ("嘢", "东西"), ("睇", "看"), ("揾", "找"), ("畀", "给"), ("喺", "在"),
    ("啲", "些"), ("瞓", "睡"), ("噉", "这样"), ("咁", "这么"), ("落雨", "下雨"), ("嗰", "那"), ("呢度", "这里"),
    ("返屋", "回家"), ("返嚟", "回来"), ("放工", "下班"), ("食烟", "抽烟"), ("食饭", "吃饭"), ("成晚", "整晚"),
    # 吴 (上海, 杭州, 苏州)
    ("屋里厢", "家里"), ("屋里向", "家里"), ("里向", "里面"), ("侬", "你"), ("覅", "不要"), ("今朝", "今天"),
    ("辰光", "时候"), ("啥人", "谁"), ("哪能", "怎么"), ("搿", "这"), ("有伐有", "有没有"),
    # 山东 / 河南 / 西北 (恁: you; 额家 / 额们: my home / we; 莫有: none)
    ("恁", "你"), ("𠊎", "我"), ("额家", "我家"), ("额们", "我们"), ("莫有", "没有"), ("中不中", "行不行"),
    # 东北 / 西北
    ("咋整", "怎么办"), ("埋汰", "脏"), ("嘎哈", "干什么"), ("嫑", "不要"), ("那疙瘩", "那里"), ("这疙瘩", "这里"),
    # net slang
    ("木有", "没有"), ("神马", "什么"), ("肿么", "怎么"), ("酱紫", "这样"),
)
_TABLE = dict(_FOLDS)
_WORDS = re.compile("|".join(re.escape(w) for w, _ in sorted(_FOLDS, key=lambda f: -len(f[0]))))
# Words that need their neighbours checked:
_GUARDED = (
    # 粤 唔 (not) before a word: "唔识", "唔知"; the Mandarin interjection "唔，好吧" stays.
    (re.compile(r"唔(?=[\u4e00-\u9fff])"), "不"),
    # 粤 点算 (what now?), not 一点算 / 差点算 / 重点算.
    (re.compile(r"(?<![一有差早晚多少半重盘清])点算"), "怎么办"),
    # 吴 阿拉 (we), not 阿拉伯 / 阿拉丁 / 阿拉斯加.
    (re.compile(r"阿拉(?!伯|丁|斯加|善)"), "我们"),
    # 四川 要得 (OK) ends a clause; "要得到" is Mandarin.
    (re.compile(r"要得(?=$|[\s,，.。!！~～…啦嘛哈])"), "好的"),
    # 粤 边度 / 边个 (where, who), not 那边度假 / 这边个子.
    (re.compile(r"(?<![那这旁左右东西南北里外上下两一半身路海河江岸湖])边度(?![假过日])"), "哪里"),
    (re.compile(r"(?<![那这旁左右东西南北里外上下两一半身路海河江岸湖])边个(?!子)"), "谁"),
    # 吴 伐 before a verb is 不 ("伐晓得", "伐要"); at the end it asks (below).
    (re.compile(r"伐(?=知道|晓得|要|好|来|去|是|对|灵|行|会|能|可以|清爽)"), "不"),
    # 西北 咧 closes a sentence like 了 ("暖气热咧"), not 咧嘴, 大大咧咧, 骂骂咧咧.
    (re.compile(r"(?<!咧)咧(?!咧|嘴|开|着嘴)"), "了"),
    # Voice input's homophones where the meaning is certain: a drain 赌 (gambles) is 堵 (blocked).
    (re.compile(r"(下水道?|下水管|马桶|地漏|管道|水管)(又|都|给|被)?赌"), r"\1\2堵"),
    (re.compile(r"以经"), "已经"),
    # 吴 伐 ends a question ("到底有人管伐", "好伐"), never inside a word (伐木).
    (re.compile(r"(?<=[\u4e00-\u9fff])伐(?=$|[\s,，.。!！?？~～…啦呀啊])"), "吗"),
)
# The characters a fold can start with: a line holding none of them is returned as it is.
_TRIGGERS = frozenset("".join(w[0] for w, _ in _FOLDS) + "唔点阿要伐边赌以咧")


def fold_dialect(text: str) -> str:
    """Regional words → Mandarin ("我屋头也是" → "我家里也是"); Mandarin text is returned unchanged."""
    if not any(ch in _TRIGGERS for ch in text):
        return text
    text = _WORDS.sub(lambda m: _TABLE[m.group()], text)
    for pattern, mandarin in _GUARDED:
        text = pattern.sub(mandarin, text)
    return text
