import io

import pytest
from django.core.management import call_command

from earful.river import actions
from earful.river.models import Mention, Source
from earful.river.tasks import enqueue_due_polls
from tests.web.conftest import reply, server  # noqa: F401 - the server fixture

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Halvora fans</title><link>https://fans.example/</link>
<item><guid isPermaLink="false">post-1</guid><title>Strata 7 first look</title>
<link>https://fans.example/strata-7?utm_source=rss</link>
<description>&lt;p&gt;The &lt;b&gt;Strata 7&lt;/b&gt; battery is excellent.&lt;/p&gt;</description>
<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid isPermaLink="false">post-2</guid><title>Support woes</title>
<link>https://fans.example/support</link>
<description>Nobody answers the support line, terrible.</description></item>
</channel></rss>"""


@pytest.mark.django_db(transaction=True)
def test_the_worker_polls_due_sources_in_the_background(server, allow_loopback):  # noqa: F811
    server.routes["/feed.xml"] = reply(
        200, FEED, {"Content-Type": "application/rss+xml", "ETag": '"v1"'}
    )
    source = actions.create_source("feed", "Fans", {"url": server.url("/feed.xml")}, 10)
    actions.create_source("feed", "Later", {"url": server.url("/other.xml")}, 10)
    Source.objects.filter(name="Later").update(next_poll_at=source.next_poll_at.replace(year=2100))

    assert enqueue_due_polls() == 1
    assert enqueue_due_polls() == 0  # claimed: the next poll is ten minutes away
    call_command("worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())

    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["post-1", "post-2"]
    first = Mention.objects.get(external_id="post-1")
    assert first.canonical_url == "https://fans.example/strata-7"
    assert "Strata 7 battery is excellent" in first.text
    source.refresh_from_db()
    assert source.last_ok_at is not None and source.healthy
    assert source.state.get("etag") == '"v1"' or '"v1"' in str(source.state)
    assert [seen.path for seen in server.requests] == ["/feed.xml"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_source_records_its_error_and_the_rest_go_on(server, allow_loopback):  # noqa: F811
    server.routes["/ok.xml"] = reply(200, FEED, {"Content-Type": "application/rss+xml"})
    server.routes["/broken.xml"] = reply(500, b"oops")
    actions.create_source("feed", "Broken", {"url": server.url("/broken.xml")}, 10)
    actions.create_source("feed", "Fine", {"url": server.url("/ok.xml")}, 10)

    out = io.StringIO()
    call_command("poll", stdout=out)

    broken = Source.objects.get(name="Broken")
    assert not broken.healthy and "500" in broken.last_error
    assert "Broken: error:" in out.getvalue()
    assert "Fine: imported=2" in out.getvalue()
    assert Mention.objects.count() == 2
