from earful.river.pipeline.base import Context, MemoryIndex
from earful.river.pipeline.exact_dedupe import exact_dedupe
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.normalise import normalise


def process(*raws: RawItem, index: MemoryIndex | None = None) -> list[Item]:
    context = Context(index=index or MemoryIndex())
    batch = normalise([Item(raw=raw, source_id=3) for raw in raws], context)
    exact_dedupe([item for item in batch if not item.dropped], context)
    return batch


def test_the_same_key_twice_in_a_batch_is_kept_once():
    first, again = process(
        RawItem(text="Login is broken", external_id="1"),
        RawItem(text="Login is broken (edited)", external_id="1"),
    )
    assert first.dropped == ""
    assert again.dropped == "repeat"


def test_keys_already_stored_are_dropped_as_known():
    index = MemoryIndex()
    [stored] = process(RawItem(text="Login is broken", external_id="1"), index=index)
    index.remember([stored])
    known, new = process(
        RawItem(text="Login is broken", external_id="1"),
        RawItem(text="Something else", external_id="2"),
        index=index,
    )
    assert known.dropped == "known"
    assert new.dropped == ""


def test_the_same_url_from_another_source_is_the_same_mention():
    index = MemoryIndex()
    [stored] = process(
        RawItem(text="A post", url="https://blog.example/p?utm_source=a"), index=index
    )
    index.remember([stored])
    batch = normalise(
        [Item(raw=RawItem(text="A post", url="https://blog.example/p"), source_id=99)], Context()
    )
    exact_dedupe(batch, Context(index=index))
    assert batch[0].dropped == "known"


def test_same_content_under_another_key_is_linked_to_the_first_copy():
    first, copy, shouted, different = process(
        RawItem(text="The app crashes on start", external_id="1"),
        RawItem(text="the app  crashes on start", external_id="2"),
        RawItem(text="THE APP CRASHES ON START", external_id="3"),
        RawItem(text="The app starts fine", external_id="4"),
    )
    assert first.duplicate_of_key == "" and not first.dropped
    assert copy.duplicate_of_key == first.key and not copy.dropped
    assert shouted.duplicate_of_key == first.key
    assert different.duplicate_of_key == ""


def test_same_content_as_a_stored_mention_is_linked_to_its_cluster_root():
    index = MemoryIndex()
    root, member = process(
        RawItem(text="Refund still missing", external_id="1"),
        RawItem(text="Refund still missing", external_id="2"),
        index=index,
    )
    ids = index.remember([root, member])
    [later] = process(RawItem(text="refund still missing", external_id="3"), index=index)
    assert later.duplicate_of_id == ids[root.key]
    assert later.duplicate_of_key == ""


def test_a_repeat_is_not_the_first_copy_of_its_content():
    # A repeated key must not become the root others point at: only the kept item can be.
    first, repeat, copy = process(
        RawItem(text="Same words", external_id="1"),
        RawItem(text="Same words", external_id="1"),
        RawItem(text="Same words", external_id="2"),
    )
    assert repeat.dropped == "repeat"
    assert copy.duplicate_of_key == first.key


def test_empty_batch():
    assert exact_dedupe([], Context()) == []
