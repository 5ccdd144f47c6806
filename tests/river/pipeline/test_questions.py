import re

from hypothesis import given, settings
from hypothesis import strategies as st

from earful.river.pipeline.questions import _OPENERS, is_question

# The rule as one search: an opener at the start, or after ".", "!" or a line break and
# any white space. is_question only tries those places; it must answer the same.
REFERENCE = re.compile(rf"(?:^|[.!\n]\s*)(?:{_OPENERS})\b", re.IGNORECASE)


def reference(text: str) -> bool:
    return bool(re.search(r"[?？¿]", text) or REFERENCE.search(text[:2000]))


PIECES = [" ", "  ", "\n", "\t", "\u00a0", "\u2028", ".", "!", "?", "¿", "x", "é", "how",
          "How", "HOW", "hows", "why", "anyone", "is it", "is", "it", "wo", "cómo", "por qué",
          "est-ce que", "gibt es", "_"]  # fmt: skip


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_the_same_answer_as_one_search_over_the_text(pieces):
    text = "".join(pieces)
    assert is_question(text) == reference(text)


def test_openers_count_at_the_start_and_after_a_sentence_only():
    assert is_question("How do I reset it")
    assert is_question("Great phone. Why is the battery so bad")
    assert is_question("great phone!\n  anyone else")
    assert not is_question("  how it works")  # space before the first word: no sentence end
    assert not is_question("I know how it works")
    assert not is_question("Showcase of the new watch")


def test_only_the_first_2000_characters_are_read_for_openers():
    assert is_question("a" * 1990 + ". how")
    assert not is_question("a" * 2000 + ". how")
    assert is_question("a" * 3000 + " ok?")
