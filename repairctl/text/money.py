"""Money: amounts in yuan as exact decimals, from what a clerk types or a file holds to every figure.

No float ever takes part in a sum (beancount's rule: never floating point in accounting).

- ``parse``: an amount a clerk typed: zero or more, at most a million, at most two decimals; ¥35,
  35元, 35块 and full-width ３５ are 35.
- ``read``: an amount as a loaded file holds it (an int, a float from YAML, a string, None), exactly.
  A YAML float is read through its shortest repr, which gives back the digits written for any
  number of up to 15 significant digits: every amount the desk writes (≤ 1,000,000, two decimals).
- ``line`` and ``total``: a material line (qty × unit price, to the fen) and materials + labour.
- ``written``: the one form of an amount in an order file: a plain number with the digits it
  needs (35, 35.5, 12.35), never through float and never with an exponent.
- ``fen``, ``figure`` and ``shown``: an amount rounded to the fen (四舍五入), as a Decimal, as the
  two-decimal text exports and JSON write (1234.00), and as every person reads it: the terminal, the
  slip and the commit message, like the workbook's #,##0.00 (1,234.00).

Here, in the lowest layer, because the YAML writer (store), the orders, the reports and the
command line's types all need it; it imports nothing of repairctl but its errors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from repairctl.errors import OfficeError
from repairctl.text.i18n import N_, _

MAX = Decimal(1_000_000)  # no repair job costs a million yuan: a typo
FEN = Decimal("0.01")
ZERO = Decimal(0)


# what a keyboard puts around an amount in yuan: ¥35 (￥ folds to ¥), 35元, 35块 (钱), 35圆
# 35, 35.5, .5, 1,200.50 (grouped as amounts are shown): what a person writes
PLAIN = re.compile(r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)")
YUAN = re.compile(r"¥?\s*(?P<number>[^¥元块圆钱]*?)\s*(?:元|块钱?|圆)?")


def parse(text: str, what: str = N_("amount"), *, yuan: bool = True) -> Decimal:
    """A non-negative amount of money (yuan True: ¥35, 35元, 35块 and full-width ３５ too) or quantity
    a person typed, or a ValueError saying why not."""
    typed = unicodedata.normalize("NFKC", str(text)).strip()  # ３５．５ is 35.5
    what = _(what)  # the default, marked above; a caller's own word comes translated already
    if yuan and (match := YUAN.fullmatch(typed)):
        typed = match["number"]
    try:  # digits and one point only: Decimal would also take nan, inf and 1e3, which no one types for yuan
        amount = Decimal(typed.replace(",", "")) if PLAIN.fullmatch(typed) else Decimal("x")
    except InvalidOperation:
        wrong = (_("{what} {value} is not a number; write it like 35, 35.5, 35元 or ¥35") if yuan
                 else _("{what} {value} is not a number; write it like 1, 2 or 0.5"))
        raise ValueError(wrong.format(what=what, value=repr(text))) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(_("{what} {value} must be zero or more").format(what=what, value=repr(text)))
    if amount > MAX:
        raise ValueError(_("{what} {value} is more than {most}; check the number")
                         .format(what=what, value=repr(text), most=MAX))
    if amount != round(amount, 2):
        raise ValueError(_("{what} {value} has more than two decimals").format(what=what, value=repr(text)))
    return Decimal(written(amount))  # -0 is 0: the digits it is written with


def read(value) -> Decimal:
    """An amount from a loaded file or the cache, exactly as written there; None (absent) is 0."""
    if value is None or value == "":
        return ZERO
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, bool):  # an int to Python, but `labour: true` is no amount
        amount = Decimal("NaN")
    else:
        try:
            # str of a float is its shortest repr: 12.35 for the float YAML read from `12.35`
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            amount = Decimal("NaN")
    if not amount.is_finite():
        raise OfficeError(_("amount {value} is not a number; `repairctl check` shows the file and line")
                          .format(value=repr(value)))
    return amount


def line(qty: Decimal, unit_price: Decimal) -> Decimal:
    """The amount of one material line: quantity times unit price, to the fen."""
    return fen(qty * unit_price)


def total(materials: Iterable[tuple[Decimal, Decimal]], labour: Decimal | None = None) -> Decimal:
    """Materials (each (qty, unit_price), a line to the fen) plus labour, before any waiver."""
    return sum((line(qty, price) for qty, price in materials), ZERO) + (labour or ZERO)


def fen(amount: Decimal) -> Decimal:
    """An amount rounded to the fen, half up (四舍五入, as a receipt and Excel's ROUND do)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def figure(amount: Decimal) -> str:
    """An amount as JSON and CSV write it, for a program to read: two decimals, 12.35 or 1234.00."""
    return str(fen(amount))


def shown(amount: Decimal) -> str:
    """An amount as a person reads it everywhere (terminal, slip, commit message; the workbook's
    #,##0.00): two decimals, thousands grouped, 12.35 or 1,234.00."""
    return f"{fen(amount):,.2f}"


def written(amount: Decimal) -> str:
    """An amount (or quantity) as an order file holds it: the digits it needs, 35, 35.5 or 12.35."""
    if amount == 0:
        return "0"
    return f"{amount.normalize():f}"
