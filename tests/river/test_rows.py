from datetime import UTC, datetime

import pytest

from earful.river.rows import RowError, parse_timestamp, raw_item_from_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-01T10:00:00Z", datetime(2026, 11, 1, 10, tzinfo=UTC)),
        ("2026-11-01T12:00:00+02:00", datetime(2026, 11, 1, 10, tzinfo=UTC)),
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("", None),
        (None, None),
    ],
)
def test_timestamps(value, expected):
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize(
    "value", ["yesterday", "0001-01-01T00:00:00+05:00", 1e300, True, ["2026"], "2026-13-01"]
)
def test_bad_timestamps_say_what_is_wrong(value):
    with pytest.raises(RowError, match="published_at"):
        parse_timestamp(value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({}, "text is required"),
        ({"text": "  "}, "text is required"),
        ({"text": 5}, "text must be a string"),
        ({"text": "x" * 100_001}, "longer than"),
        ({"text": "x", "author_reach": -1}, "author_reach"),
        ({"text": "x", "author_reach": 10**16}, "author_reach"),
        ({"text": "x", "author_reach": "many"}, "whole number"),
        ({"text": "x", "id": {"a": 1}}, "id must be a string"),
        ([1, 2], "expected an object"),
    ],
)
def test_bad_rows(row, message):
    with pytest.raises(RowError, match=message):
        raw_item_from_row(row)


def test_a_good_row():
    item = raw_item_from_row(
        {"id": 7, "text": "hello", "author": " ann ", "language": "EN", "author_reach": "12"}
    )
    assert (item.external_id, item.author, item.language, item.author_reach) == (
        "7",
        "ann",
        "en",
        12,
    )
