"""Masking of residents' personal data before text leaves for a group or a log.

Grid groups hold dozens of neighbours; a complaint often carries the reporter's phone number or
exact flat. Group-bound text is masked so a building / unit stays visible (the grid worker needs
it) while the door, the phone and the ID are not. Logs get no text at all, only a length and a
short hash (:func:`redact_for_log`).

The patterns are deliberately conservative about short numbers: "3号楼", "12路公交", "8点",
"2026年11月22日" and hotlines like 12345 are left alone.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["mask_personal_data", "normalise_digits", "redact_for_log", "short_hash"]

# Full-width digits and the few punctuation marks that appear inside numbers. Only these are
# translated (not NFKC) so Chinese punctuation such as "，" and "。" stays as written.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "－": "-",
        "＋": "+",
    }
)

_CN_NUM = "一二三四五六七八九十百零〇两"

# 18-digit resident ID: region(6) + birth date yyyymmdd + sequence(3) + check digit.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"(?![0-9A-Za-z])"
)
# Old 15-digit ID: region(6) + yymmdd + sequence(3).
_ID15 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
# Bank cards: 16-19 digits (never a leading 0), optionally grouped by 4 with spaces or dashes.
_BANK = re.compile(r"(?<![\d-])[1-9]\d{3}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\d-])")
# Mainland mobiles, optionally +86 / 86 prefixed, optionally grouped 3-4-4.
_MOBILE = re.compile(
    r"(?<!\d)(?P<cc>(?:\+?86)[ -]?)?(?P<num>1[3-9]\d(?:[ -]?\d{4}){2})(?!\d)"
)
# Landlines with an area code (010 / 02x, or 0 + three digits): 010-12345678,
# 0571 8888 6666, (021)62345678, with an extension.
_LANDLINE = re.compile(
    r"(?<!\d)(?P<area>[(（](?:0(?:10|2\d)|0[3-9]\d{2})[)）]|0(?:10|2\d)|0[3-9]\d{2})(?P<sep>[ -]?)(?P<num>\d{3,4}[ -]?\d{4})"
    r"(?P<ext>(?:-|转)\d{1,5})?(?!\d)"
)

_BUILDING = rf"(?:[\d{_CN_NUM}]+|[A-Za-z])(?:号楼|栋|幢|座|号院|号)"
_UNIT = rf"[\d{_CN_NUM}]+单元"
# Room numbers never read as floors, metres, money or people.
_ROOM_END = (
    r"(?![\d层楼米元块人户栋幢座号年月日点时分秒路平万千百个名位次辆天岁斤吨期届%])"
)
# "3号楼2单元501(室)" -> keep building + unit.
_DOOR_WITH_UNIT = re.compile(
    rf"(?P<keep>{_BUILDING}\s*{_UNIT}|{_UNIT})\s*\d{{2,4}}(?:室|号)?{_ROOM_END}"
)
_DOOR_WITH_UNIT_SUFFIXED = re.compile(
    rf"(?P<keep>{_BUILDING}\s*{_UNIT}|{_UNIT})\s*\d{{2,4}}(?:室|号)"
)
# "5栋1202室" / "B座1203" -> keep building.
_DOOR_IN_BUILDING = re.compile(
    rf"(?P<keep>{_BUILDING})\s*\d{{3,4}}(?:室|号)?{_ROOM_END}"
)
_DOOR_IN_BUILDING_SUFFIXED = re.compile(rf"(?P<keep>{_BUILDING})\s*\d{{3,4}}(?:室|号)")
# Bare "501室".
_DOOR_BARE = re.compile(r"(?<![\d*])\d{3,4}(?=室)")
# "2-3-501": building-unit-room.
_DOOR_DASHED = re.compile(r"(?<![\d-])(?P<keep>\d{1,3}-\d{1,2}-)\d{3,4}(?![\d-])")


def normalise_digits(text: str) -> str:
    """Turn full-width digits (and - +) into ASCII so one set of patterns covers both.

    Full-width brackets stay as they are: they are ordinary Chinese punctuation in the
    bot's own sentences ("#1（下水排水）"), which masking must not rewrite.
    """
    return text.translate(_FULLWIDTH)


def _mask_middle(digits: str, keep_start: int, keep_end: int) -> str:
    return (
        digits[:keep_start]
        + "*" * (len(digits) - keep_start - keep_end)
        + digits[-keep_end:]
    )


def _mask_id(match: re.Match[str]) -> str:
    return _mask_middle(match.group(0), 3, 2)


def _mask_bank(match: re.Match[str]) -> str:
    raw = match.group(0)
    digit_positions = [i for i, ch in enumerate(raw) if ch.isdigit()]
    hidden = set(digit_positions[4:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(raw))


def _mask_mobile(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group("num"))
    return (match.group("cc") or "") + _mask_middle(digits, 3, 4)


def _mask_landline(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group("num"))
    area, sep, ext = match.group("area"), match.group("sep"), match.group("ext")
    if not sep and not area.startswith(("(", "（")):
        sep = "-"  # "01012345678" reads better as "010-****5678"
    masked_ext = ext[0] + "***" if ext else ""
    return f"{area}{sep}{_mask_middle(digits, 0, 4)}{masked_ext}"


def mask_personal_data(text: str) -> str:
    """Mask phones, ID/bank numbers and exact door numbers; keep building/unit granularity.

    Full-width digits are normalised to ASCII first, so the output uses ASCII digits.
    """
    if not text:
        return text
    out = normalise_digits(text)
    # Long numbers first so a phone pattern never eats part of an ID or card number.
    out = _ID18.sub(_mask_id, out)
    out = _ID15.sub(_mask_id, out)
    out = _BANK.sub(_mask_bank, out)
    out = _MOBILE.sub(_mask_mobile, out)
    out = _LANDLINE.sub(_mask_landline, out)
    # Doors: suffixed forms ("501室") first so the suffix is consumed with the number.
    for pattern in (
        _DOOR_WITH_UNIT_SUFFIXED,
        _DOOR_WITH_UNIT,
        _DOOR_IN_BUILDING_SUFFIXED,
        _DOOR_IN_BUILDING,
    ):
        out = pattern.sub(lambda m: m.group("keep") + "***", out)
    out = _DOOR_BARE.sub("***", out)
    out = _DOOR_DASHED.sub(lambda m: m.group("keep") + "***", out)
    return out


def short_hash(value: str) -> str:
    """A short, stable hash for correlating log lines without revealing the value.

    Kept at 8 hex digits on purpose: enough to tell targets apart in one log, too short to be
    a reliable reverse lookup of a phone number.
    """
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def redact_for_log(text: str | None) -> str:
    """What a log line may say about a message: its length and a short hash, never the text."""
    if text is None:
        return "<none>"
    return f"<text chars={len(text)} bytes={len(text.encode('utf-8'))} h={short_hash(text)}>"
