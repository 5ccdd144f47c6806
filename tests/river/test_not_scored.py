"""A mention in a language without a sentiment model: stored, shown and counted as "not
scored", never with another language's guess, and left out of net sentiment."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from earful.accounts.actions import create_api_token, set_roles
from earful.river import actions
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 10, 12, tzinfo=UTC)
JAPANESE = "新しいスマートフォンのバッテリーが一日もちません。とても残念です。"
FRENCH = "je déteste ce téléphone, la batterie est nulle"


@pytest.fixture
def river():
    actions.ingest_items(
        actions.source_for_import("social"),
        [
            RawItem(text=JAPANESE, external_id="ja", published_at=DAY),
            RawItem(text=FRENCH, external_id="fr", published_at=DAY),
            RawItem(text="Ich liebe mein neues Handy!", external_id="de", published_at=DAY,
                    language="de"),
        ],
    )  # fmt: skip
    return {m.external_id: m for m in Mention.objects.all()}


def test_the_language_decides_the_model_and_no_model_means_no_label(river):
    assert (river["ja"].language, river["ja"].sentiment, river["ja"].sentiment_score) == (
        "ja",
        Mention.NOT_SCORED,
        0.0,
    )
    assert (river["fr"].language, river["fr"].sentiment) == ("fr", "negative")
    assert river["de"].sentiment == "positive"


def test_the_console_says_why_a_mention_is_not_scored(client, user_with_roles, river):
    client.force_login(user_with_roles("listener"))
    page = client.get(reverse("console-mention", kwargs={"mention_id": river["ja"].id}))
    assert "not scored: no model for Japanese (ja)" in page.content.decode()
    page = client.get(reverse("console-mention", kwargs={"mention_id": river["fr"].id}))
    assert 'data-testid="not-scored"' not in page.content.decode()


def test_search_filters_on_not_scored_and_the_api_names_it(client, user_with_roles, river):
    user = user_with_roles("listener")
    client.force_login(user)
    found = client.get(reverse("console-search"), {"sentiment": "unscored", "start": "2026-03-01",
                                                   "end": "2026-03-31"})  # fmt: skip
    assert [r["mention"].external_id for r in found.context["results"]] == ["ja"]
    assert "not scored</option>" in found.content.decode()

    token = create_api_token(user, "tests")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get("/api/v1/mentions", {"sentiment": "unscored"}, **auth).json()
    assert [item["sentiment"] for item in body["items"]] == ["unscored"]
    assert client.get("/api/v1/mentions", {"sentiment": "bad"}, **auth).status_code == 422


def test_net_sentiment_leaves_unscored_mentions_out_but_volume_counts_them(
    client, django_user_model, river
):
    listener = django_user_model.objects.create_user("listener-net")
    set_roles(listener, ["listener"])
    token = create_api_token(listener, "tests")[1]
    body = client.get(
        "/api/v1/stats/timeseries",
        {"start": "2026-03-10", "end": "2026-03-10"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    [day] = body["series"]
    assert (day["positive"], day["negative"], day["unscored"], day["total"]) == (1, 1, 1, 3)
    assert day["net"] == 0.0


def test_the_dashboard_counts_not_scored_mentions_and_links_to_them(client, user_with_roles, river):
    client.force_login(user_with_roles("listener"))
    page = client.get(reverse("console-dashboard"), {"start": "2026-03-01", "end": "2026-03-31"})
    html = page.content.decode()
    assert page.context["data"]["totals"]["unscored"] == 1
    assert 'data-kpi="unscored">1<' in html and "sentiment=unscored" in html
