"""What a close must bring besides the work and the fee: the owner's sign-off, the arrival the paper
slip recorded when nobody typed it, and the quantity a per-metre or per-unit standard is timed by.

The seeds have the owner sign the slip when the job is done (000 维修结束 §2; 003 §4.1.2.4): a close
names who signed (`signed_by`) or says why nobody did (`unsigned`: owner absent, refused to sign).
The arrival clock and the work-time standard (orders/standard.py) both need the arrival time, so a
close of an order with no arrival on record takes it from the slip (`--arrived-at`), which becomes
an ordinary `arrived` event marked `from_slip: true`. Pure: checks and the plan's pieces; no files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from repairctl.errors import RepairError
from repairctl.orders import inspection, standard
from repairctl.text import clock
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text


def sign_off(signed_by: str | None, unsigned: str | None) -> dict:
    """The sign-off as fields (and the finished event's details): {signed_by} or {unsigned}; {} if neither
    was given, which the close refuses once the order's state is known to fit (`required`)."""
    signed_by = check_text("--signed-by", signed_by)
    unsigned = check_text("--unsigned", unsigned)
    if signed_by and unsigned:
        raise RepairError(_("--signed-by and --unsigned exclude each other: the owner signed (--signed-by 张三) "
                            "or did not (--unsigned 业户不在家)"))
    return {"signed_by": signed_by} if signed_by else {"unsigned": unsigned} if unsigned else {}


def check_quantity(quantity: Decimal | None) -> int | Decimal | None:
    """The quantity as the file keeps it (3, not 3.00), or refuse one of zero."""
    if quantity is None:
        return None
    if quantity <= 0:
        raise RepairError(_("--quantity must be more than zero: the metres or units the job covered, "
                            "e.g. --quantity 3"))
    return int(quantity) if quantity == quantity.to_integral_value() else quantity.normalize()


def validator(office, *, signed: dict, arrived_at: dt.datetime | None, quantity):
    """The check a close makes of the order before it changes anything (after its state is found to fit)."""
    def validate(doc) -> None:
        order_id = doc.get("id")
        if doc.get("plan") is not None:  # no owner signs a planned job: its checklist is its record
            raise RepairError(_("{id} is a planned job: close it with its checklist, e.g. `repairctl plan close {id} "
                                "--ok all` or `--ok 1 --fault 2:漏油`").format(id=order_id))
        if not signed:
            raise RepairError(_("cannot close {id} without the owner's sign-off: give --signed-by NAME, or "
                                "--unsigned REASON if nobody signed, e.g. --signed-by 张三 or --unsigned 业户不在家")
                              .format(id=order_id))
        if doc.get("status") == "assigned" and arrived_at is None:
            if inspection.rework_since_finish(doc.get("events") or []):  # sent back: the return visit is owed
                raise RepairError(_('{id} was sent back for rework and the return visit is not recorded: '
                                    '`repairctl visit {id} --arrived`, or give --arrived-at from the paper slip, '
                                    'e.g. --arrived-at "10:15"').format(id=order_id))
            raise RepairError(_('{id} has no arrival recorded; give --arrived-at from the paper slip, '
                                'e.g. --arrived-at "10:15"').format(id=order_id))
        if doc.get("status") == "arrived" and arrived_at is not None:
            raise RepairError(_("{id} already has its arrival recorded; leave out --arrived-at").format(id=order_id))
        if office is not None:
            _check_quantity_fits(office, doc, quantity)
    return validate


def _check_quantity_fits(office, doc, quantity) -> None:
    code = doc.get("item")
    item = office.catalogue.items.get(str(code)) if code else None
    if standard.per_unit(item) and quantity is None:
        raise RepairError(_("{id} is {code} {name}, timed {limit}: give the quantity done with --quantity N, "
                            "e.g. --quantity 3").format(id=doc.get("id"), code=item.code, name=item.name,
                                                        limit=item.limit_text()))
    if quantity is not None and not standard.per_unit(item):
        raise RepairError(_("--quantity is only for items timed per metre or per unit (e.g. 15分钟/米); "
                            "{id} has none: leave it out").format(id=doc.get("id")))


def slip_arrival(office, arrived_at: dt.datetime | None) -> tuple:
    """The arrival event the paper slip gives, as a step's `earlier` entry; () without --arrived-at."""
    if arrived_at is None:
        return ()
    tz = office.tz if office is not None else arrived_at.tzinfo
    return (("--arrived-at", "arrive", clock.localise(arrived_at, tz), {"from_slip": True}),)
