"""The community's JSON API: open reads, members' writes as themselves, staff's calls,
and every refusal a JSON error whose status says what kind it is, whatever the input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earful.community.actions.answers import accept_answer
from earful.community.actions.posts import answer_question, ask_question, comment_on
from earful.community.actions.votes import vote
from earful.community.api import status_of
from earful.community.badges import award_badges
from earful.community.errors import CommunityError, Conflict, NotAllowed, NotFound, RateLimited
from earful.community.models import (
    AmbassadorReport,
    Answer,
    Decision,
    Level,
    Member,
    Question,
    ReputationEvent,
    State,
)
from earful.river.models import Mention
from tests.api_calls import caller, error_of

pytestmark = pytest.mark.django_db
API = "/api/v1/community"
HUGE = 2**63  # one past the largest database id
BODY = "Since the firmware update the buds disconnect every few minutes on my laptop."


@pytest.fixture
def call(client):
    """call(user) -> request(method, path, body=None, **query); call(None) is anonymous."""
    return caller(client, API)


def ask(user, category, title: str, body: str = BODY, tags=()) -> Question:
    return ask_question(user, title=title, body=body, category=category, tags=tags)


def ambassador(make_member, name: str = "amba"):
    user = make_member(name)
    Member.objects.filter(user=user).update(is_ambassador=True)
    return user


# --- the kinds of refusal -----------------------------------------------------------------


def test_the_status_comes_from_the_class_not_the_words():
    assert status_of(CommunityError("already there")) == 400
    assert status_of(NotAllowed("x")) == 403
    assert status_of(NotFound("x")) == 404
    assert status_of(Conflict("Sign in")) == 409
    assert status_of(RateLimited("x")) == 429
    assert 1 <= RateLimited("x").retry_after <= 3600


# --- reading, open to anyone --------------------------------------------------------------


def test_anyone_lists_questions_with_combined_filters(call, asker, helper, category, question):
    from earful.community.models import Category

    other = Category.objects.create(name="Tide Buds", slug="tide-buds")
    buds = ask(asker, other, "Tide Buds disconnect from my laptop", tags=["bluetooth"])
    answer = answer_question(buds, helper, "Forget the device on the laptop and pair again.")
    accept_answer(answer, asker)

    everything = call(None)("get", "/questions").json()
    assert everything["count"] == 2 and everything["next_page"] is None
    assert {q["id"] for q in everything["items"]} == {question.pk, buds.pk}
    first = next(q for q in everything["items"] if q["id"] == buds.pk)
    assert first["category"]["slug"] == "tide-buds" and first["solved"]
    assert first["tags"] == [{"slug": "bluetooth", "name": "bluetooth"}]
    assert first["author"] == {"username": "asha", "points": 2, "staff": False}
    assert first["url"].endswith(f"/community/questions/{buds.pk}/")

    def ids(**params):
        response = call(None)("get", "/questions", **params)
        assert response.status_code == 200, response.content
        return [q["id"] for q in response.json()["items"]]

    assert ids(category="tide-buds") == [buds.pk]
    assert ids(tag="battery") == [question.pk]
    assert ids(answered="solved") == [buds.pk]
    assert ids(answered="unanswered") == [question.pk]
    assert ids(category="arc-phones", answered="solved") == []
    assert ids(sort="newest") == [buds.pk, question.pk]


def test_question_list_pages(call, staff, category):
    for n in range(23):  # staff are not rate limited
        ask(staff, category, f"Question number {n} about the phone", body=f"{BODY} ({n})")
    first = call(None)("get", "/questions", sort="newest").json()
    assert (first["count"], first["pages"], first["next_page"]) == (23, 2, 2)
    second = call(None)("get", "/questions", sort="newest", page=2).json()
    assert len(second["items"]) == 3 and second["next_page"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"category": "nope"},
        {"tag": "nope"},
        {"sort": "sideways"},
        {"answered": "maybe"},
        {"page": 0},
        {"page": 501},
        {"page": "x"},
        {"q": "x" * 501},
        {"q": "battery\x00"},
        {"q": '"unclosed'},
    ],
)
def test_bad_list_parameters_answer_422(call, question, params):
    response = call(None)("get", "/questions", **params)
    assert response.status_code == 422, response.content
    assert response.json()["error"]


def test_a_question_with_its_answers_and_comments(call, question, answer, asker, helper, voter):
    comment_on(voter, "Same here on 4.2.", question=question)
    comment_on(asker, "That did it, thanks!", answer=answer)
    vote(answer, voter, 1)
    body = call(None)("get", f"/questions/{question.pk}").json()
    assert body["title"] == question.title and body["my_vote"] is None
    assert [c["body"] for c in body["comments"]] == ["Same here on 4.2."]
    assert body["tags"] == [
        {"slug": "arc-5", "name": "arc 5"},
        {"slug": "battery", "name": "battery"},
    ]
    (listed,) = body["answer_list"]
    assert listed["id"] == answer.pk and listed["score"] == 1
    assert listed["author"]["username"] == "hugo" and listed["author"]["points"] == 10
    assert [c["body"] for c in listed["comments"]] == ["That did it, thanks!"]
    assert listed["comments"][0]["url"].endswith(f"#comment-{listed['comments'][0]['id']}")
    # with a token: the caller's own votes
    mine = call(voter)("get", f"/questions/{question.pk}").json()
    assert mine["my_vote"] == 0 and mine["answer_list"][0]["my_vote"] == 1


def test_answers_come_official_then_accepted_then_by_score(
    call, question, answer, asker, staff, make_member
):
    later = answer_question(question, make_member("lou"), "Update to 4.2.1, it fixes the drain.")
    best = answer_question(question, make_member("max"), "A factory reset cured mine for good.")
    vote(best, make_member("v1", points=20), 1)
    official = answer_question(question, staff, "We fixed this in 4.2.1, rolling out this week.")
    from earful.community.actions.answers import mark_official

    mark_official(official, staff)
    accept_answer(later, asker)
    order = [a["id"] for a in call(None)("get", f"/questions/{question.pk}").json()["answer_list"]]
    assert order == [official.pk, later.pk, best.pk, answer.pk]
    listed = call(None)("get", f"/questions/{question.pk}").json()["answer_list"][0]
    assert listed["official"] and listed["author"]["staff"]


def test_held_posts_are_seen_by_their_writer_and_moderators_only(
    call, asker, helper, category, staff, question
):
    held = ask(asker, category, "Why is my link held here?", body=f"{BODY} https://example.org/x")
    assert held.state == State.HELD
    assert call(None)("get", f"/questions/{held.pk}").status_code == 404
    assert call(helper)("get", f"/questions/{held.pk}").status_code == 404
    mine = call(asker)("get", f"/questions/{held.pk}").json()
    assert mine["state"] == "held" and mine["held_for"] == ["links from a new member"]
    assert call(staff)("get", f"/questions/{held.pk}").status_code == 200
    assert held.pk not in [q["id"] for q in call(asker)("get", "/questions").json()["items"]]

    link_answer = answer_question(question, helper, "See https://example.org/fix for the fix.")
    assert link_answer.state == State.HELD
    assert call(None)("get", f"/questions/{question.pk}").json()["answer_list"] == []
    shown = call(helper)("get", f"/questions/{question.pk}").json()["answer_list"]
    assert [a["state"] for a in shown] == ["held"]


def test_removed_questions_are_for_staff_only(call, question, asker, staff):
    Question.objects.filter(pk=question.pk).update(state=State.REMOVED)
    assert call(asker)("get", f"/questions/{question.pk}").status_code == 404
    assert call(staff)("get", f"/questions/{question.pk}").json()["state"] == "removed"


def test_unknown_and_impossible_ids(call, question):
    assert "no question 999" in error_of(call(None)("get", "/questions/999"), 404)
    for path in (f"/questions/{HUGE}", "/questions/0", "/questions/-1", "/questions/abc"):
        assert call(None)("get", path).status_code == 422, path
    assert call(None)("get", f"/answers/{HUGE}/vote").status_code in (404, 405)


def test_a_bad_token_is_refused_even_for_open_reads(call, question):
    assert "token" in error_of(call(None, token="not-a-token")("get", "/questions"), 401)


@pytest.mark.parametrize(
    "text",
    ['"', "AND OR NOT (", "*", "author:", "NEAR/5", "ü" * 400, "a\tb\r\nc", "')--", "%_%"],
)
def test_odd_search_text_never_breaks_the_list_or_similar(call, question, text):
    listed = call(None)("get", "/questions", q=text)
    assert listed.status_code in (200, 422), listed.content
    similar = call(None)("get", "/questions/similar", title=text, body=text)
    assert similar.status_code == 200, similar.content


def test_categories_tags_and_similar_questions(call, question, category):
    assert call(None)("get", "/categories").json() == [
        {"slug": "arc-phones", "name": "Arc phones", "description": ""}
    ]
    assert [t["slug"] for t in call(None)("get", "/tags").json()] == ["arc-5", "battery"]
    found = call(None)("get", "/questions/similar", title="Arc 5 battery drains overnight").json()
    assert found and found[0]["id"] == question.pk and 0 < found[0]["score"] <= 1
    assert call(None)("get", "/questions/similar").status_code == 422


# --- writing: questions, answers, comments ------------------------------------------------


def test_asking_needs_a_token(call, category):
    payload = {"title": "Does it charge wirelessly?", "body": BODY, "category": "arc-phones"}
    assert call(None)("post", "/questions", payload).status_code == 401
    assert not Question.objects.exists()


def test_a_member_asks_and_the_question_enters_the_river(call, asker, category):
    payload = {
        "title": "Does the Arc 5 charge wirelessly?",
        "body": BODY,
        "category": "arc-phones",
        "tags": ["charging", "Arc 5"],
    }
    response = call(asker)("post", "/questions", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "published" and body["author"]["username"] == "asha"
    assert {t["slug"] for t in body["tags"]} == {"charging", "arc-5"}
    question = Question.objects.get(pk=body["id"])
    assert Mention.objects.get(pk=question.mention_id).title == payload["title"]
    again = call(asker)("post", "/questions", payload)
    assert f"already asked as #{question.pk}" in error_of(again, 409)


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        ({"title": "Short", "body": BODY}, 400, "at least 10"),
        ({"title": "A title long enough", "body": "tiny"}, 400, "at least 20"),
        ({"title": "A title long enough", "body": " " * 30}, 400, "is empty"),
        ({"title": "A title long enough", "body": BODY, "tags": list("abcdef")}, 400, "5 tags"),
        ({"title": "A title long enough", "body": BODY, "tags": ["!!!"]}, 400, "no letters"),
        ({"title": "A title long enough", "body": BODY, "category": "nope"}, 422, "invalid"),
        ({"title": "A title\x00 long enough", "body": BODY}, 422, "invalid"),
        ({"title": "A title long enough", "body": BODY, "tags": ["a\x00b"]}, 422, "invalid"),
        ({"title": "A title long enough", "body": "x" * 50_000}, 422, "invalid"),
        ({"title": "A title long enough", "body": BODY, "tags": "battery"}, 422, "invalid"),
        ({"title": 12, "body": BODY}, 422, "invalid"),
    ],
)
def test_questions_that_do_not_fit(call, asker, category, payload, status, words):
    payload = {"category": "arc-phones", **payload}
    assert words in error_of(call(asker)("post", "/questions", payload), status)
    assert not Question.objects.exists()


def test_malformed_json_is_refused_without_a_500(call, asker, category):
    for raw in ("{", "[]", "null", '{"title": ', b"\xff\xfe"):
        response = call(asker)("post", "/questions", raw)
        assert 400 <= response.status_code < 500, (raw, response.status_code)


def test_links_from_a_new_member_are_held(call, asker, category):
    payload = {
        "title": "Where is the manual for the Arc 5?",
        "body": f"{BODY} I looked at https://example.org/manual already.",
        "category": "arc-phones",
    }
    body = call(asker)("post", "/questions", payload).json()
    assert body["state"] == "held" and body["held_for"] == ["links from a new member"]


def test_posting_past_the_levels_rate_answers_429_with_retry_after(call, asker, category):
    Level.objects.filter(number=0).update(posts_per_hour=1)
    request = call(asker)
    first = {"title": "First question of the hour", "body": BODY, "category": "arc-phones"}
    assert request("post", "/questions", first).status_code == 201
    second = {**first, "title": "Second question of the hour"}
    response = request("post", "/questions", second)
    assert "allows 1 posts an hour" in error_of(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 3600


def test_suspended_members_are_refused(call, asker, category):
    Member.objects.filter(user=asker).update(suspended_until=timezone.now() + timedelta(days=2))
    payload = {"title": "Am I still allowed to ask?", "body": BODY, "category": "arc-phones"}
    assert "suspended until" in error_of(call(asker)("post", "/questions", payload), 403)


def test_answering_and_commenting(call, question, helper, voter):
    text = "Switch off 'Wake on nearby devices'; it keeps the radio awake."
    response = call(helper)("post", f"/questions/{question.pk}/answers", {"body": text})
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["state"] == "published" and answer["my_vote"] == 0
    assert answer["url"].endswith(f"#answer-{answer['id']}")
    question.refresh_from_db()
    assert question.answer_count == 1
    again = call(helper)("post", f"/questions/{question.pk}/answers", {"body": text})
    assert "already on the question" in error_of(again, 409)

    remark = call(voter)("post", f"/questions/{question.pk}/comments", {"body": "Same here."})
    assert remark.status_code == 201 and remark.json()["question_id"] == question.pk
    under = call(voter)("post", f"/answers/{answer['id']}/comments", {"body": "Worked, thanks"})
    assert under.status_code == 201 and under.json()["answer_id"] == answer["id"]
    long = call(voter)("post", f"/answers/{answer['id']}/comments", {"body": "x" * 601})
    assert "at most 600" in error_of(long, 400)
    assert call(voter)("post", f"/answers/{HUGE}/comments", {"body": "hi there"}).status_code == 422
    assert call(voter)("post", "/answers/999/comments", {"body": "hi there"}).status_code == 404
    assert (
        call(None)("post", f"/questions/{question.pk}/comments", {"body": "x"}).status_code == 401
    )


def test_a_question_that_is_not_live_takes_no_answers(call, asker, category):
    held = ask(asker, category, "Held question with a link", body=f"{BODY} https://example.org/")
    response = call(asker)("post", f"/questions/{held.pk}/answers", {"body": BODY})
    assert "not open for answers" in error_of(response, 409)


# --- votes, acceptance, official answers --------------------------------------------------


def test_voting_is_idempotent_and_reversible(call, answer, voter, helper):
    request = call(voter)
    up = request("post", f"/answers/{answer.pk}/vote", {"value": 1}).json()
    assert up == {"post": "answer", "id": answer.pk, "score": 1, "my_vote": 1}
    assert request("post", f"/answers/{answer.pk}/vote", {"value": 1}).json()["score"] == 1
    assert Member.objects.get(user=helper).points == 10
    down = request("post", f"/answers/{answer.pk}/vote", {"value": -1}).json()
    assert (down["score"], down["my_vote"]) == (-1, -1)
    assert Member.objects.get(user=helper).points == -2
    gone = request("delete", f"/answers/{answer.pk}/vote").json()
    assert (gone["score"], gone["my_vote"]) == (0, 0)
    assert Member.objects.get(user=helper).points == 0
    assert Member.objects.get(user=voter).points == 20  # the downvote's point came back
    assert request("delete", f"/answers/{answer.pk}/vote").json()["score"] == 0


def test_question_votes(call, question, voter, asker):
    assert call(voter)("post", f"/questions/{question.pk}/vote", {"value": 1}).json()["score"] == 1
    assert Member.objects.get(user=asker).points == 5
    assert call(voter)("delete", f"/questions/{question.pk}/vote").json()["score"] == 0


def test_vote_refusals(call, answer, helper, voter):
    assert "own post" in error_of(
        call(helper)("post", f"/answers/{answer.pk}/vote", {"value": 1}), 403
    )
    for value in (0, 2, "up", None):
        response = call(voter)("post", f"/answers/{answer.pk}/vote", {"value": value})
        assert response.status_code == 422, value
    assert call(None)("post", f"/answers/{answer.pk}/vote", {"value": 1}).status_code == 401
    assert call(voter)("post", "/answers/999/vote", {"value": 1}).status_code == 404


def test_the_asker_accepts_and_takes_it_back(call, answer, asker, helper, voter):
    refused = call(voter)("post", f"/answers/{answer.pk}/accept")
    assert "Only the person who asked" in error_of(refused, 403)
    accepted = call(asker)("post", f"/answers/{answer.pk}/accept").json()
    assert accepted == {"question_id": answer.question_id, "accepted_answer_id": answer.pk}
    assert Member.objects.get(user=helper).points == 15
    assert Member.objects.get(user=asker).points == 2
    assert "Only the person" in error_of(call(voter)("delete", f"/answers/{answer.pk}/accept"), 403)
    back = call(asker)("delete", f"/answers/{answer.pk}/accept").json()
    assert back["accepted_answer_id"] is None
    assert Member.objects.get(user=helper).points == 0
    # taking back what is not accepted changes nothing
    assert (
        call(asker)("delete", f"/answers/{answer.pk}/accept").json()["accepted_answer_id"] is None
    )


def test_staff_accept_and_mark_official(call, answer, staff, voter, helper):
    assert call(staff)("post", f"/answers/{answer.pk}/accept").status_code == 200
    refused = call(voter)("post", f"/answers/{answer.pk}/official")
    assert "Only staff" in error_of(refused, 403)
    assert call(staff)("post", f"/answers/{answer.pk}/official").json()["official"] is True
    assert Answer.objects.get(pk=answer.pk).is_official
    assert Member.objects.get(user=helper).points == 25  # accepted 15 + official 10
    assert call(staff)("delete", f"/answers/{answer.pk}/official").json()["official"] is False
    assert Member.objects.get(user=helper).points == 15


def test_an_unpublished_answer_cannot_be_accepted(call, question, asker, helper):
    held = answer_question(question, helper, "Read https://example.org/fix about this issue.")
    assert held.state == State.HELD
    # the asker does not see a held answer of someone else at all
    assert call(asker)("post", f"/answers/{held.pk}/accept").status_code == 404


# --- members, ledger, leaderboard ---------------------------------------------------------


def test_a_members_profile(call, answer, asker, helper, make_member):
    for n in range(2):
        vote(answer, make_member(f"fan{n}", points=20), 1)
    accept_answer(answer, asker)
    award_badges()
    body = call(None)("get", "/members/hugo").json()
    assert body["username"] == "hugo" and body["points"] == 35
    assert body["level"] == {"number": 1, "name": "Member", "threshold": 15}
    assert body["next_level"] == {"number": 2, "name": "Regular", "threshold": 100}
    assert body["privileges"] == ["post_links"]
    assert (body["answers"], body["accepted_answers"], body["questions"]) == (1, 1, 0)
    assert {b["slug"] for b in body["badges"]} == {"helper", "solver"}
    assert body["url"].endswith("/community/users/hugo/")
    assert not body["ambassador"] and not body["suspended"]


def test_a_user_who_never_took_part_has_an_empty_profile(call, django_user_model):
    django_user_model.objects.create_user("quiet", password="a-long-test-password")
    body = call(None)("get", "/members/quiet").json()
    assert body["points"] == 0 and body["level"]["number"] == 0 and body["badges"] == []


def test_unknown_and_odd_usernames(call, db):
    assert "no member nobody" in error_of(call(None)("get", "/members/nobody"), 404)
    assert call(None)("get", "/members/a%20b").status_code == 422
    assert call(None)("get", "/members/" + "a" * 151).status_code == 422
    assert call(None)("get", "/members/a%00b/ledger").status_code == 422


def test_a_members_ledger_shows_reversals(call, answer, voter):
    vote(answer, voter, 1)
    vote(answer, voter, 1)  # the same again takes it back
    body = call(None)("get", "/members/hugo/ledger").json()
    assert body["count"] == 2 and body["points"] == 0
    reversal, upvote = body["items"]
    assert upvote["kind"] == "answer_upvoted" and upvote["points"] == 10
    assert reversal["kind"] == "reversal" and reversal["reverses"] == upvote["id"]
    assert reversal["points"] == -10 and reversal["answer_id"] == answer.pk
    assert sum(line["points"] for line in body["items"]) == body["points"]
    assert call(None)("get", "/members/hugo/ledger", page=0).status_code == 422


def test_suspensions_and_private_notes_are_for_the_member_and_staff(
    call, question, answer, helper, asker, staff
):
    from earful.community.actions import moderation, reputation

    moderation.remove(answer, staff, "selling chargers", spam=True)
    reputation.adjust(helper, 5, actor=staff, note="welcome gift")
    moderation.suspend(helper, staff, 3, "spam run")
    for viewer, sees in ((None, False), (asker, False), (helper, True), (staff, True)):
        assert call(viewer)("get", "/members/hugo").json()["suspended"] is (True if sees else None)
        notes = {
            line["kind"]: line["note"]
            for line in call(viewer)("get", "/members/hugo/ledger").json()["items"]
        }
        assert notes["adjustment"] == "welcome gift"
        assert notes["removed_as_spam"] == ("selling chargers" if sees else "")


def test_leaderboards(call, answer, question, voter, asker, helper):
    vote(answer, voter, 1)
    vote(question, voter, 1)
    week = call(helper)("get", "/leaderboard", period="week").json()
    assert [(s["username"], s["points"], s["rank"]) for s in week["top"]] == [
        ("hugo", 10, 1),
        ("asha", 5, 2),
    ]
    assert week["me"] == {"rank": 1, "points": 10} and week["since"]
    everyone = call(None)("get", "/leaderboard", period="all").json()
    assert everyone["since"] is None and everyone["me"] is None
    assert [s["username"] for s in everyone["top"]] == ["vera", "hugo", "asha"]
    assert call(None)("get", "/leaderboard").json()["period"] == "week"
    assert call(None)("get", "/leaderboard", period="year").status_code == 422


# --- ambassador reports -------------------------------------------------------------------


def report_payload(**changes) -> dict:
    return {
        "place": "Café Nord, Leipzig",
        "audience": "two students at the next table",
        "said": "They asked about my buds; I showed them multipoint pairing and the case.",
        "product": "arc-phones",
        "happened_on": timezone.localdate().isoformat(),
        **changes,
    }


def test_only_ambassadors_report(call, asker, category):
    response = call(asker)("post", "/ambassadors/reports", report_payload())
    assert "Only ambassadors" in error_of(response, 403)
    assert call(None)("post", "/ambassadors/reports", report_payload()).status_code == 401


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"happened_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, 400),
        ({"happened_on": "yesterday"}, 422),
        ({"happened_on": "2026-02-30"}, 422),
        ({"said": "short"}, 400),
        ({"place": ""}, 400),
        ({"product": "nope"}, 422),
        ({"place": "bar\x00"}, 422),
    ],
)
def test_reports_that_do_not_fit(call, make_member, category, changes, status):
    response = call(ambassador(make_member))(
        "post", "/ambassadors/reports", report_payload(**changes)
    )
    error_of(response, status)
    assert not AmbassadorReport.objects.exists()


def test_an_ambassador_reports_and_staff_approve(call, make_member, category, staff, asker):
    amba = ambassador(make_member)
    created = call(amba)("post", "/ambassadors/reports", report_payload())
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["state"] == "pending" and report["url"] is None
    assert report["product"]["slug"] == "arc-phones" and report["photo_url"] is None

    mine = call(amba)("get", "/ambassadors/reports").json()
    assert [r["id"] for r in mine["items"]] == [report["id"]]
    assert call(asker)("get", "/ambassadors/reports").json()["count"] == 0
    assert call(asker)("get", "/ambassadors/reports", everyone="true").status_code == 403
    pending = call(staff)("get", "/ambassadors/reports", everyone="true", state="pending").json()
    assert [r["id"] for r in pending["items"]] == [report["id"]]
    # a pending report is its ambassador's and staff's
    assert call(None)("get", f"/ambassadors/reports/{report['id']}").status_code == 404
    assert call(amba)("get", f"/ambassadors/reports/{report['id']}").status_code == 200

    refused = call(amba)("post", f"/ambassadors/reports/{report['id']}/approve", {})
    assert refused.status_code == 403
    approved = call(staff)("post", f"/ambassadors/reports/{report['id']}/approve", {})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved" and approved.json()["url"]
    assert Member.objects.get(user=amba).points == 20
    assert ReputationEvent.objects.get(user=amba).key == f"report:{report['id']}"
    saved = AmbassadorReport.objects.get(pk=report["id"])
    assert Mention.objects.get(pk=saved.mention_id).text.startswith("They asked about my buds")
    assert call(None)("get", f"/ambassadors/reports/{report['id']}").json()["state"] == "approved"

    again = call(staff)("post", f"/ambassadors/reports/{report['id']}/approve")
    assert "already decided" in error_of(again, 409)
    assert Member.objects.get(user=amba).points == 20


def test_staff_withdraw_an_approved_report(call, make_member, category, staff):
    amba = ambassador(make_member)
    report_id = call(amba)("post", "/ambassadors/reports", report_payload()).json()["id"]
    path = f"/ambassadors/reports/{report_id}/withdraw"
    assert "Only an approved" in error_of(call(staff)("post", path, {"reason": "Too early"}), 409)
    call(staff)("post", f"/ambassadors/reports/{report_id}/approve", {})
    assert Member.objects.get(user=amba).points == 20
    assert call(amba)("post", path, {"reason": "mine"}).status_code == 403
    withdrawn = call(staff)("post", path, {"reason": "The café says this never happened."})
    assert withdrawn.json()["state"] == "rejected" and withdrawn.json()["url"] is None
    assert Member.objects.get(user=amba).points == 0
    assert AmbassadorReport.objects.get(pk=report_id).mention_id is None
    assert call(None)("get", f"/ambassadors/reports/{report_id}").status_code == 404


def test_staff_reject_with_a_reason(call, make_member, category, staff):
    amba = ambassador(make_member)
    report_id = call(amba)("post", "/ambassadors/reports", report_payload()).json()["id"]
    path = f"/ambassadors/reports/{report_id}/reject"
    assert "reason" in error_of(call(staff)("post", path, {"reason": " "}), 400)
    assert call(staff)("post", path, {}).status_code == 400
    rejected = call(staff)("post", path, {"reason": "This was a sales pitch, not a talk."})
    assert rejected.json()["state"] == "rejected"
    mine = call(amba)("get", "/ambassadors/reports", state="rejected").json()["items"]
    assert mine[0]["reason"] == "This was a sales pitch, not a talk."
    assert AmbassadorReport.objects.get(pk=report_id).state == Decision.REJECTED
    assert Member.objects.get(user=amba).points == 0
    assert (
        call(staff)("post", "/ambassadors/reports/999/reject", {"reason": "x"}).status_code == 404
    )


# --- the document -------------------------------------------------------------------------


def test_the_openapi_document_lists_the_community(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/community/questions/{question_id}" in paths
    assert "429" in paths["/api/v1/community/questions"]["post"]["responses"]
    assert "/api/v1/community/ambassadors/reports/{report_id}/approve" in paths
    community = {p: ops for p, ops in paths.items() if p.startswith("/api/v1/community/")}
    open_reads = {p for p, ops in community.items() if {} in ops.get("get", {}).get("security", [])}
    assert open_reads == {
        f"/api/v1/community/{path}"
        for path in (
            "questions", "questions/similar", "questions/{question_id}", "categories", "tags",
            "members/{username}", "members/{username}/ledger", "leaderboard",
            "ambassadors/reports/{report_id}",
        )
    }  # fmt: skip
    writes = [ops[m] for ops in community.values() for m in ("post", "delete") if m in ops]
    assert writes and all({} not in op["security"] for op in writes)  # a token, always
