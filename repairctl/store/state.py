"""Where an office's derived state is kept: its own ``.repairctl/``, or the user's cache folder.

Derived state (the cache of parsed orders, its lock, the remembered parses of the settings) is
never committed and can always be made again. A command keeps it in the office's ``.repairctl/``
when it can write there; a supervisor reading a read-only copy of an office (a mount, another
user's folder, a CD) cannot, so it goes to ``$XDG_CACHE_HOME/repairctl/<key>/`` (default
``~/.cache``), the key made from the office's absolute path: read commands answer all the same.
Writing commands need the office itself writable and never use this.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from repairctl.errors import OfficeError
from repairctl.store.files import STATE
from repairctl.text import oserrors
from repairctl.text.i18n import _


def folder(root: Path) -> Path:
    """The folder for root's derived state: root/.repairctl if it is writable or can be made, else the user's."""
    own = root / STATE
    if own.is_dir():
        writable = os.access(own, os.W_OK | os.X_OK)
    else:  # not there yet: can it be made?
        writable = not own.exists() and os.access(root, os.W_OK | os.X_OK)
    if writable:
        return own
    theirs = users(root)
    with contextlib.suppress(OfficeError):  # made now, for the user alone, before a remembered parse lands in it
        made(theirs)
    return theirs


def users(root: Path) -> Path:
    """The folder in the user's cache folder that stands for root/.repairctl when that cannot be written."""
    import hashlib  # only a read-only office pays for it (a warm `overdue` imports no hashlib)
    import re

    base = os.environ.get("XDG_CACHE_HOME", "")
    # the XDG rule: a relative path in the variable is to be ignored
    base = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    absolute = os.path.abspath(root)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(absolute).name)[:40] or "office"
    return base / "repairctl" / f"{readable}-{hashlib.sha256(absolute.encode()).hexdigest()[:16]}"


def made(path: Path) -> Path:
    """path, a state folder, created if missing; in the user's cache folder, for the user alone (it holds
    owners' names and phones)."""
    try:
        if path.name == STATE:
            path.mkdir(exist_ok=True)
        else:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OfficeError(_("{path}: cannot keep the office's cache here ({reason}); "
                            "set XDG_CACHE_HOME to a folder you can write")
                          .format(path=path, reason=oserrors.reason(exc))) from None
    return path
