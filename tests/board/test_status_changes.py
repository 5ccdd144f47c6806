import pytest

from earful.board.actions.ideas import IdeaError
from earful.board.actions.statuses import change_status
from earful.board.models import Idea, StatusChange
from earful.river.models import Mention

pytestmark = pytest.mark.django_db


def test_a_change_is_recorded_with_its_public_note_and_stays_out_of_the_river(
    idea, staff, status_of
):
    mentions = Mention.objects.count()
    change = change_status(idea, status_of("planned"), "Coming in **May**.", staff)
    idea.refresh_from_db()
    assert idea.status.slug == "planned" and idea.status_changed_at == change.at
    assert change.from_status.slug == "open" and change.to_status.slug == "planned"
    assert change.note_html == "<p>Coming in <strong>May</strong>.</p>\n"
    assert change.by == staff
    change_status(idea, status_of("done"), "", staff)
    assert list(
        StatusChange.objects.filter(idea=idea).values_list("to_status__slug", flat=True)
    ) == ["planned", "done"]
    assert Mention.objects.count() == mentions


def test_customers_cannot_change_a_status(idea, customer, status_of):
    with pytest.raises(IdeaError, match="Only staff"):
        change_status(idea, status_of("done"), "", customer)
    assert not StatusChange.objects.exists()


def test_same_status_long_note_and_merged_ideas_are_refused(idea, staff, status_of, make_idea):
    with pytest.raises(IdeaError, match="already Open"):
        change_status(idea, status_of("open"), "", staff)
    with pytest.raises(IdeaError, match="at most 5,000"):
        change_status(idea, status_of("planned"), "n" * 5001, staff)
    Idea.objects.filter(pk=idea.pk).update(merged_into=make_idea("Spreadsheet exports"))
    idea.refresh_from_db()
    with pytest.raises(IdeaError, match="merged"):
        change_status(idea, status_of("planned"), "", staff)
    assert not StatusChange.objects.exists()


def test_staff_configure_statuses_in_the_admin(admin_client):
    from earful.board.models import Status

    response = admin_client.post(
        "/admin/board/status/add/",
        {
            "name": "Needs votes",
            "slug": "needs-votes",
            "kind": "open",
            "order": 15,
            "colour": "#123456",
        },
    )
    assert response.status_code == 302
    assert Status.objects.get(slug="needs-votes").kind == "open"
    assert admin_client.get("/admin/board/category/").status_code == 200
