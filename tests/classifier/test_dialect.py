"""classifier/dialect.py: regional words read as Mandarin; Mandarin left exactly as it was."""
import pytest

from classifier.dialect import fold_dialect
from classifier.normalize import normalize


@pytest.mark.parametrize(("said", "mandarin"), [
    ("我屋头也是黑的", "我家里也是黑的"),                       # 四川
    ("这个事有没得人管", "这个事有没有人管"),
    ("等咗半个钟都冇人嚟 点算啊", "等了半个钟都没有人来 怎么办啊"),  # 粤
    ("系咪停水啊", "是不是停水啊"),
    ("我唔识用", "我不识用"),
    ("旧床褥放喺边度", "旧床褥放在哪里"),
    ("到底有人管伐", "到底有人管吗"),                           # 吴
    ("伐晓得找啥人", "不知道找谁"),
    ("阿拉小区里向有伐有", "我们小区里面有没有"),
    ("后院埋汰死了 咋整", "后院脏死了 怎么办"),                 # 东北
    ("暖气热咧 额家不冷了", "暖气热了 我家不冷了"),               # 西北
    ("恁辛苦了", "你辛苦了"),                                   # 鲁豫
    ("小区头有人遛狗不牵绳", "小区里有人遛狗不牵绳"),
])
def test_regional_words_become_mandarin(said, mandarin):
    assert fold_dialect(said) == mandarin


@pytest.mark.parametrize("mandarin", [
    "请联系物业", "然而家里没人", "那边度假村", "差一点算了", "阿拉伯数字", "他要得到批准",
    "唔，好吧", "晒衣服", "伐木", "重点解决", "有点样子", "金额不对", "他咧着嘴笑", "他这人大大咧咧的",
])
def test_mandarin_is_left_alone(mandarin):
    assert fold_dialect(mandarin) == mandarin


def test_the_normaliser_folds_after_traditional_to_simplified():
    # OpenCC turns 係 into 系 and 唔該 into 唔该 first; the fold then reads them.
    assert normalize("係咪停水 唔該") == "是不是停水 谢谢"


def test_voice_inputs_certain_homophones():
    assert fold_dialect("厨房的下水道又赌了") == "厨房的下水道又堵了"
    assert fold_dialect("马桶赌了 以经两天了") == "马桶堵了 已经两天了"
    assert fold_dialect("昨天打牌赌了一把") == "昨天打牌赌了一把"
