"""The read side of the river's API: mentions, topics and the dashboard's figures."""

from datetime import UTC, date, datetime, timedelta

import pytest

from earful.accounts.actions import create_api_token, revoke_api_token, set_roles
from earful.river import actions
from earful.river.models import Mention, Source, Topic
from earful.river.pipeline.items import RawItem

pytestmark = pytest.mark.django_db
API = "/api/v1"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
COMPLAINT = (
    "My Acme phone battery dies before lunch every single day since the last update, "
    "and support keeps telling me to reset it. Not happy at all."
)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def ingest(items, name="social", **kwargs):
    return actions.ingest_items(actions.source_for_import(name), items, **kwargs)


@pytest.fixture
def token_for(django_user_model):
    """A bearer token of a new user holding the given roles: token_for("listener")."""

    def make(*roles: str) -> str:
        number = django_user_model.objects.count()
        user = django_user_model.objects.create_user(f"{'-'.join(roles) or 'nobody'}-{number}")
        set_roles(user, list(roles))
        return create_api_token(user, "tests")[1]

    return make


@pytest.fixture
def api(client, token_for):
    """GET and POST as a listener (dashboard, search, topics): api.get("/topics")."""
    token = token_for("listener")

    class Calls:
        def get(self, path, params=None, token=token):
            return client.get(API + path, params or {}, HTTP_AUTHORIZATION=f"Bearer {token}")

        def post(self, path, payload, token=token):
            return client.post(
                API + path, payload, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )  # fmt: skip

    return Calls()


@pytest.fixture
def river():
    """March 2026: two quiet mentions a day, then a burst of 40 battery complaints on
    the 31st; a reply, a near-duplicate cluster, HTML-looking text and one spam post."""
    acme = actions.add_topic("Acme", "acme", kind="brand")
    rival = actions.add_topic("Rival", "rival", kind="competitor")
    battery = actions.add_topic("Battery", "battery", kind="theme")
    items = []
    for day in range(1, 31):
        items.append(RawItem(text=f"acme phone day {day} is fine", external_id=f"a{day}",
                             published_at=at(day), author="ann",
                             url=f"https://www.blog.example/a/{day}"))  # fmt: skip
        items.append(RawItem(text=f"rival tablet works, day {day}", external_id=f"r{day}",
                             published_at=at(day, 13), author="bob", author_reach=1_000_000,
                             author_name="Bob B."))  # fmt: skip
    for n in range(40):
        items.append(RawItem(text=f"acme battery drain is terrible and awful {n}",
                             external_id=f"b{n}", published_at=at(31, 9), author=f"c{n}",
                             url=f"https://forum.example/t/{n}"))  # fmt: skip
    # Entities are decoded on the way in: the stored text reads "<script>…</script>".
    items.append(RawItem(text="&lt;script&gt;alert('x')&lt;/script&gt; I <3 acme",
                         external_id="html", published_at=at(2, 8)))  # fmt: skip
    items.append(RawItem(text="Support here: please update to 2.1", external_id="reply",
                         parent_id="a1", published_at=at(1, 18), owned=True))  # fmt: skip
    ingest(items)
    ingest([RawItem(text=COMPLAINT, external_id="d1", author="dee", published_at=at(3))])
    edited = COMPLAINT.replace("Not happy at all.", "Not happy!!").replace("every", "evry")
    ingest([RawItem(text=edited, external_id="d2", author="eve", published_at=at(4)),
            RawItem(text=edited + " #fail", external_id="d3", published_at=at(5))])  # fmt: skip
    spam = "BUY NOW cheap acme click here http://a.example http://b.example http://c.example"
    ingest([RawItem(text=spam, external_id="spam", published_at=at(6))], "spammy")
    return {"acme": acme, "rival": rival, "battery": battery}


def mention(external_id: str) -> Mention:
    return Mention.objects.get(external_id=external_id)


# Mentions


def test_search_finds_matches_newest_first_with_the_full_shape(api, river):
    response = api.get("/mentions", {"q": "battery AND drain*", "limit": 5})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] is None and body["next_offset"] == 5
    assert len(body["items"]) == 5
    first = body["items"][0]
    assert set(first) == {
        "id", "url", "canonical_url", "site", "source", "author", "title", "text", "language",
        "published_at", "sentiment", "sentiment_score", "spam_score", "topics", "duplicate_of",
        "parent", "owned",
    }  # fmt: skip
    assert first["text"].startswith("acme battery drain is terrible")
    assert first["site"] == "forum.example" and first["source"] == "social"
    assert first["author"]["handle"].startswith("c") and first["author"]["reach"] is None
    assert first["sentiment"] == "negative" and first["sentiment_score"] < 0
    assert first["topics"] == ["Acme", "Battery"]
    assert first["published_at"].startswith("2026-03-31T09:00:00")
    oldest = api.get("/mentions", {"q": "acme", "sort": "oldest", "limit": 1}).json()
    assert oldest["items"][0]["text"] == "acme phone day 1 is fine"


def test_filters_without_a_query_give_an_exact_count(api, river):
    body = api.get("/mentions", {**MARCH, "topic": river["rival"].id, "limit": 200}).json()
    assert body["count"] == 30 and len(body["items"]) == 30 and body["next_offset"] is None
    assert {item["author"]["name"] for item in body["items"]} == {"Bob B."}
    negative = api.get("/mentions", {"sentiment": "negative", "start": "2026-03-31"}).json()
    assert negative["count"] == 40
    both = api.get("/mentions", {"topic": [river["acme"].id, river["rival"].id]}).json()
    assert both["count"] == 30 + 30 + 40 + 1 + 3  # acme days, rival days, burst, html, cluster
    social = Source.objects.get(name="social").id
    assert api.get("/mentions", {"source": social, "q": "BUY"}).json()["items"] == []


def test_spam_is_left_out_unless_asked_for(api, river):
    assert api.get("/mentions", {"q": "click"}).json()["items"] == []
    with_spam = api.get("/mentions", {"q": "click", "spam": "true"}).json()["items"]
    assert [item["source"] for item in with_spam] == ["spammy"]
    assert with_spam[0]["spam_score"] >= 0.5
    assert api.get("/mentions", {"spam": "maybe"}).status_code == 422


def test_next_offset_walks_through_every_result_exactly_once(api, river):
    for params in ({"q": "acme OR rival"}, {"sort": "oldest"}):
        seen, offset, pages = [], 0, 0
        while offset is not None:
            body = api.get("/mentions", {**params, "limit": 7, "offset": offset}).json()
            seen += [item["id"] for item in body["items"]]
            offset, pages = body["next_offset"], pages + 1
        expected = Mention.objects.filter(spam_score__lt=0.5)
        if "q" in params:
            expected = expected.filter(text__iregex="acme|rival")
        assert len(seen) == len(set(seen)) == expected.count()
        assert pages == -(-len(seen) // 7)


def test_html_in_text_is_carried_as_json_text(api, river):
    response = api.get("/mentions", {"q": "alert"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["items"][0]["text"] == "<script>alert('x')</script> I <3 acme"


def test_one_mention_with_its_replies_and_duplicates(api, river):
    parent = api.get(f"/mentions/{mention('a1').id}")
    assert parent.status_code == 200
    body = parent.json()
    assert body["replies"] == [mention("reply").id]
    assert body["url"] == "https://www.blog.example/a/1" and body["site"] == "blog.example"
    reply = api.get(f"/mentions/{mention('reply').id}").json()
    assert reply["parent"] == mention("a1").id and reply["owned"] is True
    root, copies = mention("d1"), [mention("d2").id, mention("d3").id]
    assert api.get(f"/mentions/{root.id}").json()["duplicates"] == copies
    copy = api.get(f"/mentions/{copies[0]}").json()
    assert copy["duplicate_of"] == root.id and copy["duplicates"] == [root.id, copies[1]]


@pytest.mark.parametrize("mention_id", ["abc", "0", "-1", "1.5", "99999999999999999999999"])
def test_bad_mention_ids_are_refused(api, river, mention_id):
    response = api.get(f"/mentions/{mention_id}")
    assert response.status_code == 422 and "error" in response.json()


def test_a_missing_mention_is_a_json_404(api, river):
    response = api.get(f"/mentions/{Mention.objects.order_by('-id').first().id + 1}")
    assert response.status_code == 404 and "no mention" in response.json()["error"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": -1},
        {"limit": 100000},
        {"limit": "ten"},
        {"offset": -5},
        {"offset": 10001},
        {"start": "garbage"},
        {"end": "2026-02-30"},
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"start": "1900-01-01", "end": "2026-01-01"},
        {"topic": "abc"},
        {"topic": "1 OR 1=1"},
        {"topic": "999999"},
        {"topic": "99999999999999999999999999"},
        {"source": "424242"},
        {"sentiment": "furious"},
        {"sort": "'; DROP TABLE river_mention"},
        {"q": 'battery AND ("unclosed'},
        {"q": "AND OR ("},
        {"q": "(" * 40 + "a" + ")" * 40},
        {"q": "x" * 10_000},
    ],
)
def test_bad_parameters_get_a_json_422_never_a_500(api, river, params):
    response = api.get("/mentions", params)
    assert response.status_code == 422, response.content
    assert response.json()["error"]


def test_error_messages_say_what_is_wrong(api, river):
    topic = api.get("/mentions", {"topic": ["999999", river["acme"].id], "source": "4242"})
    assert topic.json() == {
        "error": "invalid filter",
        "detail": ["there is no topic 999999", "there is no source 4242"],
    }
    start = api.get("/mentions", {"start": "garbage"}).json()
    assert start["error"] == "invalid request" and start["detail"][0]["loc"][-1] == "start"
    query = api.get("/mentions", {"q": 'battery AND ("unclosed'}).json()
    assert query["error"].startswith("invalid query: ") and "never closed" in query["error"]
    limit = api.get("/mentions", {"limit": 0}).json()
    assert limit["error"] == "invalid request" and limit["detail"][0]["loc"][-1] == "limit"


def test_the_deepest_page_and_odd_but_valid_values_work(api, river):
    deepest = api.get("/mentions", {"limit": 200, "offset": 10_000}).json()
    assert deepest["items"] == [] and deepest["next_offset"] is None
    assert api.get("/mentions", {"q": "   ", "language": ["und", "xx-" * 20]}).status_code == 200
    assert api.get("/mentions", {"q": "\x00 acme \u202e"}).status_code in (200, 422)
    assert api.get("/mentions", {"q": "x" * 2000}).json()["items"] == []


def test_no_page_starts_past_the_offset_limit(api, monkeypatch):
    monkeypatch.setattr("earful.river.api.MAX_OFFSET", 10)
    ingest([RawItem(text=f"post {n}", external_id=str(n)) for n in range(14)])
    assert api.get("/mentions", {"limit": 5, "offset": 5}).json()["next_offset"] == 10
    assert api.get("/mentions", {"limit": 5, "offset": 8}).json()["next_offset"] is None


# Topics


def test_topics_list_with_counts(api, river):
    body = api.get("/topics").json()
    assert body["count"] == 3 and body["next_offset"] is None
    by_name = {t["name"]: t for t in body["items"]}
    assert [t["name"] for t in body["items"]] == ["Acme", "Battery", "Rival"]
    assert by_name["Rival"] == {
        "id": river["rival"].id, "name": "Rival", "kind": "competitor", "query": "rival",
        "colour": "#4f46e5", "mentions": 30,
    }  # fmt: skip
    assert by_name["Battery"]["mentions"] == 43  # the burst and the complaint cluster
    page = api.get("/topics", {"limit": 2, "offset": 1}).json()
    assert [t["name"] for t in page["items"]] == ["Battery", "Rival"]
    assert api.get("/topics", {"limit": 1}).json()["next_offset"] == 1


def test_creating_a_topic_tags_stored_mentions_in_the_background(api, river, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = api.post(
        "/topics", {"name": " Tablets ", "query": "tablet", "kind": "product", "colour": "#00aa00"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["colour"], body["mentions"]) == (
        "Tablets", "product", "#00aa00", 30,
    )  # fmt: skip
    # The immediate task backend tagged the stored mentions before the answer.
    listed = {t["name"]: t for t in api.get("/topics").json()["items"]}
    assert listed["Tablets"]["mentions"] == 30


def test_creating_a_topic_queues_the_tagging(api, river):
    from django_tasks_db.models import DBTaskResult

    assert api.post("/topics", {"name": "Screens", "query": "screen"}).status_code == 201
    assert DBTaskResult.objects.filter(task_path__endswith="tag_existing_task").count() == 1


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"name": "Acme", "query": "acme"}, "already exists"),
        ({"name": "  ", "query": "acme"}, "needs a name"),
        ({"name": "Broken", "query": "acme AND ("}, "invalid query"),
        ({"name": "Red", "query": "red", "colour": "red"}, "colour"),
        ({"name": "Odd", "query": "odd", "kind": "planet"}, "invalid request"),
        ({"name": "Long", "query": "x" * 10_001}, "invalid request"),
        ({"name": "x" * 201, "query": "x"}, "invalid request"),
        ({"query": "x"}, "invalid request"),
    ],
)
def test_bad_topics_are_refused_with_a_reason(api, river, payload, message):
    response = api.post("/topics", payload)
    assert response.status_code == 422, response.content
    assert message in response.json()["error"]
    assert Topic.objects.count() == 3


# Stats


def test_timeseries_has_every_day_and_marks_the_burst(api, river):
    response = api.get("/stats/timeseries", MARCH)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31", "days": 31}
    assert len(body["series"]) == 31
    last = body["series"][-1]
    assert last == {"day": "2026-03-31", "positive": 0, "neutral": 0, "negative": 40,
                    "unscored": 0, "total": 40, "net": -1.0}  # fmt: skip
    assert [spike["day"] for spike in body["spikes"]] == ["2026-03-31"]
    rival = api.get("/stats/timeseries", {**MARCH, "topic": river["rival"].id}).json()
    assert sum(day["total"] for day in rival["series"]) == 30


def test_timeseries_defaults_to_the_last_30_days(api, river):
    body = api.get("/stats/timeseries").json()
    today = datetime.now(UTC).date()
    assert body["period"]["end"] == today.isoformat() and body["period"]["days"] == 30
    assert body["period"]["start"] == (today - timedelta(29)).isoformat()
    assert api.get("/stats/timeseries", {"q": "ignored"}).status_code == 200


def test_breakdowns_are_the_dashboards_figures(api, river):
    response = api.get("/stats/breakdowns", MARCH)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"period", "totals", "share_of_voice", "sources", "sites", "authors",
                         "emerging", "languages"}  # fmt: skip
    assert body["totals"]["total"] == 30 + 30 + 40 + 1 + 1 + 3
    share = {s["topic"]: s for s in body["share_of_voice"]}
    assert share["Rival"]["mentions"] == 30 and set(share) == {"Acme", "Rival"}
    assert body["authors"][0]["handle"] == "bob"
    assert body["sites"][0] == {"site": "forum.example", "mentions": 40}
    assert body["sources"] == [
        {"source_id": Source.objects.get(name="social").id, "source": "social", "mentions": 105}
    ]
    last_week = api.get("/stats/breakdowns", {"start": "2026-03-25", "end": "2026-03-31"})
    assert any("battery" in term["term"] for term in last_week.json()["emerging"])


@pytest.mark.parametrize("path", ["/stats/timeseries", "/stats/breakdowns"])
@pytest.mark.parametrize(
    "params",
    [
        {"start": "garbage"},
        {"topic": "abc"},
        {"topic": "31337"},
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"start": "2000-01-01"},
    ],
)
def test_stats_refuse_bad_filters(api, river, path, params):
    response = api.get(path, params)
    assert response.status_code == 422 and response.json()["error"]


# Tokens and permissions


READS = ["/mentions", "/mentions/1", "/topics", "/stats/timeseries", "/stats/breakdowns"]


@pytest.mark.parametrize("path", READS)
def test_reading_needs_a_valid_token(client, token_for, path):
    from earful.accounts.models import ApiToken

    assert client.get(API + path).status_code == 401
    assert client.get(API + path, HTTP_AUTHORIZATION="Bearer ef_wrong").status_code == 401
    token = token_for("admin")
    revoke_api_token(ApiToken.objects.get())
    response = client.get(API + path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and "token" in response.json()["error"]


@pytest.mark.parametrize(
    "roles, allowed",
    [
        ((), set()),
        (("responder",), {"/mentions", "/mentions/1", "/topics"}),
        (("listener",), {*READS, "POST /topics"}),
        (("admin",), {*READS, "POST /topics"}),
    ],
)
def test_each_endpoint_checks_its_permission(api, river, token_for, roles, allowed):
    token = token_for(*roles)
    some_mention = f"/mentions/{mention('a1').id}"
    for path in READS:
        response = api.get(some_mention if path == "/mentions/1" else path, token=token)
        assert (response.status_code == 200) == (path in allowed), (path, response.content)
        if path not in allowed:
            assert response.status_code == 403 and "permission" in response.json()["error"]
    created = api.post("/topics", {"name": f"t{roles}", "query": "x"}, token=token)
    assert created.status_code == (201 if "POST /topics" in allowed else 403)


def test_the_push_endpoint_still_needs_no_console_permission(api, token_for):
    push = api.post("/mentions", {"source": "tool", "items": [{"text": "hi"}]}, token=token_for())
    assert push.status_code == 200 and push.json()["imported"] == 1


def test_openapi_documents_the_read_endpoints(client, db):
    schema = client.get(API + "/openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths[API + "/mentions"])
    assert "get" in paths[API + "/mentions/{mention_id}"]
    assert {"get", "post"} <= set(paths[API + "/topics"])
    assert "get" in paths[API + "/stats/timeseries"] and "get" in paths[API + "/stats/breakdowns"]
    listing = paths[API + "/mentions"]["get"]
    assert listing["summary"] and "search_mentions" in listing["description"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"q", "start", "end", "topic", "source", "sentiment", "language", "spam", "sort",
            "limit", "offset"} <= names  # fmt: skip
    item = schema["components"]["schemas"]["MentionOut"]["properties"]
    assert {"canonical_url", "author", "topics", "owned"} <= set(item)


def test_dates_are_utc_days(api, river):
    late = datetime(2026, 4, 1, 0, 30, tzinfo=UTC) - timedelta(hours=1)
    ingest([RawItem(text="acme late at night", external_id="late", published_at=late)])
    body = api.get("/mentions", {"q": "night", "start": "2026-03-31", "end": "2026-03-31"}).json()
    assert [item["text"] for item in body["items"]] == ["acme late at night"]
    assert date.fromisoformat(body["items"][0]["published_at"][:10]) == date(2026, 3, 31)
