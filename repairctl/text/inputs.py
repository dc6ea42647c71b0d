"""What a clerk types, checked: free text and phone numbers, with one-line reasons."""

from __future__ import annotations

import re

from repairctl.errors import RepairError

MAX_TEXT = 1000
# what to show as an example when an option is left empty
EXAMPLES = {"--unit": "3栋1201", "--name": "张三", "--desc": "厨房水龙头漏水", "--to": "李师傅",
            "--reason": "业户自行修好", "--note": "已安排返修并回复业户"}
# Chinese numbers, once separators and a +86 are taken off: a mobile (11 digits from 13..19),
# a landline with its area code (0 + 9..11 digits), a local landline (7-8 digits, not 0 or 1
# first), or a 400/800 service line.
PHONE_FORMS = re.compile(r"^(1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}|[48]00\d{7})$")
PHONE_CHARACTERS = re.compile(r"^\+?[\d\- ()]+$")
# control characters (bar tab and newline) and the Unicode line separators: YAML readers turn
# some into spaces or line breaks, and none belongs in a slip
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def check_text(option: str, value: str | None, *, required: bool = False) -> str | None:
    """Free text with its spaces trimmed; refuse it empty (when required) or overlong."""
    text = (value or "").strip()
    if required and not text:
        example = f", e.g. {option} {EXAMPLES[option]}" if option in EXAMPLES else ""
        raise RepairError(f"{option} is empty; give a value{example}")
    if found := CONTROL.search(text):
        raise RepairError(f"{option} holds the control character U+{ord(found.group()):04X}; type it again without it")
    if len(text) > MAX_TEXT:
        raise RepairError(f"{option} is {len(text)} characters long; keep it under {MAX_TEXT}")
    return text or None


def check_phone(phone: str, option: str = "--phone") -> str:
    """Return a phone number as typed, or refuse one that cannot be dialled in China."""
    phone = phone.strip()
    if phone.startswith("+") and not phone.startswith("+86"):
        valid = 8 <= len(re.sub(r"\D", "", phone)) <= 15  # an owner's foreign number, as E.164 allows
    else:
        valid = PHONE_FORMS.match(phone_digits(phone)) is not None
    if not PHONE_CHARACTERS.match(phone) or not valid:
        raise RepairError(f"{option} {phone!r} is not a phone number; write a mobile like 13812345678 "
                          "or a landline like 0755-12345678")
    return phone


def unit_key(unit) -> str:
    """A unit as the desk compares them: '3栋 1201' and '3栋1201' are one unit."""
    return "".join(str(unit or "").split())


def phone_digits(phone) -> str:
    """A phone's digits, without a +86 / 86 country code: two ways of writing one number give one answer."""
    number = re.sub(r"\D", "", str(phone or ""))
    return number[2:] if number.startswith("86") and len(number) == 13 else number
