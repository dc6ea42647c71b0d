"""Spreadsheets in and out: new orders from an intake sheet (intake) and orders as CSV for
Excel (export).

Belongs here: moving orders between repairctl and the office's other tools.
May import: every layer but cli.
"""
