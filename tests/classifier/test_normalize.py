from classifier.normalize import (
    EMOJI_TOKEN,
    URL_TOKEN,
    fold_width,
    normalize,
    to_simplified,
)


def test_traditional_becomes_simplified():
    assert to_simplified("網格長，樓道裡的燈壞了") == "网格长，楼道里的灯坏了"
    assert normalize("電梯壞了") == normalize("电梯坏了")


def test_simplified_text_is_unchanged():
    s = "下水道堵了，麻烦处理"
    assert to_simplified(s) == s


def test_full_width_digits_and_letters_fold_but_chinese_punctuation_stays():
    assert fold_width("３号楼２单元ＯＫ") == "3号楼2单元OK"
    assert normalize("好的，收到！") == "好的，收到！"


def test_mentions_are_removed():
    assert normalize("@网格长 路灯坏了") == "路灯坏了"
    assert normalize("@张三\u2005早上好") == "早上好"
    assert normalize("@所有人下午开会") == "下午开会"


def test_mention_without_space_keeps_the_message():
    assert "长江路29号" in normalize("@楼长麻烦问一下长江路29号")


def test_emoji_and_urls_become_tokens():
    out = normalize("收到👍👍 [强] 看这个 https://mp.weixin.qq.com/s/abc")
    assert "👍" not in out and "[强]" not in out and "http" not in out
    assert EMOJI_TOKEN.strip() in out and URL_TOKEN.strip() in out


def test_whitespace_collapses():
    assert normalize("  电梯   坏了\n\t急 ") == "电梯 坏了 急"


def test_traditional_particle_zhe_reads_as_simplified_zhe():
    # OpenCC t2s keeps every 著; the particle (and 著火, 睡著) is 着 in Simplified, as in training.
    assert normalize("電梯裡關著人") == "电梯里关着人"
    assert normalize("門一直開著 鎖著的") == "门一直开着 锁着的"
    assert normalize("3號樓著火了") == "3号楼着火了"
    assert normalize("坐著等") == "坐着等"


def test_zhu_words_keep_zhe_zhu():
    for word in ("著名", "著作", "显著", "顯著", "土著", "名著", "著称", "原著"):
        assert "著" in normalize(word), word
    assert normalize("著名作家開著車") == "著名作家开着车"


def test_long_numbers_are_one_token_but_a_ticket_number_stays():
    from classifier.normalize import normalize

    assert normalize("电话13912345678 身份证11010519491231002X") == "电话 NUM 身份证 NUM"
    assert normalize("#1234567 怎么样了") == "#1234567 怎么样了"
    assert normalize("5号楼2单元501") == "5号楼2单元501"
