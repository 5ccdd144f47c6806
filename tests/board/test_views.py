"""Every page and form for anonymous visitors, customers and staff."""

import pytest
from django.test import Client
from django.urls import reverse

from earful.board.actions.ideas import submit_idea
from earful.board.models import Idea, IdeaComment, StatusChange, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_customer(client, other_customer):
    client.force_login(other_customer)
    return client


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


def _login_redirect(response, next_path):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert response["Location"].endswith(f"?next={next_path}")


def test_anyone_reads_the_list_the_idea_and_the_roadmap(client, idea):
    assert client.get(reverse("board:index")).status_code == 200
    page = client.get(idea.get_absolute_url())
    assert page.status_code == 200
    assert b"Export reports to CSV" in page.content and b"<strong>monthly</strong>" in page.content
    assert b"Sign in</a> or" in page.content and b'name="body"' not in page.content
    assert client.get(reverse("board:roadmap")).status_code == 200


def test_the_list_filters_and_keeps_them_across_pages(client, make_idea, category):
    for n in range(22):
        make_idea(f"Export format number {n}", category=category)
    make_idea("Dark mode please")
    page = client.get(reverse("board:index"), {"q": "export", "category": "reports", "sort": "top"})
    assert page.status_code == 200 and b"22 ideas" in page.content
    assert b"q=export&amp;category=reports&amp;sort=top&amp;page=2" in page.content
    assert b"Dark mode" not in page.content
    second = client.get(reverse("board:index"), {"q": "export", "category": "reports", "page": 2})
    assert second.content.count(b'class="idea-row"') == 2


def test_bad_filters_get_a_clear_error(client, idea):
    page = client.get(reverse("board:index"), {"status": "no-such-status", "q": "csv ("})
    assert page.status_code == 400 and b"Select a valid choice" in page.content
    page = client.get(reverse("board:index"), {"q": "csv ("})
    assert page.status_code == 400 and b"The search does not read" in page.content


def test_anonymous_visitors_are_sent_to_sign_in_for_every_form(client, idea):
    _login_redirect(client.get(reverse("board:submit")), "/ideas/new")
    for name in ("vote", "follow", "comment"):
        response = client.post(reverse(f"board:{name}", args=[idea.pk]), {"body": "Hi"})
        _login_redirect(response, idea.get_absolute_url())
    for name in ("status", "moderate"):
        response = client.post(reverse(f"board:{name}", args=[idea.pk]), {"status": "done"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Vote.objects.exists() and not IdeaComment.objects.exists()


def test_a_customer_posts_an_idea_after_checking_for_similar_ones(as_customer, idea):
    url = reverse("board:submit")
    assert as_customer.get(url).status_code == 200
    check = as_customer.post(url, {"title": "CSV export of reports", "action": "check"})
    assert check.status_code == 200 and b"Is it one of these?" in check.content
    assert idea.get_absolute_url().encode() in check.content
    assert Idea.objects.count() == 1  # nothing posted yet
    posted = as_customer.post(url, {"title": "CSV export of reports", "category": "reports"})
    new = Idea.objects.latest("id")
    assert posted.status_code == 302 and posted["Location"] == new.get_absolute_url()
    assert new.category.slug == "reports"


def test_a_bad_idea_is_shown_back_with_the_reason(as_customer):
    response = as_customer.post(reverse("board:submit"), {"title": "Hey", "body": "More."})
    assert response.status_code == 400 and b"at least 5 characters" in response.content
    assert b"More." in response.content and not Idea.objects.exists()


def test_a_customer_votes_unvotes_follows_and_comments(as_customer, idea, other_customer):
    as_customer.post(reverse("board:vote", args=[idea.pk]), {"action": "vote"})
    as_customer.post(reverse("board:vote", args=[idea.pk]), {"action": "vote"})
    idea.refresh_from_db()
    assert idea.vote_count == 1
    page = as_customer.get(idea.get_absolute_url())
    assert b"Take my vote back" in page.content and b"Unfollow" in page.content
    as_customer.post(reverse("board:vote", args=[idea.pk]), {"action": "unvote"})
    as_customer.post(reverse("board:follow", args=[idea.pk]), {"action": "unfollow"})
    idea.refresh_from_db()
    assert idea.vote_count == 0 and not idea.follows.filter(user=other_customer).exists()
    response = as_customer.post(reverse("board:comment", args=[idea.pk]), {"body": "Yes please"})
    comment = IdeaComment.objects.get()
    assert response["Location"] == comment.get_absolute_url()
    assert b"Yes please" in as_customer.get(idea.get_absolute_url()).content


def test_an_empty_comment_is_shown_back(as_customer, idea):
    response = as_customer.post(reverse("board:comment", args=[idea.pk]), {"body": "  "})
    assert response.status_code == 400 and b"required" in response.content


def test_customers_cannot_change_statuses_or_moderate(as_customer, idea):
    response = as_customer.post(
        reverse("board:status", args=[idea.pk]), {"status": "done", "note": "Done!"}
    )
    assert response.status_code == 403
    assert (
        as_customer.post(
            reverse("board:moderate", args=[idea.pk]), {"action": "remove"}
        ).status_code
        == 403
    )
    assert b"Change status" not in as_customer.get(idea.get_absolute_url()).content
    assert not StatusChange.objects.exists()


def test_staff_change_the_status_with_a_public_note(as_staff, client, idea):
    page = as_staff.get(idea.get_absolute_url())
    assert b"Change status" in page.content
    response = as_staff.post(
        reverse("board:status", args=[idea.pk]), {"status": "planned", "note": "In **May**."}
    )
    assert response.status_code == 302
    client.logout()
    public = client.get(idea.get_absolute_url())
    assert b"Planned" in public.content and b"In <strong>May</strong>." in public.content
    same = as_staff_post(idea, "planned")
    assert same.status_code == 400 and b"already Planned" in same.content


def as_staff_post(idea, status):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="sam"))
    return client.post(reverse("board:status", args=[idea.pk]), {"status": status})


def test_held_ideas_are_seen_by_their_author_and_staff_only(
    client, customer, other_customer, staff
):
    idea = submit_idea(customer, title="Great offer", body="BUY NOW click here " * 5)
    assert idea.state == Idea.State.HELD
    assert client.get(idea.get_absolute_url()).status_code == 404
    client.force_login(other_customer)
    assert client.get(idea.get_absolute_url()).status_code == 404
    client.force_login(customer)
    assert b"Held for moderation" in client.get(idea.get_absolute_url()).content
    client.force_login(staff)
    assert client.get(idea.get_absolute_url()).status_code == 200
    client.post(reverse("board:moderate", args=[idea.pk]), {"action": "approve"})
    client.logout()
    assert client.get(idea.get_absolute_url()).status_code == 200


def test_staff_moderate_held_comments(as_staff, idea, other_customer):
    from earful.board.actions.comments import comment_on_idea

    held = comment_on_idea(idea, other_customer, "BUY CHEAP PILLS NOW " * 10)
    page = as_staff.get(idea.get_absolute_url())
    assert b"Held for moderation" in page.content
    as_staff.post(reverse("board:comment-moderate", args=[held.pk]), {"action": "approve"})
    held.refresh_from_db()
    assert held.status == IdeaComment.Status.PUBLISHED


def test_a_merged_idea_redirects_to_the_survivor(client, idea, make_idea):
    survivor = make_idea("Spreadsheet reports")
    Idea.objects.filter(pk=idea.pk).update(merged_into=survivor)
    response = client.get(idea.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == survivor.get_absolute_url()


def test_the_similar_endpoint_answers_json_to_anyone(client, idea):
    response = client.get(reverse("board:similar"), {"title": "export csv reports"})
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["matches"]] == [idea.pk]
    assert response.json()["matches"][0]["note"].endswith("· 0 votes")
    assert client.get(reverse("board:similar"), {"title": "x" * 20_000}).status_code == 200
    assert client.post(reverse("board:similar")).status_code == 405


def test_forms_need_the_csrf_token(other_customer, idea):
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_customer)
    for url, data in [
        (reverse("board:submit"), {"title": "A new idea for all"}),
        (reverse("board:vote", args=[idea.pk]), {"action": "vote"}),
        (reverse("board:follow", args=[idea.pk]), {}),
        (reverse("board:comment", args=[idea.pk]), {"body": "Hi"}),
        (reverse("board:status", args=[idea.pk]), {"status": "done"}),
    ]:
        assert client.post(url, data).status_code == 403
    assert Idea.objects.count() == 1 and not Vote.objects.exists()
    signup = Client(enforce_csrf_checks=True)
    assert signup.post(reverse("board:signup"), {"username": "eve"}).status_code == 403
