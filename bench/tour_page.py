"""Latency of a tour page with many stops (goal: p95 < 100 ms at 100 stops).

    .venv/bin/python bench/tour_page.py [--stops 100] [--updates 3] [--runs 100] [--data-dir DIR]

Creates a fresh SQLite database in a temporary (or the given) directory, one published tour
with --stops stops made through the staff action (venues in eight time zones, a third past,
one live, the rest upcoming, every twentieth cancelled, every tenth without coordinates,
Markdown descriptions) and --updates live updates on each past or live stop, then requests
the tour page --runs times through Django's test client: the whole request path (middleware,
the stop query, grouping, the map's JSON, template rendering) without the network. Prints
p50 / p95 / max in milliseconds after 5 warm-up requests, and the same for the stop page
of the live stop, the calendar file and the Atom feed, with each one's mean CPU time
(steadier than the wall clock on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ZONES = (
    ("Europe/Berlin", 52.52, 13.40),
    ("Europe/London", 51.51, -0.13),
    ("America/New_York", 40.71, -74.01),
    ("America/Los_Angeles", 34.05, -118.24),
    ("Asia/Tokyo", 35.68, 139.69),
    ("Asia/Kolkata", 19.08, 72.88),
    ("Australia/Sydney", -33.87, 151.21),
    ("America/Sao_Paulo", -23.55, -46.63),
)
WORDS = (
    "camera demo queue store staff battery screen repair great friendly loved photo price "
    "crowd music coffee morning evening launch"
).split()


def setup(data_dir: Path) -> None:
    os.environ["EARFUL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earful.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(stops: int, updates: int) -> tuple[str, str]:
    """The tour's and its live stop's paths."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from earful.accounts.actions import set_roles
    from earful.events.actions.tours import cancel_stop, create_tour, save_stop, update_tour
    from earful.events.models import LiveUpdate

    rng = random.Random(100)
    user = get_user_model().objects.create_user("maya")
    set_roles(user, ["author"])
    tour = create_tour(user, title="100 stores in 100 days", description="We come to you. " * 20)
    update_tour(tour, user, published=True)
    now = timezone.now()
    live_index = stops // 3
    live = None
    for n in range(stops):
        zone, lat, lon = ZONES[n % len(ZONES)]
        starts = now + timedelta(days=n - live_index, hours=-2)
        located = n % 10 != 9
        stop = save_stop(
            tour,
            user,
            venue=f"Arc Store {n + 1}",
            address=f"{rng.randint(1, 200)} Market Street",
            city=zone.split("/")[1].replace("_", " "),
            time_zone_name=zone,
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            latitude=lat + rng.uniform(-0.2, 0.2) if located else None,
            longitude=lon + rng.uniform(-0.2, 0.2) if located else None,
            description=" ".join(rng.choice(WORDS) for _ in range(40)),
        )
        if n % 20 == 19 and n > live_index:
            cancel_stop(stop, user)
        if n <= live_index:
            for u in range(updates):
                text = " ".join(rng.choice(WORDS) for _ in range(25))
                LiveUpdate.objects.create(
                    stop=stop, author=user, text=text, created_at=starts + timedelta(hours=u)
                )
        if n == live_index:
            live = stop
    return tour.get_absolute_url(), live.get_absolute_url()


def measure(client, url: str, runs: int) -> tuple[list[float], float]:
    """Wall-clock milliseconds of each request, sorted, and the mean CPU milliseconds (the
    figure to compare on a busy machine)."""
    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    cpu_started = time.process_time()
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_started) * 1000 / runs
    return sorted(timings), cpu


def report(name: str, measured: tuple[list[float], float]) -> None:
    timings, cpu = measured
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{name}: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {timings[-1]:.1f} ms, CPU {cpu:.1f} ms per request",
        file=sys.stdout,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=100)
    parser.add_argument("--updates", type=int, default=3)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="earful-tour-bench-"))
    setup(data_dir)
    tour_url, live_url = build(args.stops, args.updates)
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get(tour_url).content
    assert page.count(b'class="stop-row') == args.stops, "every stop is listed"
    print(f"{args.stops} stops, {args.updates} updates per past or live stop, {args.runs} requests")
    report("tour page", measure(client, tour_url, args.runs))
    report("live stop page", measure(client, live_url, args.runs))
    report("calendar.ics", measure(client, f"{tour_url}calendar.ics", args.runs))
    report("feed.atom", measure(client, f"{tour_url}feed.atom", args.runs))


if __name__ == "__main__":
    main()
