"""Masking of personal data before text leaves for a group, another resident or a log.

Grid groups hold dozens of neighbours; a complaint often carries the reporter's phone number or
exact flat. Group-bound text is masked so a building / unit stays visible (the grid worker needs
it) while the door, the phone and the ID are not. Logs get no text at all, only a length and a
short hash (:func:`redact_for_log`).

How: the patterns run on a *shadow* of the text, never on the text itself. The shadow is the text
normalised for detection: zero-width and other invisible characters dropped, NFKC applied per
character (full-width digits and spaces, circled and superscript digits, full-width hyphens), any
script's decimal digits made ASCII, and Chinese numerals turned into digits (五零一 → 501, digit by
digit, and 五百零一 → 501, 十二 → 12, positionally). Every shadow character remembers which
characters of the original it came from, so a match is mapped back and only the matched span is
replaced; everything around it stays exactly as written (a message's full-width punctuation, its
full-width digits in dates, its Chinese numerals in a building name).

Two callers, two rules:

* :func:`mask_personal_data` — anything a resident wrote: phones (mobile and landline), ID and bank
  numbers, exact doors.
* :func:`mask_staff_text` — what staff wrote (notices, answers, knowledge entries). Official numbers
  stay: landlines with an area code (an office's 0532-88886666), hotlines (12345, 400-…, 95…) and
  office rooms written on their own (社区服务站201室, 3楼205). Still masked: mobiles (unless the
  caller names them as official, e.g. the author's published duty phone), ID and bank numbers, and
  doors inside a residential address (3号楼2单元501, 5栋1202, 房号1202). Why: an office is reached by
  a landline, a hotline or a room; a mobile or a residential door in staff text is nearly always a
  resident's, relayed while handling their case, and it would reach the whole group.

The patterns stay conservative about short numbers: "3号楼", "12路公交", "8点", "2026年11月22日",
amounts and hotlines like 12345 are left alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["mask_personal_data", "mask_staff_text", "masked_excerpt", "normalise_digits", "redact_for_log",
           "short_hash"]

# Full-width digits and the few punctuation marks that appear inside numbers (kept for callers that
# want a display form; masking itself works on the shadow below).
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "－": "-",
        "＋": "+",
    }
)

# --- the shadow -------------------------------------------------------------------------------

# Chinese digits, read one by one (phones and doors are dictated digit by digit: 幺三九…, 五零一),
# with the financial forms (壹贰叁…) and the white circle often written for zero (二○二六).
_CN_DIGITS = {
    "零": "0", "〇": "0", "○": "0", "洞": None, "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2", "贰": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "七": "7", "柒": "7",
    "八": "8", "捌": "8", "九": "9", "玖": "9",
}
# 洞 (radio slang for 0) is deliberately not a digit: "路面有个洞" is far more common.
_CN_DIGITS = {k: v for k, v in _CN_DIGITS.items() if v is not None}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# Invisible characters: zero-width space/joiners, BOM, soft hyphen, bidi controls, variation
# selectors, the keycap mark of 1️⃣ — general categories Cf, Mn, Me.
_DROP = ("Cf", "Mn", "Me")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """What one character is in the shadow: '' (dropped), itself, or its detection form."""
    if ch < "\x80":
        return ch
    if ch in _CN_DIGITS:
        return _CN_DIGITS[ch]
    category = unicodedata.category(ch)
    if category in _DROP:
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    folded = unicodedata.normalize("NFKC", ch)
    if folded == ch:
        digit = unicodedata.digit(ch, None)  # ❶ and other digits NFKC leaves alone
        return str(digit) if digit is not None else ch
    out = []
    for c in folded:
        if unicodedata.category(c) in _DROP:
            continue
        out.append(str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c)
    return "".join(out)


# A run with a Chinese unit character, after the digits were folded: 5百01 (五百零一), 十2, 2十2.
_POSITIONAL = re.compile(r"[0-9十拾百佰千仟]*[十拾百佰千仟][0-9十拾百佰千仟]*")


def _positional_value(run: str) -> str | None:
    """'5百01' → '501', '十2' → '12', '1千2百02' → '1202'; None if it is not one number."""
    total, current, last_unit, previous_digit = 0, None, 10_000, False
    for ch in run:
        if ch.isdigit():
            if previous_digit and current != 0:
                return None  # two digits in a row only after a zero (五百零一)
            current, previous_digit = int(ch), True
            continue
        unit = _CN_UNITS[ch]
        if unit >= last_unit:
            return None
        if current is None:
            if unit != 10 or total:
                return None
            current = 1  # 十二 = 12
        total += current * unit
        current, last_unit, previous_digit = None, unit, False
    return str(total + (current or 0))


@dataclass
class _Shadow:
    chars: list[str]
    start: list[int]  # original index where shadow char k begins
    end: list[int]  # original index just past it

    @classmethod
    def of(cls, text: str) -> _Shadow:
        chars: list[str] = []
        start: list[int] = []
        end: list[int] = []
        for i, ch in enumerate(text):
            for c in _fold(ch):
                chars.append(c)
                start.append(i)
                end.append(i + 1)
        shadow = cls(chars, start, end)
        shadow._positional()
        return shadow

    def _positional(self) -> None:
        joined = "".join(self.chars)
        if not any(u in joined for u in _CN_UNITS):
            return
        for m in reversed(list(_POSITIONAL.finditer(joined))):
            value = _positional_value(m.group())
            if value is None:
                continue
            s, e = m.span()
            first, last = self.start[s], self.end[e - 1]
            self.chars[s:e] = list(value)
            self.start[s:e] = [first] * len(value)
            self.end[s:e] = [last] * len(value)

    @property
    def text(self) -> str:
        return "".join(self.chars)


# --- patterns (on the shadow) ------------------------------------------------------------------

# Between the digits of one number: spaces (full-width ones are spaces in the shadow), dashes, dots.
_SEP = r"(?:[ \t\-.·・_—–]{1,3})?"
_ID18 = re.compile(rf"(?<![0-9A-Za-z])(?P<d>[0-9](?:{_SEP}[0-9]){{16}}{_SEP}[0-9Xx])(?![0-9A-Za-z])")
_ID15 = re.compile(rf"(?<![0-9A-Za-z])(?P<d>[0-9](?:{_SEP}[0-9]){{14}})(?![0-9A-Za-z])")
# Bank cards: 16-19 digits (never a leading 0), optionally grouped by 4.
_BANK = re.compile(rf"(?<![0-9])[1-9][0-9]{{3}}(?:{_SEP}[0-9]{{4}}){{3}}(?:{_SEP}[0-9]{{1,3}})?(?![0-9])")
# Mainland mobiles with any grouping (139 1234 5678, 13912 345678, 139.1234.5678), optionally
# after +86 / 0086 / 86 / (+86), or the 0 dialled before a mobile from a landline in another city.
_MOBILE = re.compile(
    rf"(?<![0-9])(?P<cc>\(?(?:\+|00)?86\)?{_SEP}|0)?(?P<num>1{_SEP}[3-9](?:{_SEP}[0-9]){{9}})(?![0-9])"
)
# Landlines with an area code (010 / 02x, or 0 + three digits): 010-12345678, 0571 8888 6666,
# (021)62345678, with an extension.
_LANDLINE = re.compile(
    r"(?<![0-9])(?P<area>\((?:0(?:10|2[0-9])|0[3-9][0-9]{2})\)|0(?:10|2[0-9])|0[3-9][0-9]{2})"
    rf"(?P<sep>{_SEP})(?P<num>[0-9]{{3,4}}{_SEP}[0-9]{{4}})(?P<ext>(?:-|转|ext\.?)[0-9]{{1,5}})?(?![0-9])"
)

_SP = r"[ \t]*"
_BUILDING = rf"(?:[0-9]{{1,4}}|[A-Za-z]){_SP}(?:号楼|号院|栋|幢|座|#楼|号)"
_UNIT = rf"[0-9]{{1,2}}{_SP}单元"
_FLOOR = rf"[0-9]{{1,2}}{_SP}(?:楼|层)"
_ROOM_SUFFIX = r"(?:室|号房|号|房间|房(?![源价租产贷屋子]))"
# Room numbers never read as floors, metres, money, people or times; nor as the start of a date
# (2026-11-22, 2026/11/22), a time (1300:…) or a decimal (1380.5). "501-502" is two rooms.
_ROOM_END = (
    r"(?![0-9层楼米元块人户栋幢座号年月日点时分秒路平万千百个名位次辆天岁斤吨期届%])"
    r"(?![-/.][0-9]{1,2}(?![0-9]))(?!:[0-9])"
    # "1号楼 400-123-4567": the hotline's first group, not room 400.
    r"(?![-/][0-9]{3,4}[-/][0-9]{4})"
)
# "3号楼2单元501(室)", "5栋1202室", "B座1203", "3号楼5楼501": keep building / unit / floor.
_DOOR_WITH_UNIT_SUFFIXED = re.compile(
    rf"(?P<keep>(?:{_BUILDING}{_SP})?{_UNIT}(?:{_SP}{_FLOOR})?){_SP}[0-9]{{2,4}}{_SP}{_ROOM_SUFFIX}"
)
_DOOR_WITH_UNIT = re.compile(rf"(?P<keep>(?:{_BUILDING}{_SP})?{_UNIT}(?:{_SP}{_FLOOR})?){_SP}[0-9]{{2,4}}{_ROOM_END}")
_DOOR_IN_BUILDING_SUFFIXED = re.compile(
    rf"(?P<keep>{_BUILDING}(?:{_SP}{_FLOOR})?){_SP}[0-9]{{3,4}}{_SP}{_ROOM_SUFFIX}"
)
_DOOR_IN_BUILDING = re.compile(rf"(?P<keep>{_BUILDING}(?:{_SP}{_FLOOR})?){_SP}[0-9]{{3,4}}{_ROOM_END}")
# "房号1202", "门牌号：1202".
_DOOR_LABELLED = re.compile(r"(?P<keep>(?:房号|房间号|门牌号|门牌|室号)[:是为]?" + _SP + r")[0-9]{3,4}(?![0-9])")
# "2-3-501": building-unit-room.
_DOOR_DASHED = re.compile(r"(?<![0-9-])(?P<keep>[0-9]{1,3}-[0-9]{1,2}-)[0-9]{3,4}(?![0-9-])")
# "5楼501", "5层1202": floor then room.
_DOOR_AFTER_FLOOR = re.compile(rf"(?P<keep>(?<![0-9号])[0-9]{{1,2}}{_SP}(?:楼|层)){_SP}[0-9]{{3,4}}{_ROOM_END}")
# More rooms after a masked one: "501、502", "501-502", "501和502室".
_DOOR_LIST = re.compile(rf"(?P<keep>\*+{_SP}(?:[、,/~-]|和|及|与|至|到){_SP})[0-9]{{2,4}}(?:{_ROOM_SUFFIX}|{_ROOM_END})")
# Bare "501室" / "501房(间)": the number goes, the word stays.
_DOOR_BARE = re.compile(rf"(?<![0-9*])[0-9]{{3,4}}(?={_SP}(?:室|号房|房间|房(?![源价租产贷屋子])))")


def _digits(s: str) -> str:
    return re.sub(r"[^0-9Xx]", "", s)


def _valid_id(d: str) -> bool:
    """Region, birth date and length of a resident ID (18 digits, or the old 15)."""
    if d[0] == "0":
        return False
    if len(d) == 18:
        year, month, day = d[6:10], int(d[10:12]), int(d[12:14])
        return year[:2] in ("18", "19", "20") and 1 <= month <= 12 and 1 <= day <= 31 and d[:17].isdigit()
    month, day = int(d[8:10]), int(d[10:12])
    return len(d) == 15 and d.isdigit() and 1 <= month <= 12 and 1 <= day <= 31


class _Masker:
    """One text's shadow, the spans to replace, and what to put there."""

    def __init__(self, text: str):
        self.text = text
        self.shadow = _Shadow.of(text)
        self.spans: list[tuple[int, int, str]] = []  # original start, end, replacement

    @property
    def has_digits(self) -> bool:
        """Every pattern needs a digit; most chat lines have none."""
        return any(c.isdigit() for c in self.shadow.chars)

    def original(self, s: int, e: int) -> str:
        """The original characters behind shadow range s..e, as written."""
        return self.text[self.shadow.start[s]:self.shadow.end[e - 1]]

    def display(self, s: int, e: int) -> str:
        """Shadow range s..e as shown in a replacement: digits in ASCII, anything else as written."""
        out, last = [], -1
        for k in range(s, e):
            c = self.shadow.chars[k]
            if c.isdigit():
                out.append(c)
            elif self.shadow.start[k] != last:
                out.append(self.text[self.shadow.start[k]:self.shadow.end[k]])
            last = self.shadow.start[k]
        return "".join(out)

    def apply(self, pattern: re.Pattern[str], render: Callable[[re.Match[str]], str | None],
              keep_group: str | None = None) -> None:
        """Replace each match (after its `keep` group, if any) by render(match); None skips it."""
        joined, pos, found = self.shadow.text, 0, []
        while (m := pattern.search(joined, pos)) is not None:
            replacement = render(m)
            if replacement is None:
                pos = m.start() + 1  # not this one; a later start may still match
                continue
            s = m.end(keep_group) if keep_group else m.start()
            if s < m.end():
                found.append((s, m.end(), replacement))
            pos = max(m.end(), pos + 1)
        for s, e, replacement in found:
            end = self.shadow.end[e - 1]
            while end < len(self.text) and not _fold(self.text[end]):
                end += 1  # invisible marks after the last digit (the keycap of 8️⃣) go with it
            self.spans.append((self.shadow.start[s], end, replacement))
            # Masked characters cannot be matched again by a later pattern.
            self.shadow.chars[s:e] = ["*"] * (e - s)

    def apply_repeatedly(self, pattern: re.Pattern[str], render: Callable[[re.Match[str]], str | None],
                         keep_group: str | None = None, times: int = 8) -> None:
        """For patterns that build on an earlier mask (a list of rooms): until nothing more matches."""
        for _ in range(times):
            before = len(self.spans)
            self.apply(pattern, render, keep_group)
            if len(self.spans) == before:
                return

    def result(self) -> str:
        out, at = [], 0
        for start, end, replacement in sorted(self.spans):
            if start < at:
                continue
            out.append(self.text[at:start])
            out.append(replacement)
            at = end
        out.append(self.text[at:])
        return "".join(out)

    # --- renderers -----------------------------------------------------------------------------
    @staticmethod
    def _middle(digits: str, keep_start: int, keep_end: int) -> str:
        return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[len(digits) - keep_end:]

    def render_id(self, m: re.Match[str]) -> str | None:
        d = _digits(m.group("d"))
        return self._middle(d, 3, 2) if _valid_id(d) else None

    def render_bank(self, m: re.Match[str]) -> str:
        s, e = m.span()
        shown = self.display(s, e)
        positions = [i for i, ch in enumerate(shown) if ch.isdigit()]
        hidden = set(positions[4:-4])
        return "".join("*" if i in hidden else ch for i, ch in enumerate(shown))

    def render_mobile(self, m: re.Match[str]) -> str:
        cc = self.display(*m.span("cc")) if m.group("cc") else ""
        return cc + self._middle(_digits(m.group("num")), 3, 4)

    def render_landline(self, m: re.Match[str]) -> str:
        area = self.display(*m.span("area"))
        sep = self.display(*m.span("sep"))
        if not sep and not area.startswith(("(", "（")):
            sep = "-"  # "01012345678" reads better as "010-****5678"
        ext = self.display(*m.span("ext"))[:1] + "***" if m.group("ext") else ""
        return f"{area}{sep}{self._middle(_digits(m.group('num')), 0, 4)}{ext}"


def _stars(_: re.Match[str]) -> str:
    return "***"


_NUMBERS = (  # long numbers first, so a phone pattern never eats part of an ID or a card number
    (_ID18, "render_id"), (_ID15, "render_id"), (_BANK, "render_bank"), (_MOBILE, "render_mobile"),
)
# Doors: suffixed forms ("501室") first so the suffix is consumed with the number.
_RESIDENTIAL_DOORS = (
    _DOOR_WITH_UNIT_SUFFIXED, _DOOR_WITH_UNIT, _DOOR_IN_BUILDING_SUFFIXED, _DOOR_IN_BUILDING, _DOOR_LABELLED,
    _DOOR_DASHED,
)


def mask_personal_data(text: str) -> str:
    """Mask phones, ID/bank numbers and exact door numbers in what a resident wrote.

    Building / unit / floor stay, and so does everything outside a masked span, exactly as written.
    """
    if not text:
        return text
    masker = _Masker(text)
    if not masker.has_digits:
        return text
    for pattern, render in _NUMBERS:
        masker.apply(pattern, getattr(masker, render))
    masker.apply(_LANDLINE, masker.render_landline)
    for pattern in _RESIDENTIAL_DOORS:
        masker.apply(pattern, _stars, keep_group="keep")
    masker.apply(_DOOR_AFTER_FLOOR, _stars, keep_group="keep")
    masker.apply(_DOOR_BARE, _stars)
    masker.apply_repeatedly(_DOOR_LIST, _stars, keep_group="keep")
    return masker.result()


def mask_staff_text(text: str, keep_numbers: Iterable[str] = ()) -> str:
    """Mask what staff wrote: official numbers stay, a resident's numbers do not (see the module doc).

    keep_numbers: mobiles that are official and may be published as written (digits only or any
    grouping), e.g. the author's own duty phone or the community's published one.
    """
    if not text:
        return text
    official = {_digits(n)[-11:] for n in keep_numbers if n}
    masker = _Masker(text)
    if not masker.has_digits:
        return text
    masker.apply(_ID18, masker.render_id)
    masker.apply(_ID15, masker.render_id)
    masker.apply(_BANK, masker.render_bank)

    def mobile(m: re.Match[str]) -> str:
        # An official mobile is still "used up" (replaced by itself), so no later pattern reads into it.
        return masker.original(*m.span()) if _digits(m.group("num")) in official else masker.render_mobile(m)

    masker.apply(_MOBILE, mobile)
    for pattern in _RESIDENTIAL_DOORS:
        masker.apply(pattern, _stars, keep_group="keep")
    masker.apply_repeatedly(_DOOR_LIST, _stars, keep_group="keep")
    return masker.result()


def masked_excerpt(text: str | None, limit: int) -> str:
    """A resident's text for a push, masked first and cut after: a phone number across the cut
    would otherwise leave its first digits unmasked ("电话1391234…")."""
    return mask_personal_data(text or "")[:limit]


def normalise_digits(text: str) -> str:
    """Turn full-width digits (and - +) into ASCII, leaving every other character as it is."""
    return text.translate(_FULLWIDTH)


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
