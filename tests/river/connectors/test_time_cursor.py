import time

from earful.river.connectors.time_cursor import TimeCursor


def test_a_fresh_cursor_accepts_everything_and_saves_the_newest():
    cursor = TimeCursor.from_state({}, "cursor")
    assert cursor.is_new(5.0, "a")
    for when, item_id in ((5.0, "a"), (9.0, "b"), (9.0, "c"), (1.0, "d")):
        cursor.saw(when, item_id)
    assert cursor.to_state() == {"since": 9.0, "ids": ["b", "c"]}


def test_a_saved_cursor_drops_what_it_has_seen_at_its_instant():
    cursor = TimeCursor.from_state({"cursor": {"since": 9.0, "ids": ["b"]}}, "cursor")
    assert not cursor.is_new(8.0, "x")
    assert not cursor.is_new(9.0, "b")
    assert cursor.is_new(9.0, "c")
    assert cursor.is_new(10.0, "b")


def test_nothing_seen_keeps_nothing():
    assert TimeCursor().to_state() is None


def test_a_future_timestamp_does_not_push_the_cursor_past_now():
    cursor = TimeCursor()
    cursor.saw(time.time() + 10 * 365 * 86400, "from-the-future")
    assert cursor.to_state()["since"] <= time.time()


def test_damaged_saved_cursors_start_afresh():
    for saved in (None, "x", {"since": "9"}, {"since": True}, {"since": float("inf")}):
        assert TimeCursor.from_state({"cursor": saved}, "cursor").since is None
    odd_ids = TimeCursor.from_state({"cursor": {"since": 1, "ids": [1, None, "a", []]}}, "cursor")
    assert odd_ids.ids_at_since == {"1", "a"}
