"""Generate the example office: a realistic, seeded month (or several) of orders.

    python examples/generate.py               # examples/office: 2026-10-01 up to 2026-11-03 10:00
    python examples/generate.py --from 2026-08 --as-of '2026-11-03 10:00' --seed 7 --out DIR

Orders are received from the first day of --from up to --as-of, and each has lived its
life up to --as-of: the last days' orders are still open, as on a real desk.

The orders are written with repairctl's own writer and are valid for `repairctl check`.
An existing records/orders/ in the target is replaced; the catalogue, suppliers and
templates of the target are links to the package defaults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

from repairctl.office.folder import load_office
from repairctl.orders import simulate
from repairctl.text import clock

HERE = Path(__file__).resolve().parent


def month_start(text: str) -> dt.date:
    year, month = map(int, text.split("-"))
    return dt.date(year, month, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", default="2026-10", help="first month, YYYY-MM")
    parser.add_argument("--as-of", default="2026-11-03 10:00", help="the moment the desk is frozen at")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "office")
    args = parser.parse_args()
    office = load_office(args.out)
    if office.orders_dir.exists():
        shutil.rmtree(office.orders_dir)
    office.orders_dir.mkdir(parents=True)
    (office.orders_dir / ".gitkeep").touch()
    as_of = clock.parse_time(args.as_of, office.tz)
    end = as_of.date() + dt.timedelta(days=1)  # orders after as_of that day are skipped
    docs = simulate.Simulator(office, seed=args.seed).orders(month_start(args.first), end, as_of)
    paths = simulate.write(office, docs)
    print(f"wrote {len(paths)} orders into {office.orders_dir}")


if __name__ == "__main__":
    main()
