"""Asking the office's cache: orders by status, month, technician and unit, and by text, name or phone
(searched in the JSON each row keeps); open clocks; one stored order; the problems `check` reports.
Every SQL over the cache's tables (orders/index.py makes them) is here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from repairctl.errors import RepairError
from repairctl.office import settings
from repairctl.office.folder import Office
from repairctl.orders import index, lifecycle, records
from repairctl.store import files
from repairctl.store.cache import peek
from repairctl.text.i18n import _
from repairctl.text.inputs import PHONE_CHARACTERS, check_text, clean, phone_digits, unit_key

if TYPE_CHECKING:
    from repairctl.orders.sla import Obligation


def iter_orders(office: Office, where: str = "1", params: tuple = (), *,
                thorough: bool = True) -> Iterator[records.Order]:
    """The readable orders matching an SQL condition on the cache's indexed columns, oldest first, one at a time
    (100,000 orders never sit in memory at once). An ID that two files claim counts once: the
    first received (twice_used_ids names both files)."""
    rows = index.cache(office).select(f"SELECT path, data, id FROM orders WHERE data IS NOT NULL AND ({where}) "
                                      "ORDER BY received IS NULL, received, id, path", params, thorough=thorough)
    seen: set[str] = set()
    for path, data, order_id in rows:
        if order_id not in seen:
            seen.add(order_id)
            yield records.Order(office.root / path, json.loads(data), office.tz)


def orders(office: Office, where: str = "1", params: tuple = (), *, thorough: bool = True) -> list[records.Order]:
    """The readable orders matching an SQL condition on the cache's indexed columns, oldest first."""
    return list(iter_orders(office, where, params, thorough=thorough))


# the fields `list --q` looks in, read from each row's JSON in one call (a JSON array of them)
SEARCHED = ("id", "unit", "name", "phone", "description")
PHONE = SEARCHED.index("phone")


def find(office: Office, *, status: str | None = None, month: str | None = None, tech: str | None = None,
         unit: str | None = None, q: str | None = None, name: str | None = None, phone: str | None = None,
         thorough: bool = True) -> Iterator[records.Order]:
    """The office's orders matching every filter given, oldest first ('open': not yet finished), one at a time.

    q is found in the ID, unit, name, phone or description, name in the name (both any case, full-width
    folded); phone compares digits, so 138-1234-5678 finds 13812345678, and part of a number finds too.
    """
    where, params = ["1"], []
    if q is not None or name is not None or phone is not None:
        _searching(office)
    if q is not None:
        condition, values = _text_search(q, settings.same_forms(office.config))
        where.append(condition)
        params += values
    if name is not None:
        where.append("has(json_extract(data, '$.name'), ?)")
        params.append(_needle("--name", name))
    if phone is not None:
        digits = phone_digits(phone)
        if not digits or not PHONE_CHARACTERS.fullmatch(clean(phone).strip()):
            raise RepairError(_("--phone {phone} is not (part of) a phone number; give its digits, e.g. --phone "
                                "138-1234-5678 or --phone 5678").format(phone=repr(phone)))
        where.append("instr(phone_digits(json_extract(data, '$.phone')), ?) > 0")
        params.append(digits)
    if status == "open":
        where.append(f"status IN ({','.join('?' * len(lifecycle.OPEN))})")
        params += lifecycle.OPEN
    elif status:
        where.append("status = ?")
        params.append(status)
    if month:
        where.append("month = ?")
        params.append(month)
    if tech:
        where.append("technician = ?")
        params.append(tech.strip())
    if unit:
        where.append("unit_key = ?")
        params.append(unit_key(unit, settings.same_forms(office.config)))
    return iter_orders(office, " AND ".join(where), tuple(params), thorough=thorough)


def _searching(office: Office) -> None:
    cache = index.cache(office)
    cache.function("has", 2, _has)
    cache.function("found", 3, _found)
    cache.function("phone_digits", 1, phone_digits)


def _has(text, needle: str) -> bool:
    # Python's NFKC and casefold, not SQLite's lower() (ASCII only): 'ＨＱ' and 'hq' find HQ
    return text is not None and needle in clean(str(text)).casefold()


def _found(fields: str | None, needle: str, digits: str) -> bool:
    """Whether the searched fields (a JSON array) hold the needle, or their phone the digits (if any)."""
    if fields is None:
        return False
    if needle in clean(fields).casefold():
        return True
    if not digits:
        return False
    # the phone cut from the array already made, not read from the row's JSON again, nor the array parsed
    # (each 100 ms at 100,000 orders): five strings are '["a","b",...]', and JSON writes no '","' inside one
    parts = fields[2:-2].split('","')
    phone = parts[PHONE] if len(parts) == len(SEARCHED) else json.loads(fields)[PHONE]  # a null or a number
    if isinstance(phone, str) and phone.isascii() and phone.isdigit() and len(phone) != 13:
        return digits in phone  # a phone stored as its digits: nothing to take off (a third of the time)
    return digits in phone_digits(phone)


def _needle(option: str, text: str, *, json_text: bool = False) -> str:
    """Typed search text as the rows are compared: cleaned, folded, and (json_text) escaped as JSON writes it."""
    needle = check_text(option, text, required=True).casefold()
    return json.dumps(needle, ensure_ascii=False)[1:-1] if json_text else needle


def _text_search(q: str, forms: bool = False) -> tuple[str, list]:
    """The condition of `--q` and its parameters."""
    fields = ", ".join(f"'$.{name}'" for name in SEARCHED)
    text = clean(q).strip()
    # '138-1234-5678' finds 13812345678: the digits of a phone-like text compared with the phone's
    digits = phone_digits(text) if PHONE_CHARACTERS.fullmatch(text) and len(phone_digits(text)) >= 3 else ""
    either, values = [f"found(json_extract(data, {fields}), ?, ?)"], [_needle("--q", q, json_text=True), digits]
    if len(text.split()) > 1:  # '3栋 1201' finds the unit 3栋1201, as the desk compares units
        either.append("instr(unit_key, ?) > 0")
        values.append(unit_key(text, forms))
    return f"({' OR '.join(either)})", values


def open_clocks(office: Office, until: dt.datetime) -> list[Obligation]:
    """Every open clock of the office due by `until` (late ones included)."""
    # sla and dateutil: 5 ms of imports that `show` and `list` need not pay
    from repairctl.orders.sla import Obligation

    rows = index.cache(office).select("SELECT order_id, unit, kind, due, holder, what, grace FROM clocks "
                                      "WHERE due_epoch <= ? ORDER BY due_epoch, path", (int(until.timestamp()),))
    # due was stored in office time with its offset: read back as it is (astimezone costs 10 ms a 5,000).
    # An ID two files claim counts once: each of its clocks at its earliest due time.
    found, seen = [], set()
    for order_id, unit, kind, due, holder, what, grace in rows:
        if (order_id, kind) not in seen:
            seen.add((order_id, kind))
            found.append(Obligation(order_id, unit, kind, dt.datetime.fromisoformat(due), None, holder, what,
                                    grace=dt.timedelta(seconds=grace)))
    return found


def stored_order(office: Office, path: Path) -> records.Order | None:
    """The order in one file as the cache holds it while the file is as it was read; else None (read the file)."""
    row = peek(office.root, "SELECT sig, data FROM orders WHERE path = ?", (str(path.relative_to(office.root)),),
               index.ROWS)
    if row is None or row[1] is None or row[0] != files.signature(path):
        return None
    return records.Order(path, json.loads(row[1]), office.tz)


def for_month(office: Office, months: list[str], since: dt.datetime) -> list[records.Order]:
    """The orders received in months, and those of the same units finished since `since` (rework)."""
    marks = ",".join("?" * len(months))
    return orders(office, f"month IN ({marks}) OR (finished >= ? AND unit_key IN "
                          f"(SELECT unit_key FROM orders WHERE month IN ({marks})))",
                  (*months, int(since.timestamp()), *months))


def problems(office: Office) -> Iterator[tuple[Path, list, list | None]]:
    """For each order file with problems: its path, its findings as stored ([rule, keys, message] each), and
    the error that kept it from being read ([line, column, message]) or None."""
    rows = index.cache(office).select("SELECT path, findings, error FROM orders "
                                      "WHERE error IS NOT NULL OR findings != '[]' ORDER BY path")
    for path, found, error in rows:
        yield office.root / path, json.loads(found or "[]"), json.loads(error) if error else None


def twice_used_ids(office: Office, *, among_open: bool = False) -> dict[str, list[Path]]:
    """The files of each order ID that more than one file claims (among_open: only IDs with an open clock)."""
    groups: dict[str, list[Path]] = {}
    # with among_open, a look-up per open clock (thousands) instead of a pass over every ID (100,000)
    ids = ("SELECT DISTINCT order_id FROM clocks c WHERE (SELECT COUNT(*) FROM orders o WHERE o.id = c.order_id) > 1"
           if among_open else "SELECT id FROM orders WHERE id != '' GROUP BY id HAVING COUNT(*) > 1")
    rows = index.cache(office).select(f"SELECT id, path FROM orders WHERE id IN ({ids}) ORDER BY id, path")
    for order_id, path in rows:
        groups.setdefault(order_id, []).append(office.root / path)
    return groups


def unreadable(office: Office, months: list[str] | None = None) -> Iterator[tuple[Path, list, list | None]]:
    """Each order file that cannot be read (queries leave it out), in months' folders (YYYY-MM) if given:
    its path, its findings ([rule, keys, message] each) and the error that stopped the reader or None."""
    rows = index.cache(office).select("SELECT path, findings, error FROM orders WHERE data IS NULL ORDER BY path")
    folders = {f"{files.ORDERS}/{month.replace('-', '/')}/" for month in months or ()}
    for path, found, error in rows:
        if months is None or path[:len(files.ORDERS) + 9] in folders:
            yield office.root / path, json.loads(found or "[]"), json.loads(error) if error else None


def strays(office: Office) -> list[Path]:
    """Files under the orders folder that are no order files, so no query sees them (refresh.py lists them)."""
    row = next(index.cache(office).select("SELECT value FROM meta WHERE key = 'strays'"), None)
    return [office.root / path for path in json.loads(row[0])] if row else []


def highest_number(office: Office, site: str) -> int:
    """The highest number of the site's ID series among the cached orders (committed changes seen)."""
    rows = index.cache(office).select("SELECT MAX(number) FROM orders WHERE site = ?", (site,), thorough=False)
    return next(rows)[0] or 0


def twice_used_in(office: Office, months: list[str]) -> dict[str, list[Path]]:
    """The files of each order ID received in months (YYYY-MM) that more than one file claims: a look-up per
    order of those months, not a pass over every ID (rollup asks it of 50 offices)."""
    marks = ",".join("?" * len(months))
    rows = index.cache(office).select(
        f"SELECT id, path FROM orders WHERE id IN (SELECT m.id FROM orders m WHERE m.month IN ({marks}) AND m.id != '' "
        "AND (SELECT COUNT(*) FROM orders o WHERE o.id = m.id) > 1) ORDER BY id, path", tuple(months))
    groups: dict[str, list[Path]] = {}
    for order_id, path in rows:
        groups.setdefault(order_id, []).append(office.root / path)
    return groups


# --- what the shell completes (cli/completion.py): the cache as it stands, no git status --------------

def ids_starting(office: Office, prefix: str) -> list[tuple[str, bool, str | None, str | None]]:
    """Each order ID beginning with prefix, open orders first, each once: (ID, open, unit, description),
    the unit and description given for open orders only (the shell shows them beside the ID)."""
    marks = ",".join("?" * len(lifecycle.OPEN))
    rows = index.cache(office).select(
        f"SELECT id, MAX(status IN ({marks})) AS open, CASE WHEN MAX(status IN ({marks})) THEN "
        "json_extract(MIN(data), '$.unit', '$.description') END FROM orders WHERE data IS NOT NULL "
        "AND substr(id, 1, ?) = ? GROUP BY id ORDER BY open DESC, id",
        (*lifecycle.OPEN, *lifecycle.OPEN, len(prefix), prefix), thorough=False)
    return [(order_id, bool(is_open), *(json.loads(shown) if shown else (None, None)))
            for order_id, is_open, shown in rows]


def technicians_seen(office: Office) -> list[tuple[str, int]]:
    """The technicians named in the orders, with how many orders each holds, most first."""
    rows = index.cache(office).select("SELECT technician, COUNT(*) FROM orders WHERE technician != '' "
                                      "GROUP BY technician ORDER BY COUNT(*) DESC, technician", thorough=False)
    return list(rows)


def months_seen(office: Office) -> list[tuple[str, int]]:
    """The months (YYYY-MM) orders were received in, with how many, the latest first."""
    rows = index.cache(office).select("SELECT month, COUNT(*) FROM orders WHERE month IS NOT NULL "
                                      "GROUP BY month ORDER BY month DESC", thorough=False)
    return list(rows)
