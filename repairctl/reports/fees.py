"""`fees`: the orders that charge a fee, each with its state (due, paid, waived), and the totals the
finance desk books: 应收, 实收, 减免 and 未收.

With --month, the orders received in that month's report period, as `monthly` counts them (with
office.yaml report.cutoff_day: 20, the finance period of 003 §4.1.3.2, the 21st to the 20th); without,
every month. The orders come from the office's cache, as `list` reads them: only the finished ones
are taken from it (an open order has no fee yet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from repairctl.office.folder import Office
from repairctl.orders import lifecycle, payments, query
from repairctl.reports import stats
from repairctl.text import cjk, clock, money, terms
from repairctl.text.i18n import _

COLUMNS = ("id", "unit", "finished", "state", "fee", "waived", "paid", "receipt", "method", "paid_at")
CHARGED = ("due", "paid", "waived")  # the fee states `fees` lists; --unpaid: due alone


def rows(office: Office, month: str | None = None, *, unpaid: bool = False) -> list[dict]:
    """One row per order charging a fee (or waiving it), oldest first; unpaid: only those still due."""
    marks = ",".join("?" * len(lifecycle.FINISHED))
    where, params = f"status IN ({marks})", [*lifecycle.FINISHED]
    start = end = None
    if month:
        start, end = stats.period(month, office.tz, stats.cutoff_day(office.config))
        months = sorted({f"{start:%Y-%m}", f"{end - dt.timedelta(seconds=1):%Y-%m}"})
        where += f" AND month IN ({','.join('?' * len(months))})"
        params += months
    if unpaid:  # a fee still due has its open payment clock: read those orders, not every finished one
        where += " AND path IN (SELECT path FROM clocks WHERE kind = 'payment')"
    found = []
    for order in query.iter_orders(office, where, tuple(params)):
        if start and not start <= order.received < end:
            continue
        state = payments.fee_state(order)
        if state in (("due",) if unpaid else CHARGED):
            found.append(_row(order, state))
    return found


def _row(order, state: str) -> dict:
    payment = order.get("payment") or {}
    return {"id": order.id, "unit": str(order.get("unit") or ""), "finished": order.time_of("finished", last=False),
            "state": state, "fee": order.amount_due, "waived": money.fen(order.waived),
            "paid": payments.paid_amount(order), "receipt": payment.get("receipt"), "method": payment.get("method"),
            "paid_at": order.time_of("paid", last=False)}


def totals(found: Iterable[dict]) -> dict:
    """应收 (due, after waivers), 实收 (paid), 减免 (waived) and 未收 (still due) of the rows."""
    found = list(found)

    def add(key):
        return money.fen(sum((row[key] for row in found), Decimal(0)))

    due, paid = add("fee"), add("paid")
    return {"orders": len(found), "due": due, "collected": paid, "waived": add("waived"), "outstanding": due - paid}


def summary(found: list[dict], month: str | None, unpaid: bool) -> dict:
    """The JSON of `fees`: what was asked, the rows, the totals."""
    return {"month": month, "unpaid": unpaid, "orders": found, "totals": totals(found)}


def text(found: list[dict], month: str | None, unpaid: bool) -> str:
    """The terminal table of `fees`, with its totals under it; a sentence when none."""
    if not found:
        if unpaid:
            return _("no fee is unpaid in {month}").format(month=month) if month else _("no fee is unpaid")
        return _("no fee was charged in {month}").format(month=month) if month else _("no fee was charged yet")
    headers = [terms.shown(terms.FEES, c) for c in COLUMNS]
    body = [[row["id"], row["unit"], clock.show(row["finished"]), terms.shown(terms.FEE_STATE, row["state"]),
             money.shown(row["fee"]), money.shown(row["waived"]) if row["waived"] else "",
             money.shown(row["paid"]) if row["state"] == "paid" else "", row["receipt"] or "",
             terms.shown(terms.PAY_METHOD, row["method"]), clock.show(row["paid_at"])] for row in found]
    sums = totals(found)
    line = "  ".join(f"{terms.shown(terms.MEASURE, key)} {money.shown(sums[key])}"
                     for key in ("due", "collected", "waived", "outstanding"))
    return "\n".join([cjk.table(headers, body), "", line])
