"""The question page's process memory: views count once per reader and window, and the
memory stays bounded."""

from earful.community.process_cache import ProcessCache


def test_a_key_is_added_once_per_window():
    memory = ProcessCache(max_items=10, max_age=60)
    assert memory.add(("q", 1), now=0.0)
    assert not memory.add(("q", 1), now=59.0)
    assert memory.add(("q", 1), now=60.0)  # a new window
    assert memory.add(("q", 2), now=61.0)


def test_values_expire_and_the_oldest_go_first():
    memory = ProcessCache(max_items=3, max_age=10)
    for n in range(5):
        memory.set(n, f"v{n}", now=float(n))
    assert len(memory) == 3
    assert memory.get(0, now=5.0) is None and memory.get(4, now=5.0) == "v4"
    assert memory.get(4, now=14.0) is None  # too old
    assert memory.get("missing", "default") == "default"
