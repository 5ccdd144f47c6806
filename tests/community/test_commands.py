"""`earful community badges` awards now; `earful community recount` rebuilds members'
points and levels from the ledger and lists whom it corrected."""

from io import StringIO

import pytest
from django.core.management import call_command

from earful.community.actions.votes import vote
from earful.community.models import Badge, BadgeAward, Member

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("community", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_badges_command_awards_and_reports(question, answer):
    out, _ = run("badges")
    assert "curious: 1 new" in out and "helper: 1 new" in out
    assert out.strip().endswith("awarded=2")
    assert BadgeAward.objects.count() == 2
    out, _ = run("badges")
    assert out.strip() == "awarded=0"


def test_badges_command_names_a_badge_with_an_unknown_rule(db):
    Badge.objects.create(slug="odd", name="Odd", description="?", rule="typo_rule")
    _, err = run("badges")
    assert "'odd'" in err and "does not know" in err


def test_recount_fixes_members_whose_points_drifted(answer, voter, helper):
    vote(answer, voter, 1)  # +10 for the helper (Member is at 15)
    vote(answer.question, voter, 1)  # +5 for the asker
    Member.objects.filter(user=helper).update(points=999, level=4)
    out, _ = run("recount", "--dry-run")
    assert "hugo: points 999 -> 10, level 4 -> 0" in out
    # the voter fixture was given 20 points without a ledger line
    assert "vera: points 20 -> 0, level 1 -> 0" in out
    assert "asha" not in out
    assert out.strip().endswith("members=3 would change=2")
    assert Member.objects.get(user=helper).points == 999  # dry run: nothing changed

    out, _ = run("recount")
    assert out.strip().endswith("changed=2")
    member = Member.objects.get(user=helper)
    assert (member.points, member.level) == (10, 0)
    out, _ = run("recount")
    assert out.strip().endswith("changed=0")


def test_recount_moves_levels_after_thresholds_change(answer, voter, helper):
    from earful.community.models import Level

    vote(answer, voter, 1)  # 10 points, below Member's 15
    Level.objects.filter(number=1).update(threshold=10)
    out, _ = run("recount")
    assert "hugo: points 10 -> 10, level 0 -> 1" in out
    assert Member.objects.get(user=helper).level == 1


def test_recount_of_an_empty_community(db):
    out, _ = run("recount")
    assert out.strip() == "members=0 changed=0"
