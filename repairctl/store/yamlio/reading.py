"""Reading office files fast and strictly: text, hazards refused before parsing, data, positions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from repairctl.errors import FileError, OfficeError, Problem
from repairctl.store import files
from repairctl.store.yamlio.faults import said
from repairctl.store.yamlio.nodes import READER, Refused, data_of, fast_loader
from repairctl.text import oserrors
from repairctl.text.i18n import _

BOM = "\ufeff"


def decode(data: bytes, path: Path | str) -> str:
    """Return the text of a UTF-8 file (a BOM is accepted), or raise a one-line error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileError(Problem(Path(path), line, column, _("not UTF-8 text; save the file as UTF-8"))) from None


def syntax_error(path, exc) -> FileError:
    """A loader's syntax error (PyYAML's or ruamel's) as a problem where the loader noticed it."""
    if not hasattr(exc, "problem_mark"):  # a reader error: a character YAML does not allow
        reason = said(getattr(exc, "reason", None)) or str(exc).splitlines()[0]
        offset = getattr(exc, "position", "?")
        return FileError(Problem(Path(path), 1, 1, _("YAML syntax error: {reason} (character at offset {offset})")
                                 .format(reason=reason, offset=offset)))
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = said(exc.problem or exc.context)
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        what = _("{problem} ({context} started at line {line})").format(problem=what, context=said(exc.context),
                                                                        line=exc.context_mark.line + 1)
    return FileError(Problem(Path(path), line, column, _("YAML syntax error: {reason}").format(reason=what)))


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
        raise FileError(Problem(Path(path), line, 1, _("unresolved merge conflict: keep the right version, delete "
                                                       "the <<<<<<< ======= >>>>>>> lines, then `repairctl check`")))
    if "&" not in text and "*" not in text:  # neither anchor nor alias possible: no second pass
        return
    import yaml

    try:
        for event in yaml.parse(text, Loader=fast_loader()):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise FileError(Problem(Path(path), mark.line + 1, mark.column + 1,
                                        _("YAML anchor or alias {name} is not allowed here; "
                                          "write the value out in full").format(name=sign + event.anchor)))
    except yaml.YAMLError as exc:
        raise syntax_error(path, exc) from None


def parse(text: str, path: Path | str = "<text>") -> Any:
    """Parse YAML text with the fast safe loader; duplicate keys, anchors and conflict markers refused."""
    import yaml

    refuse_hazards(text, path)
    try:
        tree = yaml.compose(text, Loader=fast_loader())
        return None if tree is None else data_of(tree)
    except Refused as exc:
        raise FileError(Problem(Path(path), exc.mark.line + 1, exc.mark.column + 1, exc.message)) from None
    except RecursionError:
        raise FileError(Problem(Path(path), 1, 1, _("lists or mappings nested too deeply for an office file"))
                        ) from None
    except yaml.YAMLError as exc:
        raise syntax_error(path, exc) from None


def load_fast(path: Path) -> Any:
    """Read and parse one YAML file for reading only."""
    text, _ = read_text(path)
    return parse(text, path)


def load_remembered(path: Path, memo: Path) -> Any:
    """Read a small YAML file of settings, its parse remembered as JSON in memo beside its exact text.

    Read-only commands then import no YAML parser; a changed file, or a memo that is missing or
    damaged, is simply parsed again.
    """
    text, _ = read_text(path)
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
        raise syntax_error("<text>", exc) from None


def read_text(path: Path) -> tuple[str, bool]:
    """Return a file's text and whether it began with a byte-order mark."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise OfficeError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise OfficeError(_("{path}: cannot read: {reason}").format(path=path, reason=oserrors.reason(exc))) from None
    return decode(data, path), data.startswith(BOM.encode())


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
