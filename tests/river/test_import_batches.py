from earful.river.files import RowReader
from earful.river.import_batches import line_batches, row_batches


def test_both_readers_count_rows_alike_so_a_resume_skips_the_same_rows(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(
        b'{"text": "a"}\n\n{"text": ""}\nnot json\n   \n{"text": "b"}\n{"text": "c"}\n'
    )
    with RowReader(path, "jsonl") as reader:
        by_rows = [(b.seen, [n for n, _ in b.items], b.rejects) for b in row_batches(reader, 1, 2)]
    with RowReader(path, "jsonl") as reader:
        by_lines = [
            (b.seen, [n for n, _ in lines], b.rejects) for b, lines in line_batches(reader, 1, 2)
        ]
    # Rows are counted without blank lines; the first row is skipped as already imported.
    assert [seen for seen, _, _ in by_rows] == [seen for seen, _, _ in by_lines] == [3, 5, 5]
    assert by_rows[0][1] == []
    assert [line for line, _ in by_rows[0][2]] == [3, 4]
    assert "invalid JSON" in by_rows[0][2][1][1]
    assert by_lines[0][1] == [3, 4]  # parsed later, in the workers
    assert by_rows[1][1] == by_lines[1][1] == [6, 7]
