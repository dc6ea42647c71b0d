"""The office folder: where it is, its configuration, its lock, and making a new one."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from repairctl.errors import OfficeError
from repairctl.office import settings
from repairctl.office.settings import SITE_RE
from repairctl.store import files, state, yamlio
from repairctl.store.files import ORDERS
from repairctl.text import clock, inputs
from repairctl.text.i18n import _

if TYPE_CHECKING:
    from repairctl.store.cache import Cache
    from repairctl.store.gitlog import Started

CONFIG = "office.yaml"
ENV_ROOT = "REPAIRCTL_ROOT"
DEFAULTS = Path(__file__).parent.parent / "defaults"  # package data: the one source of every new office's files


@dataclass
class Office:
    """An office folder and its settings."""

    root: Path
    site: str
    name: str
    phone: str
    tz: dt.tzinfo
    slip_copies: tuple[str, ...]
    future_tolerance: dt.timedelta
    config: dict = field(repr=False)
    backdate: dt.timedelta = dt.timedelta(days=settings.BACKDATE.default)  # how far back an --at may go
    # what one command holds of the office while it runs
    cache: Cache | None = field(default=None, init=False, repr=False)  # set by orders.index.cache()
    edits: Started | None = field(default=None, init=False, repr=False)  # a git status begun early
    locked: bool = field(default=False, init=False, repr=False)  # this process holds the write lock

    @property
    def orders_dir(self) -> Path:
        return self.root / ORDERS

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @cached_property
    def catalogue(self):
        from repairctl.office.catalogue import (
            load_catalogue,  # 3 ms, for the commands that look up codes
        )

        return load_catalogue(self.root)

    @cached_property
    def calendar(self):
        """calendar.yaml, checked (working hours, holidays, duty), or None when the office has none."""
        from repairctl.office import calendar  # only the commands whose clocks count working time

        return calendar.load(self.root, self.tz)

    @cached_property
    def git_head(self) -> tuple[str | None, str] | None:
        """The HEAD commit and the office's path in its repository; None outside git (asked once per command)."""
        from repairctl.store import gitlog  # 4 ms with subprocess: `show` runs no git

        return gitlog.head(self.root)

    @property
    def in_git(self) -> bool:
        """Whether the office lies in a git work tree, so changes are committed."""
        return self.git_head is not None

    def look_for_edits(self) -> None:
        """Start git looking for edited order files now, on the other core, while the command imports
        and opens its cache; the cache's refresh takes the answer (a warm overdue: 15 ms sooner)."""
        if self.in_git and self.edits is None:
            from repairctl.store import gitlog

            self.edits = gitlog.start_uncommitted(self.root, ORDERS)

    def take_edits(self) -> Started | None:
        """The git status look_for_edits() began, handed over once (None if none was begun)."""
        started, self.edits = self.edits, None
        return started

    def stop_looking(self) -> None:
        """At the command's end: stop a git status nobody took, and close the cache."""
        started = self.take_edits()
        if started:
            started.stop()
        if self.cache is not None:
            self.cache.close()

    def now(self) -> dt.datetime:
        """The current time in the office timezone."""
        return clock.now(self.tz)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the office's write lock, so two clerks' commands never interleave (re-entrant)."""
        if self.locked:
            yield
            return
        try:
            (self.root / files.STATE).mkdir(exist_ok=True)
            handle = open(self.root / files.STATE / "lock", "w")  # noqa: SIM115 - closed by the with below
        except OSError as exc:  # a read-only copy: reading it works (store/state.py), changing it cannot
            raise OfficeError(_("{root}: this office cannot be changed here: {file} ({why}); read commands still "
                                "answer").format(root=self.root, file=exc.filename, why=exc.strerror or exc)) from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self.locked = True
            try:
                yield
            finally:
                self.locked = False
                fcntl.flock(handle, fcntl.LOCK_UN)


def find_root(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The office folder: --root, else $REPAIRCTL_ROOT, else the nearest parent holding office.yaml."""
    chosen = explicit or os.environ.get(ENV_ROOT)
    if chosen:
        root = Path(chosen).expanduser()
        if not (root / CONFIG).is_file():
            raise OfficeError(_("{root}: not an office folder (no {config}); run `repairctl init {root}` first")
                              .format(root=root, config=CONFIG))
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    raise OfficeError(_("no office folder found in {here} or its parents (no {config}); pass --root DIR, set {env}, "
                        "or create one with `repairctl init DIR`").format(here=here, config=CONFIG, env=ENV_ROOT))


def load_office(root: Path) -> Office:
    """Read office.yaml in root; SettingsError (office.yaml:LINE:COL: …) when a setting is bad."""
    path = root / CONFIG
    config = yamlio.load_remembered(path, state.folder(root) / "office.json")
    settings.check(path, config)  # every value, before anything uses one or a worker process starts
    return Office(
        root=root,
        site=config["site"],
        name=config.get("name") or "",
        phone=config.get("phone") or "",
        tz=clock.zone(config.get("timezone") or clock.DEFAULT_ZONE),
        slip_copies=tuple(config.get("slip_copies") or settings.SLIP_COPIES),
        future_tolerance=dt.timedelta(minutes=settings.number(config, "future_tolerance_minutes")),
        config=config,
        backdate=dt.timedelta(days=settings.number(config, "backdate_days")),
    )


def init_office(target: Path, site: str, name: str | None = None, phone: str | None = None) -> Path:
    """Create a new office folder with the default catalogue, suppliers, templates and config."""
    site = site.upper()
    if not SITE_RE.match(site):
        raise OfficeError(_("site code {site} must be upper-case letters and digits, like HQ or SZ01").format(
            site=repr(site)))
    phone = inputs.check_phone(phone, "--phone") if phone is not None else None  # refused before a file is written
    import shutil  # init's own needs (3 ms): no other command pays them

    from repairctl.store import commits, gitlog

    target = target.expanduser().resolve()
    if (target / CONFIG).exists():
        raise OfficeError(_("{target}: already an office folder ({config} exists)").format(target=target,
                                                                                           config=CONFIG))
    use_git = shutil.which("git") is not None
    if use_git:  # a missing git identity must stop init before it writes anything
        gitlog.check_identity(next(p for p in (target, *target.parents) if p.is_dir()))
    (target / ORDERS).mkdir(parents=True, exist_ok=True)
    (target / ORDERS / ".gitkeep").touch()
    for filename in ("catalog.yaml", "suppliers.yaml"):
        (target / filename).write_bytes((DEFAULTS / filename).read_bytes())
    for filename in ("equipment.yaml", "plans.yaml"):  # planned maintenance (office/plans.py): none yet
        (target / filename).write_bytes((DEFAULTS / filename).read_bytes())
    (target / "templates").mkdir(exist_ok=True)
    for template in (DEFAULTS / "templates").iterdir():
        (target / "templates" / template.name).write_bytes(template.read_bytes())
    config = yamlio.load_round_trip(Path(CONFIG), (DEFAULTS / CONFIG).read_text("utf-8"))
    config["site"] = site
    if name:
        config["name"] = name
    if phone:
        config["phone"] = phone
    files.write_atomic(target / CONFIG, yamlio.dump_text(config))
    from repairctl.office import holidays  # the library only here and in `calendar seed`

    year = clock.now(clock.zone(config.get("timezone") or clock.DEFAULT_ZONE)).year
    holidays.new_file(target, [year, year + 1])  # the years the library has; next year's is typed in by hand
    ignore = target / ".gitignore"
    if not ignore.exists():
        ignore.write_bytes((DEFAULTS / "gitignore").read_bytes())
    if use_git:
        from repairctl.office import desks
        from repairctl.store import driver

        gitlog.init(target)
        driver.write_attributes(target)  # ready to share: git merges order files with repairctl (store/driver.py)
        desks.write_attributes(target)
        driver.register(target)
        commits.commit(target, ["."], f"init: 管理处 {site}", author=None)
    return target
