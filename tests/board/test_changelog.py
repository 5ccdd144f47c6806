"""The "you said, we did" changelog: the list, each entry's h-entry permalink, the feed."""

import feedparser
import mf2py
import pytest
from django.conf import settings
from django.urls import reverse

from earful.board.actions.evidence import link_evidence
from earful.board.actions.ideas import moderate_idea
from earful.board.actions.merge import merge_ideas
from earful.board.actions.statuses import change_status
from earful.board.models import Idea

from .test_evidence import mention_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(idea, staff, status_of):
    """The idea, done, with a toot, a blog comment and a javascript: "URL" linked."""
    link_evidence(idea, mention_on("mastodon", "CSV export please!", author="ann"), staff)
    link_evidence(idea, mention_on("blog", "Reports as CSV please", author="bo"), staff)
    link_evidence(
        idea, mention_on("bluesky", "csv csv csv", author="cy", url="javascript:alert(1)"), staff
    )
    change_status(idea, status_of("planned"), "Soon.", staff)
    return change_status(idea, status_of("done"), "Shipped in **4.2**: Reports → Export.", staff)


def test_done_ideas_are_listed_with_their_note_and_voices(
    client, done, make_idea, staff, status_of
):
    declined = make_idea("Fax support for reports")
    change_status(declined, status_of("declined"), "No.", staff)
    page = client.get(reverse("board:changelog"))
    assert page.status_code == 200
    assert page.content.count(b'class="h-entry"') == 1
    assert b"Export reports to CSV" in page.content and b"Fax support" not in page.content
    assert b"Shipped in <strong>4.2</strong>" in page.content
    assert b"4 voices: 1 Bluesky post, 1 blog comment, 1 on this board, 1 toot" in page.content
    assert reverse("board:changelog-entry", args=[done.pk]).encode() in page.content
    assert b'type="application/atom+xml"' in page.content


def test_an_idea_reopened_keeps_its_entry_and_says_where_it_is_now(client, done, staff, status_of):
    change_status(done.idea, status_of("in-progress"), "A bug: back on it.", staff)
    page = client.get(reverse("board:changelog"))
    assert page.content.count(b'class="h-entry"') == 1 and b"now" in page.content


def test_the_entry_is_an_h_entry_linking_every_external_voice(client, done):
    url = reverse("board:changelog-entry", args=[done.pk])
    page = client.get(url)
    assert page.status_code == 200
    parsed = mf2py.parse(doc=page.content.decode(), url=f"http://testserver{url}")
    (entry,) = [i for i in parsed["items"] if "h-entry" in i["type"]]
    props = entry["properties"]
    assert props["url"] == [f"http://testserver{url}"]
    assert props["name"] == ["Done: Export reports to CSV"]
    assert props["published"] and props["author"]
    html = props["content"][0]["html"]
    assert "Shipped in <strong>4.2</strong>" in html
    assert 'href="https://mastodon.example/' in html  # the external voice is linked
    where = html.split('class="evidence-links"')[1]
    assert "blog.example" not in where  # our own channel is counted (and quoted), not listed
    assert "javascript:" not in page.content.decode()
    assert any(u.startswith("https://mastodon.example/") for u in props.get("mention-of", []))


def test_entries_of_unpublished_ideas_and_other_changes_are_404(client, done, idea, staff):
    first = idea.status_changes.get(to_status__slug="planned")
    assert client.get(reverse("board:changelog-entry", args=[first.pk])).status_code == 404
    assert client.get(reverse("board:changelog-entry", args=[999999])).status_code == 404
    moderate_idea(idea, "remove", staff)
    assert client.get(reverse("board:changelog-entry", args=[done.pk])).status_code == 404
    assert b'class="h-entry"' not in client.get(reverse("board:changelog")).content


def test_a_merged_idea_leaves_the_list_but_its_entry_still_links_the_voices(
    client, done, idea, make_idea, staff
):
    survivor = make_idea("Spreadsheet exports of everything")
    merge_ideas(idea, survivor, staff)
    assert b'class="h-entry"' not in client.get(reverse("board:changelog")).content
    page = client.get(reverse("board:changelog-entry", args=[done.pk]))
    assert page.status_code == 200 and b"since merged into" in page.content
    assert b'href="https://mastodon.example/' in page.content


def test_the_atom_feed_parses(client, done, make_idea, staff, status_of):
    second = make_idea("Dark mode for the reports")
    later = change_status(second, status_of("done"), "Dark *now*. <script>x</script>", staff)
    response = client.get(reverse("board:changelog-feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "You said, we did"
    assert [e.title for e in feed.entries] == [
        "Done: Dark mode for the reports",
        "Done: Export reports to CSV",
    ]
    first = feed.entries[0]
    assert first.link == f"http://testserver{reverse('board:changelog-entry', args=[later.pk])}"
    assert first.id == f"{settings.EARFUL_SITE_URL}/ideas/changelog/{later.pk}"
    assert "Dark <em>now</em>." in first.summary and "<script>" not in first.summary
    assert "1 voice: 1 on this board" in first.summary
    assert "Shipped in <strong>4.2</strong>" in feed.entries[1].summary


def test_an_empty_changelog_reads_well(client):
    page = client.get(reverse("board:changelog"))
    assert page.status_code == 200 and b"Nothing yet" in page.content
    assert not feedparser.parse(client.get(reverse("board:changelog-feed")).content).bozo


def test_the_list_pages(client, make_idea, staff, status_of):
    for n in range(21):
        change_status(make_idea(f"Finished idea number {n}"), status_of("done"), "", staff)
    page = client.get(reverse("board:changelog"))
    assert page.content.count(b'class="h-entry"') == 20 and b"page 1 of 2" in page.content
    assert Idea.objects.count() == 21
