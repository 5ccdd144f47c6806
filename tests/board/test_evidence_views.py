"""The console's "Link to idea" card (mention page, inbox item page) and its views, and the
voices and quotes on the idea page.

The console's board pages live in earful.board.console_urls, which the project mounts at
/console/ideas/; this module's URLconf adds them if the project does not yet, so the
tests run either way."""

import pytest
from django.test import Client
from django.urls import reverse

from earful.board.actions.evidence import link_evidence
from earful.board.models import Evidence
from earful.river.models import Mention

from .test_evidence import mention_on

pytestmark = pytest.mark.django_db

TEXT = "Please let me export the monthly reports to CSV, my accountant needs them."


@pytest.fixture
def toot():
    return mention_on("mastodon", TEXT, author="ann", reach=900)


@pytest.fixture
def responder(user_with_roles):  # search_mentions, triage_inbox and manage_ideas
    return user_with_roles("responder", username="rita")


@pytest.fixture
def listener(user_with_roles):  # search_mentions, but not manage_ideas
    return user_with_roles("listener", username="lou")


def test_the_urls_are_under_console_ideas_evidence(toot):
    assert reverse("board-console:evidence", args=[toot.pk]) == f"/console/ideas/evidence/{toot.pk}"


def test_the_card_is_on_the_mention_page_for_staff_who_manage_ideas_only(
    client, toot, idea, responder, listener
):
    client.force_login(listener)
    page = client.get(reverse("console-mention", args=[toot.pk]))
    assert page.status_code == 200 and b'data-testid="evidence"' not in page.content
    client.force_login(responder)
    page = client.get(reverse("console-mention", args=[toot.pk]))
    assert page.content.count(b'data-testid="evidence"') == 1
    assert b"Not linked to an idea" in page.content
    # The idea like the mention is offered for one-click linking.
    assert f'name="idea" value="{idea.pk}"'.encode() in page.content


def test_the_card_is_on_the_inbox_item_page_once(client, toot, idea, responder):
    link_evidence(idea, toot, responder)
    client.force_login(responder)
    page = client.get(reverse("inbox-item", args=[toot.pk]))
    assert page.status_code == 200
    assert page.content.count(b'data-testid="evidence"') == 1
    assert f"#{idea.pk} Export reports to CSV".encode() in page.content
    assert b"Unlink" in page.content


def test_the_chooser_finds_ideas_by_number_and_title_words(
    client, toot, idea, make_idea, responder
):
    other = make_idea("Dark mode for the console")
    client.force_login(responder)
    url = reverse("board-console:evidence", args=[toot.pk])
    by_number = client.get(url, {"q": f"#{other.pk}"})
    assert by_number.status_code == 200 and b"Dark mode" in by_number.content
    assert b"Export reports" not in by_number.content.split(b'data-testid="ideas-found"')[1]
    by_words = client.get(url, {"q": "reports export"})
    found = by_words.content.split(b'data-testid="ideas-found"')[1]
    assert b"Export reports to CSV" in found and b"Dark mode" not in found
    nothing = client.get(url, {"q": "<script>x</script>"})
    assert b"No idea matches" in nothing.content and b"<script>x" not in nothing.content
    suggested = client.get(url)
    assert b"Ideas like this mention" in suggested.content


def test_every_view_checks_permissions(client, toot, idea, listener, customer):
    chooser = reverse("board-console:evidence", args=[toot.pk])
    posts = [reverse(f"board-console:{n}", args=[toot.pk]) for n in ("link", "unlink", "quote")]
    anonymous = client.get(chooser)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    for url in posts:
        assert client.post(url, {"idea": idea.pk}).status_code == 302
    for person in (customer, listener):
        client.force_login(person)
        assert client.get(chooser).status_code == 403
        for url in posts:
            assert client.post(url, {"idea": idea.pk}).status_code == 403
    assert not Evidence.objects.exists()


def test_staff_link_pin_and_unlink_and_go_back(client, toot, idea, responder):
    client.force_login(responder)
    back = reverse("inbox-item", args=[toot.pk])
    link = reverse("board-console:link", args=[toot.pk])
    assert client.get(link).status_code == 405
    response = client.post(link, {"idea": idea.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Evidence.objects.get().idea == idea
    client.post(reverse("board-console:quote", args=[toot.pk]), {"idea": idea.pk, "pin": "1"})
    assert Evidence.objects.get().quote
    # An address off this site is not followed back.
    away = client.post(
        reverse("board-console:unlink", args=[toot.pk]),
        {"idea": idea.pk, "next": "https://evil.example/"},
    )
    assert away["Location"] == reverse("console-mention", args=[toot.pk])
    assert not Evidence.objects.exists()


def test_bad_requests_get_a_message_and_change_nothing(client, toot, idea, responder, make_idea):
    client.force_login(responder)
    link = reverse("board-console:link", args=[toot.pk])
    for data in ({}, {"idea": "x"}, {"idea": "999999"}):
        response = client.post(link, data, follow=True)
        assert b"Choose an idea" in response.content
    survivor = make_idea("Spreadsheet exports")
    idea.merged_into = survivor
    idea.save()
    response = client.post(link, {"idea": idea.pk}, follow=True)
    assert b"merged into" in response.content
    assert client.post(reverse("board-console:link", args=[999999]), {"idea": 1}).status_code == 404
    assert not Evidence.objects.exists()


def test_the_forms_need_the_csrf_token(toot, idea, responder):
    client = Client(enforce_csrf_checks=True)
    client.force_login(responder)
    for name in ("link", "unlink", "quote"):
        url = reverse(f"board-console:{name}", args=[toot.pk])
        assert client.post(url, {"idea": idea.pk}).status_code == 403
    assert not Evidence.objects.exists()


def test_the_idea_page_shows_voices_and_escaped_quotes(client, idea, responder):
    hostile = mention_on("mastodon", "I need CSV exports of the reports", author="eve")
    # The pipeline strips tags; a mention's text is escaped on the page all the same.
    Mention.objects.filter(pk=hostile.pk).update(text="<script>alert('csv')</script> I need CSV")
    link_evidence(idea, hostile, responder)
    link_evidence(idea, mention_on("community", "Forum: CSV export wanted", author="f"), responder)
    page = client.get(idea.get_absolute_url())
    assert b"3 voices: 1 forum post, 1 on this board, 1 toot" in page.content
    assert b"<script>alert" not in page.content and b"&lt;script&gt;" in page.content
    assert b"Unlink" not in page.content
    client.force_login(responder)
    staff_page = client.get(idea.get_absolute_url())
    assert staff_page.content.count(b">Unlink</button>") == 2
