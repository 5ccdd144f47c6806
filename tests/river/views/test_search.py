import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from earful.river import actions
from earful.river.models import Topic
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(client, user_with_roles):
    client.force_login(user_with_roles("listener"))
    return client


@pytest.fixture
def stored():
    actions.add_topic("Battery", "battery")
    items = [
        RawItem(text=f"battery number {n} died", external_id=f"b{n}",
                published_at=datetime(2026, 3, 1 + n % 28, tzinfo=UTC), author=f"u{n}")
        for n in range(60)
    ]  # fmt: skip
    items.append(
        RawItem(
            text='=HYPERLINK("http://evil.example") battery',
            external_id="x",
            url="javascript:alert(1)",
            published_at=datetime(2026, 4, 1, tzinfo=UTC),
        )
    )
    items.append(
        RawItem(
            text="screen is lovely", external_id="s", published_at=datetime(2026, 4, 2, tzinfo=UTC)
        )
    )
    actions.ingest_items(actions.source_for_import("forum"), items)


def test_search_highlights_pages_and_sorts(listener, stored):
    url = reverse("console-search")
    first = listener.get(url, {"q": "battery"})
    assert first.status_code == 200
    assert len(first.context["results"]) == 25 and first.context["has_next"]
    assert b"<mark>battery</mark>" in first.content
    newest = first.context["results"][0]["mention"]
    assert newest.external_id == "x"
    assert b'href="javascript:' not in first.content  # stored URLs are not trusted
    third = listener.get(url, {"q": "battery", "page": 3})
    assert len(third.context["results"]) == 11 and not third.context["has_next"]
    oldest = listener.get(url, {"q": "battery", "sort": "oldest"}).context["results"][0]
    assert oldest["mention"].published_at.day == 1
    assert [t.name for t in oldest["topics"]] == ["Battery"]


def test_search_applies_filters_and_lists_everything_without_a_query(listener, stored):
    url = reverse("console-search")
    april = listener.get(url, {"start": "2026-04-01", "end": "2026-04-30"})
    assert {r["mention"].external_id for r in april.context["results"]} == {"x", "s"}
    assert listener.get(url, {"q": "battery", "start": "2026-04-02"}).context["results"] == []


def test_a_broken_query_is_explained_not_a_server_error(listener, stored):
    page = listener.get(reverse("console-search"), {"q": 'battery AND ("unclosed'})
    assert page.status_code == 200
    assert page.context["error"] and b"cannot be read" in page.content
    export = listener.get(reverse("console-search-export"), {"q": "AND OR ("})
    assert export.status_code == 400


def test_hostile_parameters_do_not_break_the_page(listener, stored):
    page = listener.get(
        reverse("console-search"),
        {"q": "x" * 10000, "page": "-5", "sort": "'; DROP TABLE", "topic": "1 OR 1=1"},
    )
    assert page.status_code == 200 and page.context["page"] == 1
    assert listener.get(reverse("console-search"), {"page": "99999999999"}).status_code == 200


def test_csv_export_streams_every_match_and_defuses_formulas(listener, stored):
    response = listener.get(reverse("console-search-export"), {"q": "battery"})
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "published_at", "source"]
    assert len(rows) == 1 + 61
    formula = next(row for row in rows if "HYPERLINK" in row[6])
    assert formula[6].startswith("'=")
    assert {row[11] for row in rows[1:]} == {"Battery"}


def test_save_as_topic_creates_it_and_tags_stored_mentions(listener, stored, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = listener.post(
        reverse("console-search-save"), {"q": "screen", "name": "Screens", "kind": "product"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get(name="Screens")
    assert topic.kind == "product" and topic.query == "screen"
    # The immediate task backend runs the tagging task at once.
    assert topic.mentions.count() == 1
    again = listener.post(reverse("console-search-save"), {"q": "screen", "name": "Screens"})
    messages = [str(m) for m in again.wsgi_request._messages]
    assert any("already exists" in m for m in messages)


def test_browsing_several_topics_lists_each_mention_once_in_time_order(listener):
    screen = actions.add_topic("Screen", "screen")
    battery = actions.add_topic("Battery", "battery")
    actions.ingest_items(
        actions.source_for_import("forum"),
        [RawItem(text=text, external_id=str(n), published_at=datetime(2026, 3, 1 + n, tzinfo=UTC))
         for n, text in enumerate(["screen cracked", "battery and screen", "battery flat",
                                   "nothing here"])],
    )  # fmt: skip
    page = listener.get(reverse("console-search"), {"topic": [screen.id, battery.id]})
    assert [r["mention"].external_id for r in page.context["results"]] == ["2", "1", "0"]
    found = listener.get(
        reverse("console-search"), {"q": "screen", "topic": [screen.id, battery.id]}
    )
    assert [r["mention"].external_id for r in found.context["results"]] == ["1", "0"]
