"""Allow ``python -m repairctl``."""

from repairctl.cli.app import main

main()
