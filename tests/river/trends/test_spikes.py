import math
import statistics

import pytest

from earful.river.trends.spikes import Spike, find_share_spikes, find_spikes

# A day of hourly mention counts that wobble around 100 (sample sigma about 13.7).
NORMAL_DAY = [80, 120, 90, 110, 100, 85, 115, 100] * 3


def test_a_steady_or_wobbling_series_has_no_spikes():
    assert find_spikes([100] * 72) == []
    assert find_spikes(NORMAL_DAY * 3) == []
    assert find_spikes([]) == []


def test_a_burst_after_a_normal_day_is_one_spike_with_its_baseline():
    spikes = find_spikes([*NORMAL_DAY, 180, 104, 96])
    mean, sigma = statistics.fmean(NORMAL_DAY), statistics.stdev(NORMAL_DAY)
    assert spikes == [
        Spike(24, 180, pytest.approx(mean), pytest.approx(sigma), pytest.approx(mean + 3 * sigma))
    ]


def test_k_sets_how_far_above_normal_a_spike_is():
    series = [*NORMAL_DAY, 135]  # about 2.5 sigma above the mean
    assert find_spikes(series) == []
    assert [spike.index for spike in find_spikes(series, k=2)] == [24]


def test_a_burst_after_silence_is_a_spike():
    spikes = find_spikes([0] * 24 + [12])
    # sigma of a flat zero history is 0; the floor for counts is sqrt(max(mean, 1)) = 1.
    assert spikes == [Spike(24, 12, 0.0, 1.0, 3.0)]


def test_a_flat_history_does_not_make_every_wobble_a_spike():
    assert find_spikes([100] * 24 + [120]) == []  # Poisson floor: sigma 10, threshold 130
    assert find_spikes([100] * 24 + [131])[0].threshold == pytest.approx(130)
    # Without the floor, a flat history makes any rise a spike.
    assert [s.index for s in find_spikes([100] * 24 + [101], min_sigma=0)] == [24]


def test_a_burst_below_min_count_is_not_a_spike():
    assert find_spikes([0] * 24 + [9]) == []
    assert [s.index for s in find_spikes([0] * 24 + [9], min_count=5)] == [24]


def test_nothing_is_reported_before_enough_history():
    # window 24 needs 12 points of history by default.
    assert find_spikes([0] * 11 + [50]) == []
    assert [s.index for s in find_spikes([0] * 12 + [50])] == [12]
    assert [s.index for s in find_spikes([0] * 3 + [50], min_history=3)] == [3]


def test_only_the_trailing_window_is_the_baseline():
    old_storm = [500] * 6
    series = old_storm + [10] * 24 + [60]
    assert [s.index for s in find_spikes(series)] == [30]
    assert find_spikes(series, window=30) == []  # the storm is back in the baseline


def test_a_lasting_step_is_reported_a_few_times_without_cooldown():
    series = [0] * 24 + [50] * 6
    assert [s.index for s in find_spikes(series)] == [24, 25, 26]


def test_cooldown_silences_the_points_after_a_spike():
    series = [0] * 24 + [50] * 6 + [0] * 30 + [80]
    assert [s.index for s in find_spikes(series, cooldown=3)] == [24, 60]
    assert [s.index for s in find_spikes(series, cooldown=40)] == [24]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1])
def test_impossible_values_are_refused_with_their_place(bad):
    with pytest.raises(ValueError, match=r"values\[3\]"):
        find_spikes([1, 2, 3, bad, 5])


@pytest.mark.parametrize(
    "options",
    [
        {"window": 2},
        {"min_history": 1},
        {"min_history": 30},
        {"k": -1},
        {"cooldown": -1},
        {"min_sigma": -1},
    ],
)
def test_impossible_options_are_refused(options):
    with pytest.raises(ValueError):
        find_spikes([1, 2, 3], **options)


# shares


def test_a_jump_in_negative_share_is_a_spike():
    totals = [100] * 25
    negatives = [10, 12, 8, 11, 9, 10] * 4 + [60]
    spikes = find_share_spikes(negatives, totals)
    assert [spike.index for spike in spikes] == [24]
    assert spikes[0].value == pytest.approx(0.6)
    assert spikes[0].mean == pytest.approx(0.1)


def test_more_mentions_at_the_same_share_is_not_a_share_spike():
    assert find_share_spikes([10] * 24 + [100], [100] * 24 + [1000]) == []


def test_quiet_points_are_ignored_even_with_zero_totals():
    totals = [100] * 12 + [0] * 6 + [100] * 12 + [2, 100]
    negatives = [10] * 12 + [0] * 6 + [10] * 12 + [2, 11]
    assert find_share_spikes(negatives, totals) == []  # 2 of 2 negative at night: no alarm
    spikes = find_share_spikes([*negatives[:-1], 50], totals)
    assert [spike.index for spike in spikes] == [31]
    assert spikes[0].mean == pytest.approx(0.1)  # the night's 100% is not in the baseline


def test_too_few_usable_points_report_nothing():
    assert find_share_spikes([0] * 24 + [50], [5] * 24 + [100]) == []


def test_the_same_share_means_more_in_a_busy_hour():
    negatives = [100] * 24
    totals = [1000] * 24
    # Baseline 10% flat; 20% of 10 mentions is chance, 20% of 1000 is not.
    assert find_share_spikes([*negatives, 2], [*totals, 10]) == []
    assert [s.index for s in find_share_spikes([*negatives, 200], [*totals, 1000])] == [24]


def test_share_inputs_must_make_sense():
    with pytest.raises(ValueError, match="more than its total"):
        find_share_spikes([5, 11], [10, 10])
    with pytest.raises(ValueError, match="parts for"):
        find_share_spikes([1, 2], [10])
    with pytest.raises(ValueError, match=r"totals\[1\]"):
        find_share_spikes([1, 2], [10, math.nan])
    with pytest.raises(ValueError):
        find_share_spikes([1], [10], min_total=0)
