"""The office folder: init, finding it, its settings, and the defaults shipped with the package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from repairctl.cli.app import cli
from repairctl.errors import OfficeError
from repairctl.office.folder import DEFAULTS, find_root, load_office
from repairctl.store import yamlio

REPO = Path(__file__).resolve().parents[1]


def test_init_creates_a_committed_office(tmp_path, isolated_git):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "east"), "--site", "sz01", "--name", "东区管理处"])
    assert result.exit_code == 0, result.output
    root = tmp_path / "east"
    office = load_office(root)
    assert (office.site, office.name, office.slip_copies) == ("SZ01", "东区管理处", ("业户联", "财务联", "存根联"))
    assert len(office.catalogue.items) == 43 and len(office.catalogue.jobs) == 32
    assert (root / "templates" / "slip.txt.j2").is_file() and (root / "records" / "orders").is_dir()
    assert "# 管理处配置" in (root / "office.yaml").read_text("utf-8")  # the comments came along
    import subprocess
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%s"], capture_output=True, text=True).stdout
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True).stdout
    assert log == "init: 管理处 SZ01\n" and status == ""


def test_init_refuses_an_existing_office_and_a_bad_site(office_root, tmp_path):
    assert "already an office" in CliRunner().invoke(cli, ["init", str(office_root)]).output
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x"), "--site", "../a"])
    assert result.exit_code == 1 and "site code" in result.output


def test_root_is_found_by_flag_env_or_walking_up(office_root, monkeypatch):
    deep = office_root / "records" / "orders"
    assert find_root(start=deep) == office_root
    monkeypatch.setenv("REPAIRCTL_ROOT", str(office_root))
    assert find_root(start=Path("/")) == office_root
    assert find_root(office_root) == office_root


def test_no_office_found_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 1
    assert "no office folder found" in result.output and "repairctl init" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_malformed_office_yaml_names_file_and_line(office_root):
    (office_root / "office.yaml").write_text("site: HQ\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(OfficeError, match=r"office.yaml:3:1: YAML syntax error"):
        load_office(office_root)
    result = CliRunner().invoke(cli, ["--root", str(office_root), "list"])
    assert result.exit_code == 1 and "office.yaml:3:1" in result.output


def test_the_repository_root_is_a_working_office_backed_by_the_package_defaults(tmp_path):
    source = REPO / "repairctl" / "defaults"
    for name in ("catalog.yaml", "suppliers.yaml", "office.yaml", "templates"):
        # links, not copies: the root's settings cannot drift from what init and pip ship
        assert (REPO / name).is_symlink() and (REPO / name).resolve() == (source / name).resolve(), name
    if DEFAULTS.resolve() != source.resolve():  # a regular install: its defaults are the repository's
        for name in ("catalog.yaml", "suppliers.yaml", "office.yaml",
                     *(f"templates/{t.name}" for t in (source / "templates").iterdir())):
            assert (DEFAULTS / name).read_bytes() == (source / name).read_bytes(), name
    # the root read as an office, from a copy: loading remembers parses in .repairctl/ beside office.yaml
    copy = tmp_path / "root"
    copy.mkdir()
    for name in ("office.yaml", "catalog.yaml", "suppliers.yaml"):
        shutil.copy(REPO / name, copy)
    shutil.copytree(REPO / "templates", copy / "templates")
    shutil.copytree(REPO / "records", copy / "records")
    office = load_office(copy)
    assert office.site == "HQ" and len(office.catalogue.items) == 43 and len(office.catalogue.jobs) == 32
    assert office.slip_copies == ("业户联", "财务联", "存根联")
    assert sorted(p.name for p in office.templates_dir.iterdir()) == ["note.txt.j2", "slip.html.j2", "slip.txt.j2"]


def test_an_office_configures_the_four_copies_of_003(office_root):
    with yamlio.edit(office_root / "office.yaml") as config:
        config["slip_copies"] = ["工程部联", "财务部联", "客户联", "管家部联"]
    assert load_office(office_root).slip_copies == ("工程部联", "财务部联", "客户联", "管家部联")
    assert "# 管理处配置" in (office_root / "office.yaml").read_text("utf-8")


def test_init_without_a_git_identity_writes_nothing(tmp_path, isolated_git, monkeypatch):
    (isolated_git / ".gitconfig").write_text("", encoding="utf-8")
    monkeypatch.setenv("EMAIL", "")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "office")])
    assert result.exit_code == 1 and "git config user.name" in result.output
    assert not (tmp_path / "office").exists()


def test_order_files_are_readable_like_any_saved_file(clerk):
    import os

    umask = os.umask(0o022)
    try:
        oid = clerk.new()
    finally:
        os.umask(umask)
    assert clerk.order_file(oid).stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
