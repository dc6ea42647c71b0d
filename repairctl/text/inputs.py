"""What a clerk types, checked: free text and phone numbers, with one-line reasons.

Typed text is cleaned before it is checked or compared: characters nobody sees are taken out
(zero-width ones and the bidi controls, INVISIBLE), and in a one-line field (a unit, a name, a
phone) look-alikes are folded by NFKC: full-width digits and letters, the ideographic space. So
`１栋１０１` and `1栋` + U+200B + `101` are the unit 1栋101, to the duplicate and rework rules too
(unit_key). Multi-line text (a description, a note) keeps its full-width punctuation (，：（）),
which NFKC would turn into ASCII.
"""

from __future__ import annotations

import re
import unicodedata

from repairctl.errors import RepairError
from repairctl.text.i18n import N_, _

MAX_TEXT = 1000
# what to show as an example when an option is left empty
EXAMPLES = {"--unit": "3栋1201", "--name": "张三", "--desc": "厨房水龙头漏水", "--to": "李师傅",
            "--reason": "业户自行修好", "--note": "已安排返修并回复业户"}
# Chinese numbers, once separators and a +86 are taken off: a mobile (11 digits from 13..19),
# a landline with its area code (0 + 9..11 digits), a local landline (7-8 digits, not 0 or 1
# first), or a 400/800 service line.
PHONE_FORMS = re.compile(r"(1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}|[48]00\d{7})", re.ASCII)
PHONE_CHARACTERS = re.compile(r"\+?[\d\- ()]+", re.ASCII)
# a building number, the word or dash after it, a room number: the forms one unit is written in
# (after clean: a full-width －, digits and spaces are ASCII already); 楼 alone is a floor, not here
BUILDING_FORMS = re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座|-|—|–)(?P<room>\d+)室?", re.ASCII)
# control characters (bar tab and newline) and the Unicode line separators: YAML readers turn
# some into spaces or line breaks, and none belongs in a slip
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# what ends a line or pushes text along it: refused in a one-line field (a unit, a name, --by)
LINE_BREAKS = re.compile("[\t\n]")
# characters nobody sees: zero-width ones (U+200B-D, U+2060-4, U+FEFF) make two texts that look
# alike differ; bidi marks, embeddings, overrides and isolates (U+200E/F, U+202A-E, U+2066-9,
# U+061C) make a text read differently from what it holds
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u061c\ufeff]")
# their names as a refusal says them (Unicode's, lower case), marked to be said in the process's language
INVISIBLE_NAMES = (
    N_("zero width space"), N_("zero width non-joiner"), N_("zero width joiner"), N_("left-to-right mark"),
    N_("right-to-left mark"), N_("left-to-right embedding"), N_("right-to-left embedding"),
    N_("pop directional formatting"), N_("left-to-right override"), N_("right-to-left override"), N_("word joiner"),
    N_("function application"), N_("invisible times"), N_("invisible separator"), N_("invisible plus"),
    N_("left-to-right isolate"), N_("right-to-left isolate"), N_("first strong isolate"),
    N_("pop directional isolate"), N_("arabic letter mark"), N_("zero width no-break space"),
)
# all three at once, for the common case of text with none: one search instead of three
UNFIT = re.compile(f"{LINE_BREAKS.pattern}|{CONTROL.pattern}|{INVISIBLE.pattern}")


def clean(text: str, *, lines: bool = False) -> str:
    """Text with the invisible characters taken out and, in a one-line field, look-alikes folded (NFKC);
    in a multi-line one, Windows' and old Macs' line ends (a paste from Notepad) made plain line breaks."""
    if lines:
        return unicodedata.normalize("NFC", INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    return unicodedata.normalize("NFKC", INVISIBLE.sub("", text))


def check_text(option: str, value: str | None, *, required: bool = False, lines: bool = False) -> str | None:
    """Typed text, cleaned and trimmed; refuse it empty (when required), overlong, or holding a control
    character. A one-line field (lines False: a unit, a name, --by, --to) refuses a line break or tab too.
    """
    text = clean(value or "", lines=lines).strip()
    if required and not text:
        if option in EXAMPLES:
            raise RepairError(_("{option} is empty; give a value, e.g. {option} {example}")
                              .format(option=option, example=EXAMPLES[option]))
        raise RepairError(_("{option} is empty; give a value").format(option=option))
    if why := fault(text, lines=lines):
        raise RepairError(f"{option} {why}")
    return text or None


def fault(text: str, *, lines: bool) -> str | None:
    """What makes text unfit for a field (one line, or lines allowed), said after the field's name; None if nothing.

    The one definition: `new` and the other commands refuse typed text by it (after clean()),
    and `check` the texts of an order file (the rule `characters` of orders/rules.py).
    """
    if len(text) <= MAX_TEXT and not UNFIT.search(text):
        return None
    if not lines and (found := LINE_BREAKS.search(text)):
        return (_("holds a line break; keep it to one line") if found.group() == chr(10)
                else _("holds a tab; keep it to one line"))
    if found := CONTROL.search(text):
        return _("holds the control character {code}; remove it").format(code=f"U+{ord(found.group()):04X}")
    if found := INVISIBLE.search(text):
        character = found.group()
        return (_("holds the invisible character {code} ({name}), which makes text differ from what it shows; "
                  "remove it").format(code=f"U+{ord(character):04X}", name=_(unicodedata.name(character, "?").lower())))
    if len(text) > MAX_TEXT:
        return _("is {length} characters long; keep it under {most}").format(length=len(text), most=MAX_TEXT)
    return None


def check_phone(phone: str, option: str = "--phone") -> str:
    """A phone number in its one stored form, or refuse one that cannot be dialled in China.

    Spaces, dashes, brackets, a +86 or 0086 and full-width digits are taken off or folded: a mobile
    is its 11 digits (13812345678), a landline with its area code 区号-号码 (0755-12345678, 010-…),
    any other Chinese number its digits; a foreign number (+44 …) is kept as typed.
    """
    typed = clean(phone).strip()
    foreign = typed.startswith("+") and not typed.startswith("+86")
    if foreign:
        valid = 8 <= len(re.sub(r"\D", "", typed)) <= 15  # an owner's foreign number, as E.164 allows
    else:
        valid = PHONE_FORMS.fullmatch(phone_digits(typed)) is not None
    if not PHONE_CHARACTERS.fullmatch(typed) or not valid:
        raise RepairError(_("{option} {value} is not a phone number; write a mobile like 13812345678 "
                            "or a landline like 0755-12345678").format(option=option, value=repr(typed)))
    return typed if foreign else phone_form(typed)


def phone_form(phone) -> str:
    """A Chinese number as stored: a mobile's 11 digits, a landline's 区号-号码, else its digits."""
    number = phone_digits(phone)
    if number.startswith("0") and len(number) >= 10:
        # Beijing (010) and the 02X cities have three-digit area codes; every other city four
        cut = 3 if number[1] in "12" else 4
        return f"{number[:cut]}-{number[cut:]}"
    return number


def unit_key(unit, forms: bool = False) -> str:
    """A unit as the desk compares them, typed or stored: '3栋 1201', '3栋1201', '３栋１２０１' and
    '3栋' + U+200B + '1201' are one unit; with forms (office.yaml units.same_building_forms) so are
    '3-1201', '3号楼1201' and '3幢1201', all '3-1201'."""
    key = "".join(clean(str(unit or "")).split())
    building = BUILDING_FORMS.fullmatch(key) if forms else None
    return f"{building['building']}-{building['room']}" if building else key


def phone_digits(phone) -> str:
    """A phone's digits, without a +86 / 86 country code: two ways of writing one number give one answer."""
    typed = clean(str(phone or "")).strip()
    number = re.sub(r"\D", "", typed, flags=re.ASCII)
    if typed.startswith(("+86", "0086")) or (number.startswith("86") and len(number) == 13):
        number = number[4:] if typed.startswith("0086") else number[2:]
        # +86 755 … drops the trunk 0 of the area code: put it back, so both ways of writing agree
        if not re.match(r"0|1[3-9]\d{9}$|[48]00\d{7}$", number) and len(number) >= 9:
            number = "0" + number
    return number
