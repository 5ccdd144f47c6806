import json

import pytest

from earful.river.files import BadRow, Row, RowReader, fingerprint, guess_format, parse_mapping


def rows_of(path, fmt, mapping=None):
    with RowReader(path, fmt, mapping) as reader:
        return list(reader)


def test_jsonl_rows_carry_their_line_numbers_and_bad_lines_do_not_stop_the_rest(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "first"}\n'
        b"\n"
        b'{"id": "2", "text": \n'
        b"[1, 2]\n"
        b'{"id": "3", "text": "caf\xff"}\n'
        b'{"id": "4", "text": "last"}'
    )
    rows = rows_of(path, "jsonl")
    assert rows[0] == Row(1, {"id": "1", "text": "first"})
    assert isinstance(rows[1], BadRow) and rows[1].line == 3 and "invalid JSON" in rows[1].error
    assert rows[2] == BadRow(4, "expected a JSON object, got list")
    assert rows[3] == BadRow(5, "invalid UTF-8 at byte 24")
    assert rows[4] == Row(6, {"id": "4", "text": "last"})


def test_jsonl_with_a_byte_order_mark_and_deep_nesting(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "bom"}\n' + b"[" * 100_000 + b"\n")
    rows = rows_of(path, "jsonl")
    assert rows[0] == Row(1, {"text": "bom"})
    assert isinstance(rows[1], BadRow) and rows[1].line == 2


def test_csv_rows_with_quoted_newlines_report_the_line_they_start_on(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        b"id,text,author\r\n"
        b'1,"two\nlines",ann\r\n'
        b"2,too,many,columns\r\n"
        b"3,caf\xe9,bob\r\n"
        b"4,fine,cy\r\n"
    )
    rows = rows_of(path, "csv")
    assert rows[0] == Row(2, {"id": "1", "text": "two\nlines", "author": "ann"})
    assert rows[1] == BadRow(4, "expected 3 columns, found 4")
    assert rows[2] == BadRow(5, "invalid UTF-8")
    assert rows[3] == Row(6, {"id": "4", "text": "fine", "author": "cy"})


def test_csv_oversized_field_is_one_bad_row(tmp_path):
    path = tmp_path / "m.csv"
    big = "x" * 300_000
    path.write_text(f"id,text\n1,{big}\n2,after\n")
    rows = rows_of(path, "csv")
    assert isinstance(rows[0], BadRow) and "field larger than field limit" in rows[0].error
    assert rows[-1].fields == {"id": "2", "text": "after"}


def test_mapping_renames_columns_to_fields(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"body": "hello", "tweet_id": "9"}) + "\n")
    mapping = parse_mapping(["text=body", "id=tweet_id"])
    assert rows_of(path, "jsonl", mapping) == [Row(1, {"text": "hello", "id": "9"})]


@pytest.mark.parametrize("pair", ["text", "=body", "nope=body", "text="])
def test_bad_mappings_are_refused(pair):
    with pytest.raises(ValueError, match="--map"):
        parse_mapping([pair])


def test_format_from_suffix(tmp_path):
    assert guess_format(tmp_path / "a.ndjson") == "jsonl"
    assert guess_format(tmp_path / "a.CSV") == "csv"
    with pytest.raises(ValueError, match="--format"):
        guess_format(tmp_path / "a.xlsx")


def test_fingerprint_changes_with_content(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("one\n")
    first = fingerprint(path)
    assert fingerprint(path) == first
    path.write_text("one\ntwo\n")
    assert fingerprint(path) != first


def test_position_reaches_the_file_size(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("id,text\n" + "".join(f"{i},row {i}\n" for i in range(5000)))
    with RowReader(path, "csv") as reader:
        assert sum(1 for _ in reader) == 5000
        assert reader.position == path.stat().st_size


def test_an_overlong_line_is_one_bad_row_and_reading_goes_on(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 3_500_000 + b'"}\n{"text": "after"}\n')
    rows = rows_of(path, "jsonl")
    assert rows[0] == BadRow(1, "line is longer than 1000000 bytes")
    assert rows[1] == Row(2, {"text": "after"})


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "1", "text": "ok"}\n',
        ' {"a": [1, {"b": null}]} \r\n',
        '{"a": 1} trailing\n',
        '{"a": 1}{"b": 2}\n',
        '{"a"\n',
        "\n",
        "",
        "\ufeff" + '{"a": 1}',
        '{"a": NaN, "b": 1e999}',
        '{"a": "\\ud800"}',
        "[1, 2]",
        '"text"',
        "nul",
        "[" * 100_000,
    ],
)
def test_the_fast_json_reader_parses_and_fails_exactly_like_json_loads(line):
    from earful.river.files import _loads

    def outcome(loads):
        try:
            return "value", loads(line)
        except json.JSONDecodeError as error:
            return "error", error.msg, error.pos
        except RecursionError:
            return ("too deep",)

    assert repr(outcome(_loads)) == repr(outcome(json.loads))
