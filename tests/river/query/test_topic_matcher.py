from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earful.river.query import MatchDocument, TopicMatcher, compile_query

from .strategies import documents, queries


def doc(text: str, **fields: str) -> MatchDocument:
    return MatchDocument(
        text=text,
        author=fields.get("author", ""),
        site=fields.get("site", ""),
        lang=fields.get("lang", ""),
        source=fields.get("source", ""),
    )


def test_match_many_returns_ascending_topic_ids_per_document():
    matcher = TopicMatcher(
        [(30, "zephyr"), (10, "acme AND battery"), (20, "NOT acme"), (40, "site:example.com")]
    )
    docs = [
        doc("Acme battery died, zephyr too", site="www.example.com"),
        doc("nothing here"),
        doc(""),
    ]
    assert matcher.match_many(docs) == [[10, 30, 40], [20], [20]]


def test_bad_saved_query_is_reported_and_skipped():
    matcher = TopicMatcher([(1, "acme"), (2, "acme AND"), (3, "colour:red")])
    assert matcher.match_many([doc("acme")]) == [[1]]
    assert set(matcher.errors) == {2, 3}
    assert "AND needs something" in matcher.errors[2]


def test_duplicate_topic_ids_are_refused():
    try:
        TopicMatcher([(1, "a"), (1, "b")])
    except ValueError as exc:
        assert "given twice" in str(exc)
    else:
        raise AssertionError("duplicate ids accepted")


def test_no_topics_matches_nothing():
    assert TopicMatcher([]).match_many([doc("acme"), doc("")]) == [[], []]


def test_prefilter_skips_topics_whose_words_are_absent():
    matcher = TopicMatcher([(1, '"acme phone"'), (2, "zephyr*"), (3, "NOT spam")])
    from earful.river.query import PreparedDocument

    mask = matcher.candidates(PreparedDocument(doc("a phone from acme")))
    assert mask == 0b100  # only the pure negation must be evaluated


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(queries, min_size=1, max_size=12), st.lists(documents(), min_size=1, max_size=8))
def test_prefiltered_matching_equals_evaluating_every_topic(topic_queries, docs):
    topics = list(enumerate(topic_queries, start=1))
    matcher = TopicMatcher(topics)
    assert not matcher.errors
    expected = [
        [topic_id for topic_id, query in topics if compile_query(query).matches(d)] for d in docs
    ]
    assert matcher.match_many(docs) == expected
