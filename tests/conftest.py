"""Shared fixtures: a real office folder in a real git repository, and ways to run commands on it.

The suite writes only into temporary folders: offices that live in this repository (the root,
examples/office) and the package's defaults are read from temporary copies, and the session
fails if a run created, changed or removed a file of the repository's work tree or of the
installed package (see pytest_sessionfinish).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis.configuration import set_hypothesis_home_dir

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


def check_golden(name: str, text: str) -> None:
    """Compare text with tests/golden/name; REPAIRCTL_UPDATE_GOLDEN=1 rewrites the golden file instead."""
    path = GOLDEN / name
    if os.environ.get("REPAIRCTL_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}; create it with REPAIRCTL_UPDATE_GOLDEN=1"
    assert text == path.read_text("utf-8"), f"{name} differs; REPAIRCTL_UPDATE_GOLDEN=1 regenerates it"


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
    """The repository's work tree and git's view of it, and the installed package when it lies elsewhere."""
    git = ["git", "-C", str(REPO)]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # looking must not refresh the index either
    state = {f"repo/{path}": value for path, value in tree_state(REPO).items()}
    state["git HEAD"] = (subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, env=env).stdout,)
    status = subprocess.run([*git, "status", "--porcelain", "--ignored"],
                            capture_output=True, text=True, env=env).stdout.splitlines()
    state["git status"] = tuple(line for line in status if not set(Path(line[3:]).parts) & TOOL_FOLDERS)
    if not PACKAGE.is_relative_to(REPO):  # a regular install: site-packages/repairctl
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
    """A copy of examples/office (844 orders), links followed and without derived state (.repairctl/),
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
    """Every test gets its own HOME and git identity, and no office from the environment."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(f"[user]\n\tname = {CLERK}\n\temail = clerk@example.com\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("REPAIRCTL_ROOT", raising=False)
    return home


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch) -> str:
    """Every test, and every command it starts in a subprocess, runs at NOW."""
    monkeypatch.setenv("REPAIRCTL_NOW", NOW)
    return NOW


@pytest.fixture
def office_root(tmp_path) -> Path:
    """A new office folder, HQ, freshly committed."""
    return init_office(tmp_path / "office", "HQ", "测试管理处")


@pytest.fixture
def office(office_root):
    return load_office(office_root)


class Desk:
    """Runs repairctl commands against one office through click's CliRunner."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, *args: str, ok: bool = True):
        result = CliRunner().invoke(cli, ["--root", str(self.root), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def new(self, *extra: str, at: str = "2026-10-05 09:00") -> str:
        """Record a standard request (unit 3栋1201, item W01 unless given) and return its ID."""
        args = ["new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678", "--desc", "厨房水龙头漏水",
                "--at", at, *extra]
        if "--item" not in extra:
            args += ["--item", "W01"]
        return self(*args).stdout.splitlines()[0]

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True).stdout

    def order_file(self, order_id: str) -> Path:
        return next(self.root.glob(f"records/orders/*/*/{order_id}.yaml"))


@pytest.fixture
def desk(office_root) -> Desk:
    return Desk(office_root)
