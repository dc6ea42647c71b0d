"""How two versions of one order combine: every event either side added, once, in time order; the
status replayed from them through lifecycle's rules; every other field three-way, where a dispatch or
reschedule that one side alone recorded sets its field. Where they cannot combine, a Contradiction
says why in a few words, and merging.py keeps both versions in the file.

A contradiction's words become the reason the file's ``conflict:`` keeps: a record, like a commit
message, that every desk reads alike whatever its language. So it is written in Chinese, the desk's
language and the audit trail's, and never goes through the catalog; the sides keep the names
`repairctl resolve --take` knows them by, ours and theirs.

Pure: data in, data out; merging.py reads and writes the texts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from repairctl.orders import conflict, lifecycle, rules
from repairctl.text import clock, terms

OURS, THEIRS = "ours", "theirs"
# not merged as fields: the events are, and the status is replayed from them
DERIVED = ("events", "status", conflict.KEY)
# fields an event also records: changed differently on both sides, the later event's value stands
LATEST = {"appointment": ("rescheduled", "to"), "followup": ("followed_up", "note")}
# a side that alone recorded an event setting one of these set the field, even to the value it had before
RECORDED = {"technician": ("assigned", "to"), **LATEST}

class Contradiction(Exception):
    """What makes the two versions one order cannot be: said in a few words."""


@dataclass
class Event:
    at: dt.datetime
    side: str
    n: int  # its place in its side's list
    data: dict

    def __str__(self) -> str:
        """The event as a reason names it: 2026-11-20 09:05 刘芳 派工给 王师傅."""
        action = self.data.get("action")
        to = f"给 {self.data['to']}" if action == "assigned" and self.data.get("to") else ""
        return f"{clock.show(self.at)} {self.data.get('by')} {terms.label(terms.EVENT, action)}{to}"

def key_of(value) -> str:
    """A value as merging compares it: one event, or one field, written the same way."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _three_way(base: int, ours: int, theirs: int) -> int:
    """How many times a thing stays, from the times each version holds it: one side's change wins."""
    if ours == theirs or theirs == base:
        return ours
    return theirs if ours == base else max(ours, theirs)


def merged_events(base: dict, ours: dict, theirs: dict, tz: dt.tzinfo) -> list[Event]:
    """The merged history: the events both kept, and those either added (one both added, once), by time."""
    counts = [Counter(map(key_of, doc.get("events") or [])) for doc in (base, ours, theirs)]
    wanted = {key: _three_way(counts[0][key], counts[1][key], counts[2][key]) for key in counts[1] | counts[2]}
    merged = []
    for side, doc in ((OURS, ours), (THEIRS, theirs)):
        for n, event in enumerate(doc["events"]):
            if wanted.get(key := key_of(event), 0) > 0:
                wanted[key] -= 1
                merged.append(Event(clock.as_time(event["at"], tz), side, n, event))
    return sorted(merged, key=lambda event: event.at.timestamp())  # real instants; stable: ours first at a tie


def replay(events: list[Event]) -> str:
    """The status the merged events leave the order in, by lifecycle's rules; a step that cannot follow
    the one before it is a contradiction."""
    status, last = "received", events[0]
    if last.data.get("action") != "received":
        raise Contradiction(f"{last}（{last.side}）会排在受理之前")
    for event in events[1:]:
        name = event.data.get("action")
        if name == "received":
            raise Contradiction(f"受理了两次（{events[0].side}：{events[0]}；{event.side}：{event}）")
        action = rules.ACTION_OF_EVENT.get(name)
        if action is None:
            continue  # an unknown event: `check` names it, on both sides alike
        if status not in lifecycle.ALLOWED_FROM[action]:
            raise Contradiction(f"{_event(name)}（{event.side}）不能接在{_event(last.data.get('action'))}"
                                f"（{last.side}）之后")
        status, last = lifecycle.state_after(action, status, event.data), event
    return status


def fields_taken(base: dict, ours: dict, theirs: dict, events: list[Event]) -> dict[str, str]:
    """The fields whose merged value is theirs (a field theirs lacks: removed); two different changes of
    one field are a contradiction, unless an event says which came last."""
    taken = {}
    for key in dict.fromkeys([*ours, *theirs, *base]):
        if key in DERIVED:
            continue
        was, mine, their = (key_of(doc[key]) if key in doc else None for doc in (base, ours, theirs))
        mine_set, their_set = _sets(key, base, ours, theirs), _sets(key, base, theirs, ours)
        if mine == their or mine_set != their_set:  # one side alone dispatched (rescheduled): its value
            taken.update({key: THEIRS} if their_set and mine != their else {})
            continue
        if their == was and not their_set:
            continue
        latest = _latest(key, events)
        if (mine == was and not mine_set) or (latest is not None and latest == their):
            taken[key] = THEIRS
        elif latest is None or latest != mine:
            raise Contradiction(f"{terms.label(terms.FIELD, key)} 在 ours 中为 {_shown(ours, key)}，"
                                f"在 theirs 中为 {_shown(theirs, key)}")
    return taken


def _sets(key: str, base: dict, doc: dict, other: dict) -> bool:
    """Whether doc holds an event setting key (a dispatch, a reschedule) that neither base nor other holds."""
    name = RECORDED.get(key, (None,))[0]

    def setting(data: dict) -> Counter:
        return Counter(key_of(event) for event in data.get("events") or [] if event.get("action") == name)

    return name is not None and bool(setting(doc) - setting(base) - setting(other))


def _latest(key: str, events: list[Event]) -> str | None:
    """The value of key that the latest merged event recording it gives (a reschedule's new time)."""
    name, detail = LATEST.get(key, (None, None))
    found = [event.data.get(detail) for event in events if name and event.data.get("action") == name]
    return key_of(found[-1]) if found else None


def _event(name) -> str:
    return terms.label(terms.EVENT, name)


def _shown(doc: dict, key: str) -> str:
    text = " ".join(str(doc[key]).split()) if key in doc else "未填"
    return text if len(text) <= 40 else text[:40] + "…"
