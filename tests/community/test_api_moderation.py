"""The community API's moderation, ambassador applications and edits: members flag and
edit, moderators review the queue and act on posts and flags, staff suspend members and
decide applications. Every call goes through the actions the pages use, so the log and
the ledger say the same, and every refusal is a JSON error of the right status."""

from __future__ import annotations

import json

import pytest

from earful.community.actions import moderation
from earful.community.actions.ambassadors import apply
from earful.community.actions.posts import answer_question, ask_question, comment_on
from earful.community.models import (
    AmbassadorApplication,
    Answer,
    Decision,
    EventKind,
    Flag,
    Member,
    ModerationLog,
    Question,
    ReputationEvent,
    Revision,
    State,
)
from tests.api_calls import caller, error_of

pytestmark = pytest.mark.django_db
API = "/api/v1/community"
HUGE = 2**63  # one past the largest database id
BODY = "Since the firmware update the buds disconnect every few minutes on my laptop."
MOTIVATION = "I run the repair café in town and people ask me about their phones every week."


@pytest.fixture
def call(client):
    """call(user) -> request(method, path, body=None, **query); call(None) is anonymous."""
    return caller(client, API)


@pytest.fixture
def guide(make_member):
    """A member whose level (Guide, 2000 points) holds the moderate privilege."""
    return make_member("gwen", points=2500)


@pytest.fixture
def regulars(make_member):
    """Three members whose level (Regular) makes their flags count toward hiding."""
    return [make_member(f"reg{n}", points=150) for n in range(3)]


@pytest.fixture
def comment(answer, voter):
    return comment_on(voter, "Worked for me too, thanks!", answer=answer)


def held_question(user, category, title="Where is the manual for the Arc 5?") -> Question:
    body = f"{BODY} I looked at https://example.org/manual already."
    question = ask_question(user, title=title, body=body, category=category)
    assert question.state == State.HELD
    return question


def last_log() -> ModerationLog:
    return ModerationLog.objects.order_by("-id").first()


def points(user) -> int:
    return Member.objects.get(user=user).points


# --- flags --------------------------------------------------------------------------------


def test_a_member_flags_a_question_an_answer_and_a_comment(
    call, question, answer, comment, make_member
):
    flagger = make_member("fran")
    for path, kind, post in (
        (f"/questions/{question.pk}/flag", "question", question),
        (f"/answers/{answer.pk}/flag", "answer", answer),
        (f"/comments/{comment.pk}/flag", "comment", comment),
    ):
        response = call(flagger)("post", path, {"reason": "off_topic"})
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["post"], body["post_id"], body["reason"]) == (kind, post.pk, "off_topic")
        assert body["flagger"] == "fran" and body["outcome"] == "open"
        assert body["post_state"] == "published"  # a newcomer's flag is queued, no more
    assert Flag.objects.filter(user=flagger, outcome=Flag.Outcome.OPEN).count() == 3


def test_enough_trusted_flags_hide_the_post_and_log_it(call, answer, regulars, settings):
    settings.EARFUL_COMMUNITY_FLAGS_TO_HIDE = 2
    call(regulars[0])("post", f"/answers/{answer.pk}/flag", {"reason": "rude"})
    second = call(regulars[1])("post", f"/answers/{answer.pk}/flag", {"reason": "spam"})
    assert second.json()["post_state"] == "hidden"
    answer.refresh_from_db()
    assert answer.state == State.HIDDEN
    line = last_log()
    assert (line.action, line.target, line.actor) == ("hide", f"answer:{answer.pk}", None)
    # hidden now: out of the public thread, and not flagged again
    assert call(None)("get", f"/answers/{answer.pk}/vote").status_code in (404, 405)
    third = call(regulars[2])("post", f"/answers/{answer.pk}/flag", {"reason": "rude"})
    assert third.status_code == 404


def test_flag_refusals(call, question, answer, asker, helper, voter, staff):
    path = f"/answers/{answer.pk}/flag"
    assert error_of(call(None)("post", path, {"reason": "spam"}), 401)
    assert error_of(call(None, token="not-a-token")("post", path, {"reason": "spam"}), 401)
    assert "own post" in error_of(call(helper)("post", path, {"reason": "spam"}), 403)
    assert call(voter)("post", path, {"reason": "spam"}).status_code == 201
    assert "already flagged" in error_of(call(voter)("post", path, {"reason": "rude"}), 409)
    assert "Give the note" in error_of(call(asker)("post", path, {"reason": "other"}), 400)
    too_long = {"reason": "other", "note": "x" * 501}
    assert "at most 500" in error_of(call(asker)("post", path, too_long), 400)
    for body in ({"reason": "boring"}, {}, {"reason": "spam", "note": "a\x00b"}, {"reason": 3}):
        assert error_of(call(asker)("post", path, body), 422)
    for raw in ("{", "[]", "null", b"\xff\xfe"):
        assert 400 <= call(asker)("post", path, raw).status_code < 500
    for bad in (f"/answers/{HUGE}/flag", "/answers/0/flag", "/comments/abc/flag"):
        assert call(asker)("post", bad, {"reason": "spam"}).status_code == 422
    assert error_of(call(asker)("post", "/questions/999/flag", {"reason": "spam"}), 404)
    assert error_of(call(asker)("post", "/comments/999/flag", {"reason": "spam"}), 404)
    moderation.suspend(asker, staff, 3, "Shouting")
    assert "Suspended" in error_of(call(asker)("post", path, {"reason": "spam"}), 403)
    assert Flag.objects.count() == 1


def test_a_held_post_is_not_flagged(call, category, make_member, guide):
    newcomer = make_member("nina")
    held = held_question(newcomer, category)
    # the writer sees it but cannot flag their own; others do not see it; moderators know
    assert error_of(call(newcomer)("post", f"/questions/{held.pk}/flag", {"reason": "spam"}), 403)
    assert (
        call(make_member("olga"))(
            "post", f"/questions/{held.pk}/flag", {"reason": "spam"}
        ).status_code
        == 404
    )
    conflict = call(guide)("post", f"/questions/{held.pk}/flag", {"reason": "spam"})
    assert "not public" in error_of(conflict, 409)


def test_a_comment_under_a_hidden_answer_is_not_found(call, answer, comment, guide, asker):
    moderation.hide(answer, guide)
    assert call(asker)("post", f"/comments/{comment.pk}/flag", {"reason": "spam"}).status_code == (
        404
    )


def test_flag_reasons_are_the_models():
    from typing import get_args

    from earful.community.api_schemas import FlagReason

    assert set(get_args(FlagReason)) == set(Flag.Reason.values)


# --- the review queue ---------------------------------------------------------------------


def test_moderators_read_the_queue_by_tab(call, category, question, answer, make_member, guide):
    newcomer = make_member("nina")
    held = held_question(newcomer, category)
    spammy = held_question(newcomer, category, title="Cheap cases for the Arc 5 right here")
    Question.objects.filter(pk=spammy.pk).update(held_for=["looks like spam"])
    flagger = make_member("fran")
    moderation.flag_post(flagger, answer, "rude", "calls me names")
    moderation.hide(question, guide)

    flagged = call(guide)("get", "/review")
    assert flagged.status_code == 200, flagged.content
    page = flagged.json()
    assert page["tab"] == "flagged"
    assert page["actions"] == list(moderation.POST_ACTIONS) and "hide" in page["actions"]
    assert page["count"] == 2 and page["page"] == 1 and page["next_page"] is None
    first, second = page["items"]
    assert (first["kind"], first["id"], first["label"]) == (
        "answer",
        answer.pk,
        f"answer:{answer.pk}",
    )
    assert first["flags"][0]["flagger"] == "fran" and first["flags"][0]["note"] == "calls me names"
    assert first["author"]["username"] == "hugo" and first["question_id"] == question.pk
    assert first["url"].endswith(f"#answer-{answer.pk}")
    assert (second["kind"], second["id"], second["state"]) == ("question", question.pk, "hidden")
    assert second["flags"] == []

    held_page = call(guide)("get", "/review", tab="held").json()
    spam_page = call(guide)("get", "/review", tab="spam").json()
    assert [i["id"] for i in spam_page["items"]] == [spammy.pk]
    assert page["counts"] == {"flagged": 2, "held": 1, "spam": 1}
    assert [i["id"] for i in held_page["items"]] == [held.pk]
    assert held_page["items"][0]["held_for"] == ["links from a new member"]
    assert held_page["items"][0]["url"] is None


def test_the_queue_pages(call, category, make_member, staff):
    from earful.community.models import Level

    Level.objects.filter(number=0).update(posts_per_hour=100)
    newcomer = make_member("nina")
    for n in range(23):
        held_question(newcomer, category, title=f"Where is manual number {n} for the Arc 5?")
    first = call(staff)("get", "/review", tab="held").json()
    assert first["count"] == 23 and first["pages"] == 2 and first["next_page"] == 2
    assert len(first["items"]) == 20
    second = call(staff)("get", "/review", tab="held", page=2).json()
    assert len(second["items"]) == 3 and second["next_page"] is None
    assert [i["id"] for i in first["items"] + second["items"]] == sorted(
        Question.objects.values_list("pk", flat=True)
    )  # oldest first


def test_the_queue_is_for_moderators_only(call, voter, staff, guide):
    assert error_of(call(None)("get", "/review"), 401)
    assert "moderators" in error_of(call(voter)("get", "/review"), 403)
    assert error_of(call(voter)("get", "/review/log"), 403)
    assert call(staff)("get", "/review").status_code == 200
    for params in ({"tab": "log"}, {"tab": "x\x00"}, {"page": 0}, {"page": HUGE}):
        assert error_of(call(guide)("get", "/review", **params), 422)
    moderation.suspend(guide, staff, 2, "A break")
    assert error_of(call(guide)("get", "/review"), 403)


# --- acting on posts ----------------------------------------------------------------------


def test_a_moderator_approves_a_held_question(call, category, make_member, guide):
    held = held_question(make_member("nina"), category)
    response = call(guide)("post", f"/review/question/{held.pk}", {"action": "approve"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "kind": "question", "id": held.pk, "action": "approve", "state": "published",
        "open_flags": 0,
    }  # fmt: skip
    held.refresh_from_db()
    assert held.state == State.PUBLISHED and held.mention_id
    line = last_log()
    assert (line.action, line.target, line.actor) == ("approve", f"question:{held.pk}", guide)
    again = call(guide)("post", f"/review/question/{held.pk}", {"action": "approve"})
    assert "held" in error_of(again, 409)


def test_a_moderator_hides_then_keeps_a_post(call, answer, guide, voter):
    path = f"/review/answer/{answer.pk}"
    hidden = call(guide)("post", path, {"action": "hide", "reason": "Checking a claim"})
    assert hidden.json()["state"] == "hidden"
    assert (last_log().action, last_log().reason) == ("hide", "Checking a claim")
    assert "public" in error_of(call(guide)("post", path, {"action": "hide"}), 409)
    kept = call(guide)("post", path, {"action": "keep"})
    assert kept.json()["state"] == "published"
    assert last_log().action == "restore"
    assert "no open flags" in error_of(call(guide)("post", path, {"action": "keep"}), 409)
    moderation.flag_post(voter, answer, "rude")
    kept = call(guide)("post", path, {"action": "keep"}).json()
    assert kept["state"] == "published" and kept["open_flags"] == 0
    assert last_log().action == "keep"
    assert Flag.objects.get().outcome == Flag.Outcome.DECLINED


def test_removing_as_spam_costs_the_writer_and_rewards_the_flagger(
    call, answer, helper, voter, guide
):
    moderation.flag_post(voter, answer, "spam")
    before = points(helper)
    path = f"/review/answer/{answer.pk}"
    response = call(guide)("post", path, {"action": "remove_spam", "reason": "Ad link"})
    assert response.json()["state"] == "removed" and response.json()["open_flags"] == 0
    assert points(helper) == before - 100
    spam = ReputationEvent.objects.get(user=helper, kind=EventKind.REMOVED_AS_SPAM)
    assert spam.key == f"spam:answer:{answer.pk}" and spam.note == "Ad link"
    assert ReputationEvent.objects.filter(user=voter, kind=EventKind.HELPFUL_FLAG).exists()
    assert (last_log().action, last_log().actor) == ("remove_spam", guide)
    # removed posts are staff's to see: a moderator who is not staff finds nothing
    assert error_of(call(guide)("post", path, {"action": "remove"}), 404)


def test_staff_remove_a_comment(call, comment, staff):
    response = call(staff)("post", f"/review/comment/{comment.pk}", {"action": "remove"})
    assert response.json()["state"] == "removed"
    assert last_log().target == f"comment:{comment.pk}"
    again = call(staff)("post", f"/review/comment/{comment.pk}", {"action": "remove"})
    assert "already removed" in error_of(again, 409)


def test_review_refusals(call, question, answer, asker, helper, voter, guide, staff):
    path = f"/review/answer/{answer.pk}"
    assert error_of(call(None)("post", path, {"action": "hide"}), 401)
    assert "moderators" in error_of(call(voter)("post", path, {"action": "hide"}), 403)
    own = answer_question(question, guide, "Guide's own answer: reset the network settings.")
    assert "own post" in error_of(
        call(guide)("post", f"/review/answer/{own.pk}", {"action": "hide"}), 403
    )
    staffs = answer_question(question, staff, "Staff answer: the fix ships in firmware 4.2.1.")
    refused = call(guide)("post", f"/review/answer/{staffs.pk}", {"action": "hide"})
    assert "staff" in error_of(refused, 403)
    unknown = call(guide)("post", path, {"action": "delete"})
    assert "approve" in json.dumps(unknown.json()["detail"]) and unknown.status_code == 422
    for body in ({}, {"action": "hide\x00"}, {"action": 1}, {"action": "hide", "reason": ["x"]}):
        assert error_of(call(guide)("post", path, body), 422)
    too_long = {"action": "hide", "reason": "r" * 501}
    assert "at most 500" in error_of(call(guide)("post", path, too_long), 400)
    for raw in ("{", "[]", "null", b"\xff\xfe"):
        assert 400 <= call(guide)("post", path, raw).status_code < 500
    assert error_of(call(guide)("post", f"/review/photo/{answer.pk}", {"action": "hide"}), 422)
    assert error_of(call(guide)("post", f"/review/answer/{HUGE}", {"action": "hide"}), 422)
    assert error_of(call(guide)("post", "/review/answer/999", {"action": "hide"}), 404)
    answer.refresh_from_db()
    assert answer.state == State.PUBLISHED
    assert not ModerationLog.objects.exists()


# --- flag verdicts ------------------------------------------------------------------------


def test_a_moderator_resolves_a_flag_as_helpful(call, answer, voter, guide):
    flag = moderation.flag_post(voter, answer, "rude")
    before = points(voter)
    path = f"/flags/{flag.pk}/resolve"
    response = call(guide)("post", path, {"helpful": True, "reason": "Rude indeed"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "helpful" and body["resolved_at"] and body["flagger"] == "vera"
    assert points(voter) == before + 2
    line = last_log()
    assert (line.action, line.target, line.reason) == (
        "flag_helpful", f"answer:{answer.pk}", "Rude indeed",
    )  # fmt: skip
    answer.refresh_from_db()
    assert answer.state == State.PUBLISHED  # the post stays as it is
    assert "already resolved" in error_of(call(guide)("post", path, {"helpful": False}), 409)


def test_a_declined_flag_earns_nothing(call, answer, voter, staff):
    flag = moderation.flag_post(voter, answer, "spam")
    before = points(voter)
    body = call(staff)("post", f"/flags/{flag.pk}/resolve", {"helpful": False}).json()
    assert body["outcome"] == "declined"
    assert points(voter) == before and last_log().action == "flag_declined"


def test_resolve_refusals(call, question, answer, helper, voter, guide, make_member):
    flag = moderation.flag_post(voter, answer, "rude")
    path = f"/flags/{flag.pk}/resolve"
    assert error_of(call(None)("post", path, {"helpful": True}), 401)
    assert error_of(call(voter)("post", path, {"helpful": True}), 403)
    assert error_of(call(helper)("post", path, {"helpful": True}), 403)
    for body in ({}, {"helpful": "maybe"}, {"helpful": 1}, {"helpful": True, "reason": "\x00"}):
        assert error_of(call(guide)("post", path, body), 422)
    assert error_of(call(guide)("post", "/flags/999/resolve", {"helpful": True}), 404)
    assert error_of(call(guide)("post", f"/flags/{HUGE}/resolve", {"helpful": True}), 422)
    # a moderator's own flag is another's to resolve
    other = moderation.flag_post(guide, question, "off_topic")
    assert "own flag" in error_of(
        call(guide)("post", f"/flags/{other.pk}/resolve", {"helpful": True}), 403
    )
    assert Flag.objects.filter(outcome=Flag.Outcome.OPEN).count() == 2


# --- suspensions --------------------------------------------------------------------------


def test_staff_suspend_and_lift(call, asker, staff, category):
    path = "/members/asha/suspension"
    response = call(staff)("post", path, {"days": 7, "reason": "Insults in three threads"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["username"] == "asha" and body["suspended"] and body["suspended_until"]
    assert body["reason"] == "Insults in three threads"
    assert Member.objects.get(user=asker).is_suspended
    assert (last_log().action, last_log().target) == ("suspend", f"user:{asker.pk}")
    # the suspended member cannot post through the API either
    question = {"title": "A question while suspended", "body": BODY, "category": "arc-phones"}
    assert "suspended" in error_of(call(asker)("post", "/questions", question), 403)

    lifted = call(staff)("delete", path, {"reason": "Apologised"})
    assert lifted.status_code == 200, lifted.content
    assert lifted.json()["suspended"] is False and lifted.json()["suspended_until"] is None
    assert (last_log().action, last_log().reason) == ("unsuspend", "Apologised")
    assert "not suspended" in error_of(call(staff)("delete", path), 409)
    # the reason is optional: no body at all is fine
    moderation.suspend(asker, staff, 1, "Again")
    assert call(staff)("delete", path, "").json()["suspended"] is False


def test_suspension_refusals(call, asker, guide, staff, user_with_roles):
    path = "/members/asha/suspension"
    good = {"days": 7, "reason": "Spam"}
    assert error_of(call(None)("post", path, good), 401)
    assert error_of(call(guide)("post", path, good), 403)  # moderators do not suspend
    assert error_of(call(guide)("delete", path), 403)
    assert error_of(call(staff)("post", "/members/nobody/suspension", good), 404)
    assert error_of(call(staff)("post", "/members/bad name!/suspension", good), 422)
    assert error_of(call(staff)("post", f"/members/{'a' * 151}/suspension", good), 422)
    assert "yourself" in error_of(call(staff)("post", "/members/sam/suspension", good), 403)
    other_staff = user_with_roles("responder", username="stella")
    assert error_of(call(staff)("post", f"/members/{other_staff.username}/suspension", good), 403)
    for days in (0, -1, 3651, 2**70):
        assert "1 to 3650" in error_of(call(staff)("post", path, {**good, "days": days}), 400)
    assert "reason" in error_of(call(staff)("post", path, {"days": 3, "reason": "  "}), 400)
    assert "at most 300" in error_of(
        call(staff)("post", path, {"days": 3, "reason": "r" * 301}), 400
    )
    for body in (
        {"days": "7", "reason": "x"}, {"days": 1.5, "reason": "x"}, {"reason": "x"},
        {"days": 7}, {"days": True, "reason": "x"}, {"days": 7, "reason": "a\x00"},
    ):  # fmt: skip
        assert error_of(call(staff)("post", path, body), 422)
    for raw in ("{", "[]", "null", b"\xff\xfe"):
        assert 400 <= call(staff)("post", path, raw).status_code < 500
    assert not Member.objects.get(user=asker).is_suspended
    assert not ModerationLog.objects.exists()


# --- ambassador applications --------------------------------------------------------------


def test_a_member_applies_and_staff_approve(call, asker, staff):
    response = call(asker)("post", "/ambassadors/applications", {"motivation": MOTIVATION})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["member"], body["state"], body["motivation"]) == ("asha", "pending", MOTIVATION)
    again = call(asker)("post", "/ambassadors/applications", {"motivation": MOTIVATION})
    assert "waiting" in error_of(again, 409)

    mine = call(asker)("get", "/ambassadors/applications").json()
    assert [a["id"] for a in mine["items"]] == [body["id"]]
    path = f"/ambassadors/applications/{body['id']}/approve"
    assert error_of(call(asker)("post", path), 403)
    approved = call(staff)("post", path, {"reason": "Welcome"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved" and approved.json()["decided_at"]
    assert Member.objects.get(user=asker).is_ambassador
    line = last_log()
    assert (line.action, line.target) == ("application_approved", f"application:{body['id']}")
    assert "already decided" in error_of(call(staff)("post", path), 409)
    ambassador_now = call(asker)("post", "/ambassadors/applications", {"motivation": MOTIVATION})
    assert "already an ambassador" in error_of(ambassador_now, 409)


def test_staff_reject_with_a_reason_the_member_sees(call, asker, staff):
    application = apply(asker, MOTIVATION)
    path = f"/ambassadors/applications/{application.pk}/reject"
    assert "reason" in error_of(call(staff)("post", path, {}), 400)
    assert "reason" in error_of(call(staff)("post", path, {"reason": "   "}), 400)
    assert "at most 500" in error_of(call(staff)("post", path, {"reason": "r" * 501}), 400)
    rejected = call(staff)("post", path, {"reason": "Not enough answers yet; try in spring."})
    assert rejected.json()["state"] == "rejected"
    mine = call(asker)("get", "/ambassadors/applications", state="rejected").json()["items"]
    assert mine[0]["reason"] == "Not enough answers yet; try in spring."
    assert last_log().action == "application_rejected"
    assert not Member.objects.get(user=asker).is_ambassador
    # a rejected member may apply again
    assert (
        call(asker)("post", "/ambassadors/applications", {"motivation": MOTIVATION}).status_code
        == 201
    )


def test_staff_list_everyones_applications_pending_first(call, make_member, staff):
    old, new, decided = (make_member(name) for name in ("olga", "nora", "dora"))
    first = apply(old, MOTIVATION)
    second = apply(new, MOTIVATION)
    done = apply(decided, MOTIVATION)
    rejected = call(staff)("post", f"/ambassadors/applications/{done.pk}/reject", {"reason": "No"})
    assert rejected.status_code == 200
    listed = call(staff)("get", "/ambassadors/applications", everyone="true").json()
    assert [a["id"] for a in listed["items"]] == [first.pk, second.pk, done.pk]
    assert listed["count"] == 3
    pending = call(staff)("get", "/ambassadors/applications", everyone="true", state="pending")
    assert [a["member"] for a in pending.json()["items"]] == ["olga", "nora"]
    assert error_of(call(old)("get", "/ambassadors/applications", everyone="true"), 403)
    assert call(old)("get", "/ambassadors/applications").json()["count"] == 1


def test_applications_list_pages_pending_then_decided(call, make_member, staff):
    members = [make_member(f"m{n}") for n in range(25)]
    applications = [apply(member, MOTIVATION) for member in members]
    for application in applications[:10]:
        call(staff)("post", f"/ambassadors/applications/{application.pk}/reject", {"reason": "No"})
    first = call(staff)("get", "/ambassadors/applications", everyone="true").json()
    second = call(staff)("get", "/ambassadors/applications", everyone="true", page=2).json()
    ids = [a["id"] for a in first["items"] + second["items"]]
    assert first["count"] == 25 and first["next_page"] == 2 and second["next_page"] is None
    pending = [a.pk for a in applications[10:]]
    decided = [a.pk for a in reversed(applications[:10])]
    assert ids == pending + decided


def test_application_refusals(call, asker, staff, make_member):
    assert error_of(
        call(None)("post", "/ambassadors/applications", {"motivation": MOTIVATION}), 401
    )
    assert error_of(call(None)("get", "/ambassadors/applications"), 401)
    short = call(asker)("post", "/ambassadors/applications", {"motivation": "Please"})
    assert "at least 30" in error_of(short, 400)
    assert "empty" in error_of(
        call(asker)("post", "/ambassadors/applications", {"motivation": " "}), 400
    )
    long = call(asker)("post", "/ambassadors/applications", {"motivation": "m" * 3001})
    assert "at most 3,000" in error_of(long, 400)
    for body in ({}, {"motivation": 12}, {"motivation": f"{MOTIVATION}\x00"}):
        assert error_of(call(asker)("post", "/ambassadors/applications", body), 422)
    for raw in ("{", "[]", "null", b"\xff\xfe"):
        assert 400 <= call(asker)("post", "/ambassadors/applications", raw).status_code < 500
    for params in ({"state": "lost"}, {"page": 0}, {"everyone": "perhaps"}):
        assert error_of(call(asker)("get", "/ambassadors/applications", **params), 422)
    waiting = apply(make_member("wanda"), MOTIVATION)
    for raw in ("[]", "1", '"x"', "{"):
        response = call(staff)("post", f"/ambassadors/applications/{waiting.pk}/approve", raw)
        assert 400 <= response.status_code < 500, raw
    assert AmbassadorApplication.objects.get().state == Decision.PENDING
    waiting.delete()
    assert error_of(call(staff)("post", "/ambassadors/applications/999/approve"), 404)
    assert error_of(call(staff)("post", f"/ambassadors/applications/{HUGE}/approve"), 422)
    assert error_of(
        call(staff)("post", "/ambassadors/applications/999/reject", {"reason": "x"}), 404
    )
    suspended = make_member("sid")
    moderation.suspend(suspended, staff, 3, "Spam")
    refused = call(suspended)("post", "/ambassadors/applications", {"motivation": MOTIVATION})
    assert "Suspended" in error_of(refused, 403)
    assert not AmbassadorApplication.objects.exists()


def test_staff_do_not_decide_their_own_application(call, staff, user_with_roles):
    mine = apply(staff, MOTIVATION)
    assert "own application" in error_of(
        call(staff)("post", f"/ambassadors/applications/{mine.pk}/approve"), 403
    )
    other = user_with_roles("responder", username="stella")
    assert call(other)("post", f"/ambassadors/applications/{mine.pk}/approve").status_code == 200
    assert AmbassadorApplication.objects.get().state == Decision.APPROVED


# --- editing ------------------------------------------------------------------------------


def test_the_asker_edits_a_question_keeping_a_revision(call, question, asker, category):
    from earful.community.models import Category

    Category.objects.create(name="Tide Buds", slug="tide-buds")
    payload = {
        "title": "Battery drains overnight on the Arc 5 since 4.2",
        "note": "added the version",
        "category": "tide-buds",
        "tags": ["battery"],
    }
    response = call(asker)("patch", f"/questions/{question.pk}", payload)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == payload["title"] and body["body"] == question.body
    assert body["category"]["slug"] == "tide-buds"
    assert [t["slug"] for t in body["tags"]] == ["battery"]
    revision = Revision.objects.get(question=question)
    assert revision.title == "Battery drains overnight on the Arc 5"
    assert revision.editor == asker and revision.note.startswith("added the version")
    # nothing sent, nothing changes
    assert call(asker)("patch", f"/questions/{question.pk}", {}).status_code == 200
    assert Revision.objects.filter(question=question).count() == 1
    cleared = call(asker)("patch", f"/questions/{question.pk}", {"tags": []}).json()
    assert cleared["tags"] == []


def test_the_writer_edits_an_answer(call, answer, helper):
    text = "Turn off 'Wake on nearby devices' in Settings > Bluetooth; it keeps the radio awake."
    response = call(helper)("patch", f"/answers/{answer.pk}", {"body": text, "note": "path"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["body"] == text and body["id"] == answer.pk and body["my_vote"] == 0
    assert Answer.objects.get(pk=answer.pk).body == text
    assert Revision.objects.get(answer=answer).note == "path"


def test_who_may_edit(call, question, answer, voter, make_member, staff):
    text = f"{BODY} Edited by someone else."
    assert "higher level" in error_of(
        call(voter)("patch", f"/answers/{answer.pk}", {"body": text}), 403
    )
    expert = make_member("ella", points=600)  # Expert: edit_others
    assert call(expert)("patch", f"/answers/{answer.pk}", {"body": text}).status_code == 200
    staff_text = f"{BODY} Edited by staff."
    assert (
        call(staff)("patch", f"/questions/{question.pk}", {"body": staff_text}).status_code == 200
    )
    assert Revision.objects.count() == 2


def test_edit_refusals(call, question, answer, asker, helper, staff, monkeypatch):
    path = f"/questions/{question.pk}"
    assert error_of(call(None)("patch", path, {"body": BODY}), 401)
    assert "at least 20" in error_of(call(asker)("patch", path, {"body": "short"}), 400)
    assert "title" in error_of(call(asker)("patch", path, {"title": ""}), 400)
    assert "at most 5" in error_of(call(asker)("patch", path, {"tags": list("abcdef")}), 400)
    links = {"body": f"{BODY} See https://example.org/fix for the fix."}
    assert "links" in error_of(call(asker)("patch", path, links), 403)
    assert error_of(call(asker)("patch", path, {"category": "nope"}), 422)
    for body in (
        {"body": f"{BODY}\x00"}, {"title": 5}, {"tags": "battery"}, {"note": "n" * 301},
        {"tags": ["a"] * 21}, {"body": "b" * 40_001},
    ):  # fmt: skip
        assert error_of(call(asker)("patch", path, body), 422)
    for raw in ("{", "[]", "null", b"\xff\xfe", '"x"', "1", "[1]", ""):
        assert 400 <= call(asker)("patch", path, raw).status_code < 500, raw
    assert error_of(call(asker)("patch", "/questions/999", {"body": BODY}), 404)
    assert error_of(call(asker)("patch", f"/answers/{HUGE}", {"body": BODY}), 422)
    moderation.remove(answer, staff)
    gone = call(helper)("patch", f"/answers/{answer.pk}", {"body": BODY})
    assert error_of(gone, 404)  # removed: staff's to see
    with monkeypatch.context() as patched:  # the spam score's heuristics may change
        patched.setattr("earful.blog.comment_checks.is_spam", lambda score: True)
        assert "spam" in error_of(call(asker)("patch", path, {"body": f"{BODY} cheap"}), 409)
    moderation.suspend(asker, staff, 2, "A break")
    assert "suspended" in error_of(call(asker)("patch", path, {"body": f"{BODY} more"}), 403)
    assert not Revision.objects.exists()


# --- the document -------------------------------------------------------------------------


def test_the_openapi_document_lists_the_new_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/community/questions/{question_id}/flag": ["post"],
        "/api/v1/community/answers/{answer_id}/flag": ["post"],
        "/api/v1/community/comments/{comment_id}/flag": ["post"],
        "/api/v1/community/review": ["get"],
        "/api/v1/community/review/log": ["get"],
        "/api/v1/community/review/{kind}/{post_id}": ["post"],
        "/api/v1/community/flags/{flag_id}/resolve": ["post"],
        "/api/v1/community/members/{username}/suspension": ["post", "delete"],
        "/api/v1/community/ambassadors/applications": ["post", "get"],
        "/api/v1/community/ambassadors/applications/{application_id}/approve": ["post"],
        "/api/v1/community/ambassadors/applications/{application_id}/reject": ["post"],
        "/api/v1/community/questions/{question_id}": ["patch"],
        "/api/v1/community/answers/{answer_id}": ["patch"],
        "/api/v1/community/suspensions": ["get"],
        "/api/v1/community/members/{username}/points": ["post"],
        "/api/v1/community/members/{username}/ambassador": ["delete"],
    }
    for path, methods in expected.items():
        assert path in paths, path
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"], (path, method)
            assert operation["security"] and {} not in operation["security"], (path, method)
            assert "401" in operation["responses"]
            assert "422" in operation["responses"] or path.endswith("/suspensions")
            if method != "get":
                assert {"400", "403", "404", "409"} <= set(operation["responses"]), path


def test_staff_correct_points_and_it_is_logged(call, helper, staff, voter):
    body = call(staff)("post", "/members/hugo/points", {"points": 30, "note": "meetup host"})
    assert body.status_code == 200, body.content
    assert body.json() == {"username": "hugo", "points": 30, "level": 1}
    line = ReputationEvent.objects.get(user=helper, kind=EventKind.ADJUSTMENT)
    assert (line.points, line.note) == (30, "meetup host")
    assert ModerationLog.objects.filter(action="adjust", actor=staff).count() == 1
    ledger = call(None)("get", "/members/hugo/ledger").json()["items"]
    assert ledger[0]["note"] == "meetup host"
    assert "lacks" in error_of(
        call(voter)("post", "/members/hugo/points", {"points": 5, "note": "x"}), 403
    )
    assert "Another member of staff" in error_of(
        call(staff)("post", "/members/sam/points", {"points": 5, "note": "mine"}), 403
    )
    for bad, status in (
        ({"points": 0, "note": "x"}, 400),
        ({"points": 10_001, "note": "x"}, 400),
        ({"points": 5, "note": "   "}, 400),
        ({"points": "5", "note": "x"}, 422),
        ({"points": 5.5, "note": "x"}, 422),
        ({"note": "x"}, 422),
        ([5], 422),
    ):
        error_of(call(staff)("post", "/members/hugo/points", bad), status)
    error_of(call(staff)("post", "/members/nobody/points", {"points": 5, "note": "x"}), 404)
    error_of(call(None)("post", "/members/hugo/points", {"points": 5, "note": "x"}), 401)
    assert Member.objects.get(user=helper).points == 30


def test_staff_list_who_is_suspended(call, helper, asker, staff, voter):
    moderation.suspend(helper, staff, 3, "spam run")
    moderation.suspend(asker, staff, 1, "heated")
    moderation.lift_suspension(asker, staff)
    body = call(staff)("get", "/suspensions").json()
    assert [(row["username"], row["reason"]) for row in body["items"]] == [("hugo", "spam run")]
    error_of(call(voter)("get", "/suspensions"), 403)
    error_of(call(None)("get", "/suspensions"), 401)


def test_staff_end_an_ambassadorship(call, make_member, staff, voter):
    amba = make_member("amba")
    Member.objects.filter(user=amba).update(is_ambassador=True)
    error_of(call(voter)("delete", "/members/amba/ambassador", {"reason": "x"}), 403)
    error_of(call(staff)("delete", "/members/amba/ambassador", {"reason": ""}), 400)
    response = call(staff)("delete", "/members/amba/ambassador", {"reason": "moved away"})
    assert response.status_code == 204
    assert not Member.objects.get(user=amba).is_ambassador
    assert ModerationLog.objects.filter(action="ambassador_ended", reason="moved away").exists()
    error_of(call(staff)("delete", "/members/amba/ambassador", {"reason": "again"}), 409)
    error_of(call(staff)("delete", "/members/nobody/ambassador", {"reason": "x"}), 404)
