"""Progress of long work on a terminal: one line on stderr, rewritten in place, only when stderr is a
terminal (a cron job's log or a pipe gets nothing), and only for work that takes a while.

Used where a command may run for many seconds: the first command after a clone reading every order
file (20–40 s at 100,000 orders). No library does this small a thing without a dependency
(tqdm would be one for one line).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator

from repairctl.text.cjk import width

EVERY = 0.25  # seconds between two updates: often enough to see it move, rarely enough to cost nothing


def shown(items: Iterable, total: int, label: str) -> Iterator:
    """items as they come, `label n/total` kept up to date on a terminal's stderr (REPAIRCTL_PROGRESS=0: never)."""
    stream = sys.stderr
    if os.environ.get("REPAIRCTL_PROGRESS") == "0" or not stream.isatty():
        yield from items
        return
    last = 0.0
    try:
        for done, item in enumerate(items, 1):
            now = time.monotonic()
            if now - last >= EVERY:
                stream.write(f"\r{label} {done:,}/{total:,}")
                stream.flush()
                last = now
            yield item
    finally:
        # the line cleared: a Chinese label takes two columns a character
        stream.write("\r" + " " * (width(label) + 2 * len(f"{total:,}") + 2) + "\r")
        stream.flush()
