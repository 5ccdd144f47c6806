import pytest

from earful.river.store import _statement_sized_chunks


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
