import pytest
from django.urls import reverse

from earful.inbox.models import Triage
from earful.river import actions as river
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox():
    river.ingest_items(
        river.source_for_import("social"),
        [RawItem(text=f"Why does my phone {n} overheat?", external_id=str(n), author=f"u{n}",
                 url=f"https://social.example/{n}") for n in range(5)],
    )  # fmt: skip
    return list(Triage.objects.order_by("id"))


@pytest.fixture
def responder(client, user_with_roles):
    user = user_with_roles("responder", username="rae")
    client.force_login(user)
    return user


def test_inbox_pages_need_the_triage_permission(client, user_with_roles, inbox):
    item = reverse("inbox-item", args=[inbox[0].mention_id])
    listener = user_with_roles("listener")
    for url in (reverse("inbox"), item):
        assert client.get(url).status_code == 302
        client.force_login(listener)
        assert client.get(url).status_code == 403
        client.logout()
    client.force_login(listener)
    assert client.post(reverse("inbox-bulk"), {"ids": [inbox[0].id]}).status_code == 403
    assert client.post(item, {"action": "status", "value": "done"}).status_code == 403
    assert Triage.objects.get(pk=inbox[0].pk).status == "new"


def test_queue_lists_filters_and_bulk_updates(client, responder, inbox):
    page = client.get(reverse("inbox"))
    assert page.status_code == 200 and len(page.context["page"]) == 5
    response = client.post(
        reverse("inbox-bulk"),
        {"ids": [inbox[0].id, inbox[1].id], "action": "assign", "value": "me",
         "next": reverse("inbox") + "?assignee=me"},
    )  # fmt: skip
    assert response["Location"] == reverse("inbox") + "?assignee=me"
    mine = client.get(reverse("inbox"), {"assignee": "me"})
    assert {t.id for t in mine.context["page"]} == {inbox[0].id, inbox[1].id}
    client.post(reverse("inbox-bulk"), {"ids": [inbox[0].id], "action": "status", "value": "done"})
    client.post(reverse("inbox-bulk"), {"ids": [inbox[2].id], "action": "tag", "value": "heat"})
    open_items = client.get(reverse("inbox")).context["page"]
    assert inbox[0].id not in {t.id for t in open_items}
    tagged = client.get(reverse("inbox"), {"tag": "heat", "status": ["new", "open", "done"]})
    assert [t.id for t in tagged.context["page"]] == [inbox[2].id]


def test_bulk_refuses_bad_input_with_a_message(client, responder, inbox):
    for form in (
        {"ids": [], "action": "status", "value": "done"},
        {"ids": [inbox[0].id], "action": "status", "value": "archived"},
        {"ids": [inbox[0].id], "action": "explode", "value": "x"},
        {"ids": [inbox[0].id], "action": "assign", "value": "99999"},
        {"ids": ["abc", "-1"], "action": "status", "value": "done"},
        {
            "ids": [inbox[0].id],
            "action": "status",
            "value": "done",
            "next": "https://evil.example/",
        },
    ):
        response = client.post(reverse("inbox-bulk"), form, follow=False)
        assert response.status_code == 302
        assert not response["Location"].startswith("https://evil")
    assert Triage.objects.filter(status="done").count() == 1  # only the last, valid one


def test_item_page_assign_note_reply_and_correct(client, responder, inbox):
    mention = inbox[0].mention
    url = reverse("inbox-item", args=[mention.id])
    page = client.get(url)
    assert page.status_code == 200 and page.context["triage"] == inbox[0]
    client.post(url, {"action": "assign", "value": str(responder.id)})
    client.post(url, {"action": "note", "text": "Known firmware bug"})
    client.post(url, {"action": "sentiment", "sentiment": "negative"})
    response = client.post(url, {"action": "reply", "text": "Update to 2.1 fixes it."})
    assert response.status_code == 302
    triage = Triage.objects.get(pk=inbox[0].pk)
    assert (triage.assignee, triage.status) == (responder, "done")
    assert triage.notes.get().text == "Known firmware bug"
    assert triage.replies.get().published is False
    assert Mention.objects.get(pk=mention.pk).sentiment == "negative"
    page = client.get(url)
    assert b"Update to 2.1 fixes it." in page.content and b"Known firmware bug" in page.content
    bad = client.post(url, {"action": "note", "text": ""}, follow=True)
    assert any("empty" in str(m) for m in bad.context["messages"])


def test_reply_and_next_goes_to_the_next_item(client, responder, inbox):
    newest = Triage.objects.order_by("-published_at", "-id")
    first, second = newest[0], newest[1]
    response = client.post(
        reverse("inbox-item", args=[first.mention_id]),
        {"action": "reply", "text": "Thanks!", "then": "next"},
    )
    assert response["Location"] == reverse("inbox-item", args=[second.mention_id])


def test_a_mention_no_rule_took_in_can_be_taken_in(client, responder):
    river.ingest_items(river.source_for_import("s"), [RawItem(text="Nice.", external_id="1")])
    mention = Mention.objects.get()
    url = reverse("inbox-item", args=[mention.id])
    assert client.get(url).context["triage"] is None
    client.post(url, {"action": "take_in"})
    assert Triage.objects.get().mention == mention
