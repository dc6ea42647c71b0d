"""Shared fixtures: a real office folder in a real git repository, and ways to run commands on it.

The suite writes only into temporary folders: offices that live in this repository (the root,
examples/office) and the package's defaults are read from temporary copies, and the session
fails if a run created, changed or removed a file of the repository's work tree or of the
installed package (see pytest_sessionfinish).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis.configuration import set_hypothesis_home_dir

# The suite's tests read the English source messages: the language of this process is chosen once,
# at the first message, so it is set before repairctl is imported (tests/test_i18n.py runs the
# commands in Chinese in processes of their own).
os.environ["REPAIRCTL_LANG"] = "en"

import repairctl
from repairctl.cli.app import cli
from repairctl.office.folder import init_office, load_office

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(repairctl.__file__).resolve().parent
CLERK = "王小红"
# The tests' "now" (REPAIRCTL_NOW, read by repairctl.text.clock.now): after every time the tests
# record, so no --at of theirs is "in the future", and fixed, so no answer depends on the day the
# suite runs. A test about the clock itself sets or removes it with monkeypatch.
NOW = "2026-11-25T12:00:00+08:00"
GOLDEN = Path(__file__).parent / "golden"


# -- nothing written into the repository or the package -------------------------------------------

# git's own folder, the virtual environment, and what Python and pytest write as they run (bytecode,
# pytest's cache); everything else in the work tree must stay as it was
TOOL_FOLDERS = {".git", ".venv", "__pycache__", ".pytest_cache"}
REPOSITORY_STATE = pytest.StashKey[dict]()
HYPOTHESIS_HOME = pytest.StashKey[Path]()


def tree_state(top: Path) -> dict[str, tuple]:
    """Every folder and file under top but in TOOL_FOLDERS: a file's size and mtime, links not followed."""
    state: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in TOOL_FOLDERS)
        base = Path(folder)
        for name in dirs:
            state[str((base / name).relative_to(top)) + "/"] = ()
        for name in files:
            info = (base / name).lstat()
            state[str((base / name).relative_to(top))] = (info.st_size, info.st_mtime_ns)
    return state


def changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What differs between two tree_state()s, one line each: created, changed or removed."""
    return ([f"created {p}" for p in sorted(after.keys() - before.keys())]
            + [f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
            + [f"removed {p}" for p in sorted(before.keys() - after.keys())])


def repository_state() -> dict[str, tuple]:
    """The repository's work tree and git's view of it, and the installed package unless it is the
    repository's own folder (an editable install)."""
    git = ["git", "-C", str(REPO)]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # looking must not refresh the index either
    state = {f"repo/{path}": value for path, value in tree_state(REPO).items()}
    state["git HEAD"] = (subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, env=env).stdout,)
    status = subprocess.run([*git, "status", "--porcelain", "--ignored"],
                            capture_output=True, text=True, env=env).stdout.splitlines()
    state["git status"] = tuple(line for line in status if not set(Path(line[3:]).parts) & TOOL_FOLDERS)
    if PACKAGE != REPO / "repairctl":  # a regular install: site-packages/repairctl, maybe in .venv/ here
        state.update({f"package/{path}": value for path, value in tree_state(PACKAGE).items()})
    return state


def pytest_configure(config):
    # Hypothesis keeps its examples and caches in a temporary folder, not in .hypothesis/ of the
    # working folder; set before collection, when @given first looks there
    home = Path(tempfile.mkdtemp(prefix="repairctl-hypothesis-"))
    config.stash[HYPOTHESIS_HOME] = home
    set_hypothesis_home_dir(home)


def pytest_unconfigure(config):
    home = config.stash.get(HYPOTHESIS_HOME, None)
    if home:
        set_hypothesis_home_dir(None)
        shutil.rmtree(home, ignore_errors=True)


def pytest_sessionstart(session):
    session.config.stash[REPOSITORY_STATE] = repository_state()


def pytest_sessionfinish(session):
    before = session.config.stash.get(REPOSITORY_STATE, None)
    if before is None:
        return
    found = changes(before, repository_state())
    if os.environ.get("REPAIRCTL_UPDATE_GOLDEN"):  # asked to rewrite the golden files
        found = [line for line in found if not line.split(" ", 1)[1].startswith("repo/tests/golden/")]
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.ensure_newline()
            reporter.section("the tests wrote into the repository or the package", sep="=", red=True, bold=True)
            for line in found[:40]:
                reporter.line(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED



@pytest.fixture
def tree_guard() -> SimpleNamespace:
    """The session's check that nothing was written into the repository, for a test of the check itself."""
    return SimpleNamespace(state=tree_state, changes=changes)


@pytest.fixture(scope="session")
def example_office(tmp_path_factory) -> Path:
    """A copy of examples/office (827 orders), links followed and without derived state (.repairctl/),
    committed into a git repository of its own, as an office is: read it, never change it.

    (examples/office itself lies inside this repository's work tree: a command run there would
    write its cache into the repository.)"""
    target = tmp_path_factory.mktemp("example") / "office"
    shutil.copytree(REPO / "examples" / "office", target, ignore=shutil.ignore_patterns(".repairctl"))
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": CLERK, "GIT_AUTHOR_EMAIL": "clerk@example.com",
           "GIT_COMMITTER_NAME": CLERK, "GIT_COMMITTER_EMAIL": "clerk@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "examples/office"]):
        subprocess.run(["git", "-C", str(target), *args], check=True, env=env, capture_output=True)
    return target


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    """Every test gets its own HOME and git identity, and no office or wait setting from the environment."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(f"[user]\n\tname = {CLERK}\n\temail = clerk@example.com\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("REPAIRCTL_ROOT", "REPAIRCTL_GIT_LOCK_WAIT", "REPAIRCTL_RACY_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch) -> str:
    """Every test, and every command it starts in a subprocess, runs at NOW."""
    monkeypatch.setenv("REPAIRCTL_NOW", NOW)
    return NOW


@pytest.fixture(autouse=True)
def english(monkeypatch) -> None:
    """Every test, and every command it starts in a subprocess, reads English unless it asks otherwise."""
    monkeypatch.setenv("REPAIRCTL_LANG", "en")


@pytest.fixture
def no_lock_wait(monkeypatch) -> None:
    """Commands try git once when index.lock is held (REPAIRCTL_GIT_LOCK_WAIT=0), in this process and
    in the commands it starts: for a test that holds the lock itself, which no wait would see released.
    (By default a command waits 2.15 s; test_gitlog shows that wait at work.)"""
    monkeypatch.setenv("REPAIRCTL_GIT_LOCK_WAIT", "0")


class Templates:
    """Offices built once a session, through init and the commands, and copied for each test that wants
    one: the test gets its own real office and git repository at a fraction of the cost of building it.

    A copy has the template's files and .git, not its derived state (.repairctl/: the first command
    builds it again), its files are written now and git's index is refreshed, as if the office had
    been built where it lies.
    """

    def __init__(self, folder: Path):
        self.folder, self.built = folder, {}

    def put(self, name: str, build, root: Path):
        """Make root (replacing what is there) a copy of the template name, which build(Clerk) makes
        from a new office the first time; return what build returned."""
        if name not in self.built:
            shutil.rmtree(self.folder / name, ignore_errors=True)  # what a failed build left
            # a desk's own phone, as `init --phone` writes it: the shipped placeholder makes `check` warn
            template = init_office(self.folder / name, "HQ", "测试管理处", "0755-26001234")
            self.built[name] = (template, build(Clerk(template)))
        template, made = self.built[name]
        if root.exists():
            shutil.rmtree(root)
        # written now, as a checkout writes them, not with the template's older mtimes: git compares
        # times to the second, and trusts a file older than its index whose size and times match
        # (a hand edit in the second of the copy would go unseen, as it never does after a command)
        shutil.copytree(template, root, symlinks=True, copy_function=shutil.copy,
                        ignore=shutil.ignore_patterns(".repairctl"))
        subprocess.run(["git", "-C", str(root), "update-index", "-q", "--refresh"], capture_output=True)
        return made


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def office_root(tmp_path, templates) -> Path:
    """A new office folder, HQ, freshly committed: init_office's, copied (Templates)."""
    templates.put("new", lambda clerk: None, tmp_path / "office")
    return tmp_path / "office"


@pytest.fixture
def office(office_root):
    return load_office(office_root)


class Clerk:
    """A clerk at one office: types repairctl commands there (through click's CliRunner)."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, *args: str, ok: bool = True):
        result = CliRunner().invoke(cli, ["--root", str(self.root), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def new(self, *extra: str, at: str = "2026-10-05 09:00", unit: str = "3栋1201", item: str | None = "W01",
            desc: str = "厨房水龙头漏水", name: str = "张三", phone: str = "13812345678") -> str:
        """Record a request (a standard one unless told otherwise; no --item with item=None, or when
        extra holds one) and return its ID."""
        args = ["new", "--unit", unit, "--name", name, "--phone", phone, "--desc", desc, "--at", at, *extra]
        if item and "--item" not in extra:
            args += ["--item", item]
        return self(*args).stdout.splitlines()[0]

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True).stdout

    def order_file(self, order_id: str) -> Path:
        return next(self.root.glob(f"records/orders/*/*/{order_id}.yaml"))


@pytest.fixture
def clerk(office_root) -> Clerk:
    return Clerk(office_root)


@pytest.fixture
def make_clerk():
    """Clerk(root): commands on another office than the test's own (a clone, a second office)."""
    return Clerk


@pytest.fixture
def clerk_name() -> str:
    """The git user.name of every test: the author of what a command records without --by."""
    return CLERK


# -- helpers shared by several test modules, handed out as fixtures --------------------------------

def _snapshot(clerk: Clerk) -> tuple:
    """Every file's bytes in the office (less .git and .repairctl), and git's view: what must not change."""
    files = {p: p.read_bytes() for p in sorted(clerk.root.rglob("*")) if p.is_file() and ".git" not in p.parts
             and ".repairctl" not in p.parts}
    return files, clerk.git("status", "--porcelain"), clerk.git("rev-parse", "HEAD")


@pytest.fixture
def snapshot():
    """snapshot(clerk): the office's files and git state, to compare before and after a refused command."""
    return _snapshot


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REPAIRCTL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}; create it with REPAIRCTL_UPDATE_GOLDEN=1"
    assert text == path.read_text("utf-8"), f"{name} differs; REPAIRCTL_UPDATE_GOLDEN=1 regenerates it"


@pytest.fixture
def check_golden():
    """check_golden(name, text): compare text with tests/golden/name; REPAIRCTL_UPDATE_GOLDEN=1 rewrites
    the golden file instead (read the diff before committing it)."""
    return _check_golden


@pytest.fixture(scope="session")
def executable() -> str:
    """The repairctl script installed beside this Python (pip install puts it there)."""
    found = Path(sys.executable).with_name("repairctl")
    if not found.exists():
        found = shutil.which("repairctl")
    assert found, "repairctl is not installed: run pip install -e '.[test]'"
    return str(found)


# a git that says when it is about to commit and then waits: room to kill the command after it wrote
# its files, before the commit, and never while git holds index.lock (a kill then leaves the lock, as
# git would)
SLOW_GIT = """#!/bin/sh
for arg in "$@"; do case "$arg" in commit|commit-tree) : > "{marker}"; sleep 30;; esac; done
exec {git} "$@"
"""


class SlowCommands:
    """repairctl commands in subprocesses whose commit waits, to be killed between write and commit."""

    def __init__(self, clerk: Clerk, folder: Path):
        self.clerk, self.shim = clerk, folder / "shim"

    def start(self, *args: str) -> subprocess.Popen:
        if not self.shim.exists():
            self.shim.mkdir()
            real = shutil.which("git")
            (self.shim / "git").write_text(SLOW_GIT.format(git=real, marker=self.shim / "committing"))
            (self.shim / "git").chmod(0o755)
        env = {**os.environ, "PATH": f"{self.shim}:{os.environ['PATH']}", "REPAIRCTL_ROOT": str(self.clerk.root)}
        return subprocess.Popen([sys.executable, "-m", "repairctl", *args], env=env, start_new_session=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def kill_when(self, proc: subprocess.Popen, written) -> None:
        """Kill proc's whole session once written() is true and its git is about to commit."""
        deadline = time.monotonic() + 20
        while not (written() and (self.shim / "committing").exists()):
            assert time.monotonic() < deadline and proc.poll() is None, "the command never wrote the file"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()  # reaps it and closes its pipes


@pytest.fixture
def slow_commands(clerk, tmp_path) -> SlowCommands:
    """start(*args) a command on the test's office that stops before its commit; kill_when(proc, written)."""
    return SlowCommands(clerk, tmp_path)


# -- the hand-built month of test_stats and test_workbook ------------------------------------------

FORMULA = '=HYPERLINK("x")'


class Month(dict):
    """The IDs of the hand-built month's orders by number (O1 .. O14), and the text of O10."""

    formula = FORMULA


def _job(clerk: Clerk, oid: str, tech: str, assigned: str, arrived: str | None = None,
         finished: str | None = None, close: tuple = (), callback: tuple = ()) -> str:
    """Take an order through assign, visit, close and callback with the given times; a close without a
    sign-off is signed by the owner (业户)."""
    clerk("assign", oid, "--to", tech, "--at", assigned)
    if arrived:
        clerk("visit", oid, "--arrived", "--at", arrived)
    if finished:
        signed = () if {"--signed-by", "--unsigned"} & set(close) else ("--signed-by", "业户")
        clerk("close", oid, "--at", finished, *close, *signed)
    if callback:
        clerk("callback", oid, "--method", "phone", *callback)
    return oid


def build_october(clerk: Clerk) -> Month:
    """The hand-built month: one September order (for rework), twelve in October, one in November.

    Times are office time (+08:00). Arrival is due 15 min after receipt, finish 24 h after it,
    the callback 24 h after finish, an appointment at its time (5 min early .. 2 min late).
    """
    def new(unit: str, item: str | None, at: str, *extra: str, desc: str = "报修") -> str:
        return clerk.new(*extra, unit=unit, item=item, at=at, desc=desc)

    job = functools.partial(_job, clerk)
    o = Month()
    # O1, September: the job O4 repeats within the 3-month warranty
    o[1] = job(new("5栋0301", "W05", "2026-09-20 10:00"), "李师傅", "2026-09-20 10:02",
               "2026-09-20 10:10", "2026-09-20 10:40", callback=("--satisfied", "--at", "2026-09-21 09:00"))
    # O2: arrived 12 min, finished 40 min, called back satisfied same day; materials 35, labour 20
    o[2] = job(new("3栋1201", "W01", "2026-10-05 09:00"), "李师傅", "2026-10-05 09:05", "2026-10-05 09:12",
               "2026-10-05 09:40", ("--material", "水龙头:1:35", "--labour", "20"),
               ("--satisfied", "--at", "2026-10-05 15:00"))
    # O3: walk-in, arrived 30 min (late), finished 60 min; materials 2x10, labour 10; unsatisfied
    o[3] = job(new("3栋1202", "E01", "2026-10-06 10:00", "--channel", "walk-in"), "王师傅",
               "2026-10-06 10:01", "2026-10-06 10:30", "2026-10-06 11:00",
               ("--material", "灯泡:2:10", "--labour", "10"),
               ("--unsatisfied", "--reason", "到场太慢", "--at", "2026-10-06 16:00"))
    # O4: rework of O1 (same unit, same item, 18 days after O1 finished); free; arrived 14, finished 60
    o[4] = job(new("5栋0301", "W05", "2026-10-08 08:00"), "李师傅", "2026-10-08 08:05", "2026-10-08 08:14",
               "2026-10-08 09:00", ("--labour", "0"), ("--satisfied", "--at", "2026-10-08 20:00"))
    # O5: public area, staff channel, arrived 14, finished 60; materials 25; never called back
    o[5] = job(new("6栋大堂", "E09", "2026-10-10 14:00", "--public", "--channel", "staff"), "王师傅",
               "2026-10-10 14:05", "2026-10-10 14:14", "2026-10-10 15:00", ("--material", "开关面板:1:25",))
    # O6: online appointment for 10-12 09:00, arrived 08:58 (within 5 min early), finished 10:00 (18 h after
    # receipt), labour 50 left pending; called back satisfied 23 h after finish
    o[6] = job(new("7栋0802", "W09", "2026-10-11 16:00", "--channel", "online", "--appointment",
                   "2026-10-12 09:00"), "李师傅", "2026-10-11 16:10", "2026-10-12 08:58", "2026-10-12 10:00",
               ("--labour", "50", "--fee-pending"), ("--satisfied", "--at", "2026-10-13 09:00"))
    # O7: arrived at exactly 15 min (on time), finished 60; materials 2x30, labour 40, waiver 20 (director);
    # called back 48 h after finish (late)
    o[7] = job(new("8栋1501", "E18", "2026-10-15 09:00"), "王师傅", "2026-10-15 09:03", "2026-10-15 09:15",
               "2026-10-15 10:00", ("--material", "插座:2:30", "--labour", "40", "--waive", "20", "--approved-by",
                                    "赵总监", "--approver-role", "director"),
               ("--satisfied", "--at", "2026-10-17 10:00"))
    # O8: the same household as O2, another item: arrived 20 min (late), finished 25 h (late), labour 30;
    # nobody home to sign; not called back
    o[8] = job(new("3栋1201", "W07", "2026-10-20 19:00"), "李师傅", "2026-10-20 19:05", "2026-10-20 19:20",
               "2026-10-21 20:00", ("--labour", "30", "--unsigned", "业户不在家"))
    # O9: written request, dispatched, never visited (still open)
    o[9] = job(new("9栋0101", "C01", "2026-10-25 10:00", "--channel", "written"), "王师傅", "2026-10-25 10:10")
    # O10: not in the catalogue, only received; the owner's text looks like a formula
    o[10] = new("9栋0202", None, "2026-10-28 11:00", desc=FORMULA)
    # O11: cancelled before dispatch
    o[11] = new("10栋0101", "W01", "2026-10-29 09:00")
    clerk("cancel", o[11], "--reason", "业户自行修好", "--at", "2026-10-29 09:05")
    # O12: a supplier job, referred when recorded
    o[12] = new("10栋0202", "S24", "2026-10-30 10:00")
    # O13: the last minute of October, only received
    o[13] = new("11栋0101", "W01", "2026-10-31 23:59")
    # O14: the first minute of November: not in October's figures
    o[14] = new("11栋0102", "W01", "2026-11-01 00:00")
    return o


@pytest.fixture
def october(clerk, templates) -> Month:
    """The test's office holding the hand-built month (build_october); the orders' IDs by number."""
    return templates.put("october", build_october, clerk.root)


@pytest.fixture
def october_builder():
    """build_october itself, for a test that builds the month in an office of its own (another site)."""
    return build_october


def _place(clerk: Clerk, text: str, order_id: str = "HQ-000001") -> Path:
    """Put a hand-written order file into the office and commit it, as a clerk entering a paper slip."""
    path = clerk.root / "records" / "orders" / "2026" / "10" / f"{order_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    clerk.git("add", ".")
    clerk.git("commit", "-q", "-m", "补录纸质维修单")
    return path


@pytest.fixture
def place():
    """place(clerk, text, order_id): a hand-written order file, committed."""
    return _place


# -- a clerk's git commit caught in the act ----------------------------------------------------------

HOLDING_HOOK = """#!/bin/sh
: > "{folder}/hooked"; while [ ! -e "{folder}/release" ]; do sleep 0.02; done
"""


def _holding_commit(clerk: Clerk, tmp_path: Path) -> subprocess.Popen:
    """A clerk's `git commit -- x.txt` stopped in its pre-commit hook until tmp_path/release exists:
    git holds .git/index.lock all along (a partial commit does). Its own session, so that a test
    can kill it with its hook (os.killpg)."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text(HOLDING_HOOK.format(folder=tmp_path), encoding="utf-8")
    (hooks / "pre-commit").chmod(0o755)
    (clerk.root / "x.txt").write_text("x\n", encoding="utf-8")
    clerk.git("add", "x.txt")
    proc = subprocess.Popen(["git", "-C", str(clerk.root), "-c", f"core.hooksPath={hooks}", "commit", "-q", "-m", "x",
                             "--", "x.txt"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 20
    while not (tmp_path / "hooked").exists():
        assert time.monotonic() < deadline and proc.poll() is None, "the clerk's commit never reached its hook"
        time.sleep(0.02)
    assert (clerk.root / ".git" / "index.lock").exists()
    return proc


@pytest.fixture
def holding_commit():
    """holding_commit(clerk, tmp_path): a clerk's `git commit` holding git's index lock until released."""
    return _holding_commit
