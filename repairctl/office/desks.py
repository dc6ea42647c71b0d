"""The desks of a shared office: every clone of the office is a desk with a letter of its own, and
the IDs it issues end in that letter (HQ-000124B), so two clones working offline never issue one ID.

The letter of this clone is its git config's `repairctl.desk` (the clone's own, never committed);
the letters claimed so far are the office's committed ``desks.yaml``, a line a desk, which git
merges by keeping both sides' lines (`merge=union` in .gitattributes). A letter is claimed by
committing desks.yaml and pushing it: the server takes one push at a time and refuses one made
from an older state of the office, so of two clones claiming at once one is refused; it fetches
and claims the next free letter. An office with no remote and no desk issues IDs without a letter
(the home desk), as every office did before sharing; once it has a remote, new IDs need a letter.

What `new` asks (does this clone have a letter, a remote?) is read from .git/config's text, not
from a git process: the check costs no more than reading one small file.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from repairctl.errors import OfficeError, RepairError
from repairctl.store import commits, gitlog, sync, yamlio
from repairctl.store.files import ORDERS
from repairctl.text.i18n import _

REGISTRY = "desks.yaml"
KEY = "repairctl.desk"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ATTRIBUTE = f"/{REGISTRY} merge=union"  # .gitattributes: two clones' new lines are both kept
HEADER = ("# The desks of this office (工作台): each clone issues order IDs ending in its letter, e.g. HQ-000124B.\n"
          "# `repairctl clone` and `repairctl join` add a line each; docs/sharing.md says why.\n"
          "desks:\n")
SECTION = re.compile(r'^\[\s*([A-Za-z0-9.-]+)(?:\s+"([^"]*)")?\s*\]')
LETTERED = re.compile(r"-\d{6,}([A-Z])\.yaml$")  # an order file's name with a desk letter (records.ID_RE's)


# --- this clone: its letter and whether it has a remote, from .git/config's text --------------------


def _git_dir(root: Path) -> Path | None:
    """The repository's own folder (where its config is), found as git finds it; None outside git."""
    for folder in (root, *root.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a linked work tree or a submodule: `gitdir: PATH`
            target = Path(dot.read_text("utf-8", errors="replace").partition("gitdir:")[2].strip())
            found = target if target.is_absolute() else folder / target
            common = found / "commondir"  # a linked work tree keeps its config in the main repository
            return (found / common.read_text("utf-8").strip()) if common.is_file() else found
    return None


def settings(root: Path) -> tuple[str, bool]:
    """This clone's desk letter as configured ('' for none) and whether its repository has a remote."""
    folder = _git_dir(root)
    try:
        text = (folder / "config").read_text("utf-8", errors="replace") if folder else ""
    except OSError:
        text = ""
    desk, remote, section = "", False, ("", None)
    for raw in text.splitlines():
        line = raw.strip()
        header = SECTION.match(line)
        if header:
            section = (header[1].lower(), header[2])
            if section[0] in ("include", "includeif"):  # settings in other files: git reads them all
                return _asked(root)
            continue
        key, _, value = line.partition("=")
        key = key.strip().lower()
        if key == "url" and ((section[0] == "remote" and section[1] is not None) or section[0].startswith("remote.")):
            remote = True
        elif section == ("repairctl", None) and key == "desk":
            desk = re.split(r"\s[#;]", value)[0].strip().strip('"')
    return desk, remote


def _asked(root: Path) -> tuple[str, bool]:
    """settings() as git answers it, for a config that includes other files."""
    found = gitlog.run(root, "config", "--get-regexp", r"^(repairctl\.desk|remote\..*\.url)$", check=False).stdout
    pairs = [line.partition(" ") for line in found.splitlines()]
    desk = next((value for key, _, value in pairs if key == KEY), "")
    return desk.strip(), any(key.startswith("remote.") for key, _, _ in pairs)


def letter(root: Path) -> str:
    """The letter this clone's new IDs end in: its desk's, or '' at an office no clone shares; refused
    when the office has a remote and this clone has no desk yet (it could issue another clone's IDs)."""
    desk, remote = settings(root)
    if desk and not (len(desk) == 1 and desk.upper() in LETTERS):
        raise RepairError(_("git config {key} is {desk}, not one letter A-Z: fix it with `git config {key} B`, "
                            "or remove it and run `repairctl join`").format(key=KEY, desk=repr(desk)))
    if remote and not desk:
        raise RepairError(_("this clone of the office is not set up for sharing, and it has a git remote: run "
                            "`repairctl join` (a desk letter, so its IDs never collide with another desk's, and the "
                            "merge driver, so a pull never leaves conflict markers in an order)"))
    return desk.upper()


# --- the registry: desks.yaml --------------------------------------------------------------------


def claimed(root: Path) -> dict[str, dict]:
    """The desks claimed in desks.yaml, by letter (none when there is no such file)."""
    path = root / REGISTRY
    if not path.is_file():
        return {}
    data = yamlio.load_fast(path) or {}
    desks = data.get("desks") if isinstance(data, dict) else None
    if not isinstance(desks, dict) or not all(isinstance(key, str) and key in LETTERS for key in desks):
        raise OfficeError(_("{path}: `desks:` must map desk letters A-Z to who claimed them; "
                            "restore it with `git checkout -- desks.yaml`").format(path=path))
    return {key: value if isinstance(value, dict) else {} for key, value in desks.items()}


def in_use(root: Path) -> set[str]:
    """The letters the office's order files end in: never given to another desk, even if desks.yaml lost one."""
    used = set()
    for _folder, _dirs, names in os.walk(root / ORDERS):
        used |= {found[1] for found in map(LETTERED.search, names) if found}
    return used


def choose(root: Path, wanted: str | None) -> str:
    """The letter to claim: wanted, when it is free; else the first free one."""
    taken = claimed(root)
    unusable = set(taken) | in_use(root)
    if wanted:
        wanted = wanted.strip().upper()
        if len(wanted) != 1 or wanted not in LETTERS:
            raise RepairError(_("--desk {wanted} is not one letter A-Z, e.g. B").format(wanted=repr(wanted)))
        if wanted in unusable:
            who = taken.get(wanted) or {}
            if who:
                raise RepairError(_("desk {desk} is claimed already by {clerk} on {host}: leave out --desk to take "
                                    "a free letter").format(desk=wanted, clerk=who.get("clerk"), host=who.get("host")))
            raise RepairError(_("desk {desk} is claimed already (order IDs end in it): leave out --desk to take a "
                                "free letter").format(desk=wanted))
        return wanted
    # I and O last: on a handwritten slip, HQ-000120O reads as a seventh digit
    free = [candidate for candidate in sorted(LETTERS, key="IO".__contains__) if candidate not in unusable]
    if not free:
        raise RepairError(_("all 26 desk letters are claimed in {registry}: remove the line of a desk no longer used"
                            ).format(registry=REGISTRY))
    return free[0]


def add_line(root: Path, desk: str, clerk: str, host: str, since: str) -> None:
    """Add the desk's line to desks.yaml (making the file if there is none)."""
    path = root / REGISTRY
    text = path.read_text("utf-8") if path.exists() else HEADER
    values = ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False)}"
                       for key, value in (("clerk", clerk), ("host", host), ("since", since)))
    path.write_text(text + ("" if text.endswith("\n") else "\n") + f"  {desk}: {{{values}}}\n", encoding="utf-8")


def write_attributes(root: Path) -> bool:
    """Have git merge desks.yaml by keeping both sides' lines; True if .gitattributes changed."""
    path = root / ".gitattributes"
    text = path.read_text("utf-8") if path.exists() else ""
    if ATTRIBUTE in text.splitlines():
        return False
    path.write_text(text + ("" if not text or text.endswith("\n") else "\n") + ATTRIBUTE + "\n", encoding="utf-8")
    return True


# --- claiming a letter through the remote -----------------------------------------------------------


def claim(root: Path, wanted: str | None, clerk: str, host: str, since: str) -> str:
    """Claim a desk letter for this clone: commit it to desks.yaml and push that; a push refused because
    another clone pushed first is undone, and the claim made again on what the server now holds."""
    up = sync.upstream(root)
    for _try in range(sync.TRIES):
        sync.fetch(root, up)
        sync.merge(root, up, sync.Exchanged())  # desks.yaml as the server has it
        desk = choose(root, wanted)
        existing = (root / REGISTRY).exists()
        add_line(root, desk, clerk, host, since)
        commits.commit(root, [REGISTRY], f"desk {desk}: {clerk} ({host})", author=None, existing=existing)
        if sync.push(root, up):  # pushed with -u when the branch had no upstream: it has one now
            gitlog.run(root, "config", KEY, desk)
            return desk
        gitlog.run(root, "reset", "-q", "--keep", "HEAD~1")  # the claim only: the next one starts afresh
    raise RepairError(_("{remote} kept changing while this clone claimed a desk ({tries} tries); "
                        "run the command again").format(remote=up.remote, tries=sync.TRIES))
