import io
import json

import pytest
from django.core.management import CommandError, call_command

from earful.river import actions
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem
from earful.river.search import iter_matches, search

pytestmark = pytest.mark.django_db

POSTS = {
    "1": ("The Zephyr's battery drains overnight", "ann", "https://blog.example.com/a"),
    "2": ("Café staff at the Lumio store were lovely", "bob", "https://news.example.org/b"),
    "3": ("Battery life on the Arc is superb, it never dies", "cy", ""),
    "4": ("Shipping of my ZEPHYR took three weeks", "ann", "https://shop.example.net/c"),
    "5": ("Visit https://zephyr.example/deal for cheap chargers", "spam", ""),
}


@pytest.fixture
def stored():
    source = actions.source_for_import("tests")
    actions.ingest_items(
        source,
        [
            RawItem(text=text, external_id=key, author=author, url=url)
            for key, (text, author, url) in POSTS.items()
        ],
    )


def ids(query):
    return sorted(m.external_id for m in search(query, limit=100))


def test_words_match_regardless_of_case_accents_and_possessives(stored):
    assert ids("zephyr") == ["1", "4", "5"]
    assert ids("cafe") == ["2"]
    assert ids("CAFÉ") == ["2"]


def test_boolean_phrases_wildcards_and_proximity(stored):
    assert ids("battery AND NOT arc") == ["1"]
    assert ids("battery OR shipping") == ["1", "3", "4"]
    assert ids('"battery life"') == ["3"]
    assert ids("drain*") == ["1"]
    assert ids("battery NEAR/3 drains") == ["1"]
    assert ids("battery NEAR/2 dies") == []


def test_fields(stored):
    assert ids("author:ann") == ["1", "4"]
    assert ids("site:example.com") == ["1"]
    assert ids("zephyr AND NOT author:ann") == ["5"]
    assert ids("source:tests AND lumio") == ["2"]


def test_queries_the_index_cannot_narrow_still_answer_exactly(stored):
    assert ids("NOT zephyr") == ["2", "3"]


def test_pagination_is_newest_first(stored):
    everything = [m.external_id for m in iter_matches("NOT nothingatall")]
    assert len(everything) == 5
    assert [m.external_id for m in search("NOT nothingatall", limit=2, offset=1)] == everything[1:3]


def test_search_command_prints_jsonl_with_the_contract_fields(stored):
    actions.add_topic("Zephyr", "zephyr", kind="competitor")
    actions.tag_existing(actions.Topic.objects.get(name="Zephyr"))
    out = io.StringIO()
    call_command("search", "zephyr AND battery", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 1
    row = rows[0]
    for field in ("id", "url", "author", "text", "sentiment", "topics", "published_at"):
        assert field in row
    assert "duplicate_of" in row
    assert row["author"] == "ann"
    assert row["topics"] == ["Zephyr"]
    assert row["id"] == Mention.objects.get(external_id="1").id


@pytest.mark.parametrize("query", ['"unbalanced', "(a OR b", "a AND", "nofield:x", ""])
def test_bad_queries_give_a_clear_error(stored, query):
    with pytest.raises(CommandError, match="invalid query"):
        call_command("search", query, stdout=io.StringIO())


@pytest.mark.parametrize("newest_first", [True, False])
def test_common_queries_walk_time_and_find_exactly_what_the_index_finds(monkeypatch, newest_first):
    from datetime import UTC, datetime, timedelta

    import earful.river.search as search_module

    moment = datetime(2026, 2, 1, tzinfo=UTC)
    items = [
        RawItem(
            text=f"{'battery' if n % 3 else 'screen'} report {n}",
            external_id=str(n),
            # Many share a timestamp: the walk must neither repeat nor skip them.
            published_at=moment + timedelta(minutes=n // 7),
        )
        for n in range(400)
    ]
    actions.ingest_items(actions.source_for_import("many"), items)
    by_index = [m.id for m in iter_matches("battery", newest_first=newest_first)]
    monkeypatch.setattr(search_module, "COMMON", 10)
    monkeypatch.setattr(search_module, "FIRST_CHUNK", 7)
    walked = [m.id for m in iter_matches("battery", newest_first=newest_first)]
    assert walked == by_index and len(walked) == len(set(walked)) == 266
    within = Mention.objects.filter(published_at__lt=moment + timedelta(minutes=20))
    narrowed = [m.id for m in iter_matches("battery", newest_first=newest_first, within=within)]
    assert narrowed == [i for i in by_index if i in set(within.values_list("id", flat=True))]
