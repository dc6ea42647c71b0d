"""The merge driver's registration: .gitattributes names it for order files, the clone's config runs it."""

from __future__ import annotations

import subprocess

from repairctl.store import driver


def test_attributes_name_the_driver_for_order_files_once(tmp_path):
    (tmp_path / ".gitattributes").write_text("*.png binary", encoding="utf-8")  # a line of the office's own
    assert driver.write_attributes(tmp_path) is True
    assert driver.write_attributes(tmp_path) is False  # twice is once
    assert (tmp_path / ".gitattributes").read_text("utf-8") == f"*.png binary\n{driver.LINE}\n"


def test_git_runs_the_driver_for_an_order_file_and_no_other(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert driver.registered(tmp_path) is None
    driver.write_attributes(tmp_path)
    driver.register(tmp_path)
    assert driver.registered(tmp_path) == driver.command()

    def attribute(path: str) -> str:
        out = subprocess.run(["git", "-C", str(tmp_path), "check-attr", "merge", "--", path],
                             capture_output=True, text=True, check=True).stdout
        return out.rsplit(": ", 1)[1].strip()

    assert attribute("records/orders/2026/11/HQ-000001.yaml") == driver.NAME
    assert attribute("office.yaml") == "unspecified"
    assert attribute("records/units.csv") == "unspecified"
