"""The admin edits the community's settings (points, levels, badges, product lines) and
only shows the rest: the ledger is append-only, posts change through the actions."""

import pytest

from earful.community.actions.votes import vote
from earful.community.models import Badge, Level, PointRule, ReputationEvent

pytestmark = pytest.mark.django_db


def test_point_rules_levels_and_badges_are_edited(admin_client):
    rule = PointRule.objects.get(kind="answer_upvoted")
    response = admin_client.post(
        f"/admin/community/pointrule/{rule.pk}/change/",
        {"kind": "answer_upvoted", "points": "12", "capped": "on"},
    )
    assert response.status_code == 302, response.content
    assert PointRule.objects.get(pk=rule.pk).points == 12

    level = Level.objects.get(number=2)
    response = admin_client.post(
        f"/admin/community/level/{level.pk}/change/",
        {"number": "2", "name": "Regular", "threshold": "150",
         "privileges": ["flag_to_hide", "post_links"], "posts_per_hour": "30"},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    level.refresh_from_db()
    assert (level.threshold, sorted(level.privileges)) == (150, ["flag_to_hide", "post_links"])

    response = admin_client.post(
        "/admin/community/badge/add/",
        {"slug": "night-owl", "name": "Night owl", "description": "Asked five questions",
         "tier": "bronze", "rule": "questions_asked", "threshold": "5", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content
    assert Badge.objects.get(slug="night-owl").rule == "questions_asked"


def test_a_badge_with_an_unknown_rule_and_a_reversal_rule_are_refused(admin_client):
    response = admin_client.post(
        "/admin/community/badge/add/",
        {"slug": "odd", "name": "Odd", "description": "?", "tier": "bronze",
         "rule": "typo_rule", "threshold": "1"},
    )  # fmt: skip
    assert response.status_code == 200 and not Badge.objects.filter(slug="odd").exists()
    response = admin_client.post(
        "/admin/community/pointrule/add/", {"kind": "reversal", "points": "5"}
    )
    assert response.status_code == 200 and not PointRule.objects.filter(kind="reversal").exists()


def test_the_ledger_is_shown_but_never_changed(admin_client, answer, voter):
    vote(answer, voter, 1)
    line = ReputationEvent.objects.get()
    assert admin_client.get("/admin/community/reputationevent/").status_code == 200
    page = admin_client.get(f"/admin/community/reputationevent/{line.pk}/change/")
    assert page.status_code == 200 and b'name="points"' not in page.content
    assert admin_client.get("/admin/community/reputationevent/add/").status_code == 403
    changed = admin_client.post(
        f"/admin/community/reputationevent/{line.pk}/change/", {"points": "999"}
    )
    assert changed.status_code == 403
    deleted = admin_client.post(
        f"/admin/community/reputationevent/{line.pk}/delete/", {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert ReputationEvent.objects.get().points == 10


@pytest.mark.parametrize(
    "model",
    ["question", "answer", "comment", "flag", "moderationlog", "member", "badgeaward",
     "ambassadorreport", "ambassadorapplication", "category", "tag"],
)  # fmt: skip
def test_the_rest_is_listed(admin_client, answer, model):
    assert admin_client.get(f"/admin/community/{model}/").status_code == 200


def test_posts_cannot_be_added_or_deleted_in_the_admin(admin_client, question):
    assert admin_client.get("/admin/community/question/add/").status_code == 403
    response = admin_client.post(
        f"/admin/community/question/{question.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
