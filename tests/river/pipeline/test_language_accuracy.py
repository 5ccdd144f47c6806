"""Language identification on the UMSAB validation tweets (the goal of issue 16).

Skipped cleanly where the shared data is absent ($EARFUL_SHARED_DATA, else ../shared/data).
"""

from pathlib import Path

import pytest

from earful.river.pipeline.language import detect_language
from earful.river.pipeline.sentiment.evaluation import UMSAB_LANGUAGES, shared_data_dir

DATA = shared_data_dir()
SETS = {folder: code for code, folder in UMSAB_LANGUAGES.items() if code != "hi"}

pytestmark = pytest.mark.skipif(
    not (DATA / "umsab" / "english" / "val_text.txt").is_file(),
    reason=f"no UMSAB data under {DATA}",
)


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").removesuffix("\n").split("\n")


def test_umsab_val_accuracy():
    right = total = right_long = total_long = 0
    for folder, code in SETS.items():
        for text in lines(DATA / "umsab" / folder / "val_text.txt"):
            ok = detect_language(text) == code
            right += ok
            total += 1
            if len(text) >= 40:
                right_long += ok
                total_long += 1
    assert right / total >= 0.95
    assert right_long / total_long >= 0.98


def test_hinglish_found_and_english_spared():
    hindi = lines(DATA / "umsab" / "hindi" / "val_text.txt")
    assert sum(detect_language(t) == "hi" for t in hindi) / len(hindi) >= 0.5
    english = lines(DATA / "tweeteval-sentiment" / "val_text.txt")
    assert sum(detect_language(t) == "hi" for t in english) / len(english) <= 0.02
