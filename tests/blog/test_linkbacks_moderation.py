"""Moderating received linkbacks, the river, what the post page lists, and the rate limit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from earful.blog import rate_limits
from earful.blog.actions.linkbacks import LinkbackError, moderate_linkback
from earful.blog.linkback_queries import linkbacks_of, published_counts
from earful.blog.linkback_views import discovery_headers
from earful.blog.models import Linkback, ModerationLog
from earful.river.models import Mention


def held(post, source: str, kind: str = "mention", **fields) -> Linkback:
    return Linkback.objects.create(
        post=post,
        protocol=Linkback.Protocol.WEBMENTION,
        source_url=source,
        target_url=f"https://blog.example.com{post.get_absolute_url()}",
        status=Linkback.Status.PENDING,
        kind=kind,
        title=fields.pop("title", "A page that links here"),
        excerpt=fields.pop("excerpt", "They liked the tour."),
        **fields,
    )


def test_approve_publishes_into_the_river(live_post, user_with_roles):
    moderator = user_with_roles("responder", username="mod")
    linkback = held(live_post, "https://them.test/a", author_name="Jo")
    moderate_linkback(linkback, "approve", moderator, "fine")
    linkback.refresh_from_db()
    assert linkback.status == Linkback.Status.PUBLISHED
    assert linkback.moderated_by == moderator
    mention = Mention.objects.get(pk=linkback.mention_id)
    assert mention.url == "https://them.test/a"
    log = ModerationLog.objects.get(linkback=linkback)
    assert (log.action, log.user, log.detail) == (
        "approve",
        moderator,
        "pending -> published: fine",
    )


@pytest.mark.parametrize(
    ("action", "status"),
    [("spam", "spam"), ("remove", "removed"), ("hold", "pending")],
)
def test_other_actions_take_it_out_of_the_river(live_post, action, status):
    linkback = moderate_linkback(held(live_post, "https://them.test/a"), "approve", None)
    mention_id = linkback.mention_id
    moderate_linkback(linkback, action, None)
    linkback.refresh_from_db()
    assert linkback.status == status
    assert linkback.mention_id is None
    assert not Mention.objects.filter(pk=mention_id).exists()
    assert list(
        ModerationLog.objects.filter(linkback=linkback)
        .order_by("at", "id")
        .values_list("action", flat=True)
    ) == ["approve", action]


def test_unknown_actions_and_unverified_approvals_are_refused(live_post):
    linkback = held(live_post, "https://them.test/a")
    with pytest.raises(LinkbackError, match="unknown moderation action 'publish'"):
        moderate_linkback(linkback, "publish", None)
    linkback.status = Linkback.Status.VERIFYING
    with pytest.raises(LinkbackError, match="still being verified"):
        moderate_linkback(linkback, "approve", None)
    assert not ModerationLog.objects.exists()


def test_the_post_lists_published_linkbacks_by_kind(live_post):
    reply = moderate_linkback(held(live_post, "https://a.test/1", "reply"), "approve", None)
    like = moderate_linkback(held(live_post, "https://b.test/1", "like"), "approve", None)
    second = moderate_linkback(held(live_post, "https://a.test/2"), "approve", None)
    held(live_post, "https://c.test/held")  # not published: not listed
    spam = held(live_post, "https://d.test/spam")
    moderate_linkback(spam, "spam", None)

    listed = linkbacks_of(live_post)
    assert listed.count == 3
    assert list(listed.by_kind) == ["reply", "mention", "like"]
    assert [lb.pk for lb in listed.items] == [reply.pk, second.pk, like.pk]
    assert listed.sites == 2
    assert listed.summary == "2 blogs link here"
    assert published_counts([live_post.pk]) == {live_post.pk: 3}


def test_a_post_without_linkbacks_lists_none(live_post):
    listed = linkbacks_of(live_post)
    assert (listed.count, listed.items, listed.summary) == (0, [], "")


def test_the_post_page_shows_published_linkbacks(client, live_post):
    moderate_linkback(held(live_post, "https://a.test/1", title="Fan review"), "approve", None)
    held(live_post, "https://c.test/held", title="Held back")
    response = client.get(live_post.get_absolute_url())
    page = response.content.decode()
    assert "Fan review" in page
    assert "Held back" not in page
    assert response["X-Pingback"] == "http://testserver/blog/xmlrpc"
    assert response["Link"] == '<http://testserver/blog/webmention>; rel="webmention"'


def test_discovery_headers_are_absolute(rf: RequestFactory, settings):
    settings.ALLOWED_HOSTS = ["blog.example.com"]
    request = rf.get("/blog/x/", HTTP_HOST="blog.example.com", secure=True)
    assert discovery_headers(request) == {
        "Link": '<https://blog.example.com/blog/webmention>; rel="webmention"',
        "X-Pingback": "https://blog.example.com/blog/xmlrpc",
    }


# --- the rate limit -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [("20/h", (20, 3600)), ("5/m", (5, 60)), ("30/10m", (30, 600)), (" 1 / d ", (1, 86400))],
)
def test_rates_parse(rate, parsed):
    assert rate_limits.parse_rate(rate) == parsed


@pytest.mark.parametrize("rate", ["", "20", "20/w", "many/h", "-1/h"])
def test_bad_rates_are_reported(rate):
    with pytest.raises(ImproperlyConfigured, match="EARFUL_BLOG_LINKBACK_RATE"):
        rate_limits.parse_rate(rate)


def test_the_window_is_fixed_and_per_host(settings):
    from django.core.cache import cache

    cache.clear()
    settings.EARFUL_BLOG_LINKBACK_RATE = "2/m"
    start = 6_000_000.0  # the start of a minute
    assert rate_limits.take("a.test", start)
    assert rate_limits.take("A.TEST", start + 10)
    assert not rate_limits.take("a.test", start + 59)
    assert rate_limits.take("b.test", start + 59)
    assert rate_limits.take("a.test", start + 60)  # the next window
    cache.clear()
