"""A realistic desk, simulated: months of orders for the example office and the benchmark.

Orders are built and moved through their life with the same code the commands use
(lifecycle.new_document and the Steps of steps.py, payments.py, inspection.py, delays.py and
corrections.py), then written with the project's writer, so a simulated office is one
`repairctl check` accepts. Seeded: the same seed gives the same office. What is said of each
catalogue item (descriptions, work, parts, complaints) is data, in orders/simulate_words.py;
what happens at the site (the close, a quote, an inspection) is in orders/simulate_site.py.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from repairctl.orders import corrections, lifecycle, payments, records, steps
from repairctl.orders import simulate_words as words
from repairctl.orders.simulate_site import Site, due
from repairctl.store import files, yamlio

TECHNICIANS = {"power": ["陈师傅", "周师傅"], "water": ["李师傅", "赵师傅"], "civil": ["王师傅"]}
CLERKS = ["王小红", "刘芳"]
SUPERVISOR = "赵主管"  # 工程主管: settles pending fees, inspects finished work, approves delays
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡林郭何高罗"
CATEGORY_WEIGHT = {"water": 45, "power": 35, "civil": 12}


@dataclass
class Mix:
    """The shares of a real desk's month (per order, unless said)."""

    per_day: tuple[int, int] = (20, 30)
    emergency: float = 0.2  # of the jobs that can be urgent (simulate_words.URGENT)
    appointment: float = 0.20
    moved: float = 0.05  # of appointments: the owner asks for another time (reschedule)
    supplier: float = 0.05
    uncovered: float = 0.03
    absent: float = 0.04
    cancel: float = 0.02
    rework: float = 0.015
    edit: float = 0.01  # a phone or unit taken down wrong at the phone, corrected later (edit)
    slip_arrival: float = 0.04  # the arrival only on the paper slip, typed at the close (close --arrived-at)
    delay: float = 0.012  # parts on order, the owner away: an approved later finish (delay)
    materials: float = 0.6
    quote: float = 0.08  # of the charged jobs: priced before the work (quote) …
    declined: float = 0.12  # … and of those quotes, the owner says no
    unsigned: float = 0.04  # nobody signed the slip (close --unsigned REASON)
    fee_pending: float = 0.03
    waiver: float = 0.02
    inspect: float = 0.04  # the supervisor checks the finished work (inspect) …
    inspect_fail: float = 0.2  # … and of those, sends it back (返工)
    callback: float = 0.97
    unsatisfied: float = 0.06
    paid: float = 0.95  # of the fees due, paid at the finance desk within five days


class Simulator:
    """Generates the orders of an office, day by day, from its catalogue."""

    def __init__(self, office, seed: int = 7, mix: Mix | None = None):
        self.office, self.rng, self.mix = office, random.Random(seed), mix or Mix()
        self.site = Site(office, self.rng, self.mix)
        self.items = list(office.catalogue.items.values())
        self.by_category = {c: [i for i in self.items if i.category == c] for c in CATEGORY_WEIGHT}
        self.jobs = list(office.catalogue.jobs.values())
        self.units = [f"{b}栋{f}{r:02d}" for b in range(1, 13) for f in range(1, 19) for r in range(1, 5)]
        self.owners = {unit: self._owner() for unit in self.units}
        self.recent: deque = deque(maxlen=400)  # (unit, item, finished): candidates for rework
        # payments draw from their own stream: an office of an older seed keeps every other event as it was
        self.cashier, self.receipts = random.Random(seed + 1), 0

    def _owner(self) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(SURNAMES) + rng.choice(["先生", "女士"])
        return name, f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"

    def orders(self, start: dt.date, end: dt.date, now: dt.datetime) -> Iterator[dict]:
        """Documents of the orders received from start up to (not including) end, lived up to now."""
        day = start
        while day < end:
            for _ in range(self.rng.randint(*self.mix.per_day)):
                doc = self._order(day, now)
                if doc is not None:
                    yield doc
            day += dt.timedelta(days=1)

    def _order(self, day: dt.date, now: dt.datetime):
        rng, mix, tz = self.rng, self.mix, self.office.tz
        item, job, unit = self._what()
        emergency = item is not None and item.code in words.URGENT and rng.random() < mix.emergency
        hour = rng.randrange(24) if emergency else rng.choice([8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17, 18, 19])
        received = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tz)
        if received > now:
            return None
        appointment = None
        if not emergency and job is None and rng.random() < mix.appointment:
            appointment = dt.datetime.combine(day + dt.timedelta(days=rng.choice([0, 1, 1, 2])),
                                              dt.time(rng.choice([9, 10, 14, 15, 16]), rng.choice([0, 30])), tz)
            appointment = max(appointment, received + dt.timedelta(hours=2))
        name, phone = self.owners[unit]
        fields = {"channel": rng.choice(["phone"] * 7 + ["walk-in", "staff", "online"]), "scope": "unit",
                  "unit": unit, "name": name, "phone": phone, "description": self._describe(item, job)}
        if item or job:
            fields["item" if item else "supplier_job"] = (item or job).code
        fields["urgency"] = "emergency" if emergency else "appointment" if appointment else "immediate"
        if appointment:
            fields["appointment"] = appointment
        story = list(self._story(received, appointment, emergency, item, job, unit))
        if rng.random() < mix.edit:
            story += self._mistake(fields, received)
        doc = lifecycle.new_document("", fields, received, rng.choice(CLERKS))
        # side stories (a fee settled days later, a correction) interleave with the main one by time
        for at, by, step in sorted(story, key=lambda line: line[0]):
            at = at.replace(second=0, microsecond=0)
            if at > now:
                break
            lifecycle.perform(doc, step, at, by, tz)
        return doc

    def _what(self):
        rng, mix = self.rng, self.mix
        if self.recent and rng.random() < mix.rework:
            unit, item, _ = rng.choice(self.recent)
            return item, None, unit
        unit = rng.choice(self.units)
        roll = rng.random()
        if roll < mix.supplier:
            return None, rng.choice(self.jobs), unit
        if roll < mix.supplier + mix.uncovered:
            return None, None, unit
        category = rng.choices(list(CATEGORY_WEIGHT), list(CATEGORY_WEIGHT.values()))[0]
        return rng.choice(self.by_category[category]), None, unit

    def _describe(self, item, job) -> str:
        """What the owner said at the phone: the item's own words (a supplier job: its name)."""
        if job:
            return job.name
        if not item:
            return self.rng.choice(words.UNCOVERED)
        said = words.ITEMS.get(item.code)
        if said is None:  # an office's own item, not in the table: its keyword and a plain symptom
            return self.rng.choice(list(item.keywords) or [item.name]) + "坏了"
        return self.rng.choice(said.says)

    def _mistake(self, fields: dict, received: dt.datetime) -> list:
        """The clerk took the phone or the unit down wrong; the owner calls back and it is corrected (edit)."""
        rng, key = self.rng, self.rng.choice(["phone", "phone", "unit"])
        right = fields[key]
        if key == "phone":
            place = rng.randrange(3, 11)
            fields["phone"] = right[:place] + str((int(right[place]) + rng.randint(1, 9)) % 10) + right[place + 1:]
        else:
            fields["unit"] = rng.choice(self.units)
        typed = records.Order(Path("new.yaml"), {"status": "received", **fields}, self.office.tz)
        later = received + dt.timedelta(minutes=rng.randint(20, 600))
        return [(later, rng.choice(CLERKS), step)
                for step in corrections.plan(self.office, typed, {key: right}, words.CORRECTION[key])]

    def _story(self, received, appointment, emergency, item, job, unit):
        """The steps of one order's life with their times and actors, in order."""
        rng, mix, office, site = self.rng, self.mix, self.office, self.site
        clerk = rng.choice(CLERKS)
        minutes = lambda m: dt.timedelta(minutes=m)  # noqa: E731 - reads better inline
        if job:
            yield received, clerk, steps.refer(office, job_code=job.code)
            return
        if rng.random() < mix.cancel:
            yield received + minutes(rng.randint(5, 90)), clerk, steps.cancel(reason="业户自行解决")
            return
        tech = rng.choice(TECHNICIANS.get(item.category if item else "civil", TECHNICIANS["civil"]))
        assigned = received + minutes(rng.randint(1, 8))
        yield assigned, clerk, steps.assign(office, to=tech, item=item.code if item else None)
        if appointment and rng.random() < mix.moved:  # the owner cannot be home then: another time
            moved = received + minutes(rng.randint(20, 90))
            appointment = dt.datetime.combine(appointment.date() + dt.timedelta(days=1),
                                              dt.time(rng.choice([10, 15, 16]), 0), appointment.tzinfo)
            yield moved, clerk, steps.reschedule(office, when=appointment)
        if appointment:
            arrival = appointment + minutes(round(rng.gauss(0, 2.5)))
        else:
            night = emergency and not 9 <= received.hour < 22
            arrival = received + minutes(max(3, round(rng.gauss(20 if night else 9 if emergency else 11, 4))))
        arrival = max(arrival, assigned + minutes(1))
        if rng.random() < mix.absent:
            yield arrival, tech, steps.absent()
            again = dt.datetime.combine(arrival.date() + dt.timedelta(days=1), dt.time(rng.choice([10, 15]), 0),
                                        arrival.tzinfo)
            yield arrival + minutes(30), clerk, steps.reschedule(office, when=again)
            arrival = again + minutes(round(rng.gauss(0, 2)))
        owner = self.owners[unit][0]
        plan = site.plan(item, owner)
        from_slip = not emergency and rng.random() < mix.slip_arrival
        if not from_slip:
            yield arrival, tech, steps.arrive()
            if item and not emergency and rng.random() < mix.delay:
                arrival = yield from site.delayed(arrival, tech, clerk, SUPERVISOR)
            quote = site.quote(plan, owner)
            if quote is not None:
                yield arrival + minutes(rng.randint(2, 4)), tech, quote
                if quote.details.get("declined"):
                    return
        finished = arrival + minutes(max(5, round(site.work_minutes(plan) * rng.uniform(0.6, 1.8))))
        yield finished, tech, site.close(plan, arrival if from_slip else None)
        if item and rng.random() < mix.inspect:
            finished = yield from site.inspect(plan, finished, tech, SUPERVISOR)
        if item:
            self.recent.append((unit, item, finished))
        yield from self._money(plan, finished)
        if rng.random() < mix.callback:
            yield from site.callback(plan, finished, clerk)

    def _money(self, plan, finished):
        """A pending fee settled days later; the fee paid at the finance desk against a receipt."""
        rng, mix = self.rng, self.mix
        owed, amount = finished, None if plan.pending else due(plan.step.fields)
        if plan.pending and rng.random() < 0.8:
            settled = finished + dt.timedelta(days=rng.uniform(1, 4))
            owed, amount = settled, plan.settle
            yield settled, SUPERVISOR, steps.settle_fee(amount=amount)
        plan.charged = bool(amount)
        if amount and self.cashier.random() < mix.paid:
            self.receipts += 1
            method = self.cashier.choice(["wechat", "wechat", "alipay", "cash", "card", "bank"])
            yield (owed + dt.timedelta(hours=self.cashier.uniform(1, 120)), "陈会计",
                   payments.pay(amount=amount, receipt=f"SJ-{self.receipts:06d}", method=method))

def write(office, docs) -> list[Path]:
    """Give the documents the office's next IDs and write each as an order file."""
    number = int(records.next_id(office.orders_dir, office.site).rsplit("-", 1)[1])
    paths = []
    for doc in docs:
        order_id = f"{office.site}-{number:06d}"
        doc["id"] = order_id
        doc.yaml_set_start_comment(lifecycle.header(order_id))
        received = doc["events"][0]["at"]
        path = files.order_path(office.orders_dir, order_id, received)
        path.parent.mkdir(parents=True, exist_ok=True)
        files.write_atomic(path, yamlio.dump_text(doc))
        paths.append(path)
        number += 1
    return paths
