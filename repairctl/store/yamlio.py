"""The one YAML module: a fast safe loader for reading, a round-trip editor for writing.

Reading many files uses PyYAML's libyaml loader (ten times faster than ruamel's).
Every change goes through ruamel.yaml's round trip, so the comments, key order and
layout a clerk wrote by hand survive, and through a temporary file and ``os.replace``,
so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from repairctl.errors import FileError, OfficeError, Problem
from repairctl.store import files
from repairctl.text import money

READER = 3  # raise when parse() reads the same text differently: remembered parses are then redone

# YAML 1.2, as ruamel reads and writes it (its resolver's patterns, copied: what ruamel writes
# unquoted must read back as text here). PyYAML follows YAML 1.1, where a unit `on` is true, a
# description `12:30` the number 750 and `0301` an octal 193. Times stay text, so that a clerk's
# 2026-13-40 is the validator's to report, not the reader's to crash on.
_CORE_SCALARS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$",
     "-+0123456789"),
]
# YAML 1.1's timestamps, merge keys (`<<`) and value keys (`=`) are not YAML 1.2's: plain text here
_REPLACED = {tag for tag, _, _ in _CORE_SCALARS} | {f"tag:yaml.org,2002:{name}" for name in ("timestamp", "merge",
                                                                                          "value")}
_BASES = {"0b": 2, "0o": 8, "0x": 16}
_TAG = "tag:yaml.org,2002:"
STR, MAP, SEQ, INT, FLOAT, BOOL, NULL = (_TAG + name for name in ("str", "map", "seq", "int", "float", "bool", "null"))


def _int(text: str) -> int | str:
    """An int as ruamel reads YAML 1.2: 0b, 0o and 0x prefixes, underscores; 0301 is 301, not octal."""
    digits = text.replace("_", "")
    sign, digits = (-1, digits[1:]) if digits.startswith("-") else (1, digits.removeprefix("+"))
    base = _BASES.get(digits[:2], 10)
    try:
        return sign * int(digits[2:] if base != 10 else digits, base)
    except ValueError:  # `-_` fits the pattern but is no number: text, for the validator to judge
        return text


def _float(text: str) -> float | str:
    """A float as YAML reads it (underscores, .inf, .nan); `-._`, which fits the pattern, stays text."""
    value = text.replace("_", "").lower()
    sign = -1.0 if value.startswith("-") else 1.0
    value = value.lstrip("+-")
    if value in (".inf", ".nan"):
        return sign * float(value[1:])
    try:
        return sign * float(value)
    except ValueError:
        return text


class _Refused(Exception):
    """Raised while a node tree becomes data, for what YAML allows and an office file must not hold."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


def _data(node):
    """The value of a composed node, as YAML 1.2's core schema reads it.

    Twice as fast as PyYAML's constructor (84 µs an order against 141; its safe load with
    YAML 1.1 takes 169), since an office file holds only mappings, lists, text, numbers,
    booleans and nulls; any other tag is refused.
    """
    tag = node.tag
    if tag == STR:
        return node.value
    if tag == MAP:
        return _mapping(node)
    if tag == SEQ:
        return [_data(item) for item in node.value]
    if tag == INT:
        return _int(node.value)
    if tag == FLOAT:
        return _float(node.value)
    if tag == BOOL and node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    if tag == NULL:
        return None
    raise _Refused(node.start_mark, f"a value tagged {tag.replace(_TAG, '!!')} {node.value!r} is not one an office "
                                    "file holds: write it as plain text or a number")


def _mapping(node) -> dict:
    """A mapping, refused when a key is written twice (YAML says keys are unique; libyaml would keep the
    last in silence, so a merge "resolved" by deleting the conflict markers would leave two `status:`
    lines and the second would win) or is a list or mapping."""
    try:
        mapping = {_data(key): _data(value) for key, value in node.value}
    except TypeError:
        mapping = None  # a key that cannot be one: found below
    if mapping is not None and len(mapping) == len(node.value):  # the usual case, told without a look at each key
        return mapping
    seen: dict = {}
    for key_node, _ in node.value:
        key = _data(key_node)
        if isinstance(key, (dict, list)):
            raise _Refused(key_node.start_mark, "a key must be text or a number, not a list or mapping")
        if key in seen:
            raise _Refused(key_node.start_mark, f"duplicate key `{key}` (also at line {seen[key] + 1}); "
                                                "a merge left two versions: keep one and delete the other")
        seen[key] = key_node.start_mark.line
    raise AssertionError("a mapping shorter than its node has a key twice")


@cache
def fast_loader():
    """libyaml's safe loader, resolving YAML 1.2's core schema as ruamel does, and times as text (its
    node trees become data in _data, not in PyYAML's constructor)."""
    import yaml  # 14 ms: a command answered from the cache never parses YAML, so never pays it

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers: dict = {}
    for first, found in base.yaml_implicit_resolvers.items():
        kept = [(tag, regex) for tag, regex in found if tag not in _REPLACED]
        if kept:
            resolvers[first] = kept
    for tag, pattern, firsts in _CORE_SCALARS:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, re.compile(pattern)))
    return type("FastLoader", (base,), {"yaml_implicit_resolvers": resolvers})


BOM = "\ufeff"


def decode(data: bytes, path: Path | str) -> str:
    """Return the text of a UTF-8 file (a BOM is accepted), or raise a one-line error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileError(Problem(Path(path), line, column, "not UTF-8 text; save the file as UTF-8")) from None


def _syntax_error(path, exc) -> FileError:
    """A loader's syntax error (PyYAML's or ruamel's) as a problem where the loader noticed it."""
    if not hasattr(exc, "problem_mark"):  # a reader error: a character YAML does not allow
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        offset = getattr(exc, "position", "?")
        return FileError(Problem(Path(path), 1, 1, f"YAML syntax error: {reason} (character at offset {offset})"))
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = exc.problem or exc.context
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        what += f" ({exc.context} started at line {exc.context_mark.line + 1})"
    return FileError(Problem(Path(path), line, column, f"YAML syntax error: {what}"))


# a line git writes into a file it could not merge: `<<<<<<< ours`, `=======`, `>>>>>>> theirs`
# (and `|||||||` with diff3). At the start of a line no order file's own text can be one.
CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7}|\|{7})(?:[ \t].*)?$", re.M)


def refuse_hazards(text: str, path: Path | str) -> None:
    """Refuse, before any parse, what no office file may hold: merge conflict markers and anchors or aliases.

    Anchors and aliases are refused before anything is built from them: a 700-byte file of
    nested aliases ("billion laughs") would otherwise expand to gigabytes.
    """
    if found := CONFLICT.search(text):
        line = text.count("\n", 0, found.start()) + 1
        raise FileError(Problem(Path(path), line, 1, "unresolved merge conflict: keep the right version, delete "
                                                     "the <<<<<<< ======= >>>>>>> lines, then `repairctl check`"))
    if "&" not in text and "*" not in text:  # neither anchor nor alias possible: no second pass
        return
    import yaml

    try:
        for event in yaml.parse(text, Loader=fast_loader()):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise FileError(Problem(Path(path), mark.line + 1, mark.column + 1,
                                        f"YAML anchor or alias {sign}{event.anchor} is not allowed here; "
                                        "write the value out in full"))
    except yaml.YAMLError as exc:
        raise _syntax_error(path, exc) from None


def parse(text: str, path: Path | str = "<text>") -> Any:
    """Parse YAML text with the fast safe loader; duplicate keys, anchors and conflict markers refused."""
    import yaml

    refuse_hazards(text, path)
    try:
        tree = yaml.compose(text, Loader=fast_loader())
        return None if tree is None else _data(tree)
    except _Refused as exc:
        raise FileError(Problem(Path(path), exc.mark.line + 1, exc.mark.column + 1, exc.message)) from None
    except RecursionError:
        raise FileError(Problem(Path(path), 1, 1, "lists or mappings nested too deeply for an office file")) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(path, exc) from None


def load_fast(path: Path) -> Any:
    """Read and parse one YAML file for reading only."""
    text, _ = _read_text(path)
    return parse(text, path)


def load_remembered(path: Path, memo: Path) -> Any:
    """Read a small YAML file of settings, its parse remembered as JSON in memo beside its exact text.

    Read-only commands then import no YAML parser; a changed file, or a memo that is missing or
    damaged, is simply parsed again.
    """
    text, _ = _read_text(path)
    try:
        saved = json.loads(memo.read_text("utf-8"))
        if saved["text"] == text and saved["reader"] == READER:
            return saved["value"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    value = parse(text, path)
    try:
        dumped = json.dumps({"reader": READER, "text": text, "value": value}, ensure_ascii=False)
        if json.loads(dumped)["value"] == value:  # only what JSON gives back as it was (no int keys, no sets)
            memo.parent.mkdir(exist_ok=True)
            files.write_atomic(memo, dumped)
    except (TypeError, ValueError, OSError):
        pass  # derived data: without it the next command parses again
    return value


def compose(text: str):
    """The node tree of YAML text, with the position of every node, building no values."""
    import yaml

    try:
        return yaml.compose(text, Loader=fast_loader())
    except yaml.YAMLError as exc:
        raise _syntax_error("<text>", exc) from None


def _represent_datetime(representer, value: dt.datetime):
    # ISO 8601 with the 'T' and the offset, plain, as a clerk would type it.
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_amount(representer, value: Decimal):
    # an amount's one written form (money.written), a plain YAML number: never through float
    text = money.written(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


def _round_trip():
    # ruamel costs ~10 ms to import: only commands that write or edit pay it
    from ruamel.yaml import YAML

    rt = YAML()  # round-trip mode
    rt.width = 4096  # never fold Chinese text
    rt.preserve_quotes = True
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.representer.add_representer(dt.datetime, _represent_datetime)
    rt.representer.add_representer(Decimal, _represent_amount)
    rt.representer.ignore_aliases = lambda data: True
    return rt


def dump_text(data: Any) -> str:
    """Serialise data with the project's one round-trip dumper configuration."""
    out = io.StringIO()
    _round_trip().dump(data, out)
    return out.getvalue()


def plain(value: Any) -> Any:
    """What parse(dump_text(value)) reads back, without the round trip: times as the text written."""
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):  # and so datetime
        return value.isoformat()  # the fast loader reads times as text, and the dumper writes isoformat()
    if isinstance(value, str):
        return str(value)  # ruamel's quoted and folded strings are str subclasses
    if isinstance(value, Decimal):  # an amount, read back as the number written: 35 an int, 12.35 a float
        text = money.written(value)
        return float(text) if "." in text else int(text)
    return value


def _read_text(path: Path) -> tuple[str, bool]:
    """Return a file's text and whether it began with a byte-order mark."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise OfficeError(f"{path}: no such file") from None
    except OSError as exc:
        raise OfficeError(f"{path}: cannot read: {exc.strerror}") from None
    return decode(data, path), data.startswith(BOM.encode())


def load_round_trip(path: Path, text: str | None = None) -> Any:
    """Parse a file (or its already-read text) with the round-trip loader, for editing."""
    if text is None:
        text, _ = _read_text(path)
    refuse_hazards(text, path)
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        return _round_trip().load(text)
    except RuamelError as exc:
        raise _syntax_error(path, exc) from None
    except (ValueError, TypeError) as exc:  # a value such as the date 2026-13-40
        raise OfficeError(f"{path}: cannot read a value ({exc}); `repairctl check` shows where") from None


@contextmanager
def edit(path: Path) -> Iterator[Any]:
    """Yield the round-trip document of path; on a clean exit write it back if it changed.

    The file keeps its byte-order mark and line ends. An exception inside the block
    leaves the file untouched.
    """
    original, had_bom = _read_text(path)
    doc = load_round_trip(path, original)
    yield doc
    text = dump_text(doc)
    if "\r\n" in original:
        text = text.replace("\n", "\r\n")
    if text != original:
        files.write_atomic(path, BOM + text if had_bom else text)


# --- building round-trip documents: what ruamel needs to write an order as a person would ------


def document(comment: str, fields: dict):
    """A new mapping to write, with a comment line above it."""
    from ruamel.yaml.comments import (
        CommentedMap,  # ruamel: only commands that write pay for it
    )

    doc = CommentedMap(fields)
    doc.yaml_set_start_comment(comment)
    return doc


def block_list(items=()):
    """A list written one item a line."""
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def flow_map(**fields):
    """A mapping written on one line ({a: 1, b: 2}); None values are left out."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    # ruamel writes `? x` and `:x` plain inside {…}, where libyaml (the fast reader) refuses them
    mapping = CommentedMap((k, SingleQuotedScalarString(v) if isinstance(v, str) and v[:1] in "?:" else v)
                           for k, v in fields.items() if v is not None)
    mapping.fa.set_flow_style()
    return mapping


def insert_before(doc, anchor: str, key: str, value) -> None:
    """Set doc[key]; a key doc lacks goes just above anchor, so a file reads top-down."""
    if key in doc or anchor not in doc or not hasattr(doc, "insert"):  # a plain dict has no order to keep
        doc[key] = value
        return
    keys = list(doc)
    position = keys.index(anchor)
    doc.insert(position, key, value)
    if position:
        _keep_comment_above(doc, keys[position - 1], key)


def _keep_comment_above(doc, previous: str, inserted: str) -> None:
    """ruamel hangs the comment lines above a key on the key before it; move them to the inserted key.

    An end-of-line comment on that key (``urgency: immediate  # note``) stays where it is.
    """
    slots = doc.ca.items.get(previous)
    token = slots[2] if slots and len(slots) > 2 else None
    if token is None or "\n" not in token.value:
        return
    eol, _, below = token.value.partition("\n")
    if not below.strip():
        return
    if eol.strip():
        token.value = eol + "\n"
    else:
        slots[2] = None
    from ruamel.yaml.tokens import CommentToken

    moved = CommentToken("\n" + below, token.start_mark, None)
    doc.ca.items[inserted] = [None, None, moved, None]


# --- where a key is: the line and column `check` reports ------------------------------------------


def position(tree, keys: tuple) -> tuple[int, int]:
    """Line and column (from 1) of the deepest key of keys found in a node tree from compose()."""
    import yaml  # already loaded by compose()

    mark = tree.start_mark if tree is not None else None
    node = tree
    for key in keys:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    mark, child = key_node.start_mark, value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
            mark = child.start_mark
        if child is None:
            break
        node = child
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
