"""Masking before text reaches a group: personal data goes, place granularity stays."""

from __future__ import annotations

import pytest

from handlers.privacy import mask_personal_data, normalise_digits, redact_for_log, short_hash


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        # Mobiles, in the shapes residents type them.
        ("我的电话13812345678", "我的电话138****5678"),
        ("电话：138 1234 5678，谢谢", "电话：138****5678，谢谢"),
        ("电话138-1234-5678", "电话138****5678"),
        ("+86 13812345678", "+86 138****5678"),
        ("+8615900001111请回电", "+86159****1111请回电"),
        ("手机１３８１２３４５６７８", "手机138****5678"),
        (
            "联系人：王阿姨 19912345678、李师傅 17788889999",
            "联系人：王阿姨 199****5678、李师傅 177****9999",
        ),
        # Landlines with area codes.
        ("座机010-12345678", "座机010-****5678"),
        ("01012345678", "010-****5678"),
        ("座机0571 8888 6666", "座机0571 ****6666"),
        ("(021)62345678转123", "(021)****5678转***"),
        ("（０２１）６２３４５６７８", "（021）****5678"),
        ("物业0755-8888 6666-8001", "物业0755-****6666-***"),
        # ID cards, 18 and 15 digits.
        ("身份证110105199003071234", "身份证110*************34"),
        ("身份证号：11010519900307123x。", "身份证号：110*************3x。"),
        ("老身份证110105900307123", "老身份证110**********23"),
        # Bank cards.
        ("银行卡6222021234567890123", "银行卡6222***********0123"),
        ("卡号6217 0000 1234 5678", "卡号6217 **** **** 5678"),
        # Door numbers: building and unit stay, the door goes.
        ("3号楼2单元501", "3号楼2单元***"),
        ("3号楼2单元501室漏水", "3号楼2单元***漏水"),
        ("3号楼 2单元 501", "3号楼 2单元***"),
        ("5栋1202室", "5栋***"),
        ("5栋1202", "5栋***"),
        ("住在501室", "住在***室"),
        ("2-3-501的住户", "2-3-***的住户"),
        ("12栋3单元1203号", "12栋3单元***"),
        ("B座1203噪音扰民", "B座***噪音扰民"),
        ("三号楼二单元602", "三号楼二单元***"),
        ("１２栋３单元１２０３", "12栋3单元***"),
        (
            "5栋1202室门口有垃圾，电话13812345678",
            "5栋***门口有垃圾，电话138****5678",
        ),
    ],
)
def test_masks(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


@pytest.mark.parametrize(
    "text",
    [
        "3号楼",
        "3号楼2单元",
        "幸福里小区3号楼东侧",
        "2026年11月22日",
        "2026-11-22 8点",
        "明天8点，下午3点半",
        "12路公交站牌坏了",
        "幸福路88号",
        "3室2厅100平米",
        "5栋12层",
        "投诉热线12345",
        "报警110，火警119",
        "房价500万",
        "10:30开会",
        "共有1202户",
        "3号楼2单元10户居民停水",
        "3号楼2单元12点集合",
        "5栋100平米的房子",
        "3号楼200名居民签字",
        "2单元30位老人",
        "第2026号文件",
        "400-123-4567",
        "工单#1024已办结",
        "温度-5度",
        "京A12345",
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_full_width_digits_are_normalised() -> None:
    assert normalise_digits("３号楼２单元") == "3号楼2单元"
    assert normalise_digits("，。！") == "，。！"  # Chinese punctuation stays
    assert mask_personal_data("２０２６年１１月２２日") == "2026年11月22日"


def test_masked_text_keeps_length_of_surrounding_text() -> None:
    text = "请到3号楼2单元501处理，" * 3
    assert mask_personal_data(text) == "请到3号楼2单元***处理，" * 3


def test_redact_for_log_gives_no_content() -> None:
    text = "张女士13812345678反映3号楼2单元501漏水"
    redacted = redact_for_log(text)
    assert "138" not in redacted and "漏水" not in redacted and "501" not in redacted
    assert f"chars={len(text)}" in redacted
    assert short_hash(text) in redacted
    assert redact_for_log(text) == redacted  # stable, so log lines can be correlated
    assert redact_for_log(None) == "<none>"
