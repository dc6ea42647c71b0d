"""The whole of `repairctl check` in one list: office.yaml's settings (when any is bad, only those: every
command that loads the office would stop at the first), else every order and office file; the slip
templates; an uncommitted office.yaml edit that would re-judge orders already reported; and office.yaml's
phone while it is still the shipped placeholder.

Here, above orders, because the templates and the re-judging are reports' to know.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from repairctl.errors import Problem, shown
from repairctl.office import placeholder, plans, settings
from repairctl.office.folder import CONFIG
from repairctl.orders import check as checking
from repairctl.orders import rules
from repairctl.reports import rejudging, slips
from repairctl.text.i18n import _


def problems(root: Path) -> list[Problem]:
    """Every problem and warning check reports for the office at root, in file order."""
    found = settings.problems(root / CONFIG) or checking.check_office(root)
    return sorted(found + slips.check_templates_at(root, shown) + rejudging.warnings(root)
                  + placeholder.warnings(root / CONFIG)
                  + plans.problems(root))  # equipment.yaml and plans.yaml (planned maintenance)


def text(found: list[Problem]) -> str:
    """check's lines, FILE:LINE:COL: message, a warning's message marked as one (警告：…) since it does not fail."""
    marked = _("warning: {message}").format(message="")  # the re-judging and placeholder ones say it already
    return "\n".join(str(p) if p.rule not in rules.WARNINGS or p.message.startswith(marked) else
                     str(dataclasses.replace(p, message=_("warning: {message}").format(message=p.message)))
                     for p in found)


def failing(found: list[Problem]) -> bool:
    """Whether found holds more than warnings (an unresolved merge conflict, a re-judging edit): check exits 1."""
    return any(problem.rule not in rules.WARNINGS for problem in found)
