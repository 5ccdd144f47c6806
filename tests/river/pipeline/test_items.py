import copy
import pickle
from datetime import UTC, datetime

from earful.river.pipeline.items import Item, RawItem


def test_items_survive_pickling_with_every_field():
    raw = RawItem(
        text="Battery died again",
        external_id="42",
        url="https://example.com/p/42",
        author="ana",
        author_name="Ana",
        author_url="https://example.com/ana",
        author_reach=1200,
        title="Again",
        published_at=datetime(2026, 5, 1, 12, tzinfo=UTC),
        language="en",
        parent_id="41",
        owned=True,
        is_html=True,
    )
    item = Item(
        raw=raw,
        source_id=3,
        text="Battery died again",
        key="3:id:42",
        sentiment="negative",
        sentiment_score=-0.8,
        topics=[1, 2],
        duplicate_of_key="3:id:7",
        band_keys=[5, 6],
        dropped="",
        error="",
    )

    copied = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    assert copied == item
    assert copied.raw == raw
    assert copied.topics is not item.topics


def test_deep_copies_do_not_share_lists():
    item = Item(raw=RawItem(text="x"), source_id=1, topics=[1])

    copied = copy.deepcopy(item)
    copied.topics.append(2)

    assert item.topics == [1]
