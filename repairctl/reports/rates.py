"""The one way a report makes a rate: part / whole to 4 places, none when there is nothing to judge.

Every figure of monthly (stats, worktime, inspection, maintenance, complaints) and of the company's total
rounds alike, so a rate made again from summed counts equals an office's made from its own.
"""

from __future__ import annotations


def rate(part: int, whole: int) -> float | None:
    """part / whole as a fraction to 4 places; None when whole is 0."""
    return round(part / whole, 4) if whole else None
