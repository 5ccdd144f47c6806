"""Believable demo mentions from templates, vocabulary and one seeded random generator.

The stream is generated in order and never looks at how many mentions were asked for,
so the first 300 mentions of seed S are the same whether 300 or 3000 were asked for,
and an external id always names the same mention. Dates are relative to `now`.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..pipeline.items import RawItem
from . import phrases_en as en
from . import phrases_fr_de_es as intl
from . import world
from .channels import CHANNELS, Channel
from .people import CARRIERS, Person, new_person, spam_account

DEFAULT_SEED = 40
MAX_MENTIONS = 1_000_000  # external ids reserve 10**7 numbers per seed
SENTIMENTS = ("positive", "neutral", "negative")
# People post more at lunch and in the evening (UTC, a European audience).
HOUR_WEIGHTS = (
    1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.0, 3.5, 3.5, 3.8,
    4.2, 4.0, 3.6, 3.4, 3.5, 3.8, 4.2, 4.6, 4.8, 4.2, 3.0, 1.8,
)  # fmt: skip
# What the story is about at a given moment; the rest is everyday chatter.
SCENARIOS = (
    ("spam", 0.02),
    ("repost", 0.015),
    ("battery_wave", 0.12),
    ("battery_fix", 0.03),
    ("launch", 0.09),
    ("tour", 0.12),
    ("baseline", 0.605),
)
BASELINE_THEMES = (
    ("product", 0.32),
    ("brand", 0.14),
    ("battery", 0.08),
    ("support", 0.13),
    ("shipping", 0.1),
    ("price", 0.1),
    ("competitor", 0.13),
)
# (positive, neutral, negative) odds by theme or scenario.
MOODS = {
    "brand": (0.45, 0.3, 0.25),
    "product": (0.45, 0.3, 0.25),
    "battery": (0.3, 0.3, 0.4),
    "support": (0.25, 0.3, 0.45),
    "shipping": (0.25, 0.4, 0.35),
    "price": (0.25, 0.35, 0.4),
    "competitor": (0.35, 0.4, 0.25),
    "battery_wave": (0.0, 0.18, 0.82),
    "battery_fix": (0.7, 0.22, 0.08),
    "launch": (0.55, 0.3, 0.15),
    "tour": (0.65, 0.25, 0.1),
}
PRODUCT_WEIGHTS = (
    (world.PHONE, 0.4),
    (world.EARBUDS, 0.25),
    (world.WATCH, 0.2),
    (world.LAPTOP, 0.15),
)
COPYPASTA_CHANNELS = ("mastodon", "bluesky", "reddit", "owned")
OWNED_POSTS = {
    "tour": "40-stores-in-40-days",
    "launch": "meet-arc-2",
    "battery_fix": "strata-7-battery-update-4-2-1",
    "battery": "strata-7-battery-update-4-2-1",
}
# (days after the launch, weight): a few rumours before it, then the launch-day spike.
LAUNCH_WEEK = ((-2, 1), (-1, 1), (0, 10), (1, 6), (2, 4), (3, 3), (4, 2), (5, 2), (6, 1))
REPLY_KINDS = {
    "negative": (
        ("agree_negative", 0.45),
        ("question", 0.25),
        ("support_sorry", 0.2),
        ("answer", 0.1),
    ),
    "positive": (("agree_positive", 0.6), ("question", 0.2), ("support_thanks", 0.2)),
    "neutral": (("answer", 0.5), ("question", 0.4), ("agree_positive", 0.1)),
}
REPLY_SENTIMENTS = {
    "agree_negative": "negative",
    "agree_positive": "positive",
    "question": "neutral",
    "answer": "neutral",
    "support_sorry": "neutral",
    "support_thanks": "positive",
}
TOUR_HOST = Person("@mira@mastodon.example", world.BLOGGER, "https://mastodon.example/@mira", 12400)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BASE36 = string.digits + string.ascii_lowercase


@dataclass(frozen=True)
class DemoMention:
    """A generated mention, with the theme and sentiment it was written to have."""

    channel: str
    item: RawItem
    theme: str
    sentiment: str
    language: str


@dataclass
class _ChannelState:
    channel: Channel
    people: list[Person] = field(default_factory=list)
    posters: list[int] = field(default_factory=list)  # person index per mention written
    recent: list[DemoMention] = field(default_factory=list)  # what a reply may answer
    handles: set[str] = field(default_factory=set)


def _base36(number: int) -> str:
    digits = []
    while True:
        number, rest = divmod(number, 36)
        digits.append(BASE36[rest])
        if not number:
            return "".join(reversed(digits))


def _pick(rng: random.Random, weighted):
    weighted = list(weighted)
    values = [value for value, _ in weighted]
    weights = [weight for _, weight in weighted]
    return rng.choices(values, weights)[0]


def _slug(text: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in kept.split("-") if part)[:60]


class DemoWriter:
    """Writes the demo's mentions one after the other; see the module docstring."""

    def __init__(self, seed: int, now: datetime):
        if seed < 0:
            raise ValueError("the seed must be zero or a positive whole number")
        if now.tzinfo is None:
            raise ValueError("`now` must be timezone-aware")
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = now.astimezone(UTC)
        self.count = 0
        self.states = {c.slug: _ChannelState(c) for c in CHANNELS}
        self.shareable: list[DemoMention] = []  # untitled top-level posts, for reposts
        today = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        self.midnights = [today - timedelta(days=d) for d in range(world.HISTORY_DAYS)]
        self.day_weights = [
            (1.0 + 0.5 * (world.HISTORY_DAYS - d) / world.HISTORY_DAYS)
            * (0.75 if midnight.weekday() >= 5 else 1.0)
            for d, midnight in enumerate(self.midnights)
        ]

    def take(self, count: int) -> list[DemoMention]:
        if not 0 <= count <= MAX_MENTIONS:
            raise ValueError(f"the number of mentions must be between 0 and {MAX_MENTIONS}")
        return [self.next_mention() for _ in range(count)]

    # -- one mention ---------------------------------------------------------------------

    def next_mention(self) -> DemoMention:
        rng = self.rng
        serial = self.seed * 10_000_000 + self.count
        self.count += 1
        channel = _pick(rng, [(c, c.share) for c in CHANNELS])
        state = self.states[channel.slug]
        if state.recent and rng.random() < channel.reply_rate:
            mention = self._reply(state, serial)
        else:
            mention = self._post(state, serial)
        state.recent.append(mention)
        del state.recent[:-30]
        return mention

    def _post(self, state: _ChannelState, serial: int) -> DemoMention:
        rng, channel = self.rng, state.channel
        scenario = _pick(rng, SCENARIOS)
        blog = channel.kind == "feed"
        if blog and scenario in ("spam", "repost"):
            scenario = "baseline"
        if channel.slug == "hackernews" and scenario == "spam":
            scenario = "baseline"
        if channel.kind == "import" and scenario in ("tour", "launch"):
            scenario = "baseline"  # retailer reviews are about the products
        if scenario == "repost" and not self.shareable:
            scenario = "baseline"
        if scenario == "spam":
            return self._spam(state, serial)
        if scenario == "repost":
            return self._repost(state, serial)

        language = "en" if blog and channel.slug != "coin" else _pick(rng, channel.languages)
        theme, product, days_ago, stop = self._story(scenario)
        sentiment = _pick(
            rng, zip(SENTIMENTS, MOODS[scenario if scenario in MOODS else theme], strict=True)
        )
        slots = self._slots(product, stop)
        person = self._poster(state)
        if scenario == "tour" and channel.slug == "mastodon" and rng.random() < 0.3:
            person = TOUR_HOST
            language, sentiment = "en", "positive"
            text = rng.choice(en.HOST_POSTS).format(**slots)
        elif (
            scenario == "battery_wave"
            and sentiment == "negative"
            and language == "en"
            and channel.slug in COPYPASTA_CHANNELS
            and rng.random() < 0.35
        ):
            text = self._copypasta(slots)
        elif blog:
            text = self._blog_text(language, theme, sentiment, slots)
        else:
            text = self._social_text(channel, language, theme, sentiment, slots)
        title = self._title(language, theme, sentiment, slots) if channel.titled else ""
        published = self._moment(days_ago)
        item = self._item(state, serial, person, text, published, language, theme, title=title)
        mention = DemoMention(channel.slug, item, theme, sentiment, language)
        if not title:
            self.shareable.append(mention)
        return mention

    def _story(self, scenario: str) -> tuple[str, world.Product, int, int]:
        """(theme, product, days ago, tour stop) for a post of this scenario."""
        rng = self.rng
        product = _pick(rng, PRODUCT_WEIGHTS)
        stop = rng.randint(1, world.TOUR_STORES - 1)
        if scenario == "battery_wave":
            return (
                "battery",
                world.PHONE if rng.random() < 0.8 else rng.choice(world.BATTERY_PRODUCTS),
                world.BATTERY_WAVE_DAY - _pick(rng, enumerate((4, 10, 8, 5, 3, 2))),
                stop,
            )
        if scenario == "battery_fix":
            return (
                "battery_fix",
                world.PHONE,
                world.BATTERY_FIX_DAY - _pick(rng, enumerate((6, 5, 4, 3, 2, 1, 1))),
                stop,
            )
        if scenario == "launch":
            days_ago = world.LAUNCH_DAY - _pick(rng, LAUNCH_WEEK)
            theme = "shipping" if rng.random() < 0.15 else "launch"
            return theme, world.WATCH, max(0, days_ago), stop
        if scenario == "tour":
            return "tour", product, world.tour_stop_days_ago(stop), stop
        theme = _pick(rng, BASELINE_THEMES)
        days_ago = rng.choices(range(world.HISTORY_DAYS), self.day_weights)[0]
        return theme, product, days_ago, stop

    def _slots(self, product: world.Product, stop: int) -> dict[str, str]:
        rng = self.rng
        competitor = rng.choice(world.COMPETITORS)
        feature, flaw = rng.choice(product.features), rng.choice(product.flaws)
        return {
            "brand": world.BRAND,
            "product": product.full_name if rng.random() < 0.5 else product.name,
            "noun": product.noun,
            "feature": feature,
            "feature_cap": feature[0].upper() + feature[1:],
            "flaw": flaw,
            "flaw_cap": flaw[0].upper() + flaw[1:],
            "price": str(product.price),
            "competitor": competitor.name,
            "rival": competitor.product,
            "city": world.TOUR_CITIES[stop - 1],
            "stop": str(stop),
            "blogger": world.BLOGGER if rng.random() < 0.4 else world.BLOGGER_FIRST,
            "firmware": world.FIRMWARE,
            "fix": world.FIRMWARE_FIX,
            "hours": str(rng.randint(3, 9)),
            "days": str(rng.randint(2, 12)),
            "weeks": str(rng.randint(2, 6)),
            "carrier": rng.choice(CARRIERS),
            "weekday": rng.choice(WEEKDAYS),
        }

    # -- text ----------------------------------------------------------------------------

    def _sentence(self, language: str, theme: str, sentiment: str) -> str:
        if language == "en":
            cell = en.SENTENCES.get(theme, en.SENTENCES["product"])
        else:
            themes = intl.SENTENCES[language]
            cell = themes.get(theme) or themes.get(_FALLBACK.get(theme, ""), themes["product"])
        options = cell.get(sentiment) or cell["neutral"]
        return self.rng.choice(options)

    def _social_text(
        self, channel: Channel, language: str, theme: str, sentiment: str, slots: dict
    ) -> str:
        rng = self.rng
        parts = [self._sentence(language, theme, sentiment)]
        context = en.CONTEXT if language == "en" else intl.CONTEXT[language]
        if rng.random() < 0.7:
            parts.insert(rng.randrange(2), rng.choice(context))
        if language == "en":
            if rng.random() < 0.3:
                extra_theme = "product" if theme != "product" else "brand"
                parts.append(self._sentence(language, extra_theme, sentiment))
            if rng.random() < 0.2:
                parts[0] = rng.choice(en.OPENERS) + parts[0]
            hashtags = 0.35 if channel.slug in ("mastodon", "bluesky") else 0.08
            if rng.random() < hashtags:
                parts[-1] += rng.choice(en.CLOSERS)
            if theme == "tour" and channel.slug in ("mastodon", "bluesky") and rng.random() < 0.6:
                parts[-1] += f" {world.TOUR_TAG}"
        return " ".join(parts).format(**slots)

    def _blog_text(self, language: str, theme: str, sentiment: str, slots: dict) -> str:
        rng = self.rng
        lines = en.BLOG_SENTENCES if language == "en" else intl.BLOG_SENTENCES[language]
        pool = list(lines[sentiment])
        rng.shuffle(pool)
        context = en.CONTEXT if language == "en" else intl.CONTEXT[language]
        parts = [self._sentence(language, theme, sentiment), rng.choice(context), *pool[:2]]
        parts.append(self._sentence(language, "product", sentiment))
        return " ".join(parts).format(**slots)

    def _title(self, language: str, theme: str, sentiment: str, slots: dict) -> str:
        if language == "en":
            by_theme = en.TITLES[sentiment]
            options = by_theme.get(theme, by_theme["default"])
        else:
            options = intl.TITLES[language][sentiment]
        return self.rng.choice(options).format(**slots)

    def _copypasta(self, slots: dict) -> str:
        rng = self.rng
        text = rng.choice(en.COPYPASTA).format(**slots)
        for _ in range(rng.randint(1, 2)):
            edit = rng.randrange(4)
            if edit == 0:
                text = rng.choice(("Same here. ", "+1 ", "This!! ", "Copying this: ")) + text
            elif edit == 1:
                text += rng.choice((" @halvora", " #Halvora", " Please!!", " Still broken."))
            elif edit == 2:
                old, new = rng.choice(_COPYPASTA_SWAPS)
                text = text.replace(old, new)
            else:
                text = text.replace("Strata 7", "Strata 7 Pro", 1)
        return text

    def _spam(self, state: _ChannelState, serial: int) -> DemoMention:
        rng = self.rng
        product = rng.choice(world.PRODUCTS)
        code = _base36(rng.randrange(36**6))
        text = rng.choice(en.SPAM).format(
            product=product.full_name, noun=product.noun, brand=world.BRAND, code=code
        )
        person = spam_account(rng, state.channel.slug)
        days_ago = rng.randrange(world.HISTORY_DAYS)
        item = self._item(state, serial, person, text, self._moment(days_ago), "en", "spam")
        return DemoMention(state.channel.slug, item, "spam", "neutral", "en")

    def _repost(self, state: _ChannelState, serial: int) -> DemoMention:
        rng = self.rng
        original = rng.choice(self.shareable[-200:])
        published = self._after(original.item.published_at, mean_minutes=240)
        person = self._poster(state)
        raw = original.item
        item = self._item(
            state, serial, person, raw.text, published, original.language, original.theme
        )
        return DemoMention(
            state.channel.slug, item, original.theme, original.sentiment, original.language
        )

    def _reply(self, state: _ChannelState, serial: int) -> DemoMention:
        rng, channel = self.rng, state.channel
        parent = rng.choice(state.recent[-12:])
        language = parent.language if parent.language in intl.REPLIES else "en"
        replies = en.REPLIES if language == "en" else intl.REPLIES[language]
        kind = _pick(rng, REPLY_KINDS[parent.sentiment])
        if kind.startswith("support_") and not channel.company_handle:
            kind = "question"
        if kind.startswith("support_"):
            reach = 24000 if channel.reach_median else None
            person = Person(channel.company_handle, world.BRAND, "", reach)
        else:
            person = self._poster(state)
        text = rng.choice(replies[kind])
        if not kind.startswith("support_") and rng.random() < 0.85:
            details = en.REPLY_DETAILS if language == "en" else intl.CONTEXT[language]
            slots = self._slots(_pick(rng, PRODUCT_WEIGHTS), rng.randint(1, 39))
            detail = rng.choice(details).format(**slots)
            text = f"{text} {detail}" if rng.random() < 0.7 else f"{detail} {text}"
        sentiment = REPLY_SENTIMENTS[kind]
        published = self._after(parent.item.published_at, mean_minutes=90)
        item = self._item(
            state, serial, person, text, published, language, parent.theme, reply_to=parent
        )
        return DemoMention(channel.slug, item, parent.theme, sentiment, language)

    # -- people, time, identity ----------------------------------------------------------

    def _poster(self, state: _ChannelState) -> Person:
        """A new person, or (rich get richer) someone who already posted here."""
        rng, channel = self.rng, state.channel
        full = channel.max_authors is not None and len(state.people) >= channel.max_authors
        if state.posters and (full or rng.random() < channel.regulars):
            index = rng.choice(state.posters)
        else:
            person = new_person(rng, channel.slug, channel.reach_median)
            handle = person.handle
            while handle in state.handles:  # two people picked the same handle
                person = new_person(rng, channel.slug, channel.reach_median)
                handle = person.handle
            state.handles.add(handle)
            state.people.append(person)
            index = len(state.people) - 1
        state.posters.append(index)
        return state.people[index]

    def _moment(self, days_ago: int) -> datetime:
        rng = self.rng
        days_ago = min(max(days_ago, 0), world.HISTORY_DAYS - 1)
        hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
        moment = self.midnights[days_ago] + timedelta(
            hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
        )
        if moment > self.now:
            moment = self.now - timedelta(minutes=rng.randint(1, 180))
        return moment

    def _after(self, moment: datetime | None, mean_minutes: float) -> datetime:
        later = (moment or self.now) + timedelta(minutes=1 + self.rng.expovariate(1 / mean_minutes))
        return min(later.replace(microsecond=0), self.now)

    def _item(
        self,
        state: _ChannelState,
        serial: int,
        person: Person,
        text: str,
        published: datetime,
        language: str,
        theme: str,
        *,
        title: str = "",
        reply_to: DemoMention | None = None,
    ) -> RawItem:
        channel = state.channel
        external_id, url = _identity(channel, theme, serial, person, title, published, reply_to)
        return RawItem(
            text=text,
            external_id=external_id,
            url=url,
            author=person.handle,
            author_name=person.name,
            author_url=person.url,
            author_reach=person.reach,
            title=title,
            published_at=published,
            language=language if channel.declares_language else "",
            parent_id=reply_to.item.external_id if reply_to else "",
            owned=channel.kind == "owned",
        )


def _identity(
    channel: Channel,
    theme: str,
    serial: int,
    person: Person,
    title: str,
    published: datetime,
    reply_to: DemoMention | None,
) -> tuple[str, str]:
    """(external id, URL) in the style of the channel."""
    code = _base36(serial)
    if channel.slug == "mastodon":
        number = str(110_000_000_000_000_000 + serial)
        _, user, instance = person.handle.split("@", 2)
        return number, f"https://{instance}/@{user}/{number}"
    if channel.slug == "bluesky":
        key = "3l" + code.rjust(11, "a")
        return (
            f"at://{person.handle}/app.bsky.feed.post/{key}",
            f"https://bsky.example/profile/{person.handle}/post/{key}",
        )
    if channel.slug == "hackernews":
        number = str(40_000_000 + serial)
        return number, f"https://news.example/item?id={number}"
    if channel.slug == "reddit":
        if reply_to is None:
            return f"t3_{code}", f"https://reddit.example/r/gadgets/comments/{code}/{_slug(title)}/"
        thread = reply_to.item.url.split("/comments/", 1)[1].split("/", 1)[0]
        return f"t1_{code}", f"https://reddit.example/r/gadgets/comments/{thread}/_/{code}/"
    if channel.kind == "feed":
        host = "pocketreview.example" if channel.slug == "pocketreview" else "lecointechno.example"
        url = f"https://{host}/{published:%Y/%m}/{_slug(title)}-{code}/"
        return url, url
    if channel.slug == "import":
        return f"R-{serial}", ""
    if reply_to is not None:
        post = reply_to.item.url.split("#", 1)[0]
    else:
        post = f"{world.BLOG_URL}/posts/{OWNED_POSTS.get(theme, 'news')}/"
    return f"comment-{serial}", f"{post}#comment-{serial}"


_FALLBACK = {"battery_fix": "battery", "launch": "product", "competitor": "product"}
_COPYPASTA_SWAPS = (
    ("restarted twice", "restarted three times"),
    ("Nothing helps.", "Nothing works."),
    ("Terrible.", "Awful."),
    ("dead before dinner", "dead by 6pm"),
    ("very expensive", "really expensive"),
    ("about 10 percent", "about 12 percent"),
)
