"""The flag endpoint and the review queue over HTTP: who may see and do what, CSRF, bad
input, and what moderators see in each tab."""

import pytest
from django.test import Client
from django.urls import reverse

from earful.community.actions import moderation
from earful.community.actions.posts import answer_question
from earful.community.models import Answer, Flag, Member, ModerationLog, State

pytestmark = pytest.mark.django_db

REVIEW = "/community/review/"


@pytest.fixture
def guide(make_member):
    return make_member("gwen", points=2500)


@pytest.fixture
def held_answer(question, make_member):
    newcomer = make_member("nico")
    return answer_question(question, newcomer, "Read https://example.org/fix, it solved it for me.")


@pytest.fixture
def spam_answer(question, make_member):
    spammer = make_member("spammy")
    text = "BUY CHEAP CASES http://cheap.example/ http://cheap.example/2 casino viagra " * 3
    answer = answer_question(question, spammer, text)
    if "looks like spam" not in answer.held_for:  # the spam score's heuristics may change
        Answer.objects.filter(pk=answer.pk).update(held_for=["looks like spam"])
    return answer


def login(client, user):
    client.force_login(user)
    return client


def test_the_queue_is_for_moderators_only(client, voter, guide, staff):
    response = client.get(REVIEW)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert login(client, voter).get(REVIEW).status_code == 403
    assert login(Client(), guide).get(REVIEW).status_code == 200
    assert login(Client(), staff).get(REVIEW).status_code == 200


def test_every_form_refuses_outsiders(client, voter, held_answer):
    urls = [
        reverse("community:review_act"),
        reverse("community:suspend"),
        reverse("community:lift_suspension"),
        reverse("community:resolve_flag", args=[1]),
    ]
    for url in urls:
        response = client.post(url, {"one": f"approve|answer:{held_answer.pk}"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login(client, voter)
    for url in urls:
        assert client.post(url, {"one": f"approve|answer:{held_answer.pk}"}).status_code == 403
    assert Answer.objects.get(pk=held_answer.pk).state == State.HELD


def test_members_who_moderate_cannot_suspend(client, guide, helper):
    login(client, guide)
    response = client.post(
        reverse("community:suspend"), {"username": "hugo", "days": 3, "reason": "x"}
    )
    assert response.status_code == 403
    assert not Member.objects.get(user=helper).is_suspended
    page = client.get(REVIEW)
    assert b"Suspensions" not in page.content


def test_tabs_show_flagged_held_and_spam_apart(
    client, guide, answer, asker, held_answer, spam_answer
):
    moderation.flag_post(asker, answer, "rude", "Calls me <b>names</b>")
    login(client, guide)
    flagged = client.get(REVIEW).content.decode()
    assert f'value="answer:{answer.pk}"' in flagged and "Rude or abusive by asha" in flagged
    assert "Calls me &lt;b&gt;names&lt;/b&gt;" in flagged
    held = client.get(REVIEW, {"tab": "held"}).content.decode()
    assert f'value="answer:{held_answer.pk}"' in held
    assert f'value="answer:{spam_answer.pk}"' not in held
    spam = client.get(REVIEW, {"tab": "spam"}).content.decode()
    assert f'value="answer:{spam_answer.pk}"' in spam
    assert f'value="answer:{held_answer.pk}"' not in spam
    assert client.get(REVIEW, {"tab": "nonsense"}).status_code == 200


def test_one_button_and_the_bulk_form(client, guide, held_answer, spam_answer, question):
    login(client, guide)
    response = client.post(
        reverse("community:review_act"), {"tab": "held", "one": f"approve|answer:{held_answer.pk}"}
    )
    assert response.status_code == 302 and response["Location"] == f"{REVIEW}?tab=held"
    assert Answer.objects.get(pk=held_answer.pk).state == State.PUBLISHED
    response = client.post(
        reverse("community:review_act"),
        {
            "tab": "spam",
            "action": "remove_spam",
            "target": [f"answer:{spam_answer.pk}"],
            "reason": "ads",
        },
        follow=True,
    )
    assert "Remove as spam: 1 post(s)." in response.content.decode()
    assert Answer.objects.get(pk=spam_answer.pk).state == State.REMOVED
    assert Member.objects.get(user=spam_answer.author).points == -100
    log = client.get(REVIEW, {"tab": "log"}).content.decode()
    assert "remove_spam" in log and "ads" in log and "approve" in log


def test_moderators_hide_from_the_question_page_and_find_it_in_the_queue(
    client, guide, answer, question, voter
):
    assert (
        "hide|answer:"
        not in login(Client(), voter).get(question.get_absolute_url()).content.decode()
    )
    page = login(client, guide).get(question.get_absolute_url()).content.decode()
    assert (
        f'value="hide|answer:{answer.pk}"' in page
        and f'value="hide|question:{question.pk}"' in page
    )
    back = f"{question.get_absolute_url()}#answer-{answer.pk}"
    response = client.post(
        reverse("community:review_act"), {"one": f"hide|answer:{answer.pk}", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Answer.objects.get(pk=answer.pk).state == State.HIDDEN
    queue = client.get(REVIEW, {"tab": "flagged"}).content.decode()
    assert f"keep|answer:{answer.pk}" in queue and f"hide|answer:{answer.pk}" not in queue
    response = client.post(
        reverse("community:review_act"),
        {"one": f"hide|answer:{answer.pk}", "next": "https://evil.example/"},
    )
    assert response["Location"] == REVIEW  # not off-site; the post is hidden already
    assert ModerationLog.objects.filter(action="hide").count() == 1


def test_hostile_review_input_is_refused_politely(client, guide, held_answer):
    login(client, guide)
    act = reverse("community:review_act")
    for data in (
        {"one": "approve|answer:abc"},
        {"one": "drop|answer:1"},
        {"action": "approve", "target": ["answer:-4", "'; drop table"]},
        {"action": "approve"},
        {},
    ):
        response = client.post(act, data, follow=True)
        assert response.status_code == 200
    assert Answer.objects.get(pk=held_answer.pk).state == State.HELD
    assert client.get(act).status_code == 405
    assert (
        client.post(
            reverse("community:resolve_flag", args=[99999]), {"outcome": "helpful"}
        ).status_code
        == 404
    )


def test_resolve_a_flag_from_the_queue(client, guide, answer, asker):
    found = moderation.flag_post(asker, answer, "spam")
    login(client, guide)
    url = reverse("community:resolve_flag", args=[found.pk])
    client.post(url, {"outcome": "maybe"})
    assert Flag.objects.get().outcome == Flag.Outcome.OPEN
    client.post(url, {"outcome": "helpful", "tab": "flagged"})
    assert Flag.objects.get().outcome == Flag.Outcome.HELPFUL
    assert Member.objects.get(user=asker).points == 2


def test_staff_suspend_and_lift_by_username(client, staff, helper):
    login(client, staff)
    suspend = reverse("community:suspend")
    client.post(suspend, {"username": "nobody-here", "days": 3, "reason": "spam"})
    client.post(suspend, {"username": "hugo", "days": "lots", "reason": "spam"})
    assert not Member.objects.get(user=helper).is_suspended
    response = client.post(
        suspend, {"username": "hugo", "days": 3, "reason": "Spam links"}, follow=True
    )
    assert "hugo is suspended until" in response.content.decode()
    assert Member.objects.get(user=helper).is_suspended
    client.post(reverse("community:lift_suspension"), {"username": "hugo"})
    assert not Member.objects.get(user=helper).is_suspended


def test_flag_endpoint(client, answer, asker):
    url = reverse("community:flag", args=["answer", answer.pk])
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    login(client, asker)
    response = client.post(url, {"reason": "spam", "note": "ads"})
    assert response.status_code == 302 and response["Location"] == answer.get_absolute_url()
    assert Flag.objects.get().note == "ads"
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert "already flagged" in response.content.decode()
    assert client.post(url, {"reason": "nonsense"}).status_code == 302
    assert Flag.objects.count() == 1
    response = client.post(url, {"reason": "rude", "next": "https://evil.example/"})
    assert response["Location"] == answer.get_absolute_url()
    assert (
        client.post(reverse("community:flag", args=["user", 1]), {"reason": "spam"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("community:flag", args=["answer", 10**9]), {"reason": "spam"}
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 405


def test_a_hidden_post_cannot_be_flagged_by_members(client, answer, asker, staff):
    moderation.flag_post(staff, answer, "spam")
    login(client, asker)
    assert (
        client.post(
            reverse("community:flag", args=["answer", answer.pk]), {"reason": "spam"}
        ).status_code
        == 404
    )


def test_forms_need_the_csrf_token(guide, held_answer, answer, asker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(guide)
    response = client.post(
        reverse("community:review_act"), {"one": f"approve|answer:{held_answer.pk}"}
    )
    assert response.status_code == 403
    assert Answer.objects.get(pk=held_answer.pk).state == State.HELD
    flagger = Client(enforce_csrf_checks=True)
    flagger.force_login(asker)
    url = reverse("community:flag", args=["answer", answer.pk])
    assert flagger.post(url, {"reason": "spam"}).status_code == 403
    assert not Flag.objects.exists() and not ModerationLog.objects.exists()


def test_questions_and_comments_in_the_queue(client, guide, question, answer, asker, make_member):
    from earful.community.actions.posts import comment_on

    newcomer = make_member("nadia")
    held = comment_on(newcomer, "More at https://example.org/arc please", answer=answer)
    moderation.flag_post(answer.author, question, "off_topic", "Belongs to the tablets forum.")
    flagged_comment = comment_on(asker, "Thanks, that did it!", answer=answer)
    moderation.flag_post(newcomer, flagged_comment, "spam")
    login(client, guide)
    flagged = client.get(REVIEW).content.decode()
    assert (
        f'value="question:{question.pk}"' in flagged and "Belongs to the tablets forum." in flagged
    )
    assert f'value="comment:{flagged_comment.pk}"' in flagged
    assert f'href="{flagged_comment.get_absolute_url()}"' in flagged
    page = client.get(REVIEW, {"tab": "held"}).content.decode()
    assert f'value="comment:{held.pk}"' in page and "links from a new member" in page
    client.post(reverse("community:review_act"), {"one": f"keep|question:{question.pk}"})
    client.post(reverse("community:review_act"), {"one": f"approve|comment:{held.pk}"})
    assert Flag.objects.get(question=question).outcome == Flag.Outcome.DECLINED
    held.refresh_from_db()
    assert held.state == State.PUBLISHED and held.mention_id
    assert f'value="question:{question.pk}"' not in client.get(REVIEW).content.decode()


def test_the_log_shows_automatic_hides(client, guide, answer, staff):
    moderation.flag_post(staff, answer, "rude")
    login(client, guide)
    log = client.get(REVIEW, {"tab": "log"}).content.decode()
    assert "(flags)" in log and f"answer:{answer.pk}" in log and "hide" in log


def test_staff_correct_points_and_suspend_from_a_profile(client, staff, helper, voter):
    profile = reverse("community:profile", args=["hugo"])
    assert 'id="staff"' not in login(Client(), voter).get(profile).content.decode()
    assert 'id="staff"' in login(client, staff).get(profile).content.decode()
    adjust = reverse("community:adjust_points")
    response = client.post(
        adjust, {"username": "hugo", "points": "40", "note": "meetup host"}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == profile
    assert "hugo: +40 points, 40 in all." in page and "(meetup host)" in page
    for bad in (
        {"username": "hugo", "points": "40"},
        {"username": "hugo", "points": "1e9", "note": "x"},
        {"username": "nobody", "points": "4", "note": "x"},
        {"username": "hugo", "points": "99999", "note": "x"},
    ):
        assert client.post(adjust, bad, follow=True).status_code == 200
    assert Member.objects.get(user=helper).points == 40
    assert ModerationLog.objects.filter(action="adjust").count() == 1
    response = client.post(
        reverse("community:suspend"),
        {"username": "hugo", "days": "2", "reason": "spam run", "next": profile},
        follow=True,
    )
    assert (
        response.redirect_chain[-1][0] == profile
        and "Lift the suspension" in response.content.decode()
    )
    login(Client(), voter).post(adjust, {"username": "hugo", "points": "5", "note": "x"})
    assert Member.objects.get(user=helper).points == 40
