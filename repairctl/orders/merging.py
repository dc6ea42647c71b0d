"""One order changed on two machines, merged: the three-way merge git's merge driver runs for order files.

An order file is a record of events, so two versions merge by their events: every event either
side added (one both added, once), in time order, the status replayed from them through
lifecycle's rules, and every other field merged three-way (a field one side changed takes that
side's value; a dispatch or reschedule changes its field even back to the value it had, so the
technician and appointment never disagree with the events). Our version's layout and comments
are kept. When the two contradict each other (the replay fails: one side cancelled while the
other closed; a field set differently on both sides: two technicians; two different orders under
one ID; a version holding an unresolved conflict already) the result is our version as it stands
plus a top-level ``conflict:`` mapping: ``reason`` (one line) and ``theirs`` (the other version's
whole text), which `repairctl resolve` chooses between. A version holding a conflict already
keeps what it holds: the versions nest (``theirs`` holds a ``conflict:`` of its own, resolved one
level at a time), but for one the common ancestor held and a side let go with `resolve`. No
conflict marker ever appears in an order file.

Pure: texts in, text out; drive() reads and writes the files git names. No git.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from repairctl.errors import FileError, OfficeError, RepairError
from repairctl.orders import combining, conflict, rules
from repairctl.orders.combining import OURS, THEIRS
from repairctl.orders.conflict import contradiction
from repairctl.store import files, yamlio
from repairctl.text import clock
from repairctl.text.i18n import N_, _

KEY = conflict.KEY
SHOWN = 3  # a side's new events a reason names
# A conflict's reason is a record kept in the file, like a commit message: every desk reads the same words
# whatever its language, so it is written in Chinese (combining.py says more) and never translated. A
# sentence that is also an error (a version that cannot be read) is said in the reader's language, and
# recorded in Chinese.
VERSION = {OURS: N_("our version"), THEIRS: N_("their version"), "base": N_("the common ancestor")}
RECORDED = {OURS: "本机的版本", THEIRS: "另一台的版本", "base": "共同的前一版本"}
CANNOT_READ_AT = N_("{version} cannot be read: line {line}: {problem}")
CANNOT_READ = N_("{version} cannot be read: {problem}")
__all__ = ["Merged", "Unmergeable", "contradiction", "drive", "merge"]  # contradiction: for sync, from conflict.py


@dataclass
class Merged:
    """The merged file's text, and the one-line reason when it holds a conflict."""

    text: str
    conflict: str | None = None


class Unmergeable(RepairError):
    """A version that is no readable order, or a conflict that cannot take one more version.

    record is the message as a conflict's reason keeps it, in Chinese (the message is in the reader's language).
    """

    def __init__(self, message: str, record: str | None = None):
        super().__init__(message)
        self.record = record or message



def merge(base_text: str | None, ours_text: str, theirs_text: str, tz: dt.tzinfo | None = None) -> Merged:
    """Three-way merge of one order file: base (None, or empty, when both sides added it), ours, theirs."""
    tz = tz or clock.zone(clock.DEFAULT_ZONE)
    base_text = base_text or None
    readable = _readable(ours_text, theirs_text, tz)
    if isinstance(readable, Merged):
        return readable
    ours, theirs = readable
    try:
        base = _read(base_text, "base", tz) if base_text is not None else None
    except Unmergeable:
        base_text = base = None  # an ancestor no command could read: the two versions merge as if both added it
    if base is not None and KEY in base and KEY not in ours and KEY not in theirs:
        base_text, base = _chosen(base_text, base, ours, theirs, tz)
        if base_text is None:
            return _conflicted(ours_text, ours, theirs_text, theirs,
                               "它的冲突在两边作了不同的处理（各保留了另一个版本）", tz)
    if theirs_text in (ours_text, base_text):
        return Merged(ours_text, conflict.reason_of(ours))
    if ours_text == base_text:
        return Merged(theirs_text, conflict.reason_of(theirs))
    if KEY in ours or KEY in theirs:
        return _merge_held(base_text, ours_text, ours, theirs_text, theirs, tz)
    try:
        if base is None and combining.key_of(ours["events"][0]) != combining.key_of(theirs["events"][0]):
            first = [combining.Event(clock.as_time(doc["events"][0]["at"], tz), side, 0, doc["events"][0])
                     for side, doc in ((OURS, ours), (THEIRS, theirs))]
            raise combining.Contradiction(f"两张不同的维修单用了这个单号（ours：{first[0]}；theirs：{first[1]}）")
        events = combining.merged_events(base or {}, ours, theirs, tz)
        status = combining.replay(events)
        taken = combining.fields_taken(base or {}, ours, theirs, events)
    except combining.Contradiction as exc:
        return _conflicted(ours_text, ours, theirs_text, theirs, str(exc), tz)
    return Merged(_write(ours_text, theirs_text, events, status, taken))


def _readable(ours_text: str, theirs_text: str, tz: dt.tzinfo) -> tuple[dict, dict] | Merged:
    """Both versions' data; when one side's cannot be read (a hand edit gone wrong), the readable side's file
    with the other kept beside it as a conflict, so that only this order waits for a person."""
    found = {}
    for side, text in ((OURS, ours_text), (THEIRS, theirs_text)):
        try:
            found[side] = _read(text, side, tz)
        except Unmergeable as exc:
            found[side] = exc
    broken = [side for side, data in found.items() if isinstance(data, Unmergeable)]
    if not broken:
        return found[OURS], found[THEIRS]
    if len(broken) == 2:
        raise found[OURS]
    good = THEIRS if broken == [OURS] else OURS
    texts = {OURS: ours_text, THEIRS: theirs_text}
    reason = f"{found[good].get('id')}：{found[broken[0]].record}；文件显示的是可读的版本"
    return Merged(conflict.added(texts[good], reason, texts[broken[0]]), reason)


def _chosen(base_text: str, base: dict, ours: dict, theirs: dict, tz: dt.tzinfo) -> tuple[str | None, dict | None]:
    """Where the ancestor held a conflict that both sides resolved: the version both kept, as the ancestor to
    merge from; (None, None) when each kept another; the ancestor as it is when that cannot be told."""
    versions = [conflict.removed(base_text), conflict.stored(base)]
    if versions[1] is None:
        return base_text, base
    try:
        docs = [_read(text, "base", tz) for text in versions]
    except Unmergeable:  # the version kept was one no command could read: which side kept what cannot be told
        return base_text, base
    held = [Counter(map(combining.key_of, doc.get("events") or [])) for doc in docs]

    def kept(doc: dict) -> int | None:
        events = Counter(map(combining.key_of, doc.get("events") or []))
        within = [n for n, version in enumerate(held) if not version - events]
        return within[0] if len(within) == 1 else None

    choices = kept(ours), kept(theirs)
    if None in choices:
        return base_text, base
    if choices[0] != choices[1]:
        return None, None
    return versions[choices[0]], docs[choices[0]]


def _read(text: str, side: str, tz: dt.tzinfo) -> dict:
    """A version's data, if it is an order every command could read; else Unmergeable."""
    named, recorded = VERSION.get(side, VERSION["base"]), RECORDED.get(side, RECORDED["base"])
    try:
        data = yamlio.parse(text, side)
    except FileError as exc:
        line, problem = exc.problem.line, exc.problem.message
        raise Unmergeable(_(CANNOT_READ_AT).format(version=_(named), line=line, problem=problem),
                          f"{recorded}无法读取：第 {line} 行：{problem}") from None
    found = rules.check_order_data(data, Path(side), tz, None, only=rules.UNREADABLE)
    if found:
        raise Unmergeable(_(CANNOT_READ).format(version=_(named), problem=found[0].message),
                          f"{recorded}无法读取：{found[0].message}")
    return data



def _write(ours_text: str, theirs_text: str, events: list[combining.Event], status: str, taken: dict[str, str]) -> str:
    """Our file with the merged events, status and fields: its layout, comments and key order kept."""
    doc, their_doc = yamlio.load_round_trip(Path(OURS), ours_text), yamlio.load_round_trip(Path(THEIRS), theirs_text)
    seq, sides = doc["events"], {OURS: doc["events"], THEIRS: their_doc["events"]}
    # an event's end-of-line comment hangs on its place in its list: it moves with the event
    comments = {side: dict(events_of.ca.items) for side, events_of in sides.items()}
    seq[:] = [sides[event.side][event.n] for event in events]
    seq.ca.items.clear()
    seq.ca.items.update({place: comments[event.side][event.n] for place, event in enumerate(events)
                         if event.n in comments[event.side]})
    if doc.get("status") != status:
        doc["status"] = status
    for key in taken:
        if key in their_doc:
            yamlio.insert_before(doc, "events", key, their_doc[key])
        else:
            del doc[key]
    return conflict.line_ends(ours_text, yamlio.dump_text(doc))


# --- contradictions: our version, and theirs kept whole beside it -----------------------------------


def _merge_held(base_text: str | None, ours_text: str, ours: dict, theirs_text: str, theirs: dict,
                tz: dt.tzinfo) -> Merged:
    """Merge where a version holds an unresolved conflict already: the other side's text is kept beside ours."""
    if KEY in ours:
        return _ours_held(base_text, ours_text, ours, theirs_text, theirs, tz)
    if conflict.removed(theirs_text) == ours_text:  # our very version, and a conflict ours settled or never met
        settled = conflict.stored(theirs) in conflict.chain(base_text)[1:]
        return Merged(ours_text) if settled else Merged(theirs_text, conflict.reason_of(theirs))
    if conflict.stored(theirs) is not None and conflict.stored(theirs) in (base_text, ours_text):
        # their conflict is with a version ours grew from: what stands against ours is their own part
        part = conflict.removed(theirs_text)
        return _conflicted(ours_text, ours, part, yamlio.parse(part), "theirs 留下了一个先前未解决的冲突", tz)
    return _conflicted(ours_text, ours, theirs_text, theirs, "theirs 有未解决的冲突", tz)


def _ours_held(base_text: str | None, ours_text: str, ours: dict, theirs_text: str, theirs: dict,
               tz: dt.tzinfo) -> Merged:
    """Merge into our version holding an unresolved conflict. A file holds versions: its own and each its
    conflict keeps, nested. Every version either side holds stays, but one the ancestor held and a side let
    go (a resolve settled it there); what each side shows stays in any case, ours as the file's own."""
    kept = conflict.stored(ours)
    if kept is not None and kept == theirs_text:  # merged before: nothing new
        return Merged(ours_text, conflict.reason_of(ours))
    if kept is not None and kept == base_text:  # they changed the version we kept: keep the newer
        return _conflicted(ours_text, ours, theirs_text, theirs, "冲突未解决，theirs 又改了", tz)
    if kept is None:  # a block edited by hand: the version it held is gone, nothing to keep beside ours
        raise Unmergeable(_("{id} holds an unresolved conflict with no other version in it: abort (`git merge "
                            "--abort`), run `repairctl resolve {id} --take ours`, then merge again")
                          .format(id=ours.get("id")))
    held = [conflict.versions(text) for text in (base_text, ours_text, theirs_text)]
    gone = {text for text in held[0] if text not in held[1] or text not in held[2]}
    stay = list(dict.fromkeys([held[1][0], held[2][0], *(text for text in held[1] + held[2] if text not in gone)]))
    if stay == held[1]:  # theirs holds nothing ours does not
        return Merged(ours_text, conflict.reason_of(ours))
    if stay == held[2]:  # theirs went further: settled what ours still holds open (two desks, one conflict)
        return Merged(theirs_text, conflict.reason_of(theirs))
    text, reason = stay[-1], None
    for n in range(len(stay) - 2, -1, -1):  # from the innermost out: resolve takes one level at a time
        cause = "冲突未解决，theirs 也改了" if n == 0 else "先前的矛盾，仍未解决"
        merged = _conflicted(stay[n], _read(stay[n], OURS, tz), text, _read(text, THEIRS, tz), cause, tz)
        text, reason = merged.text, merged.conflict
    return Merged(text, reason)


def _conflicted(ours_text: str, ours: dict, theirs_text: str, theirs: dict, cause: str, tz: dt.tzinfo) -> Merged:
    """Our file as it stands, plus the conflict: the reason, naming what each side did, and their whole text."""
    # named for every desk that reads it later: `ours` is the version the file shows, `theirs` the one kept
    sides = (f"ours（文件显示的版本）：{_news(ours, theirs, OURS, tz)}；"
             f"theirs（保存在 conflict: 下）：{_news(theirs, ours, THEIRS, tz)}")
    reason = f"{ours.get('id')}：{cause}；{sides}"
    reason = reason if len(reason) <= 600 else reason[:600] + "…"  # one line, well within a text's limit
    return Merged(conflict.added(ours_text, reason, theirs_text), reason)


def _news(mine: dict, other: dict, side: str, tz: dt.tzinfo) -> str:
    """What one version did that the other did not: its last few events, when and by whom."""
    seen = Counter(map(combining.key_of, other.get("events") or []))
    new = []
    for n, event in enumerate(mine.get("events") or []):
        if seen[key := combining.key_of(event)]:
            seen[key] -= 1
        else:
            new.append(str(combining.Event(clock.as_time(event["at"], tz), side, n, event)))
    more = [f"更早的 {len(new) - SHOWN} 条记录"] if len(new) > SHOWN else []
    return "，".join(more + new[-SHOWN:]) or "改了字段，没有新记录"


# --- git's side: the three files it names ------------------------------------------------------------


def drive(base: Path, ours: Path, theirs: Path, name: Path) -> Merged:
    """Merge git's three files of the order at name into ours (as git's merge driver must); an Unmergeable
    version leaves ours as it is."""
    texts = [yamlio.decode(path.read_bytes(), path) for path in (base, ours, theirs)]
    merged = merge(texts[0], texts[1], texts[2], _zone(name))
    if merged.text != texts[1]:
        had_bom = ours.read_bytes().startswith(yamlio.BOM.encode())
        files.write_atomic(ours, yamlio.BOM + merged.text if had_bom else merged.text)
    return merged


def _zone(name: Path) -> dt.tzinfo:
    """The timezone of the office the file lies in (its reasons show times in it); Shanghai's if unknown."""
    for folder in Path(name).absolute().parents:
        if (folder / "office.yaml").is_file():
            try:
                return clock.zone(str(yamlio.load_fast(folder / "office.yaml").get("timezone") or clock.DEFAULT_ZONE))
            except (OfficeError, AttributeError):
                break
    return clock.zone(clock.DEFAULT_ZONE)
