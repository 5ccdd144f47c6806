"""Editing questions and answers: an edit cannot slip past what posting holds (new
members' links, spam), removed posts stay as they are, and the duplicate check follows
the edited text."""

import pytest
from django.test import Client
from django.urls import reverse

from earful.community.actions.posts import answer_question, ask_question, edit_post
from earful.community.errors import Conflict, NotAllowed
from earful.community.models import Category, Member, Question, Revision, State

pytestmark = pytest.mark.django_db


def test_a_newcomer_cannot_add_links_by_editing(answer, helper):
    with pytest.raises(NotAllowed, match="cannot add links"):
        edit_post(answer, helper, body=answer.body + "\nMore at https://example.com/cheap")
    answer.refresh_from_db()
    assert "example.com" not in answer.body and not Revision.objects.exists()


def test_members_who_post_links_and_staff_may_add_them(answer, helper, staff, make_member):
    Member.objects.filter(user=helper).update(points=20, level=1)
    edit_post(answer, helper, body=answer.body + "\nSee https://example.com/guide")
    assert "example.com/guide" in answer.body
    edit_post(answer, staff, body=answer.body + "\nAnd https://example.com/staff")
    assert "example.com/staff" in answer.body


def test_links_already_there_do_not_block_other_changes(question, helper, make_member):
    Member.objects.filter(user=helper).update(points=20, level=1)
    linked = answer_question(question, helper, "The fix is on https://example.com/fix today.")
    Member.objects.filter(user=helper).update(points=0, level=0)
    edit_post(linked, helper, body=linked.body + "\n\nIt worked after a restart as well.")
    assert linked.body.endswith("as well.")


def test_a_removed_post_cannot_be_edited_by_its_writer(question, asker, staff):
    Question.objects.filter(pk=question.pk).update(state=State.REMOVED)
    question.refresh_from_db()
    with pytest.raises(Conflict, match="removed"):
        edit_post(question, asker, body=question.body + " More details here.")
    edit_post(question, staff, body=question.body + " Staff note.")
    assert question.body.endswith("Staff note.")


def test_the_duplicate_check_follows_the_edited_text(question, asker, make_member, category):
    old_title, old_body = question.title, question.body
    edit_post(
        question,
        asker,
        title="Battery drains overnight on the Arc 5 since 5.2",
        body=old_body + " Firmware 5.2.",
    )
    other = make_member("other")
    again = ask_question(other, title=old_title, body=old_body, category=category)
    assert again.pk != question.pk  # the old text is free again
    with pytest.raises(Conflict, match="already asked"):
        ask_question(
            make_member("third"),
            title="Battery drains overnight on the Arc 5 since 5.2",
            body=old_body + " Firmware 5.2.",
            category=category,
        )


def test_a_question_is_retagged_and_moved_with_the_change_in_its_history(question, asker, category):
    earbuds = Category.objects.create(name="Loop earbuds", slug="loop")
    edit_post(question, asker, body=question.body, category=earbuds, tags=["battery", "sleep"])
    question.refresh_from_db()
    assert question.category == earbuds
    assert sorted(question.tags.values_list("slug", flat=True)) == ["battery", "sleep"]
    note = Revision.objects.get().note
    assert "product: Arc phones → Loop earbuds" in note
    assert "tags: arc 5, battery → battery, sleep" in note
    edit_post(question, asker, body=question.body, category=earbuds, tags=["sleep", "battery"])
    assert Revision.objects.count() == 1  # nothing changed: no new revision
    edit_post(question, asker, body=question.body, tags=[])
    assert not question.tags.exists()


def test_the_edit_page_changes_tags_and_leaves_them_when_not_sent(question, asker):
    client = Client()
    client.force_login(asker)
    url = reverse("community:question-edit", args=[question.pk])
    page = client.get(url).content.decode()
    assert 'value="arc 5, battery"' in page
    client.post(url, {"title": question.title, "body": question.body + " More.", "note": ""})
    assert question.tags.count() == 2
    client.post(
        url,
        {
            "title": question.title,
            "body": question.body,
            "tags": "screen",
            "category": "arc-phones",
        },
    )
    assert list(question.tags.values_list("slug", flat=True)) == ["screen"]
