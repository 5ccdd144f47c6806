"""The `earful` commands other than import and search, run as a user would run them."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from earful.river import actions
from earful.river.models import Mention, Source, Topic
from earful.river.pipeline.items import RawItem

EARFUL = str(Path(sys.executable).parent / "earful")


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_analyze_prints_one_json_object_per_input_line(tmp_path):
    lines = [
        "I love this phone, best purchase ever!",
        "",
        "Worst customer service, my watch broke after a day.",
        "Le téléphone est arrivé hier.",
        "\udcff invalid",
    ]
    data = "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n\xff\xfe broken bytes\n"
    done = subprocess.run(
        [EARFUL, "analyze"],
        input=data,
        capture_output=True,
        check=True,
        env={"EARFUL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(results) == 6
    assert results[0]["sentiment"] == "positive"
    assert results[1] == {"sentiment": "neutral", "score": 0.0, "language": "und", "spam": 0.0}
    assert results[2]["sentiment"] == "negative"
    assert results[3]["language"] == "fr"
    for result in results:
        assert result["sentiment"] in ("positive", "neutral", "negative")
        assert -1.0 <= result["score"] <= 1.0


@pytest.mark.django_db
def test_topics_add_and_list():
    assert "saved" in run("topics", "add", "Lumio", 'lumio OR "lumio arc"', "--kind", "brand")
    listing = run("topics", "list")
    assert "Lumio" in listing and "brand" in listing
    with pytest.raises(CommandError, match="invalid query"):
        run("topics", "add", "Broken", "(lumio")
    with pytest.raises(CommandError, match="already exists"):
        run("topics", "add", "Lumio", "other")
    assert Topic.objects.count() == 1


@pytest.mark.django_db
def test_topics_add_can_tag_mentions_already_stored():
    actions.ingest_items(
        actions.source_for_import("s"),
        [RawItem(text="the arc battery", external_id="1"), RawItem(text="other", external_id="2")],
    )
    assert "1 stored mentions tagged" in run("topics", "add", "Arc", "arc", "--tag-existing")
    assert list(Mention.objects.get(external_id="1").topics.values_list("name", flat=True)) == [
        "Arc"
    ]


@pytest.mark.django_db
def test_sources_add_and_list():
    out = run("sources", "add", "feed", "https://blog.example.com/feed.xml", "--every", "30")
    assert "polled every 30 minutes" in out
    source = Source.objects.get()
    assert (source.kind, source.name, source.config["url"]) == (
        "feed",
        "https://blog.example.com/feed.xml",
        "https://blog.example.com/feed.xml",
    )
    assert source.next_poll_at is not None
    assert "blog.example.com" in run("sources", "list")
    with pytest.raises(CommandError):
        run("sources", "add", "feed", "ftp://example.com/feed", "--name", "bad")
    with pytest.raises(CommandError, match="already exists"):
        run("sources", "add", "feed", "https://blog.example.com/feed.xml")


@pytest.mark.django_db
def test_stats_json_has_totals_by_sentiment_source_topic_and_clusters():
    actions.add_topic("Arc", "arc")
    source = actions.source_for_import("s")
    text = "The Arc phone battery died on day two and support never answered my emails at all"
    actions.ingest_items(
        source,
        [
            RawItem(text=text, external_id="1"),
            RawItem(text=text + "!!", external_id="2"),
            RawItem(text="I love the new watch, brilliant", external_id="3"),
        ],
    )
    stats = json.loads(run("stats", "--json"))
    assert stats["mentions"] == 3
    assert stats["by_source"] == {"s": 3}
    assert stats["by_topic"] == {"Arc": 2}
    assert sum(stats["by_sentiment"].values()) == 3
    assert stats["by_sentiment"]["positive"] == 1
    assert stats["duplicate_clusters"] == {"clusters": 1, "duplicates": 1}


@pytest.mark.django_db
def test_init_is_safe_to_run_twice():
    assert "database ready" in run("init")
    assert "database ready" in run("init")


@pytest.mark.django_db
def test_tokens_add_list_revoke():
    plain = run("tokens", "add", "zapier").strip()
    assert plain.startswith("ef_")
    listing = run("tokens", "list")
    assert "zapier" in listing
    prefix = plain[:10]
    assert "revoked 1" in run("tokens", "revoke", prefix)
    with pytest.raises(CommandError):
        run("tokens", "revoke", prefix)


def test_analyze_gives_the_same_answers_in_worker_processes(tmp_path):
    texts = [
        f"text {i}: I love this phone" if i % 3 else f"day {i}, it broke again" for i in range(40)
    ]
    data = ("\n".join(texts) + "\n").encode()
    env = {"EARFUL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run(*options):
        done = subprocess.run(
            [EARFUL, "analyze", "--batch-size", "3", *options],
            input=data, capture_output=True, check=True, env=env,
        )  # fmt: skip
        return [json.loads(line) for line in done.stdout.decode().splitlines()]

    alone = run("--workers", "0")
    assert len(alone) == 40
    assert run("--workers", "2") == alone  # past 5 batches of 3, workers take over


@pytest.mark.django_db
def test_unpolled_sources_keep_their_kind_and_are_never_due():
    from earful.river.actions import create_unpolled_source, due_sources

    source = create_unpolled_source("mastodon", "Archive of #halvora", {"note": "2025 export"})
    assert (source.kind, source.enabled, source.poll_every_minutes) == ("mastodon", False, None)
    assert due_sources() == []
    with pytest.raises(ValueError, match="already exists"):
        create_unpolled_source("mastodon", "Archive of #halvora")
    with pytest.raises(ValueError, match="unknown source kind"):
        create_unpolled_source("myspace", "Old")
