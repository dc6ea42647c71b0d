"""Allow ``python -m repairctl``."""

from repairctl.cli import main

main()
