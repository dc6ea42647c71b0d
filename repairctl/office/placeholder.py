"""The office's own details still left at the shipped ones: `check` warns while office.yaml's phone is the
placeholder '0755-00000000', which the message note (留言条) would print for an owner to call back.

A warning (rule `placeholder`, one of orders/rules.py's WARNINGS): `check` exits 0 for it alone, so the
pre-commit hook still lets work be committed in an office whose phone is not filled in yet; `init --phone`
writes the number at the start.
"""

from __future__ import annotations

from pathlib import Path

from repairctl.errors import OfficeError, Problem, shown
from repairctl.store import yamlio
from repairctl.text import inputs
from repairctl.text.i18n import _

PHONE = "0755-00000000"  # repairctl/defaults/office.yaml's phone
RULE = "placeholder"


def is_placeholder(phone) -> bool:
    """Whether phone is the shipped placeholder, however it is written (0755 0000 0000, +86 755 …)."""
    return isinstance(phone, str) and inputs.phone_digits(phone) == inputs.phone_digits(PHONE)


def warnings(path: Path) -> list[Problem]:
    """A warning at office.yaml's phone while it is the placeholder; [] otherwise, or when the file is bad."""
    try:
        config = yamlio.load_fast(path)
        phone = config.get("phone") if isinstance(config, dict) else None
        if not is_placeholder(phone):
            return []
        tree = yamlio.compose(yamlio.decode(path.read_bytes(), path))
    except (OfficeError, OSError):  # an unreadable office.yaml is named by the settings' check
        return []
    message = _("phone is still the placeholder {phone}, which the message note prints for the owner to call; "
                "write the desk's number, like phone: '0755-12345678'").format(phone=PHONE)
    return [Problem(shown(path), *yamlio.position(tree, ("phone",)), _("warning: {message}").format(message=message),
                    RULE)]
