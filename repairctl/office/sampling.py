"""The callback sample's bands (回访抽样比例, 004 §5.4.3): office.yaml `callback_sample:`, checked, and the
number of households a month's sample must reach.

004 §5.4.3 says: 服务户数300户以上的抽样比例不低于10%，100户—300户的抽样比例不低于20%，100户以下的抽样比例
不低于30%. 以上 and 以下 include the number itself, as Chinese rules read them (民法典 第一千二百五十九条：
"民法所称的'以上'、'以下'、'以内'、'届满'，包括本数"), and 100户—300户 includes both ends; so 100 households
fall in 100户以下 and in 100户—300户, and 300 in 100户—300户 and in 300户以上. Every band is a floor
(不低于), and at 100 both floors bind: only a sample of 30% meets them both (20% breaks 100户以下's). So a
number two bands claim takes the larger share: 100 → 30%, 300 → 20% (docs/monthly.md). The default
bands say that: up to 100 → 30%, 101 to 300 → 20%, more → 10%.
"""

from __future__ import annotations

from collections.abc import Iterator

from repairctl.office.values import Whole
from repairctl.office.values import name as _name
from repairctl.office.values import shown as _shown
from repairctl.text.i18n import N_, _

KEY = "callback_sample"
# (up to this many households, inclusive; None: any number) -> percent of them to call back
DEFAULT = ((100, 30), (300, 20), (None, 10))
MAX_BANDS = 10
HOUSEHOLDS = Whole(100, 1, 1_000_000, N_("households"))
PERCENT = Whole(30, 1, 100, N_("percent"))
EXAMPLE = "[{up_to: 100, percent: 30}, {up_to: 300, percent: 20}, {percent: 10}]"
BAND = "{up_to: 100, percent: 30}"

Found = Iterator[tuple[tuple, str]]


def bands(config) -> tuple[tuple[int | None, int], ...]:
    """The bands of office.yaml (checked by findings), or the seed's: ((up_to, percent), ..., (None, percent))."""
    raw = config.get(KEY) if isinstance(config, dict) else None
    if not raw:
        return DEFAULT
    return tuple((band.get("up_to"), band["percent"]) for band in raw)


def sample_size(households: int, table=DEFAULT) -> tuple[float, int]:
    """The callback sample of 004 §5.4.3: (share, households to call back, rounded up)."""
    percent = next(p for up_to, p in table if up_to is None or households <= up_to)
    return percent / 100, -(-households * percent // 100)


def findings(config) -> Found:
    """Every problem of office.yaml's callback_sample, as (key path, message)."""
    raw = config.get(KEY) if isinstance(config, dict) else None
    if raw is None:
        return
    if not isinstance(raw, list) or not raw:
        yield (KEY,), _("callback_sample must be a list of bands, like {example}").format(example=EXAMPLE)
        return
    if len(raw) > MAX_BANDS:
        yield (KEY,), _("callback_sample has {n} bands; at most {most}").format(n=len(raw), most=MAX_BANDS)
    below = 0
    for n, band in enumerate(raw):
        last = n == len(raw) - 1
        if not isinstance(band, dict):
            yield (KEY, n), _("callback_sample[{n}] must be a band like {band}").format(n=n, band=BAND)
            continue
        for key in band:
            if key not in ("up_to", "percent"):
                yield (KEY, n, key), _("callback_sample[{n}].{key} is not a setting; a band has up_to and "
                                       "percent").format(n=n, key=_name(key))
        if "percent" not in band:
            yield (KEY, n), _("callback_sample[{n}] needs percent, the share to call back, like {band}").format(
                n=n, band=BAND)
        elif why := PERCENT.fault(band["percent"]):
            yield (KEY, n, "percent"), f"callback_sample[{n}].percent {why}"
        yield from _up_to(band, n, last, below)
        if isinstance(band.get("up_to"), int) and not HOUSEHOLDS.fault(band["up_to"]):
            below = band["up_to"]


def _up_to(band: dict, n: int, last: bool, below: int) -> Found:
    up_to = band.get("up_to")
    if last:
        if up_to is not None:  # the bands must cover every number of households
            yield (KEY, n, "up_to"), _("the last band of callback_sample covers every larger number of households: "
                                       "leave out its up_to, like {band}").format(band="{percent: 10}")
        return
    if up_to is None:
        yield (KEY, n), _("callback_sample[{n}] needs up_to, the most households of the band (the last band alone "
                          "has none)").format(n=n)
    elif why := HOUSEHOLDS.fault(up_to):
        yield (KEY, n, "up_to"), f"callback_sample[{n}].up_to {why}"
    elif up_to <= below:
        yield (KEY, n, "up_to"), _("callback_sample[{n}].up_to {value} must be more than the band above's "
                                   "{below}").format(n=n, value=_shown(up_to), below=below)
