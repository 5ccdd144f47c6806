"""How many people raised an idea, and where ("41 voices: 20 toots, 12 blog comments,
9 forum posts"), and the best quotes among the mentions linked to it.

What counts as a voice (the issue asks "how many people raised it and where"):

- one voice per person per channel: the linked mentions of one author on one source count
  once (three toots by the same account are one person), a mention without a known author
  counts alone. The same person on two channels counts twice: nothing ties a Mastodon
  account to a blog commenter, and guessing would be worse than over-counting by a few;
- on the board itself, the idea's author, its voters and its commenters (not staff, who
  answer as the company) are its people, each once however many of those they did. A
  linked mention from the board's own source (an idea merged in, a comment) folds into
  them by user, so nobody is counted twice for voting and commenting;
- labels by channel kind: toots, Bluesky posts, Hacker News comments, Reddit posts, web
  posts (feeds), and for owned channels by app: blog comments, forum posts, ... Imports
  and the push API may carry private channels (a support desk's export), so they are
  counted under "other channels" and never named.

Best quotes: the linked mentions staff pinned first; then public-channel mentions that
are not spam, not near-duplicates of a chosen one, with enough text to say something,
the author's reach deciding (a reply seen by 50,000 people represents more of the
audience than one seen by 12), one quote per author. Mentions of the board's own source
are left out: they are on the idea's page already. Import and API mentions are quoted
only when staff pinned them, for the same privacy reason as above.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from earful.river.models import Mention, Source

from .models import Evidence, Idea, IdeaComment, Vote
from .river_link import APP as BOARD_APP

SPAM = 0.5
MIN_QUOTE = 20  # characters
QUOTE_LENGTH = 280
QUOTES = 3
QUOTE_CANDIDATES = 200
PRIVATE_KINDS = {Source.Kind.IMPORT, Source.Kind.API}

KIND_LABELS = {
    Source.Kind.MASTODON: ("toot", "toots"),
    Source.Kind.BLUESKY: ("Bluesky post", "Bluesky posts"),
    Source.Kind.HACKERNEWS: ("Hacker News comment", "Hacker News comments"),
    Source.Kind.REDDIT: ("Reddit post", "Reddit posts"),
    Source.Kind.FEED: ("web post", "web posts"),
}
APP_LABELS = {
    "blog": ("blog comment", "blog comments"),
    "community": ("forum post", "forum posts"),
    "events": ("event feedback", "event feedback"),
    BOARD_APP: ("on this board", "on this board"),
}
OTHER = ("from another channel", "from other channels")
BOARD = APP_LABELS[BOARD_APP]


def channel_label(source: Source, external_id: str = "") -> tuple[str, str]:
    """(singular, plural) naming what a mention of the source is."""
    if source.kind == Source.Kind.OWNED:
        app = (source.config or {}).get("app", "")
        if app == "blog" and external_id.startswith("linkback-"):
            return ("linkback", "linkbacks")
        if app == "blog" and external_id.startswith("post-"):
            return ("blog post", "blog posts")
        return APP_LABELS.get(app, OTHER)
    return KIND_LABELS.get(source.kind, OTHER)


@dataclass(frozen=True)
class Voices:
    total: int
    parts: tuple[tuple[int, str], ...]  # (count, label), most first

    def __str__(self) -> str:
        if not self.total:
            return "No voices yet"
        where = ", ".join(f"{n} {label}" for n, label in self.parts)
        return f"{self.total} voice{'s' if self.total != 1 else ''}: {where}"


def _board_user(handle: str) -> int | None:
    kind, _, number = (handle or "").partition(":")
    return int(number) if kind == "user" and number.isdigit() else None


def voices_for(idea_ids: Iterable[int]) -> dict[int, Voices]:
    """The voices of each idea, in a fixed number of queries whatever the count."""
    ids = list(dict.fromkeys(idea_ids))
    board: dict[int, set[int]] = defaultdict(set)
    for idea_id, author_id in Idea.objects.filter(pk__in=ids).values_list("pk", "author_id"):
        if author_id:
            board[idea_id].add(author_id)
    for idea_id, user_id in Vote.objects.filter(idea_id__in=ids).values_list("idea_id", "user_id"):
        board[idea_id].add(user_id)
    commenters = IdeaComment.objects.filter(
        idea_id__in=ids, status=IdeaComment.Status.PUBLISHED, staff=False, user__isnull=False
    ).values_list("idea_id", "user_id")
    for idea_id, user_id in commenters:
        board[idea_id].add(user_id)
    rows = list(
        Evidence.objects.filter(idea_id__in=ids).values_list(
            "idea_id",
            "mention_id",
            "mention__source_id",
            "mention__external_id",
            "mention__author_id",
            "mention__author__handle",
        )  # fmt: skip
    )
    sources = Source.objects.in_bulk({row[2] for row in rows})
    people: dict[int, dict[tuple[str, str], set]] = defaultdict(lambda: defaultdict(set))
    for idea_id, mention_id, source_id, external_id, author_id, handle in rows:
        source = sources[source_id]
        label = channel_label(source, external_id)
        user_id = _board_user(handle) if label == BOARD else None
        if user_id is not None:
            board[idea_id].add(user_id)
        else:
            people[idea_id][label].add(("a", author_id) if author_id else ("m", mention_id))
    result = {}
    for idea_id in ids:
        counts = {label: len(who) for label, who in people[idea_id].items()}
        board_only = {label: n for label, n in counts.items() if label == BOARD}
        if board[idea_id] or board_only:
            counts[BOARD] = len(board[idea_id]) + board_only.get(BOARD, 0)
        parts = sorted(
            ((n, label[0] if n == 1 else label[1]) for label, n in counts.items() if n),
            key=lambda part: (-part[0], part[1]),
        )
        result[idea_id] = Voices(total=sum(n for n, _ in parts), parts=tuple(parts))
    return result


def voices(idea: Idea) -> Voices:
    return voices_for([idea.pk])[idea.pk]


@dataclass(frozen=True)
class Quote:
    mention_id: int
    text: str
    who: str
    where: str  # the channel, e.g. "toot"
    url: str  # the original, http(s) only, or ""
    published_at: object
    pinned: bool


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_LENGTH:
        return text
    cut = text[: QUOTE_LENGTH - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _safe_url(url: str) -> str:
    from earful.river.templatetags.earful import safe_url

    return safe_url(url)


def _weight(mention: Mention) -> float:
    reach = mention.author.reach if mention.author and mention.author.reach else 0
    length = len(mention.text)
    says_something = 1.0 if 60 <= length <= 600 else 0.5
    return math.log10(reach + 1) + says_something


def best_quotes(idea: Idea, limit: int = QUOTES) -> list[Quote]:
    """The idea's best quotes from its linked mentions (see the module's note)."""
    evidence = (
        Evidence.objects.filter(idea=idea)
        .exclude(mention__source__kind=Source.Kind.OWNED, mention__source__config__app=BOARD_APP)
        .select_related("mention__author", "mention__source")
        .order_by("-quote", F("mention__author__reach").desc(nulls_last=True), "-mention_id")
    )[:QUOTE_CANDIDATES]
    chosen: list[tuple[bool, float, Evidence]] = []
    for ev in evidence:
        m = ev.mention
        if not ev.quote:
            if m.spam_score >= SPAM or len(m.text.strip()) < MIN_QUOTE:
                continue
            if m.source.kind in PRIVATE_KINDS:
                continue
        chosen.append((ev.quote, _weight(m), ev))
    chosen.sort(key=lambda c: (not c[0], -c[1], -c[2].mention_id))
    quotes: list[Quote] = []
    authors: set = set()
    roots: set = set()
    for pinned, _, ev in chosen:
        m = ev.mention
        author = ("a", m.author_id) if m.author_id else ("m", m.pk)
        root = m.duplicate_of_id or m.pk
        if not pinned and (author in authors or root in roots):
            continue
        authors.add(author)
        roots.add(root)
        who = (m.author.name or m.author.handle) if m.author else ""
        quotes.append(
            Quote(
                mention_id=m.pk,
                text=_shorten(m.text),
                who=who,
                where=channel_label(m.source, m.external_id)[0],
                url=_safe_url(m.url),
                published_at=m.published_at,
                pinned=ev.quote,
            )
        )
        if len(quotes) == limit:
            break
    return quotes


def external_links(idea: Idea) -> list[Mention]:
    """The idea's linked mentions off our own channels that have an http(s) address, for
    the changelog entry to link (the links make its Webmentions verifiable)."""
    mentions = (
        Mention.objects.filter(board_evidence__idea=idea, owned=False)
        .select_related("author", "source")
        .order_by("published_at", "id")
    )
    found = [m for m in mentions if _safe_url(m.url)]
    for m in found:
        m.channel = channel_label(m.source, m.external_id)[0]
    return found
