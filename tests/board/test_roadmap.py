import pytest

from earful.board.actions.statuses import change_status
from earful.board.actions.votes import vote
from earful.board.queries import roadmap

pytestmark = pytest.mark.django_db


def test_the_roadmap_groups_active_ideas_by_status_most_votes_first(
    make_idea, staff, status_of, other_customer
):
    a, b, c, d = (make_idea(f"Idea number {n}") for n in "abcd")
    change_status(a, status_of("planned"), "", staff)
    change_status(b, status_of("planned"), "", staff)
    change_status(c, status_of("in-progress"), "", staff)
    change_status(d, status_of("done"), "", staff)
    vote(b, other_customer)
    columns = roadmap()
    assert [column.status.slug for column in columns] == ["planned", "in-progress"]
    assert [i.title for i in columns[0].ideas] == ["Idea number b", "Idea number a"]
    assert [i.title for i in columns[1].ideas] == ["Idea number c"]
    assert [column.total for column in columns] == [2, 1]
