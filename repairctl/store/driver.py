"""repairctl as git's merge driver for order files, so every merge (sync, a plain `git pull`, a
rebase) merges an order's events instead of leaving conflict markers in it.

Two halves, as git wants them: the office's ``.gitattributes`` (committed, so every clone has it)
names the driver for order files; the clone's own git config says what command the driver is.
The command is this interpreter's absolute path, so a `git pull` in a shell where the virtual
environment is not active still finds it; `sync` registers it again each time, so a moved
installation mends itself.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from repairctl.store import gitlog
from repairctl.store.files import ORDERS

NAME = "repairctl-order"
ATTRIBUTES = ".gitattributes"
LINE = f"{ORDERS}/**/*.yaml merge={NAME}"


def command() -> str:
    """The driver's command line as git runs it (through sh): base, ours (the result), theirs, path."""
    return f"{shlex.quote(sys.executable)} -m repairctl merge-driver %O %A %B %P"


def write_attributes(root: Path) -> bool:
    """Name the driver for order files in the office's .gitattributes; True if the file changed (commit it)."""
    path = root / ATTRIBUTES
    text = path.read_text("utf-8") if path.exists() else ""
    if LINE in text.splitlines():
        return False
    path.write_text(text + ("" if not text or text.endswith("\n") else "\n") + LINE + "\n", encoding="utf-8")
    return True


def register(root: Path) -> None:
    """Tell this clone's git what the driver's command is (its own config: not committed, not pushed)."""
    gitlog.run(root, "config", f"merge.{NAME}.name", "repairctl: merge an order's events by time")
    if registered(root) != command():
        gitlog.run(root, "config", f"merge.{NAME}.driver", command())


def registered(root: Path) -> str | None:
    """The driver command this clone's git runs for order files, or None when it has none."""
    found = gitlog.run(root, "config", "--get", f"merge.{NAME}.driver", check=False).stdout.strip()
    return found or None
