"""The repair catalogue: the office's own items (catalog.yaml) and the jobs it refers to suppliers.

Both files are hand-edited by clerks, so loading checks their structure and names the file and
the entry at fault. ``Catalogue.suggest`` turns an owner's words on the phone into likely items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from repairctl.errors import NotFound, OfficeError
from repairctl.store.state import folder as state_folder
from repairctl.store.yamlio import load_remembered
from repairctl.text.i18n import _

CATALOG = "catalog.yaml"
SUPPLIERS = "suppliers.yaml"
PER_UNIT = {"metre": "米", "bicycle": "辆"}
# Words in many item names; matching on them would rank unrelated items alike.
STOP_WORDS = ("更换", "维修", "安装", "调试", "检查", "普通", "各类", "各种", "各", "故障", "等")
KEYWORD_WEIGHT = 2  # an owner's own word for the job says more than the table's formal name
SHAPES = ({"minutes"}, {"minutes", "per"}, {"within_hours"}, {"depends_on_part"})
SHAPES_HELP = "{minutes: N}, {within_hours: N}, {minutes: N, per: metre|bicycle}, {depends_on_part: true}"


@dataclass(frozen=True)
class Item:
    """An in-house catalogue item (管理处家庭维修服务项目)."""

    code: str
    category: str
    category_name: str
    number: str
    name: str
    limit: dict | None
    remark: str | None = None
    warn_owner: bool = False
    keywords: tuple[str, ...] = ()
    in_house = True

    def limit_text(self) -> str:
        """The time limit as the table prints it, e.g. '10分钟', '1小时内'; '' when none."""
        limit = self.limit
        if limit is None:
            return ""
        if "depends_on_part" in limit:
            return "视维修部位定"
        if "within_hours" in limit:
            return f"{limit['within_hours']}小时内"
        per = f"/{PER_UNIT[limit['per']]}" if "per" in limit else ""
        return f"{limit['minutes']}分钟{per}"


@dataclass(frozen=True)
class SupplierJob:
    """A job the office refers to a professional supplier (专业供应商维修服务项目)."""

    code: str
    number: str
    name: str
    reason: str
    reason_text: str
    provider: str | None
    keywords: tuple[str, ...] = ()
    in_house = False


@dataclass(frozen=True)
class Catalogue:
    """Both lists, keyed by code, with the general remarks of each table."""

    items: dict[str, Item]
    jobs: dict[str, SupplierJob]
    categories: dict[str, str]
    notes: tuple[str, ...]
    supplier_notes: tuple[str, ...]
    # 工种 words of staff.csv a category names as its own (`trades: [空调工]`): each word so named takes
    # exactly the categories that name it, in place of orders/trades.py's default for the word
    trades: dict[str, frozenset[str]] = field(default_factory=dict)

    def lookup(self, code: str) -> Item | SupplierJob:
        """The item or supplier job with this code, in any letter case."""
        key = code.strip().upper()
        found = self.items.get(key) or self.jobs.get(key)
        if found is None:
            raise NotFound(_("unknown catalogue code {code}; see {catalog} or {suppliers}").format(
                code=repr(code), catalog=CATALOG, suppliers=SUPPLIERS))
        return found

    def suggest(self, text: str, limit: int = 3) -> list[Item | SupplierJob]:
        """The entries that best match an owner's description, best first; [] if none match."""
        heard = _tokens(text, with_chars=True)
        scored = []
        for entry in (*self.items.values(), *self.jobs.values()):
            score = sum(w for token, w in _weights(entry).items() if token in heard)
            if score:
                # On a tie the office's own item comes first: it refers out only what it cannot do.
                scored.append((-score, not entry.in_house, entry.code, entry))
        return [entry for *_, entry in sorted(scored)[:limit]]


def _tokens(text: str, with_chars: bool = False) -> set[str]:
    """Character bigrams of text (a one-character word is its own token), stop words removed."""
    text = text.lower()
    for word in STOP_WORDS:
        text = text.replace(word, " ")
    tokens: set[str] = set()
    for run in re.split(r"\W+", text):  # punctuation such as 、 splits runs like a space
        if len(run) == 1 or with_chars:
            tokens.update(run)
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def _weights(entry: Item | SupplierJob) -> dict[str, int]:
    """Each token of an entry's name and keywords, with its weight."""
    weights = dict.fromkeys(_tokens(entry.name), 1)
    for keyword in entry.keywords:
        weights.update(dict.fromkeys(_tokens(keyword), KEYWORD_WEIGHT))
    return weights


def load_catalogue(root: Path) -> Catalogue:
    """Read catalog.yaml and suppliers.yaml in the office folder root."""
    catalog_path, suppliers_path = Path(root) / CATALOG, Path(root) / SUPPLIERS
    state = state_folder(Path(root))  # parses remembered there: `show` need not load a YAML parser for them
    catalog = load_remembered(catalog_path, state / "catalog.json")
    suppliers = load_remembered(suppliers_path, state / "suppliers.json")
    whole = _("the file")  # where a missing top-level key is missing
    categories = _field(catalog_path, catalog, "categories", dict, whole)
    reasons = _field(suppliers_path, suppliers, "reasons", dict, whole)
    taken: dict[str, Path] = {}  # codes are unique across both files, since lookup() searches both
    items: dict[str, Item] = {}
    for key, category in categories.items():
        where = _("category {key}").format(key=key)
        name = _field(catalog_path, category, "name", str, where)
        for n, entry in enumerate(_field(catalog_path, category, "items", list, where), 1):
            item = _item(catalog_path, entry, _("{category} item {n}").format(category=where, n=n), str(key), name)
            items[_claim(catalog_path, taken, item.code)] = item
    jobs: dict[str, SupplierJob] = {}
    for n, entry in enumerate(_field(suppliers_path, suppliers, "jobs", list, whole), 1):
        job = _job(suppliers_path, entry, _("job {n}").format(n=n), reasons)
        jobs[_claim(suppliers_path, taken, job.code)] = job
    names = {str(key): category["name"] for key, category in categories.items()}
    return Catalogue(items, jobs, names, _notes(catalog_path, catalog), _notes(suppliers_path, suppliers),
                     _trades(catalog_path, categories))


def _trades(path: Path, categories: dict) -> dict[str, frozenset[str]]:
    """Each 工种 word the categories name under `trades:`, with the categories that name it."""
    found: dict[str, set[str]] = {}
    for key, category in categories.items():
        words = category.get("trades", [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise OfficeError(_("{path}: category {key}: `trades` must be a list of 工种 words as staff.csv "
                                "writes them, like `trades: [电工, 强电]`").format(path=path, key=key))
        for word in words:
            found.setdefault(word.strip().lower(), set()).add(str(key))
    return {word: frozenset(keys) for word, keys in found.items()}


def _field(path: Path, entry: object, key: str, kind: type, where: str):
    """entry[key], or a one-line error naming the file and the entry when it is missing or wrong."""
    value = None
    if isinstance(entry, dict):
        value = entry.get(key)
    if key == "number" and type(value) is int:
        value = f"{value:02d}"  # a 序号 typed unquoted, which YAML read as a number
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise OfficeError(_("{path}: {where}: missing or invalid `{key}`").format(path=path, where=where, key=key))
    return value


def _common(path: Path, entry: object, where: str) -> dict:
    """The fields items and jobs share, checked."""
    code = _field(path, entry, "code", str, where).strip().upper()
    keywords = entry.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise OfficeError(_("{path}: {code}: `keywords` must be a list of words, like `keywords: [水龙头, 漏水]`")
                          .format(path=path, code=code))
    name = _field(path, entry, "name", str, code)
    number = _field(path, entry, "number", str, code)
    return {"code": code, "number": number, "name": name, "keywords": tuple(keywords)}


def _item(path: Path, entry: object, where: str, category: str, category_name: str) -> Item:
    """One catalogue item, checked."""
    common = _common(path, entry, where)
    if "limit" not in entry:
        raise OfficeError(_("{path}: {code}: missing `limit` (write `limit: null` for none)").format(
            path=path, code=common["code"]))
    if not _valid_limit(entry["limit"]):
        raise OfficeError(_("{path}: {code}: unknown limit shape {limit}; use {shapes} or null").format(
            path=path, code=common["code"], limit=repr(entry["limit"]), shapes=SHAPES_HELP))
    remark = entry.get("remark")
    return Item(
        **common,
        category=category,
        category_name=category_name,
        limit=entry["limit"],
        remark=str(remark) if remark else None,
        warn_owner=entry.get("warn_owner") is True,
    )


def _valid_limit(limit: object) -> bool:
    """Whether limit is one of the table's time-limit shapes (see Item.limit_text)."""
    if limit is None:
        return True
    if not isinstance(limit, dict) or set(limit) not in SHAPES:
        return False
    numbers = [limit[k] for k in ("minutes", "within_hours") if k in limit]
    return (
        all(type(n) is int and n > 0 for n in numbers)
        and limit.get("per", "metre") in PER_UNIT
        and limit.get("depends_on_part", True) is True
    )


def _job(path: Path, entry: object, where: str, reasons: dict) -> SupplierJob:
    """One supplier job, checked."""
    common = _common(path, entry, where)
    reason = _field(path, entry, "reason", str, common["code"])
    if reason not in reasons:
        known = ", ".join(map(str, reasons))
        raise OfficeError(_("{path}: {code}: reason {reason} is not one of {known}").format(
            path=path, code=common["code"], reason=repr(reason), known=known))
    provider = entry.get("provider")
    provider = str(provider) if provider else None
    return SupplierJob(**common, reason=reason, reason_text=str(reasons[reason]), provider=provider)


def _claim(path: Path, taken: dict[str, Path], code: str) -> str:
    """Record code as used in path, refusing one already used in either file."""
    if code in taken:
        raise OfficeError(_("{path}: duplicate code {code} (already used in {file})").format(
            path=path, code=code, file=taken[code].name))
    taken[code] = path
    return code


def _notes(path: Path, data: dict) -> tuple[str, ...]:
    """The texts of a table's remarks, in order."""
    notes = data.get("notes") or []  # optional: an office may keep no general remarks
    if not isinstance(notes, list):
        raise OfficeError(_("{path}: `notes` must be a list of {shape}").format(path=path,
                                                                               shape="{number: '01', text: ...}"))
    return tuple(_field(path, note, "text", str, _("note {n}").format(n=n)) for n, note in enumerate(notes, 1))
