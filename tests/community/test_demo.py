"""The demo community: seeded through the actions (so the ledger is real), with accepted and
official answers, members at several levels, badges, a held post for the review queue and
an ambassador with approved reports; seeding again adds nothing."""

import pytest
from django.db.models import Sum

from earful.community.demo import QUESTIONS, seed_community
from earful.community.models import (
    AmbassadorReport,
    Answer,
    BadgeAward,
    Decision,
    Member,
    Question,
    ReputationEvent,
    State,
    Vote,
)
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_the_demo_community_is_believable_real_and_seeded_once(user_with_roles):
    staff = user_with_roles("admin", username="admin")
    first = seed_community(staff)
    assert first["questions"] == len(QUESTIONS) + 1 >= 30
    assert first["answers"] >= 40 and first["votes"] >= 250 and first["badges"] > 0

    published = Question.objects.filter(state=State.PUBLISHED)
    assert published.count() == len(QUESTIONS)
    held = Question.objects.get(state=State.HELD)
    assert held.held_for == ["links from a new member"]
    assert Question.objects.filter(accepted_answer__isnull=False).count() >= 20
    assert Answer.objects.filter(is_official=True).count() >= 8
    assert published.filter(answer_count=0).exists()  # something left to answer
    assert Answer.objects.exclude(state=State.PUBLISHED).count() == 0

    # the ledger is the truth: every member's points are its sum
    for member in Member.objects.select_related("user"):
        total = ReputationEvent.objects.filter(user=member.user).aggregate(t=Sum("points"))["t"]
        assert member.points == (total or 0), member.user
    levels = set(Member.objects.values_list("level", flat=True))
    assert {0, 1, 2, 3} <= levels
    assert Member.objects.get(user__username="nadia_r").level == 3

    amba = Member.objects.get(user__username="lotte")
    assert amba.is_ambassador
    reports = AmbassadorReport.objects.filter(user=amba.user)
    assert reports.filter(state=Decision.APPROVED).count() == 2
    assert reports.filter(state=Decision.PENDING).count() == 1
    assert BadgeAward.objects.filter(user=amba.user, badge__slug="ambassador").exists()
    community = Mention.objects.filter(source__name="Community")
    assert community.filter(external_id__startswith="report-").count() == 2
    assert community.filter(external_id__startswith="question-").count() == len(QUESTIONS)

    counts = (
        Question.objects.count(), Answer.objects.count(), Vote.objects.count(),
        ReputationEvent.objects.count(), BadgeAward.objects.count(),
        AmbassadorReport.objects.count(),
    )  # fmt: skip
    again = seed_community(staff)
    assert again == {
        "questions": 0, "answers": 0, "comments": 0, "votes": 0, "reports": 0, "badges": 0
    }  # fmt: skip
    assert counts == (
        Question.objects.count(), Answer.objects.count(), Vote.objects.count(),
        ReputationEvent.objects.count(), BadgeAward.objects.count(),
        AmbassadorReport.objects.count(),
    )  # fmt: skip
