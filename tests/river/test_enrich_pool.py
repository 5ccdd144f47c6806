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


@pytest.mark.django_db(transaction=True)
def test_worker_processes_give_exactly_the_sequential_result(tmp_path):
    actions.add_topic("Lumio", "lumio", kind="brand")
    actions.add_topic("Battery", "battery NEAR/4 (dies OR died OR drain*)")
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in mentions(3000, seed=3)))

    sequential = actions.import_file("s", path, batch_size=250, workers=0)
    expected = snapshot()
    Mention.objects.all().delete()
    ImportRun.objects.all().delete()
    parallel = actions.import_file("s", path, batch_size=250, workers=2)

    assert str(parallel) == str(sequential)
    got = snapshot()
    assert got == expected
    clustered = [k for k, v in got.items() if v[4] is not None]
    assert len(clustered) > 50, "the corpus should hold near-duplicates across batches"
    assert sum(1 for v in got.values() if v[5] is not None) > 100
