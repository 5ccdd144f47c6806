import pytest

from earful.river.pipeline.base import Context, EmptyIndex, MemoryIndex, Pipeline
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.registry import DEFAULT_PIPELINE, build_index_stages, build_pipeline

PURE_STAGES = ("normalise", "exact_dedupe", "near_duplicates", "language", "spam")


def items(*texts: str) -> list[Item]:
    return [Item(raw=RawItem(text=t, external_id=str(n)), source_id=1) for n, t in enumerate(texts)]


def test_unknown_component_names_are_refused_with_the_known_ones_listed():
    with pytest.raises(ValueError, match="unknown pipeline component.*sentimnet.*known: normalise"):
        build_pipeline(("normalise", "sentimnet"))


def test_the_pipeline_must_start_with_normalise():
    with pytest.raises(ValueError, match="must start with 'normalise'"):
        build_pipeline(("exact_dedupe", "normalise"))
    with pytest.raises(ValueError, match="must start with 'normalise'"):
        build_pipeline(())


def test_components_run_in_the_configured_order():
    pipeline = build_pipeline(("normalise", "spam", "language"))
    assert pipeline.names == ["normalise", "spam", "language"]
    assert build_pipeline().names == list(DEFAULT_PIPELINE)


def test_index_stages_are_the_store_stages_in_their_configured_order():
    assert build_index_stages().names == ["exact_dedupe", "near_duplicates"]
    assert build_index_stages(("normalise", "near_duplicates", "spam")).names == ["near_duplicates"]
    assert build_index_stages(("normalise", "language")).names == []
    with pytest.raises(ValueError, match="unknown pipeline component.*dedup"):
        build_index_stages(("normalise", "dedup"))


def test_dropped_items_are_skipped_by_later_components():
    seen: list[list[str]] = []

    def drop_second(batch: list[Item], context: Context) -> list[Item]:
        seen.append([item.raw.text for item in batch])
        batch[1].dropped = "test"
        return batch

    def record(batch: list[Item], context: Context) -> list[Item]:
        seen.append([item.raw.text for item in batch])
        return batch

    batch = items("a", "b", "c")
    result = Pipeline([("drop", drop_second), ("record", record)])(batch, Context())
    assert seen == [["a", "b", "c"], ["a", "c"]]
    assert result is batch and [item.dropped for item in result] == ["", "test", ""]


def test_components_are_not_called_once_everything_is_dropped():
    called = []

    def drop_all(batch: list[Item], context: Context) -> list[Item]:
        for item in batch:
            item.dropped = "test"
        return batch

    Pipeline([("drop", drop_all), ("never", lambda b, c: called.append(b))])(items("a"), Context())
    assert called == []


def test_the_pure_stages_together():
    pipeline = build_pipeline(PURE_STAGES, bad_domains=["scam.example"])
    batch = items(
        "<p>The checkout page <b>times out</b> on my phone since Monday's update.</p>",
        "",
        "The checkout page times out on my phone since Monday's update!",
        "Gewinnspiel! Klicken Sie hier: https://scam.example/gewinn https://scam.example/x",
    )
    batch[0].raw.is_html = True
    batch.append(Item(raw=batch[0].raw, source_id=1))  # the same item delivered twice
    pipeline(batch, Context())
    html_post, empty, near_copy, scam, repeat = batch
    assert html_post.text == "The checkout page times out on my phone since Monday's update."
    assert html_post.language == "en" and html_post.spam_score < 0.2
    assert empty.dropped == "empty"
    assert near_copy.duplicate_of_key == html_post.key
    assert scam.spam_score >= 0.6
    assert repeat.dropped == "repeat"


def test_memory_index_remembers_keys_content_and_cluster_roots():
    index = MemoryIndex()
    pipeline = build_pipeline(PURE_STAGES)
    first = items(
        "The order page has been stuck on processing for three days now",
        "the order page has been stuck on processing for three days now",
    )
    pipeline(first, Context(index=index))
    ids = index.remember(first)
    assert list(ids.values()) == [1, 2]
    root = ids[first[0].key]
    assert index.existing_keys([first[0].key, "nope"]) == {first[0].key}
    assert index.roots_by_hash([first[1].content_hash]) == {first[1].content_hash: root}
    assert set(index.roots_by_band(first[0].bands).values()) == {root}
    assert index.remember(first) == {}  # stored once


def test_empty_index_knows_nothing():
    index = EmptyIndex()
    assert index.existing_keys(["a"]) == set()
    assert index.roots_by_hash(["h"]) == {}
    assert index.roots_by_band([1]) == {}


def test_hostile_items_pass_through_every_pure_stage():
    pipeline = build_pipeline(PURE_STAGES)
    hostile = [
        RawItem(text="The checkout is broken again. " * 170_000, external_id="5mb"),
        RawItem(text="nul\x00 bytes \x01 and \ud800 halves " * 10, external_id="\ud800\x00"),
        RawItem(text="<div>" * 20_000 + "deep" + "</div>" * 20_000, is_html=True),
        RawItem(text="<a " * 50_000, url="http://[::1", parent_id="\x00"),
        RawItem(text="ok", title="\udfff", language="\ud800", url="https://\ud800.example/"),
    ]
    batch = [Item(raw=raw, source_id=1) for raw in hostile]
    pipeline(batch, Context(index=MemoryIndex()))
    for item in batch:
        assert not item.dropped, item.error
        for value in (item.text, item.title, item.key, item.parent_key, item.canonical_url):
            value.encode("utf-8")  # storable
        assert 0.0 <= item.spam_score <= 1.0
        assert item.language
