"""Spikes in an evenly spaced series: hourly mention counts, daily negative share, ...

A point is a spike when its value is above mean + k * sigma of the `window` points before
it (never including itself) and at least `min_count`. This is the rule of Huginn's
PeakDetectorAgent and of the "k standard deviations above the last 7 days" alerts of
listening tools, reported on the point itself rather than one point late.

- sigma is the *sample* standard deviation (divided by n - 1): a short history
  underestimates the spread, and the population formula would alert more often on it.
- A flat history has sigma 0, where any rise at all would be a spike. Counts vary by
  chance like a Poisson variable, whose sigma is sqrt(mean), so for counts sigma is never
  taken below sqrt(max(mean, 1)): after a day of zeros, a burst must exceed 3 and
  min_count; after a flat 100 an hour, 130. For shares the floor is the binomial error of
  the point's own share, sqrt(q (1 - q) / total), q the baseline share but at least
  1 / total: the same share means less in a quiet hour than in a busy one.
- Nothing is reported until min_history points (default half the window, at least 3) are
  there to compare with.
- A spike stays in the baseline of the points after it, so a lasting step up is reported
  for its first few points and then becomes the new normal; `cooldown` silences that many
  points after each reported spike.
- Values must be finite and not negative (counts and shares are); anything else is a
  ValueError naming the point, so a broken query upstream is not mistaken for calm.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spike:
    index: int
    value: float
    mean: float  # of the baseline: the usable points among the `window` before index
    sigma: float  # the one used: the baseline's sample standard deviation, or the floor
    threshold: float  # mean + k * sigma


def _checked(name: str, values: Sequence[float]) -> list[float]:
    checked = []
    for index, value in enumerate(values):
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"{name}[{index}] is {value!r}: expected a finite number >= 0")
        checked.append(number)
    return checked


def _checked_options(window: int, k: float, cooldown: int, min_history: int | None) -> int:
    needed = max(3, window // 2) if min_history is None else min_history
    if not 2 <= needed <= window:
        raise ValueError(
            f"need 2 <= min_history <= window, got min_history={needed}, window={window}"
        )
    if k < 0 or cooldown < 0:
        raise ValueError(f"k and cooldown must not be negative, got k={k}, cooldown={cooldown}")
    return needed


def _scan(
    values: list[float],
    usable: list[bool],
    reportable: list[bool],
    *,
    window: int,
    k: float,
    cooldown: int,
    min_history: int,
    floor: Callable[[int, float], float],
) -> list[Spike]:
    spikes: list[Spike] = []
    quiet_until = -1
    for index, value in enumerate(values):
        if index <= quiet_until or not reportable[index]:
            continue
        start = max(0, index - window)
        history = [v for v, ok in zip(values[start:index], usable[start:index], strict=True) if ok]
        if len(history) < min_history:
            continue
        mean = math.fsum(history) / len(history)
        spread = math.sqrt(math.fsum((v - mean) ** 2 for v in history) / (len(history) - 1))
        sigma = max(spread, floor(index, mean))
        threshold = mean + k * sigma
        if value > threshold:
            spikes.append(Spike(index, value, mean, sigma, threshold))
            quiet_until = index + cooldown
    return spikes


def find_spikes(
    values: Sequence[float],
    *,
    window: int = 24,
    k: float = 3.0,
    min_count: float = 10,
    cooldown: int = 0,
    min_history: int | None = None,
    min_sigma: float | None = None,
) -> list[Spike]:
    """Spikes of a count series, in order. min_sigma replaces the Poisson floor
    sqrt(max(mean, 1)) for series that are not counts (0 trusts the measured spread)."""
    checked = _checked("values", values)
    needed = _checked_options(window, k, cooldown, min_history)
    if min_sigma is not None and min_sigma < 0:
        raise ValueError(f"min_sigma must not be negative, got {min_sigma}")

    def floor(index: int, mean: float) -> float:
        return math.sqrt(max(mean, 1.0)) if min_sigma is None else min_sigma

    return _scan(
        checked,
        [True] * len(checked),
        [value >= min_count for value in checked],
        window=window,
        k=k,
        cooldown=cooldown,
        min_history=needed,
        floor=floor,
    )


def find_share_spikes(
    parts: Sequence[float],
    totals: Sequence[float],
    *,
    window: int = 24,
    k: float = 3.0,
    min_total: float = 10,
    cooldown: int = 0,
    min_history: int | None = None,
) -> list[Spike]:
    """Spikes of the share parts[i] / totals[i] (negative mentions / all mentions, ...).

    Points whose total is below min_total are left out of everything: they are neither
    reported nor part of any baseline (three mentions at night, two negative, say nothing),
    but they still count as positions for window and cooldown.
    """
    checked_parts = _checked("parts", parts)
    checked_totals = _checked("totals", totals)
    if len(checked_parts) != len(checked_totals):
        raise ValueError(f"{len(checked_parts)} parts for {len(checked_totals)} totals")
    for index, (part, total) in enumerate(zip(checked_parts, checked_totals, strict=True)):
        if part > total:
            raise ValueError(f"parts[{index}] is {part:g}, more than its total {total:g}")
    if min_total < 1:
        raise ValueError(f"min_total must be at least 1, got {min_total}")
    needed = _checked_options(window, k, cooldown, min_history)
    usable = [total >= min_total for total in checked_totals]
    shares = [
        part / total if ok else 0.0
        for part, total, ok in zip(checked_parts, checked_totals, usable, strict=True)
    ]

    def floor(index: int, mean: float) -> float:
        total = checked_totals[index]
        share = max(mean, 1 / total)
        return math.sqrt(share * (1 - share) / total)

    return _scan(
        shares,
        usable,
        usable,
        window=window,
        k=k,
        cooldown=cooldown,
        min_history=needed,
        floor=floor,
    )
