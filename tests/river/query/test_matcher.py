import pytest

from earful.river.query import MatchDocument, compile_query

POST = MatchDocument(
    text="Zephyr's battery is GREAT but the Acme phone app keeps crashing. #AcmePhone @acme "
    "mail me@acmecorp.com — café crème",
    author="@bob_k Bob König",
    site="blog.example.com",
    lang="en-GB",
    source="Mastodon",
)

CASES = [
    # words: case and accent folding, apostrophes split
    ("zephyr", True),
    ("ZEPHYR", True),
    ("zephyrs", False),
    ("cafe", True),
    ("CAFÉ creme", True),
    ("koenig", False),
    # implicit AND, OR, NOT, +, -
    ("zephyr battery", True),
    ("zephyr tablet", False),
    ("zephyr AND tablet", False),
    ("tablet OR battery", True),
    ("zephyr -crashing", False),
    ("zephyr NOT tablet", True),
    ("+zephyr +battery", True),
    ("NOT tablet", True),
    ("NOT zephyr", False),
    ("(tablet OR phone) AND NOT refund", True),
    # phrases
    ('"acme phone"', True),
    ('"phone acme"', False),
    ('"zephyr s battery"', True),
    ("Zephyr's", True),
    ('"keeps crash*"', True),
    # wildcards
    ("batter*", True),
    ("bat*ry", True),
    ("b?ttery", True),
    ("b?tery", False),
    ("crash?", False),
    # hashtags and handles
    ("#acmephone", True),
    ("acmephone", True),
    ("#acme", False),
    ("@acme", True),
    ("@acmecorp", False),  # me@acmecorp.com is an address, not a handle
    ("acmecorp", True),
    # proximity
    ("zephyr NEAR/3 great", True),
    ("zephyr NEAR/2 great", False),
    ("great NEAR/3 zephyr", True),
    ('"zephyr great"~3', True),
    ('"zephyr great"~2', False),
    ('"great zephyr"~3', True),
    ("acme NEAR/1 crashing", True),  # "crashing. #AcmePhone @acme"
    ('(tablet OR "phone app") NEAR/1 crashing', True),
    ("battery NEAR/0 great", False),
    ("battery NEAR/1 great", True),
    ("zephyr NEAR/0 s", True),
    # fields
    ("author:bob", True),
    ("author:@bob", True),
    ("author:konig", True),
    ("author:alice", False),
    ("site:example.com", True),
    ("site:blog.example.com", True),
    ("site:ample.com", False),
    ("site:www.example.com", False),
    ("lang:en", True),
    ("lang:en-gb", True),
    ("lang:en-us", False),
    ("lang:fr", False),
    ("source:mastodon", True),
    ("source:reddit", False),
    ("text:zephyr", True),
    ("author:zephyr", False),
    ("zephyr AND site:example.com AND NOT author:alice", True),
]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_matches(query, expected):
    assert compile_query(query).matches(POST) is expected


def test_empty_document_matches_only_negations():
    empty = MatchDocument(text="", author="", site="", lang="", source="")
    assert compile_query("NOT acme").matches(empty)
    assert not compile_query("acme").matches(empty)
    assert not compile_query("site:example.com").matches(empty)


def test_repeated_word_in_proximity_needs_two_occurrences():
    once = MatchDocument(text="buy buy now", author="", site="", lang="", source="")
    assert compile_query('"buy buy"~0').matches(once)
    assert not compile_query('"buy buy buy"~5').matches(once)


def test_hostile_document_is_fast_enough_and_correct():
    text = "spam " * 20000 + "acme"
    doc = MatchDocument(text=text, author="", site="", lang="", source="")
    assert compile_query("spam NEAR/0 acme").matches(doc)
    assert not compile_query('"spam spam acme tablet"~3').matches(doc)
