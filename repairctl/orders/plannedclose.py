"""Closing a planned job (`repairctl plan close`): each checklist item ok, or a fault with a note, and a
repair order opened for each fault when asked.

The clerk names the items by number as the slip lists them (1, 2 …) or by their words: `--ok all`,
`--ok 1 --ok 3`, `--fault 2:漏油`. Every item must be named, once: a forgotten item is refused, not taken
as ok. No owner signs a planned job, and no arrival is asked for: the checklist is its record. A
fault's repair order is an ordinary one (public area, immediate) naming the job (`from_plan_job`);
the job lists the orders it opened (`repairs`).
"""

from __future__ import annotations

import datetime as dt

from repairctl.errors import RepairError
from repairctl.office.folder import Office
from repairctl.orders import desk, lifecycle, records
from repairctl.orders.lifecycle import Step
from repairctl.store import yamlio
from repairctl.text.i18n import _
from repairctl.text.inputs import check_text

EXAMPLE = "--ok all, --ok 1 --fault 2:漏油"


def split_fault(text: str) -> tuple[str, str]:
    """A --fault value, ITEM:NOTE (ITEM its number or words; a full-width ： too), as (item, note)."""
    item, sep, note = str(text).replace("：", ":").partition(":")
    note = check_text("--fault", note) if sep else None
    if not item.strip() or not note:
        raise RepairError(_("--fault {value} needs the item and what is wrong, e.g. --fault 2:漏油")
                          .format(value=repr(text)))
    return item.strip(), note


def results(items: list[str], ok: tuple, faults: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    """(item, ok|fault, note) for each checklist item, from the clerk's --ok and --fault; refuse a gap or a clash."""
    def index(ref: str, option: str) -> int:
        if ref.isdigit() and 1 <= int(ref) <= len(items):
            return int(ref) - 1
        if ref in items:
            return items.index(ref)
        listed = "; ".join(f"{n} {item}" for n, item in enumerate(items, 1)) or _("none")
        raise RepairError(_("{option} {ref} is no item of the checklist ({items})")
                          .format(option=option, ref=repr(ref), items=listed))

    found: dict[int, tuple[str, str | None]] = {}
    for ref, note in faults:
        n = index(ref, "--fault")
        if n in found:  # two notes for one item: one would be lost without a word
            raise RepairError(_("item {n} is given --fault twice; write one note for it, e.g. "
                                "--fault {n}:漏油，压力不足").format(n=n + 1))
        found[n] = ("fault", note)
    everything = any(str(ref).strip().lower() in ("all", "全部") for ref in ok)
    for ref in ok:
        if str(ref).strip().lower() in ("all", "全部"):
            continue
        n = index(str(ref).strip(), "--ok")
        if n in found:
            raise RepairError(_("item {n} is given both --ok and --fault; keep one").format(n=n + 1))
        found[n] = ("ok", None)
    if everything:
        found = {n: found.get(n, ("ok", None)) for n in range(len(items))}
    missing = [f"{n} {item}" for n, item in enumerate(items, 1) if n - 1 not in found]
    if missing:
        raise RepairError(_("record every checklist item: {missing} not given; add --ok N or --fault N:NOTE for "
                            "each (or --ok all), e.g. {example}").format(missing="; ".join(missing), example=EXAMPLE))
    return [(item, *found[n]) for n, item in enumerate(items)]


def close_step(*, ok: tuple = (), faults: tuple = (), work: str | None = None) -> Step:
    """The close of a planned job: its checklist results, and the work done if told."""
    parsed = [split_fault(text) for text in faults]
    work = check_text("--work", work, lines=True)
    fields: dict = {}

    def validate(doc) -> None:
        if doc.get("plan") is None:
            raise RepairError(_("{id} is no planned job; close it with `repairctl close {id}`")
                              .format(id=doc.get("id")))
        items = [str(entry.get("item")) for entry in doc.get("checklist") or [] if isinstance(entry, dict)]
        found = results(items, ok, parsed)
        if found:
            fields["checklist"] = yamlio.block_list([yamlio.flow_map(item=item, result=result, note=note)
                                                     for item, result, note in found])
        if work:
            fields["work"] = work

    summary = f"计划维修完工，{len(parsed)} 项故障" if parsed else "计划维修完工，检查正常"
    return Step("close", summary, fields, {"faults": len(parsed)} if parsed else {}, validate)


def close(office: Office, order_id: str, *, ok: tuple = (), faults: tuple = (), work: str | None = None,
          open_repair: bool = False, by: str | None = None, at: dt.datetime | None = None):
    """Close a planned job with its checklist; with open_repair, first open a repair order for each fault.
    Returns (the job's outcome, the repair orders' outcomes)."""
    step = close_step(ok=ok, faults=faults, work=work)
    by, at = desk.actor(office, by), desk.event_time(office, at)
    order_id = records.check_id(order_id)
    if open_repair and not faults:
        raise RepairError(_("--open-repair opens a repair order for each --fault; there is none"))
    with office.lock():
        repairs = []
        if open_repair:
            path = records.locate(office.orders_dir, order_id)
            job = yamlio.load_round_trip(path)
            lifecycle.perform(job, step, at, by, office.tz)  # refused here: no repair order is made for nothing
            drafts = [desk.Draft({"scope": "public", "unit": str(job.get("unit")),
                                  "description": f"{entry['item']}：{entry['note']}（计划维修 {order_id} 发现）",
                                  "urgency": "immediate", "from_plan_job": order_id}, by, at)
                      for entry in step.fields["checklist"] if entry.get("result") == "fault"]
            repairs = desk.create_many(office, drafts, by=by, at=at,
                                       message=lambda ids: f"new {', '.join(ids)}: 计划维修 {order_id} 发现故障")
            step.fields["repairs"] = yamlio.flow_list([r.order.id for r in repairs])
        return desk.change(office, order_id, step, by=by, at=at), repairs
