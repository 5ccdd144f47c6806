"""The demo tour: Maya Lind's "40 stores in 40 days", one Halvora store a day across
Europe to a finale in New York. The first stop was nine days ago (the blog's diary tells
Days 1-3), Day 10 is live now, thirty are still to come. Past stops have visitors'
feedback (in the river, so the console compares them) and live updates.

Channels: one webhook channel is made, *disabled*, pointing at an example address. A demo
must not post to real networks, and an enabled channel at a dead address would fill the
worker's log with a failure a day; the disabled channel shows staff what a channel looks
like, and enabling it (after pointing it somewhere real) plans the announcements.

Seeding is deterministic for a given day and idempotent: the tour is found by its slug,
stops by venue, feedback and updates by their text."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from earful.accounts.actions import set_roles

from .actions.live import post_live_update
from .actions.tours import create_tour, save_stop, update_tour
from .models import Channel, Feedback, LiveUpdate, Stop, Tour
from .permissions import can_manage
from .places import time_zone
from .river_link import feedback_entered

SLUG = "40-stores-in-40-days"
TITLE = "40 stores in 40 days"
DESCRIPTION = (
    "Our head of communications, **Maya Lind**, visits one Halvora store a day for forty "
    "days. Come and try the Strata 7 and the Arc 2, ask anything, tell us what to fix. "
    "Every stop has a feedback form: we read all of it."
)
TEMPLATE = "{tour}: tomorrow we are at {venue}, {address}, {city}, {start}–{end}. Come by! {url}"
DAYS_BEFORE_TODAY = 9  # Day 1 (Berlin) was nine days ago, as the blog's diary says
HOOK_NAME = "Store screens (example webhook)"

# (city, street address, latitude, longitude, IANA time zone)
STOPS = [
    ("Berlin", "Alexanderplatz 9", 52.5219, 13.4132, "Europe/Berlin"),
    ("Hamburg", "Mönckebergstraße 7", 53.5507, 9.9990, "Europe/Berlin"),
    ("Munich", "Kaufingerstraße 14", 48.1379, 11.5714, "Europe/Berlin"),
    ("Vienna", "Mariahilfer Straße 42", 48.1991, 16.3531, "Europe/Vienna"),
    ("Prague", "Na Příkopě 22", 50.0856, 14.4261, "Europe/Prague"),
    ("Warsaw", "Nowy Świat 30", 52.2339, 21.0187, "Europe/Warsaw"),
    ("Budapest", "Váci utca 12", 47.4945, 19.0527, "Europe/Budapest"),
    ("Zurich", "Bahnhofstrasse 50", 47.3717, 8.5389, "Europe/Zurich"),
    ("Milan", "Corso Vittorio Emanuele II 15", 45.4654, 9.1928, "Europe/Rome"),
    ("Lyon", "Rue de la République 40", 45.7618, 4.8357, "Europe/Paris"),
    ("Paris", "Rue de Rivoli 120", 48.8601, 2.3441, "Europe/Paris"),
    ("Brussels", "Rue Neuve 88", 50.8536, 4.3555, "Europe/Brussels"),
    ("Amsterdam", "Kalverstraat 92", 52.3690, 4.8918, "Europe/Amsterdam"),
    ("Cologne", "Schildergasse 65", 50.9365, 6.9539, "Europe/Berlin"),
    ("Frankfurt", "Zeil 106", 50.1146, 8.6842, "Europe/Berlin"),
    ("Stuttgart", "Königstraße 27", 48.7784, 9.1791, "Europe/Berlin"),
    ("Luxembourg", "Grand-Rue 33", 49.6113, 6.1296, "Europe/Luxembourg"),
    ("London", "235 Regent Street", 51.5145, -0.1419, "Europe/London"),
    ("Manchester", "50 Market Street", 53.4823, -2.2410, "Europe/London"),
    ("Dublin", "70 Grafton Street", 53.3418, -6.2600, "Europe/Dublin"),
    ("Edinburgh", "48 Princes Street", 55.9530, -3.1930, "Europe/London"),
    ("Copenhagen", "Amagertorv 6", 55.6787, 12.5790, "Europe/Copenhagen"),
    ("Oslo", "Karl Johans gate 18", 59.9123, 10.7430, "Europe/Oslo"),
    ("Stockholm", "Drottninggatan 53", 59.3346, 18.0622, "Europe/Stockholm"),
    ("Helsinki", "Aleksanterinkatu 21", 60.1688, 24.9462, "Europe/Helsinki"),
    ("Tallinn", "Viru 11", 59.4365, 24.7478, "Europe/Tallinn"),
    ("Riga", "Brīvības iela 31", 56.9540, 24.1157, "Europe/Riga"),
    ("Vilnius", "Gedimino prospektas 9", 54.6872, 25.2798, "Europe/Vilnius"),
    ("Kraków", "Floriańska 14", 50.0630, 19.9395, "Europe/Warsaw"),
    ("Ljubljana", "Čopova ulica 5", 46.0522, 14.5036, "Europe/Ljubljana"),
    ("Zagreb", "Ilica 10", 45.8131, 15.9738, "Europe/Zagreb"),
    ("Rome", "Via del Corso 181", 41.9006, 12.4812, "Europe/Rome"),
    ("Barcelona", "Passeig de Gràcia 35", 41.3918, 2.1649, "Europe/Madrid"),
    ("Madrid", "Gran Vía 32", 40.4200, -3.7038, "Europe/Madrid"),
    ("Lisbon", "Rua Augusta 100", 38.7101, -9.1373, "Europe/Lisbon"),
    ("Porto", "Rua de Santa Catarina 112", 41.1485, -8.6060, "Europe/Lisbon"),
    ("Athens", "Ermou 25", 37.9757, 23.7298, "Europe/Athens"),
    ("Istanbul", "İstiklal Caddesi 110", 41.0335, 28.9779, "Europe/Istanbul"),
    ("Reykjavík", "Laugavegur 26", 64.1450, -21.9280, "Atlantic/Reykjavik"),
    ("New York", "1500 Broadway", 40.7566, -73.9862, "America/New_York"),
]

# Feedback on the past stops: (day, name, rating, text). Sentiment is the river's.
FEEDBACK = [
    (1, "Jonas", 5, "Loved the night camera demo, the staff explained everything patiently."),
    (1, "Ben K.", 2, "Waited over an hour in the queue. Please add more demo tables."),
    (1, "", 4, "Great atmosphere at Alexanderplatz, and the Arc 2 fits my wrist well."),
    (2, "Ola", 4, "Lovely people in Hamburg, thanks for the coffee in the rain!"),
    (2, "Pieter", 1, "Nobody could tell me how long a screen repair takes. Disappointing."),
    (3, "Sophie", 5, "The 18-hour battery test was convincing. Brilliant idea."),
    (3, "grumpy_gadgets", 2, "My battery still drains in half a day since the update."),
    (3, "", 3, "Okay event, a bit crowded."),
    (4, "Lena", 5, "Wonderful morning in Vienna, I finally understood the camera modes."),
    (5, "Tomáš", 4, "Good demo, friendly team, would come again."),
    (5, "", 2, "The case is ugly and nobody wanted to talk about it."),
    (6, "Kasia", 5, "Fantastic, the Strata 7 photos at night are amazing."),
    (7, "Gábor", 3, "Interesting, but I expected more about repairs."),
    (7, "", 1, "Terrible organisation, the store ran out of demo units."),
    (8, "Nina", 5, "Perfect Swiss punctuality and a great chat about privacy settings."),
    (9, "Giulia", 4, "Very nice stand in Milan, happy with my new watch strap."),
    (9, "Marco", 2, "The app kept crashing during the demo. Not great."),
]

# Live updates: (day, hours after the stop opened, text)
UPDATES = [
    (1, 1, "Doors open at Alexanderplatz and the queue already goes round the corner!"),
    (1, 6, "Thank you Berlin: 400 visitors today. Tomorrow: Hamburg."),
    (2, 2, "Rain in Hamburg, but the coffee is hot and the demo tables are full."),
    (3, 3, "Battery test running: 3 hours in, 82% left."),
    (5, 4, "Prague: the night-camera corner is the place to be."),
    (9, 5, "Milan, you were wonderful. Next: Lyon!"),
    (10, 1, "We are open in Lyon! Come and see the Arc 2 on the first floor."),
]


def _maya():
    user, _ = get_user_model().objects.get_or_create(
        username="maya", defaults={"first_name": "Maya", "last_name": "Lind"}
    )
    if not can_manage(user):
        roles = list(user.groups.values_list("name", flat=True))
        set_roles(user, sorted({*roles, "author"}))
        user = get_user_model().objects.get(pk=user.pk)  # forget cached permissions
    return user


def _window(day: int, zone_name: str, now: datetime) -> tuple[datetime, datetime]:
    """Day `day` of the tour from 10:00 to 19:00 at the venue; today's stop is stretched
    so that it is live whenever the demo is seeded."""
    zone = time_zone(zone_name)
    today = timezone.localtime(now, zone).date()
    date = today + timedelta(days=day - 1 - DAYS_BEFORE_TODAY)
    starts = datetime(date.year, date.month, date.day, 10, 0, tzinfo=zone)
    ends = datetime(date.year, date.month, date.day, 19, 0, tzinfo=zone)
    if day == DAYS_BEFORE_TODAY + 1:
        hour = now.replace(minute=0, second=0, microsecond=0)
        starts, ends = min(starts, hour - timedelta(hours=1)), max(ends, hour + timedelta(hours=4))
    return starts, ends


def _tour(user) -> Tour:
    tour = Tour.objects.filter(slug=SLUG).first()
    if tour is None:
        tour = create_tour(
            user,
            title=TITLE,
            slug=SLUG,
            description=DESCRIPTION,
            announce_hours_before=18,
            announcement_template=TEMPLATE,
        )
    hook, made = Channel.objects.get_or_create(
        name=HOOK_NAME,
        defaults={
            "kind": Channel.Kind.WEBHOOK,
            "enabled": False,
            "config": {"url": "https://screens.example.invalid/earful", "secret": "x" * 32},
        },
    )
    if made or not tour.published:
        update_tour(tour, user, published=True, channels=[hook])
    return tour


def seed_tours(now: datetime | None = None) -> dict[str, int]:
    """Seed the demo tour; returns what was added."""
    now = now or timezone.now()
    user = _maya()
    added = {"stops": 0, "feedback": 0, "updates": 0}
    with transaction.atomic():
        tour = _tour(user)
        stops: dict[int, Stop] = {}
        existing = {s.venue: s for s in tour.stops.all()}
        for day, (city, address, lat, lon, zone) in enumerate(STOPS, start=1):
            venue = f"Halvora Store {city}"
            stop = existing.get(venue)
            if stop is None:
                starts, ends = _window(day, zone, now)
                stop = save_stop(
                    tour, user, venue=venue, address=address, city=city, time_zone_name=zone,
                    starts_at=starts, ends_at=ends, latitude=lat, longitude=lon,
                    description=f"Day {day} of 40. Demo tables, repairs desk and coffee.",
                )  # fmt: skip
                added["stops"] += 1
            stops[day] = stop
    for day, name, rating, text in FEEDBACK:
        stop = stops[day]
        if Feedback.objects.filter(stop=stop, text=text).exists():
            continue
        # Made directly (the texts are known good) so that it is dated that evening,
        # and the river dates its mention by it; the river link is the one submit uses.
        feedback = Feedback.objects.create(
            stop=stop, text=text, rating=rating, name=name,
            created_at=min(stop.starts_at + timedelta(hours=3 + len(text) % 5), now),
        )  # fmt: skip
        feedback_entered(feedback)
        added["feedback"] += 1
    for day, hours, text in UPDATES:
        stop = stops[day]
        if LiveUpdate.objects.filter(stop=stop, text=text).exists():
            continue
        at = min(stop.starts_at + timedelta(hours=hours), now)
        post_live_update(stop, user, text=text, now=at)
        added["updates"] += 1
    return added
