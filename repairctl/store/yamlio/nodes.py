"""YAML 1.2's core schema over libyaml: the fast loader's resolvers, and its node trees made into data.

PyYAML follows YAML 1.1 and builds values through a general constructor; an office file holds
only mappings, lists, text, numbers, booleans and nulls, read as ruamel (the writer) reads them.
"""

from __future__ import annotations

import re
from functools import cache

from repairctl.text.i18n import _

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


class Refused(Exception):
    """Raised while a node tree becomes data, for what YAML allows and an office file must not hold."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


def data_of(node):
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
        return [data_of(item) for item in node.value]
    if tag == INT:
        return _int(node.value)
    if tag == FLOAT:
        return _float(node.value)
    if tag == BOOL and node.value.lower() in ("true", "false"):
        return node.value.lower() == "true"
    if tag == NULL:
        return None
    raise Refused(node.start_mark, _("a value tagged {tag} {value} is not one an office file holds: "
                                     "write it as plain text or a number").format(tag=tag.replace(_TAG, "!!"),
                                                                                  value=repr(node.value)))


def _mapping(node) -> dict:
    """A mapping, refused when a key is written twice (YAML says keys are unique; libyaml would keep the
    last in silence, so a merge "resolved" by deleting the conflict markers would leave two `status:`
    lines and the second would win) or is a list or mapping."""
    try:
        mapping = {data_of(key): data_of(value) for key, value in node.value}
    except TypeError:
        mapping = None  # a key that cannot be one: found below
    if mapping is not None and len(mapping) == len(node.value):  # the usual case, told without a look at each key
        return mapping
    seen: dict = {}
    for key_node, _value in node.value:
        key = data_of(key_node)
        if isinstance(key, (dict, list)):
            raise Refused(key_node.start_mark, _("a key must be text or a number, not a list or mapping"))
        if key in seen:
            raise Refused(key_node.start_mark, _("duplicate key `{key}` (also at line {line}); "
                                                 "a merge left two versions: keep one and delete the other")
                          .format(key=key, line=seen[key] + 1))
        seen[key] = key_node.start_mark.line
    raise AssertionError("a mapping shorter than its node has a key twice")


@cache
def fast_loader():
    """libyaml's safe loader, resolving YAML 1.2's core schema as ruamel does, and times as text (its
    node trees become data in data_of, not in PyYAML's constructor)."""
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
