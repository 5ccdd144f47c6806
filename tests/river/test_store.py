import pytest

from earful.river import actions
from earful.river.models import Mention, MentionBand
from earful.river.pipeline.items import RawItem
from earful.river.store import DatabaseIndex, _statement_sized_chunks


@pytest.mark.parametrize("count", [0, 1, 7, 428, 429, 1000, 4500, 7001])
def test_rows_go_in_order_in_full_chunks_then_powers_of_two(count):
    rows = list(range(count))
    chunks = list(_statement_sized_chunks(rows, 428))
    assert [row for chunk in chunks for row in chunk] == rows
    sizes = [len(chunk) for chunk in chunks]
    full = count // 428
    assert sizes[:full] == [428] * full
    rest = sizes[full:]
    assert all(size & (size - 1) == 0 for size in rest)  # powers of two
    assert rest == sorted(set(rest), reverse=True)  # each at most once: few statement texts


@pytest.mark.django_db
def test_a_band_stored_by_several_mentions_leads_to_the_oldest():
    source = actions.source_for_import("s")
    actions.ingest_items(source, [RawItem(text=f"post {n}", external_id=str(n)) for n in range(3)])
    first, second, third = Mention.objects.order_by("id").values_list("id", flat=True)
    MentionBand.objects.bulk_create(
        [
            MentionBand(band=7, mention_id=third),
            MentionBand(band=7, mention_id=first),
            MentionBand(band=7, mention_id=second),
            MentionBand(band=-3, mention_id=second),
        ]
    )
    assert DatabaseIndex().roots_by_band([7, -3, 12, 7]) == {7: first, -3: second}
