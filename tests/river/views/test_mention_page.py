import pytest
from django.urls import reverse

from earful.river import actions
from earful.river.models import Author, Mention
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db

COMPLAINT = (
    "My Lumio Arc phone battery dies before lunch every single day since the last update, "
    "and support keeps telling me to reset it. Not happy at all."
)


def test_mention_page_shows_thread_cluster_and_author(client, user_with_roles):
    source = actions.source_for_import("forum")
    actions.ingest_items(
        source,
        [
            RawItem(text="Is the Arc any good?", external_id="q", author="asker"),
            RawItem(text=COMPLAINT, external_id="a", parent_id="q", author="ann"),
            RawItem(text="Same here!", external_id="r", parent_id="a", author="bo"),
            RawItem(text=COMPLAINT.replace("every single day", "every day"), external_id="c",
                    author="cy"),
        ],
    )  # fmt: skip
    Author.objects.filter(handle="ann").update(reach=12345)
    answer = Mention.objects.get(external_id="a")
    copy = Mention.objects.get(external_id="c")
    assert copy.duplicate_of_id == answer.id

    client.force_login(user_with_roles("responder"))
    page = client.get(reverse("console-mention", kwargs={"mention_id": answer.id}))
    assert page.status_code == 200
    assert [m.external_id for m in page.context["ancestors"]] == ["q"]
    assert [m.external_id for m in page.context["replies"]] == ["r"]
    assert [m.external_id for m in page.context["cluster"]] == ["c"]
    assert page.context["cluster_size"] == 2
    assert b"12,345" in page.content and b"ann" in page.content

    from_copy = client.get(reverse("console-mention", kwargs={"mention_id": copy.id}))
    assert from_copy.context["cluster_root"].id == answer.id


def test_missing_mention_is_404(client, user_with_roles):
    client.force_login(user_with_roles("responder"))
    assert client.get(reverse("console-mention", kwargs={"mention_id": 999})).status_code == 404


def test_reply_cycles_do_not_hang_the_page(client, user_with_roles):
    actions.ingest_items(
        actions.source_for_import("s"),
        [RawItem(text="one", external_id="1", parent_id="2"),
         RawItem(text="two", external_id="2", parent_id="1")],
    )  # fmt: skip
    client.force_login(user_with_roles("responder"))
    one = Mention.objects.get(external_id="1")
    page = client.get(reverse("console-mention", kwargs={"mention_id": one.id}))
    assert page.status_code == 200
    assert [m.external_id for m in page.context["ancestors"]] == ["2"]
