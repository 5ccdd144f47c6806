import pytest

from earful.river.query import QuerySyntaxError, parse_query
from earful.river.query.nodes import And, Lang, Near, Not, Or, Proximity, Site, Terms, Word


def text(*words: str) -> Terms:
    return Terms("text", tuple(Word(w) for w in words))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("acme phone", And((text("acme"), text("phone")))),  # implicit AND
        ("acme AND phone", And((text("acme"), text("phone")))),
        ("acme OR phone", Or((text("acme"), text("phone")))),
        ("a b OR c", And((text("a"), Or((text("b"), text("c")))))),
        ("acme -refund", And((text("acme"), Not(text("refund"))))),
        ("acme NOT refund", And((text("acme"), Not(text("refund"))))),
        ("+acme", text("acme")),
        ("(acme OR zephyr) AND bug", And((Or((text("acme"), text("zephyr"))), text("bug")))),
        ('"Acme Phone"', text("acme", "phone")),
        ("Zephyr's", text("zephyr", "s")),
        ("e-mail", text("e", "mail")),
        ("batter*", text("batter*")),
        ("ac?e", text("ac?e")),
        ('"acme broken"~5', Proximity("text", (Word("acme"), Word("broken")), 5)),
        ("acme NEAR/5 broken", Near("text", (text("acme"),), (text("broken"),), 5)),
        (
            "x OR a NEAR/2 b",
            Or((text("x"), Near("text", (text("a"),), (text("b"),), 2))),
        ),
        (
            '(acme OR zephyr) NEAR/3 "bug fix"',
            Near("text", (text("acme"), text("zephyr")), (text("bug", "fix"),), 3),
        ),
        ("#AcmePhone", Terms("text", (Word("acmephone", "#"),))),
        ("@acme", Terms("text", (Word("acme", "@"),))),
        ("author:Bob", Terms("author", (Word("bob"),))),
        (
            "source:(hn OR reddit)",
            Or((Terms("source", (Word("hn"),)), Terms("source", (Word("reddit"),)))),
        ),
        ("text:café", text("cafe")),
        ("site:Example.com", Site("example.com")),
        ("lang:pt_BR", Lang("pt-br")),
        ("NOT spam", Not(text("spam"))),
    ],
)
def test_parses(query, expected):
    assert parse_query(query) == expected


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("", "empty", None),
        ("   ", "empty", None),
        ("(acme OR zephyr", '"(" is never closed', 0),
        ("acme)", 'no matching "("', 4),
        ('acme "broken phone', "quote is never closed", 5),
        ("acme AND", "AND needs something", 5),
        ("OR acme", "OR needs something", 0),
        ("acme AND AND x", "AND needs something", 5),
        ("acme NOT", "NOT needs something", 5),
        ("colour:red", "unknown field 'colour'", 0),
        ("acme NEAR phone", "NEAR needs a distance", 5),
        ("acme NEAR/x phone", "NEAR needs a distance", 5),
        ("NEAR/3 phone", "on each side", 0),
        ("a NEAR/2 b NEAR/2 c", "chains of NEAR", 11),
        ("author:a NEAR/2 b", "field around the whole NEAR", 9),
        ("author:(site:x.com)", "inside another field", 8),
        ("foo~2", "fuzzy", 0),
        ("/ab+c/", "regular expressions", 0),
        ("acme^2", "boosts", 0),
        ("[a TO b]", "ranges", 0),
        ('"a b"~', "whole number", 0),
        ('"a b"~1.5', "whole number", 5),
        ("*", "wildcard needs a letter", 0),
        ("!!!", "no letters or digits", 0),
        ('""', "empty phrase", 0),
        ("()", "empty parentheses", 0),
        ("site:exa_mple.com", "not a host name", 5),
        ("lang:english!", "not a language code", 5),
        ("acme\\", "unexpected character", 4),
        ("a NEAR/5000 b", "over 1000", 2),
    ],
)
def test_syntax_errors_say_what_and_where(query, message, position):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert message in str(caught.value)
    assert caught.value.position == position


def test_error_is_a_value_error():
    assert issubclass(QuerySyntaxError, ValueError)


def test_not_text_is_rejected():
    with pytest.raises(QuerySyntaxError, match="must be text"):
        parse_query(None)


def test_deep_nesting_is_bounded():
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        parse_query("(" * 100 + "a" + ")" * 100)
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        parse_query("NOT " * 200 + "a")


def test_huge_queries_are_bounded():
    with pytest.raises(QuerySyntaxError, match="too long"):
        parse_query("a " * 6000)
    with pytest.raises(QuerySyntaxError, match="too many parts"):
        parse_query(" OR ".join(f"w{i}" for i in range(800)))


def test_many_terms_within_limits_parse():
    node = parse_query(" OR ".join(f"word{i}" for i in range(400)))
    assert isinstance(node, Or) and len(node.children) == 400


def test_lower_case_operators_are_words():
    assert parse_query("this and that") == And((text("this"), text("and"), text("that")))
