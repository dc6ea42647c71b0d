"""The supervisor's inspection of finished work (000 §3.2, 003 §4.2.3.2) and the reopening of an order closed
by mistake, as Steps.

A failed inspection sends the order back to its technician (返工); the finish clock keeps running from the
original receipt (orders/sla.py judges the re-finish against the original deadline). Pure: no files, no git.
"""

from __future__ import annotations

from repairctl.errors import RepairError
from repairctl.orders.lifecycle import Step
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text


def inspect(*, passed: bool, reason: str | None = None) -> Step:
    """The supervisor's verdict on finished work: passed, or failed with the reason (返工)."""
    reason = check_text("--reason", reason, lines=True)
    if not passed and not reason:
        raise RepairError(_("a failed inspection needs the reason: --fail --reason TEXT, e.g. --reason 接口仍渗水"))
    if passed:
        details = {"passed": True, **({"reason": reason} if reason else {})}
        return Step("inspect", "验收合格", {}, details, _not_inspected)
    return Step("inspect", f"验收不合格, 返工: {reason}", {}, {"passed": False, "reason": reason}, _not_inspected)


def reopen(*, reason: str, approved_by: str) -> Step:
    """Reopen an order closed by mistake: back to its technician, with the reason and who approved it."""
    reason = check_text("--reason", reason, required=True, lines=True)
    approved_by = check_text("--approved-by", approved_by, required=True)
    return Step("reopen", f"重新打开 ({approved_by} 批准): {reason}", {},
                {"reason": reason, "approved_by": approved_by})


def _not_inspected(doc) -> None:
    """Refuse a second verdict on the same finish: the first one stands (a failure reopens the order)."""
    for event in reversed(doc.get("events") or []):
        if event.get("action") == "finished":
            return
        if event.get("action") == "inspected":
            raise RepairError(_("{id} was already inspected since it was finished; inspect it again after the "
                                "next `repairctl close`").format(id=doc.get("id")))


def rework_since_finish(events) -> bool:
    """Whether the order's latest finish was undone by a failed inspection or a reopening."""
    for event in reversed(list(events)):
        action = event.get("action")
        if action == "finished":
            return False
        if action == "reopened" or (action == "inspected" and event.get("passed") is False):
            return True
    return False
