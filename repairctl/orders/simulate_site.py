"""What happens at the site in the simulated desk (orders/simulate.py): the parts and the fee the job
takes, a quote before the work, the close with its sign-off, and the supervisor's inspection with the
rework (返工) a failure sends back. Steps come from steps.py, payments.py and inspection.py, as the
commands build them; the words for each item are in orders/simulate_words.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from repairctl.orders import delays, inspection, payments, standard, steps
from repairctl.orders import simulate_words as words
from repairctl.text import money


@dataclass
class Plan:
    """One job's close, decided before the work: its parts, labour, waiver, sign-off and quantity."""

    item: object
    said: words.Words | None
    owner: str
    materials: list = field(default_factory=list)
    labour: Decimal = Decimal(0)
    pending: bool = False
    settle: Decimal = Decimal(0)  # the supervisor's amount, if the fee was left pending
    waive: Decimal | None = None
    quantity: int | None = None
    signed_by: str | None = None
    unsigned: str | None = None
    step: object = None  # the close's Step, once built
    charged: bool = False  # whether a fee was (or became) due: an owner may then say it was too dear

    @property
    def fee(self) -> Decimal:
        """What the close charges: materials and labour, less the waiver."""
        return money.total(((q, p) for _, q, p in self.materials), self.labour) - (self.waive or 0)

    def complaints(self) -> tuple[str, ...]:
        """What an unsatisfied owner may say of this job at the callback."""
        own = self.said.unhappy if self.said else ()
        return own + words.ANY_JOB + (words.CHARGED if self.charged else ())


class Site:
    """Decides and builds the steps of the work at the site, drawing from the simulator's random stream."""

    def __init__(self, office, rng, mix):
        self.office, self.rng, self.mix = office, rng, mix

    def plan(self, item, owner: str) -> Plan:
        """The job's parts, fee and sign-off, and the quantity of an item timed per metre or per unit."""
        rng, mix = self.rng, self.mix
        said = words.ITEMS.get(item.code) if item else None
        plan = Plan(item, said, owner)
        if item is not None and standard.per_unit(item):  # close --quantity: the metres or bicycles done
            plan.quantity = rng.randint(*(said.quantity if said else (1, 4)))
        if said and said.materials and rng.random() < mix.materials:
            name, price = rng.choice(said.materials)
            qty = plan.quantity or rng.choice([1, 1, 1, 2])  # parts bought by the metre: as many as the job
            plan.materials = [(name, Decimal(qty), Decimal(str(price)))]
        plan.labour = Decimal(rng.choice([0, 0, 20, 30, 50]))
        plan.pending = rng.random() < mix.fee_pending
        if plan.pending:
            plan.settle = Decimal(rng.choice([30, 50, 80]))
        elif plan.materials and rng.random() < mix.waiver:
            name, qty, price = plan.materials[0]
            plan.waive = min(Decimal(10), qty * price)
        if rng.random() < mix.unsigned:
            plan.unsigned = rng.choice(words.UNSIGNED)
        else:
            plan.signed_by = owner
        return plan

    def work_minutes(self, plan: Plan) -> int:
        """The standard time of the job (catalog.yaml's limit, times the quantity), before the real spread."""
        limit = (plan.item.limit if plan.item else None) or {}
        if "minutes" in limit:
            return limit["minutes"] * (plan.quantity or 1)
        return limit.get("within_hours", 1) * 45

    def quote(self, plan: Plan, owner: str):
        """A price put to the owner before paid work (003 §4.1.2.3), rounded up to ten yuan; or None."""
        rng, mix = self.rng, self.mix
        if plan.pending or plan.fee <= 0 or rng.random() >= mix.quote:
            return None
        amount = (plan.fee / 10).to_integral_value(rounding="ROUND_CEILING") * 10
        if rng.random() < mix.declined:
            return payments.quote(amount=amount, declined=True)
        return payments.quote(amount=amount, accepted_by=owner)

    def close(self, plan: Plan, arrived_at: dt.datetime | None):
        """The close step: the item's work, parts, fee, sign-off, and the slip's arrival when not recorded."""
        work = plan.said.work if plan.said else "已修复"
        plan.step = steps.close(self.office, work=work, materials=plan.materials, labour=plan.labour,
                                signed_by=plan.signed_by, unsigned=plan.unsigned, arrived_at=arrived_at,
                                quantity=None if plan.quantity is None else Decimal(plan.quantity),
                                fee_pending=plan.pending, waive=plan.waive,
                                approved_by="赵总监" if plan.waive else None,
                                approver_role="director" if plan.waive else None)
        return plan.step

    def inspect(self, plan: Plan, finished: dt.datetime, tech: str, supervisor: str):
        """The supervisor checks the work; a failure sends it back, and the return visit re-finishes it.
        Yields the steps; returns when the job was (last) finished."""
        rng, mix = self.rng, self.mix
        at = finished + dt.timedelta(minutes=rng.randint(15, 50))
        if rng.random() >= mix.inspect_fail:
            yield at, supervisor, inspection.inspect(passed=True)
            return finished
        reasons = words.FAILED_INSPECTION.get(plan.item.category, ()) + words.FAILED_INSPECTION[None]
        yield at, supervisor, inspection.inspect(passed=False, reason=rng.choice(reasons))
        # the return visit: in working hours, the same evening or the next morning
        back = at + dt.timedelta(minutes=rng.randint(40, 120))
        if not 8 <= back.hour < 19:
            back = dt.datetime.combine(at.date() + dt.timedelta(days=1), dt.time(rng.choice([9, 10]), 0), at.tzinfo)
            back += dt.timedelta(minutes=rng.randint(0, 40))
        yield back, tech, steps.arrive()
        again = back + dt.timedelta(minutes=rng.randint(15, 60))
        work = "返工：" + (plan.said.work if plan.said else "已修复")
        yield again, tech, steps.close(self.office, work=work, signed_by=plan.signed_by, unsigned=plan.unsigned,
                                       quantity=None if plan.quantity is None else Decimal(plan.quantity),
                                       fee_pending=plan.pending)
        return again

    def delayed(self, arrival: dt.datetime, tech: str, clerk: str, supervisor: str):
        """Parts to order or the owner away: an approved delay, a new visit, and the return; its arrival."""
        rng, office = self.rng, self.office
        until = dt.datetime.combine(arrival.date() + dt.timedelta(days=rng.randint(2, 4)), dt.time(18, 0),
                                    arrival.tzinfo)
        back = until.replace(hour=rng.choice([9, 10, 14]))
        step = delays.delay(office, until=until, reason=rng.choice(words.DELAY), approved_by=supervisor)
        yield arrival + dt.timedelta(minutes=rng.randint(15, 40)), clerk, step  # the clerk records it
        yield arrival + dt.timedelta(minutes=rng.randint(45, 90)), clerk, steps.reschedule(office, when=back)
        again = back + dt.timedelta(minutes=rng.randint(-3, 2))
        yield again, tech, steps.arrive()
        return again

    def callback(self, plan: Plan, finished: dt.datetime, clerk: str):
        """The clerk calls the owner back; an unsatisfied owner's complaint fits the job, and is followed up."""
        rng, mix = self.rng, self.mix
        late = rng.random() < 0.08
        called = finished + dt.timedelta(hours=rng.uniform(24.2, 40) if late else rng.uniform(1, 23))
        happy = rng.random() >= mix.unsatisfied
        reason = None if happy else rng.choice(plan.complaints())
        yield called, clerk, steps.callback(method=rng.choice(["phone"] * 6 + ["visit", "intercom"]),
                                            satisfied=happy, reason=reason)
        if not happy and rng.random() < 0.7:
            followed = called + dt.timedelta(hours=rng.uniform(2, 30))
            yield followed, clerk, steps.followup(note=words.FOLLOWUP.get(reason, words.REWORK_NOTE))


def due(fields: dict) -> Decimal:
    """The fee a close's fields charge: materials and labour, less the waiver."""
    materials = ((m["qty"], m["unit_price"]) for m in fields.get("materials", []))
    return money.total(materials, fields.get("labour")) - (fields.get("waiver") or {}).get("amount", 0)
