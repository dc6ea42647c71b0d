"""Why each missed clock of an order was missed, in the desk's words, for the workbook's 明细 (issue 15 §6).

A clock is missed when it was done late (or, an appointment, too early), or is still open and already
late at the report's time (stats.verdict). The words, from the order's own events:

- arrival and appointment: 超时未到场 (not yet there), 早于预约时间到场 (came before the agreed time's
  tolerance), 改约时已超时 (rebooked only after the time had passed), else 到场超时35分钟 (紧急到场超时…,
  预约上门超时…: the clock's name and how late);
- finish: 超时未完工, or 完工超时2小时; then in brackets what the events say about it: each approved
  延期 with its reason, each failed inspection (返工) with its reason, and 未签认 with the reason the owner
  did not sign;
- callback: 超时未回访, or 回访超时3小时.

Several missed clocks are joined with "；". Lengths of time read 35分钟, 2小时5分钟, 1天3小时.
"""

from __future__ import annotations

import datetime as dt

from repairctl.text import clock, terms

VISIT = ("arrival", "appointment")
NOT_DONE = {"arrival": "超时未到场", "appointment": "超时未到场", "finish": "超时未完工", "callback": "超时未回访"}


def span(minutes: int) -> str:
    """A length of time as the desk writes it: 35分钟, 2小时5分钟, 1天3小时."""
    days, rest = divmod(max(minutes, 0), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分钟" if mins else f"{hours}小时"
    return f"{mins}分钟"


def missed(ob, as_of: dt.datetime | None) -> bool:
    """Whether a clock was missed (stats.verdict is False)."""
    met = ob.met()
    return met is False or (met is None and as_of is not None and ob.late_minutes(as_of) > 0)


def _visit(order, ob) -> str:
    if ob.done is None:
        return NOT_DONE[ob.kind]
    if ob.earliest is not None and ob.done.astimezone(dt.UTC) < ob.earliest.astimezone(dt.UTC):
        return "早于预约时间到场"
    moved = any(e.get("action") == "rescheduled" and clock.as_time(e.get("at"), order.tz) == ob.done
                for e in order.events)
    return "改约时已超时" if moved else f"{ob.what}超时{span(ob.late_minutes())}"


def _finish(order, ob) -> str:
    said = NOT_DONE["finish"] if ob.done is None else f"{ob.what}超时{span(ob.late_minutes())}"
    why = [f"{terms.EVENT['delayed']}：{e.get('reason') or ''}".rstrip("：") for e in order.events
           if e.get("action") == "delayed"]
    why += [f"返工：{e.get('reason') or ''}".rstrip("：") for e in order.events
            if e.get("action") == "inspected" and e.get("passed") is False]
    if order.get("unsigned") and not order.get("signed_by"):
        why.append(f"未签认：{order.get('unsigned')}")
    return f"{said}（{'；'.join(why)}）" if why else said


def reasons(order, clocks, as_of: dt.datetime | None) -> str:
    """Why each missed clock (arrival, appointment, finish, callback) of order was missed; '' for none."""
    said = []
    for ob in clocks:
        if ob.kind not in NOT_DONE or not missed(ob, as_of):
            continue
        if ob.kind in VISIT:
            said.append(_visit(order, ob))
        elif ob.kind == "finish":
            said.append(_finish(order, ob))
        else:
            said.append(NOT_DONE["callback"] if ob.done is None else f"{ob.what}超时{span(ob.late_minutes())}")
    return "；".join(said)


def fields(order, clocks, as_of: dt.datetime | None) -> dict:
    """The detail row's urgency (its code), agreed visit time (office wall clock) and missed clocks' reasons."""
    appointment = order.appointment_time
    return {"urgency": order.get("urgency"), "appointment": appointment.replace(tzinfo=None) if appointment else None,
            "missed": reasons(order, clocks, as_of)}
