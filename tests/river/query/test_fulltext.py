import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earful.river.query import (
    MatchDocument,
    compile_query,
    highlight_terms,
    parse_query,
    to_fts5,
    to_tsquery,
)

from .strategies import documents, queries


@pytest.fixture(scope="module")
def fts():
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE mention_fts USING fts5(title, text,"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    yield db
    db.close()


def fts_ids(db, docs, expression):
    db.execute("DELETE FROM mention_fts")
    for rowid, d in enumerate(docs, start=1):
        title, _, text = d.text.partition("\n") if "\n" in d.text else ("", "", d.text)
        db.execute(
            "INSERT INTO mention_fts(rowid, title, text) VALUES (?, ?, ?)", (rowid, title, text)
        )
    rows = db.execute("SELECT rowid FROM mention_fts WHERE mention_fts MATCH ?", (expression,))
    return {rowid for (rowid,) in rows}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries, st.lists(documents(), min_size=1, max_size=10))
def test_fts5_prefilter_never_misses_a_match(fts, query, docs):
    compiled = compile_query(query)
    expression = to_fts5(compiled.node)
    matched = {i for i, d in enumerate(docs, start=1) if compiled.matches(d)}
    if expression is None:
        return
    assert matched <= fts_ids(fts, docs, expression), expression


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acme", '"acme"'),
        ("Zephyr's", '("zephyr" AND "s")'),
        ('"acme phone"', '("acme" AND "phone")'),
        ("batt*", '"batt"*'),
        ("ba?t", '"ba"*'),
        ("*ery", None),
        ("#acme OR @zephyr", '("acme" OR "zephyr")'),
        ("acme -spam", '"acme"'),
        ("NOT spam", None),
        ("site:example.com", None),
        ("acme OR site:example.com", None),
        ("author:bob acme", '"acme"'),
        ("(acme OR zephyr) NEAR/3 bug", '(("acme" OR "zephyr") AND "bug")'),
        ("café", '"cafe"'),
    ],
)
def test_fts5_expressions(query, expected):
    assert to_fts5(parse_query(query)) == expected


def test_fts5_expression_finds_folded_words(fts):
    docs = [MatchDocument("Le CAFÉ de Zephyr's", "", "", "", "")]
    for query in ["cafe", "zephyr's", "ZEPHYR", "caf*"]:
        assert fts_ids(fts, docs, to_fts5(parse_query(query))) == {1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acme", "'acme':*"),
        ("acme phone", "('acme':* & 'phone':*)"),
        ("acme OR phone", "('acme':* | 'phone':*)"),
        ("batt* -spam", "'batt':*"),
        ("NOT spam", None),
        ("lang:en", None),
        ("Zephyr's", "('zephyr':* & 's':*)"),
        ('"o\'neil"', "('o':* & 'neil':*)"),
    ],
)
def test_tsquery_expressions(query, expected):
    assert to_tsquery(parse_query(query)) == expected


def test_highlight_terms_are_positive_text_terms():
    node = parse_query('Acme "Zephyr phone" batt* -spam author:bob OR x NEAR/2 y')
    assert highlight_terms(node) == ["acme", "zephyr phone", "batt*", "x", "y"]
