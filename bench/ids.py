"""The four ID schemes of issue 12 played over a simulated week of several desks working offline and
syncing whenever they like: which collide, which stop a clerk, which renumber, which sort by time.

    .venv/bin/python bench/ids.py [--desks 3] [--per-day 15] [--days 7] [--seed 7] [--block 20]

docs/sharing.md quotes its table. It runs no repairctl: the schemes are small models, the same events for all.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field


@dataclass
class Desk:
    letter: str
    known: int = 0  # the highest number this desk has seen (its own, and the server's at its last sync)
    issued: int = 0  # its own series (letter + per-desk numbers)
    block: list[int] = field(default_factory=list)  # numbers reserved for it (blocks)
    unpushed: list[dict] = field(default_factory=list)


def events(desks: int, per_day: int, days: int, rng: random.Random) -> list[tuple[float, str, int]]:
    """(minute, 'new' or 'sync', desk), in time order: orders between 08:00 and 20:00, syncs every 0.5-4 h;
    desk 1 works offline all of day 3 (no sync), as a laptop taken out to a building."""
    found = []
    for desk in range(desks):
        for day in range(days):
            start, end = day * 1440 + 480, day * 1440 + 1200
            found += [(rng.uniform(start, end), "new", desk) for _ in range(per_day)]
            minute = start + rng.uniform(0, 60)
            while minute < end:
                if not (desk == 1 and day == 2):
                    found.append((minute, "sync", desk))
                minute += rng.uniform(30, 240)
            found.append((end + 1, "sync", desk))  # everybody syncs before going home
    return sorted(found)


def play(scheme: str, timeline, desks: int, block: int, printed: float, rng: random.Random) -> dict:
    """Run one scheme over the timeline; what it did to the orders."""
    server = {"max": 0, "ids": {}, "next_block": 1}
    people = [Desk("ABCDEFGH"[n]) for n in range(desks)]
    orders, blocked, renumbered, stuck = [], 0, 0, 0
    for minute, kind, n in timeline:
        desk = people[n]
        if kind == "new":
            if scheme == "blocks":
                if not desk.block:
                    blocked += 1  # the clerk cannot issue an ID until this desk is online again
                    continue
                number, key = desk.block.pop(0), None
                key = (number, "")
            elif scheme == "letter-series":
                desk.issued += 1
                number, key = desk.issued, (desk.letter, desk.issued)
            else:  # letter-lamport and renumber: one above the highest seen
                desk.known += 1
                number = desk.known
                key = (number, desk.letter if scheme == "letter-lamport" else "")
            order = {"at": minute, "key": key, "number": number, "printed": rng.random() < printed}
            orders.append(order)
            desk.unpushed.append(order)
            continue
        # sync: renumber what the server took meanwhile (unless its slip is out), push, learn the highest
        for order in desk.unpushed:
            if scheme == "renumber" and order["key"] in server["ids"]:
                if order["printed"]:
                    stuck += 1  # a slip with this number is in a technician's hand: two orders, one ID
                else:
                    server["max"] = max(server["max"], desk.known) + 1
                    order["key"], order["number"] = (server["max"], ""), server["max"]
                    renumbered += 1
            server["ids"].setdefault(order["key"], order)
            server["max"] = max(server["max"], order["number"])
        desk.unpushed = []
        desk.known = server["max"] = max(server["max"], desk.known)
        if scheme == "blocks" and len(desk.block) < block // 2:
            desk.block += list(range(server["next_block"], server["next_block"] + block))
            server["next_block"] += block
    keys = [order["key"] for order in orders]
    by_id = sorted(orders, key=lambda order: order["key"])
    later = sum(1 for i, a in enumerate(by_id) for b in by_id[i + 1:] if b["at"] < a["at"])
    pairs = len(orders) * (len(orders) - 1) // 2
    return {"scheme": scheme, "orders": len(orders), "collisions": len(keys) - len(set(keys)),
            "stuck": stuck, "renumbered": renumbered, "blocked": blocked,
            "out_of_time_order": f"{later / pairs:.1%}" if pairs else "-",
            "longest": max(len(shown(scheme, order["key"])) for order in orders)}


def shown(scheme: str, key) -> str:
    """The ID as printed on the slip."""
    if scheme == "letter-series":
        return f"HQ-{key[0]}-{key[1]:06d}"
    return f"HQ-{key[0]:06d}{key[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=3)
    parser.add_argument("--per-day", type=int, default=15, help="orders a desk records a day")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--block", type=int, default=20, help="numbers a desk reserves at a time (blocks)")
    parser.add_argument("--printed", type=float, default=0.8, help="share of orders whose slip is printed at once")
    args = parser.parse_args()
    timeline = events(args.desks, args.per_day, args.days, random.Random(args.seed))
    columns = ["scheme", "orders", "collisions", "stuck", "renumbered", "blocked", "out_of_time_order", "longest"]
    print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    for scheme in ("letter-lamport", "letter-series", "blocks", "renumber"):
        row = play(scheme, timeline, args.desks, args.block, args.printed, random.Random(args.seed))
        print("| " + " | ".join(str(row[column]) for column in columns) + " |")


if __name__ == "__main__":
    main()
