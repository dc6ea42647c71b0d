"""repairctl: the repair desk of a property-management office, one YAML file per work order.

The package is cut into layers, lowest first; a module imports its own layer and those
below it, never one above (tests/test_layers.py keeps this so):

    text      what a person types and reads: the desk's words, times, phones, terminal widths
    store     files, git and the derived cache, with no desk rule
    office    the office folder, its settings and its registers (catalogue, units, staff)
    orders    an order's life and its rules: states, steps, checks, clocks, writing and finding
    reports   figures and documents: monthly statistics, the workbook, slips, terminal views
    exchange  spreadsheets in and out: import an intake sheet, export orders
    cli       the commands: read options, call one library function, print

errors.py, below them all, holds the exceptions and the Problem every layer may raise or return.
"""

__version__ = "0.1.0"
