"""The word rules must agree with the SQLite FTS5 tokenizer character by character, or a
full-text prefilter could miss documents the matcher accepts."""

from earful.river.query.generate_unicode61_tables import probe_code_points
from earful.river.query.tokens import fold, words


def test_python_words_equal_fts5_tokens_for_every_bmp_character():
    separators, folds = probe_code_points(range(0x10000))
    separator_set = set(separators)
    mismatches = []
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        char = chr(cp)
        expected = ["q", "z"] if cp in separator_set else ["q" + folds.get(cp, char) + "z"]
        if words(f"q{char}z") != expected:
            mismatches.append((hex(cp), words(f"q{char}z"), expected))
    assert mismatches == []


def test_emoji_and_other_astral_characters():
    assert words("acme😍zephyr 𝐀𝐜𝐦𝐞") == ["acme", "zephyr", "𝐀𝐜𝐦𝐞"]
    assert fold("ÀÉÎ") == "aei"
