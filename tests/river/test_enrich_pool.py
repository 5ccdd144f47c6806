import csv
import json
import sys
from pathlib import Path

import pytest

from earful.river import actions
from earful.river.models import ImportRun, Mention

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from corpus import mentions  # noqa: E402


def snapshot() -> dict:
    key_of = dict(Mention.objects.values_list("id", "key"))
    return {
        m.key: (
            m.sentiment,
            round(m.sentiment_score, 6),
            m.language,
            round(m.spam_score, 6),
            key_of.get(m.duplicate_of_id),
            key_of.get(m.parent_id),
            tuple(sorted(m.topics.values_list("name", flat=True))),
        )
        for m in Mention.objects.prefetch_related("topics")
    }


def write_corpus(path: Path, fmt: str) -> None:
    rows = [
        {"body": r["text"], **{k: v for k, v in r.items() if k != "text"}}
        for r in mentions(3000, seed=3)
    ]
    rows[10] = {"body": ""}
    rows[500] = {"body": "x", "published_at": "soon"}
    if fmt == "jsonl":
        lines = [json.dumps(row) for row in rows]
        lines[700] = "{broken"
        path.write_text("\n".join(lines) + "\n")
    else:
        columns = ["id", "url", "author", "body", "published_at", "parent_id", "author_reach"]
        with path.open("w", newline="") as out:
            writer = csv.DictWriter(out, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.django_db(transaction=True)
def test_worker_processes_give_exactly_the_sequential_result(tmp_path, fmt):
    actions.add_topic("Lumio", "lumio", kind="brand")
    actions.add_topic("Battery", "battery NEAR/4 (dies OR died OR drain*)")
    path = tmp_path / f"m.{fmt}"
    write_corpus(path, fmt)
    mapping = {"body": "text"}

    def run(workers):
        rejected = []
        report = actions.import_file(
            "s", path, fmt, mapping, batch_size=250, workers=workers,
            on_reject=lambda line, reason: rejected.append((line, reason)),
        )  # fmt: skip
        return report, rejected

    sequential, rejected = run(0)
    expected = snapshot()
    Mention.objects.all().delete()
    ImportRun.objects.all().delete()
    parallel, rejected_in_parallel = run(2)

    assert str(parallel) == str(sequential)
    assert rejected_in_parallel == rejected
    assert len(rejected) == (3 if fmt == "jsonl" else 2)
    got = snapshot()
    assert got == expected
    clustered = [k for k, v in got.items() if v[4] is not None]
    assert len(clustered) > 50, "the corpus should hold near-duplicates across batches"
    assert sum(1 for v in got.values() if v[5] is not None) > 100


def test_items_come_back_from_the_workers_field_for_field():
    import pickle
    from datetime import UTC, datetime

    from earful.river.enrich_pool import pack_items, unpack_items
    from earful.river.pipeline.items import Item, RawItem

    items = [
        Item(
            raw=RawItem(
                text="Text ",
                external_id="7",
                url="https://a.example/x",
                author="ann",
                author_reach=12,
                published_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                owned=True,
                is_html=True,
            ),
            source_id=3,
            text="Text",
            canonical_url="https://a.example/x",
            key="3:id:7",
            sentiment="negative",
            sentiment_score=-0.5,
            topics=[1, 2],
            spam_score=0.25,
            question=True,
            duplicate_of_id=9,
            band_keys=[-1, 2**62],
            dropped="known",
        ),
        Item(raw=RawItem(text="second"), source_id=3),
    ]
    back = unpack_items(pickle.loads(pickle.dumps(pack_items(items))))
    assert back == items
    assert unpack_items(pack_items([])) == []
