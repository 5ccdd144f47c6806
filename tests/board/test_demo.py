import pytest

from earful.accounts.actions import set_roles
from earful.board.demo import seed_board
from earful.board.models import Idea, StatusChange
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_the_demo_board_is_seeded_once_with_votes_statuses_and_river_mentions(
    django_user_model,
):
    staff = django_user_model.objects.create_user("admin")
    set_roles(staff, ["admin"])
    staff = django_user_model.objects.get(pk=staff.pk)
    first = seed_board(staff)
    assert first["ideas"] == 5 and first["votes"] == 20
    assert seed_board(staff) == {"ideas": 0, "votes": 0}
    top = Idea.objects.order_by("-vote_count").first()
    assert top.title == "Multipoint pairing for Tide Buds" and top.status.kind == "closed_done"
    assert StatusChange.objects.count() == 4
    assert Mention.objects.filter(source__name="Ideas board").count() >= 5 + 4
