"""A realistic desk, simulated: months of orders for the example office and the benchmark.

Orders are built and moved through their life with the same code the commands use
(lifecycle.new_document and the Steps of steps.py), then written with the project's
writer, so a simulated office is one `repairctl check` accepts. Seeded: the same seed
gives the same office.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from repairctl.orders import lifecycle, payments, records, steps
from repairctl.store import files, yamlio
from repairctl.text import money

TECHNICIANS = {"power": ["陈师傅", "周师傅"], "water": ["李师傅", "赵师傅"], "civil": ["王师傅"]}
CLERKS = ["王小红", "刘芳"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡林郭何高罗"
SYMPTOMS = {"power": ["不亮", "坏了", "跳闸了", "没电"], "water": ["漏水", "堵了", "一直滴水", "坏了"],
            "civil": ["坏了", "打不开", "松了"]}
MATERIALS = {"power": [("灯泡", 12), ("开关面板", 18), ("断路器", 45), ("灯管", 15)],
             "water": [("水龙头", 35), ("给水软管", 15), ("生料带", 2), ("下水管", 18.5), ("马桶进水阀", 40)],
             "civil": [("锁芯", 45), ("合页", 8), ("膨胀螺丝", 1)]}
UNCOVERED = ["阳台晾衣架坏了", "窗纱破了", "门铃不响", "墙面开裂"]
UNHAPPY = ["还在滴水", "师傅来晚了", "收费太贵", "地面没有清理干净"]
CATEGORY_WEIGHT = {"water": 45, "power": 35, "civil": 12}


@dataclass
class Mix:
    """The shares of a real desk's month (per order)."""

    per_day: tuple[int, int] = (20, 30)
    emergency: float = 0.05
    appointment: float = 0.20
    supplier: float = 0.05
    uncovered: float = 0.03
    absent: float = 0.04
    cancel: float = 0.02
    rework: float = 0.015
    materials: float = 0.6
    fee_pending: float = 0.03
    waiver: float = 0.02
    callback: float = 0.97
    unsatisfied: float = 0.06
    paid: float = 0.95  # of the fees due, paid at the finance desk within five days


class Simulator:
    """Generates the orders of an office, day by day, from its catalogue."""

    def __init__(self, office, seed: int = 7, mix: Mix | None = None):
        self.office, self.rng, self.mix = office, random.Random(seed), mix or Mix()
        self.quantity = None  # the metres or units of the job being simulated (a per-unit standard)
        self.items = list(office.catalogue.items.values())
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
        category = item.category if item else None
        emergency = item is not None and category in ("water", "power") and rng.random() < mix.emergency
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
        doc = lifecycle.new_document("", fields, received, rng.choice(CLERKS))
        story = self._story(received, appointment, emergency, item, job, unit)
        # side stories (a fee settled days later) interleave with the main one by time
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
        return rng.choice([i for i in self.items if i.category == category]), None, unit

    def _describe(self, item, job) -> str:
        if job:
            return job.name
        if not item:
            return self.rng.choice(UNCOVERED)
        word = self.rng.choice(list(item.keywords) or [item.name])
        return word + self.rng.choice(SYMPTOMS.get(item.category, ["坏了"]))

    def _story(self, received, appointment, emergency, item, job, unit):
        """The steps of one order's life with their times and actors, in order."""
        rng, mix, office = self.rng, self.mix, self.office
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
        yield arrival, tech, steps.arrive()
        finished = arrival + minutes(max(5, round(self._work_minutes(item) * rng.uniform(0.8, 2.5))))
        close, pending = self._close(item)
        yield finished, tech, close
        if item:
            self.recent.append((unit, item, finished))
        owed, due = finished, None if pending else _due(close.fields)
        if pending and rng.random() < 0.8:
            settled = finished + dt.timedelta(days=rng.uniform(1, 4))
            owed, due = settled, Decimal(rng.choice([30, 50, 80]))
            yield settled, "赵主管", steps.settle_fee(amount=due)
        if due and self.cashier.random() < mix.paid:
            self.receipts += 1
            method = self.cashier.choice(["wechat", "wechat", "alipay", "cash", "card", "bank"])
            yield (owed + dt.timedelta(hours=self.cashier.uniform(1, 120)), "陈会计",
                   payments.pay(amount=due, receipt=f"SJ-{self.receipts:06d}", method=method))
        if rng.random() < mix.callback:
            late = rng.random() < 0.08
            called = finished + dt.timedelta(hours=rng.uniform(24.2, 40) if late else rng.uniform(1, 23))
            happy = rng.random() >= mix.unsatisfied
            yield called, clerk, steps.callback(method=rng.choice(["phone"] * 6 + ["visit", "intercom"]),
                                                satisfied=happy, reason=None if happy else rng.choice(UNHAPPY))
            if not happy and rng.random() < 0.7:
                followed = called + dt.timedelta(hours=rng.uniform(2, 30))
                yield followed, clerk, steps.followup(note="已安排返修并回复业户")

    def _work_minutes(self, item) -> int:
        limit = (item.limit if item else None) or {}
        self.quantity = None
        if "minutes" in limit:
            if "per" in limit:  # metres or units done: the close records it (close --quantity)
                self.quantity = self.rng.randint(1, 4)
            return limit["minutes"] * (self.quantity or 1)
        return limit.get("within_hours", 1) * 45

    def _close(self, item) -> tuple[lifecycle.Step, bool]:
        rng, mix = self.rng, self.mix
        materials = []
        if item and rng.random() < mix.materials:
            name, price = rng.choice(MATERIALS[item.category])
            materials = [(name, Decimal(rng.choice([1, 1, 1, 2])), Decimal(str(price)))]
        labour = Decimal(rng.choice([0, 0, 20, 30, 50]))
        pending = rng.random() < mix.fee_pending
        waive = None
        if not pending and materials and rng.random() < mix.waiver:
            waive = min(Decimal(10), materials[0][1] * materials[0][2])
        step = steps.close(work="已修复", materials=materials, labour=labour, signed_by="业户",
                           quantity=None if self.quantity is None else Decimal(self.quantity), fee_pending=pending,
                           waive=waive, approved_by="赵总监" if waive else None,
                           approver_role="director" if waive else None)
        return step, pending


def _due(fields: dict) -> Decimal:
    """The fee a close's fields charge: materials and labour, less the waiver."""
    materials = ((m["qty"], m["unit_price"]) for m in fields.get("materials", []))
    return money.total(materials, fields.get("labour")) - (fields.get("waiver") or {}).get("amount", 0)


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
