import pytest

from earful.inbox.rules import is_question, reasons


@pytest.mark.parametrize(
    "text",
    [
        "Does the Strata 7 support wireless charging?",
        "how do I reset my buds",
        "Great phone. Why does the battery drain overnight",
        "Comment changer la batterie",
        "¿Cuándo llega el Arc 2",
        "Wie lange hält der Akku",
    ],
)
def test_questions_are_recognised_in_several_languages(text):
    assert is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "Love this phone.",
        "Showed how good it is",
        "I know what I like",
        "",
        "Do not buy this phone.",
        "Can't wait for the Arc 2!",
        "Will buy again.",
        "Is great.",
    ],
)
def test_statements_are_not_questions(text):
    assert not is_question(text)


def test_reasons_and_spam():
    found = reasons(True, "negative", 50_000, 0.0, min_reach=10_000)
    assert (found.negative, found.question, found.high_reach) == (True, True, True)
    assert not reasons(False, "positive", 10, 0.0, min_reach=10_000)
    assert not reasons(True, "negative", 10**9, 0.9, min_reach=10_000)
    assert reasons(False, "neutral", None, 0.0, min_reach=10_000).high_reach is False


def test_questions_between_customers_are_not_the_companys_to_answer():
    asked = reasons(True, "neutral", None, 0.0, min_reach=10_000,
                    reply_among_customers=True)  # fmt: skip
    assert not asked
