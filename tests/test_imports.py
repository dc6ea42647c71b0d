"""Start-up cost: commands import only what they use (issue 5: --help within 2x `import click`)."""

from __future__ import annotations

import subprocess
import sys

from repairctl.office.folder import init_office

HEAVY = ("openpyxl", "jinja2", "ruamel.yaml", "dateutil.parser")


def loaded_after(code: str, modules: tuple[str, ...] = HEAVY) -> set[str]:
    probe = f"import sys\n{code}\nprint('LOADED:', ' '.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.splitlines()[-1].removeprefix("LOADED:").split())


def test_help_imports_none_of_the_heavy_libraries():
    code = "from repairctl.cli.app import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    assert loaded_after(code) == set()


def test_reading_orders_does_not_import_the_writers():
    assert loaded_after("import repairctl.orders.records, repairctl.orders.sla, repairctl.reports.views") == set()


def test_a_warm_overdue_parses_no_yaml(tmp_path):
    root = init_office(tmp_path / "office", "HQ")
    code = (f"from repairctl.cli.app import cli\ntry:\n    cli(['--root', {str(root)!r}, 'overdue'])\n"
            f"except SystemExit:\n    pass")
    # the first run parses office.yaml and the catalogue and builds the cache; the next reads them from it
    assert loaded_after(code, ("yaml",)) == {"yaml"}
    assert loaded_after(code, ("yaml", "hashlib")) == set()
    # nor the rules: it names unreadable files only when there are some
    assert loaded_after(code, ("repairctl.orders.rules",)) == set()


def test_show_of_an_order_read_before_parses_no_yaml(tmp_path, monkeypatch):
    import time

    from click.testing import CliRunner

    from repairctl.cli.app import cli

    root = init_office(tmp_path / "office", "HQ")
    new = ["--root", str(root), "new", "--unit", "3栋1201", "--name", "张三", "--phone", "13812345678",
           "--desc", "厨房水龙头漏水", "--item", "W01"]
    order_id = CliRunner().invoke(cli, new).output.split()[0]
    # older than the racy window when `list` reads it, so its cached row is trusted: the window is
    # 0.2 s for the commands below (2 s by default, which they would not wait out)
    monkeypatch.setenv("REPAIRCTL_RACY_SECONDS", "0.2")
    time.sleep(0.3)
    loaded_after(f"from repairctl.cli.app import cli\ntry:\n    cli(['--root', {str(root)!r}, 'list'])\n"
                 f"except SystemExit:\n    pass")
    show = (f"from repairctl.cli.app import cli\ntry:\n    cli(['--root', {str(root)!r}, 'show', {order_id!r}])\n"
            f"except SystemExit:\n    pass")
    assert loaded_after(show, ("yaml",)) == set()


def test_new_in_a_warm_office_imports_no_yaml_reader(tmp_path):
    root = init_office(tmp_path / "office", "HQ")
    new = (f"from repairctl.cli.app import cli\ntry:\n    cli(['--root', {str(root)!r}, 'new', '--unit', '3栋1201',"
           f" '--name', '张三', '--phone', '13812345678', '--desc', '厨房水龙头漏水', '--item', 'W01', '--force'])\n"
           f"except SystemExit as exit:\n    assert not exit.code, exit.code")
    listing = (f"from repairctl.cli.app import cli\ntry:\n    cli(['--root', {str(root)!r}, 'list'])\n"
               f"except SystemExit:\n    pass")
    # the first parses office.yaml and the catalogue, list reads the new order into the cache; the next
    # new writes through ruamel and builds its answer from what it wrote, reading nothing back
    assert loaded_after(new, ("yaml",)) == {"yaml"}
    loaded_after(listing)
    assert loaded_after(new, ("yaml",)) == set()


def test_each_command_is_in_the_module_the_group_names():
    import importlib

    from repairctl.cli.app import WHERE

    listed = {command.name: module for module in set(WHERE.values())
              for command in importlib.import_module(f"repairctl.cli.{module}").COMMANDS}
    assert listed == WHERE


def test_a_command_loads_its_own_module_only(tmp_path):
    root = init_office(tmp_path / "office", "HQ")
    others = ("repairctl.cli.record", "repairctl.cli.sharing", "repairctl.cli.conflicts", "repairctl.cli.complaints",
              "repairctl.cli.plans", "repairctl.cli.upkeep", "repairctl.cli.report")
    show = (f"from repairctl.cli.app import cli\ntry:\n    cli(['--root', {str(root)!r}, 'show', 'HQ-000001'])\n"
            f"except SystemExit:\n    pass")
    assert loaded_after(show, ("repairctl.cli.read", *others)) == {"repairctl.cli.read"}
    listing = "from repairctl.cli.app import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    assert loaded_after(listing, others) == set(others)  # --help lists them all
