from earful.river.highlight import highlight, matched_spans
from earful.river.query import parse_query


def marks(text: str, query: str) -> list[str]:
    return [text[a:b] for a, b in matched_spans(text, parse_query(query))]


def test_marks_words_phrases_and_wildcards_but_not_negated_words():
    text = "The Lumio ARC battery is dead; batteries die. Support was great, not the arc phone."
    assert marks(text, "battery") == ["battery"]
    assert marks(text, "batter*") == ["battery", "batteries"]
    assert marks(text, '"arc phone" OR lumio') == ["Lumio", "arc phone"]
    assert marks(text, "battery -support") == ["battery"]
    assert marks(text, "author:someone") == []


def test_folds_case_and_accents_like_search():
    assert marks("Très CAFÉ", "cafe") == ["CAFÉ"]


def test_output_is_escaped():
    html = highlight("<script>alert('battery')</script>", parse_query("battery"))
    assert "<script>" not in html
    assert "<mark>battery</mark>" in html
    assert highlight("<b>x</b>", None) == "&lt;b&gt;x&lt;/b&gt;"
