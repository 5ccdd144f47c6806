"""Everything the dashboard shows for one filter, as plain data (JSON-ready)."""

from __future__ import annotations

from ..trends.spikes import find_spikes
from . import breakdowns
from .breakdowns import (
    breakdown_counts,
    emerging,
    rank_authors,
    rank_sites,
    share_of_voice,
    source_names,
)
from .counts import by_source, daily_by_sentiment, languages_seen
from .filters import MentionFilter

# A day is a spike when its volume passes mean + 3 sigma of the 14 days before it.
SPIKE_WINDOW = 14
SPIKE_SIGMAS = 3.0
SPIKE_MIN_COUNT = 10


def spikes(f: MentionFilter, series: list[dict], history: list[dict] | None = None) -> list[dict]:
    """Spike days of the period; the baseline of its first days reaches back before it
    (`history`: the SPIKE_WINDOW days before the period, read here if not given)."""
    if history is None:
        history = daily_by_sentiment(f.widened(SPIKE_WINDOW))[:SPIKE_WINDOW]
    values = [point["total"] for point in history + series]
    found = find_spikes(values, window=SPIKE_WINDOW, k=SPIKE_SIGMAS, min_count=SPIKE_MIN_COUNT)
    return [
        {
            "day": series[spike.index - SPIKE_WINDOW]["day"],
            "mentions": int(spike.value),
            "baseline": round(spike.mean, 1),
            "threshold": round(spike.threshold, 1),
        }
        for spike in found
        if spike.index >= SPIKE_WINDOW
    ]


def dashboard_data(f: MentionFilter) -> dict:
    widened = daily_by_sentiment(f.widened(SPIKE_WINDOW))
    history, series = widened[:SPIKE_WINDOW], widened[SPIKE_WINDOW:]
    sources = by_source(f)
    names = source_names(sources)
    totals = {
        key: sum(point[key] for point in series)
        for key in ("total", "positive", "neutral", "negative", "unscored")
    }
    limit = breakdowns.BREAKDOWN_LIMIT
    authors, sites = breakdown_counts(f, series)
    return {
        # Top authors and sites count only the latest mentions of a very busy period.
        "breakdown_limit": limit if totals["total"] > limit else None,
        "period": {"start": f.start.isoformat(), "end": f.end.isoformat(), "days": f.days},
        "totals": totals,
        "series": series,
        "spikes": spikes(f, series, history),
        "share_of_voice": share_of_voice(f),
        "sources": [
            {"source_id": source_id, "source": names.get(source_id, "?"), "mentions": n}
            for source_id, n in list(sources.items())[:10]
        ],
        "sites": [{"site": site, "mentions": n} for site, n in rank_sites(sites)],
        "authors": [
            {
                "author_id": rank.author.id,
                "handle": rank.author.handle,
                "name": rank.author.name,
                "reach": rank.author.reach,
                "mentions": rank.mentions,
                "score": round(rank.score, 1),
            }
            for rank in rank_authors(authors)
        ],
        "emerging": [
            {
                "term": term.term,
                "mentions": term.current_count,
                "before": term.previous_count,
                "score": round(term.score, 1),
            }
            for term in emerging(f)
        ],
        "languages": languages_seen(f),
    }
