"""Progress of long work on a terminal: one line on stderr, rewritten in place, only when stderr is a
terminal (a cron job's log or a pipe gets nothing), and only for work that takes a while.

Used where a command may run for many seconds: the first command after a clone reading every order
file (20–40 s at 100,000 orders), `import` of a long sheet, `rollup` of many offices. No library does
this small a thing without a dependency (tqdm would be one for one line).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator

from repairctl.text.cjk import width

EVERY = 0.25  # seconds between two updates: often enough to see it move, rarely enough to cost nothing


class Meter:
    """A progress line for work counted as it goes: `update(done)` when it moves, `close()` at the end.

    Silent unless stderr is a terminal (and REPAIRCTL_PROGRESS is not 0); writes at most every EVERY seconds."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.last = total, label, 0.0
        self.stream = sys.stderr
        self.on = os.environ.get("REPAIRCTL_PROGRESS") != "0" and self.stream.isatty()

    def update(self, done: int) -> None:
        """Show `label done/total` if the last update is old enough."""
        now = time.monotonic()
        if self.on and now - self.last >= EVERY:
            self.stream.write(f"\r{self.label} {done:,}/{self.total:,}")
            self.stream.flush()
            self.last = now

    def close(self) -> None:
        """Clear the line (a Chinese label takes two columns a character), if anything was shown."""
        if self.on and self.last:
            self.stream.write("\r" + " " * (width(self.label) + 2 * len(f"{self.total:,}") + 2) + "\r")
            self.stream.flush()

    def __enter__(self) -> Meter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def shown(items: Iterable, total: int, label: str) -> Iterator:
    """items as they come, `label n/total` kept up to date on a terminal's stderr (REPAIRCTL_PROGRESS=0: never)."""
    with Meter(total, label) as meter:
        if not meter.on:
            yield from items
            return
        for done, item in enumerate(items, 1):
            meter.update(done)
            yield item
