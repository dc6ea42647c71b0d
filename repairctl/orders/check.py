"""Checking a whole office: its settings, catalogue, suppliers and every order, in one run."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from repairctl.errors import FileError, OfficeError, Problem, RepairError, shown
from repairctl.office import calendarcheck, registry, settings
from repairctl.office.folder import CONFIG, load_office
from repairctl.orders import complaintindex, query, rules
from repairctl.orders.reading import STRAY, place
from repairctl.store import files, gitlog, journal
from repairctl.text.i18n import _

HOOK_MARK = "# installed by repairctl check --install-hook"


def _as_problem(exc: OfficeError, path: Path) -> Problem:
    """An error from loading path, as a Problem at its position (the top of the file if unknown)."""
    if isinstance(exc, FileError):
        return Problem(shown(exc.problem.path), exc.problem.line, exc.problem.column, exc.problem.message)
    message = str(exc).removeprefix(f"{path}: ")
    return Problem(shown(path), 1, 1, message)


def check_office(root: Path) -> list[Problem]:
    """Every problem in the office folder at root, sorted by file and line."""
    try:
        office = load_office(root)
    except OfficeError as exc:
        return [_as_problem(exc, root / CONFIG)]
    try:
        office.catalogue  # noqa: B018 - load it now: a broken catalogue is reported on its own
    except OfficeError as exc:
        return [_as_problem(exc, _culprit(exc, root))]
    problems = calendarcheck.problems(root, office.config, office.now().date())  # calendar.yaml, and December's
    if calendarcheck.blocking(root, office.config, problems):
        return sorted(problems)  # every clock counting working time needs it: the orders are read once it is good
    for path, found, error in query.problems(office):
        findings = [rules.Finding(rule, tuple(keys), message) for rule, keys, message in found]
        if error:
            problems.append(Problem(shown(path), *error))
        problems += place(path, findings, shown(path)) if findings else []
    for order_id, paths in query.twice_used_ids(office).items():
        for path in paths[1:]:
            problems.append(Problem(shown(path), 1, 1, _("ID {id} is used twice (also {path}); give one a new ID")
                                    .format(id=order_id, path=shown(paths[0]))))
    note = journal.pending(root) if office.in_git else None
    if note:
        problems.append(Problem(shown(root / note["path"]), 1, 1, journal.advice(note)))
    problems += _registry_problems(office) + _leftovers(office)
    problems += complaintindex.read_all(office)[1]  # complaint files (issue 15 §3)
    return sorted(problems)


def _leftovers(office) -> list[Problem]:
    """A killed command's temporary files, order files git has that the folder lacks, and files under
    records/orders/ that are no order file (a `git mv` into a subfolder, a .yml): reads never see them."""
    temporary = _("a temporary file left by an interrupted command; the file it was to replace is intact: "
                  "delete this one")
    problems = [Problem(shown(path), 1, 1, temporary) for path in files.leftover_temps(office.root)]
    if office.in_git:  # in git's index, not in the folder: deleted by hand, not yet by `git rm`
        gone = gitlog.run(office.root, "ls-files", "--deleted", "-z", "--", files.ORDERS).stdout.split("\0")
        missing = _("in git but missing from the folder: restore it with `git checkout -- {path}`, or delete it "
                    "for good with `git rm {path}`")
        problems += [Problem(shown(office.root / path), 1, 1, missing.format(path=path)) for path in gone if path]
    problems += [Problem(shown(office.root / path), 1, 1, _(STRAY)) for path in files.strays(office.root)[0]]
    return problems


def hook_path(root: Path) -> Path | None:
    """Where the office's git pre-commit hook is (None outside git)."""
    result = gitlog.run(root, "rev-parse", "--git-path", "hooks", check=False)
    if result.returncode != 0:
        return None
    hooks = Path(result.stdout.strip())
    return (hooks if hooks.is_absolute() else root / hooks) / "pre-commit"


def has_hook(root: Path) -> bool | None:
    """Whether `check` is the office's pre-commit hook (None outside git)."""
    hook = hook_path(root)
    return None if hook is None else hook.is_file() and HOOK_MARK in hook.read_text("utf-8", errors="replace")


def _registry_problems(office) -> list[Problem]:
    """Every problem of units.csv and staff.csv, and each order whose technician staff.csv lacks."""
    reg = registry.load(office.root, shown, settings.same_forms(office.config))
    problems = list(reg.problems)
    for order in query.find(office) if reg.staff is not None else []:
        name = order.get("technician")
        if name is not None and str(name).strip() not in reg.staff:
            finding = rules.Finding("technician", ("technician",),
                                    _("technician {name} is not in records/{file}; add a line for them there, or "
                                      "correct the name").format(name=name, file=registry.STAFF))
            problems += place(order.path, [finding], shown(order.path))
    return problems


def _culprit(exc: OfficeError, root: Path) -> Path:
    """Which of the catalogue files an error is about."""
    return root / ("suppliers.yaml" if "suppliers.yaml" in str(exc) else "catalog.yaml")


def install_hook(root: Path) -> Path:
    """Install `repairctl check` as the git pre-commit hook, so a broken hand edit cannot be committed."""
    hook = hook_path(root)
    if hook is None:
        raise RepairError(_("{root} is not in a git repository; run `git init` first").format(root=root))
    hooks = hook.parent
    if hook.exists() and HOOK_MARK not in hook.read_text("utf-8", errors="replace"):
        raise RepairError(_("{hook} exists and is not repairctl's; add `repairctl --root {root} check` to it by hand")
                          .format(hook=hook, root=root))
    hooks.mkdir(parents=True, exist_ok=True)
    prefix = gitlog.head(root)[1]
    python = shlex.quote(sys.executable)
    toplevel = '"$(git rev-parse --show-toplevel)"'
    office = f"{toplevel}/{shlex.quote(prefix)}" if prefix else toplevel
    # said by git at a commit, long after this command: in the language of whoever installed the hook
    missing = shlex.quote(_("pre-commit: repairctl is not installed any more, so the order files were not checked"))
    hook.write_text(
        f"#!/bin/sh\n{HOOK_MARK}: refuse a commit that breaks an order file\n"
        f"if [ -x {python} ]; then exec {python} -m repairctl --root {office} check; fi\n"
        f"if command -v repairctl >/dev/null 2>&1; then exec repairctl --root {office} check; fi\n"
        f"echo {missing} >&2\n",
        encoding="utf-8")
    os.chmod(hook, 0o755)
    return hook
