"""language: detect the language with CLD2 where the source did not declare one.

A declared language (RawItem.language) is kept when it looks like a BCP 47 tag; normalise
has already reduced it to its primary subtag (see normalise.language_tag). Detected codes
are primary subtags too ("en", "ja", "zh"), so both kinds facet together. Text CLD2 cannot
call reliably (a few words, emoji, links, gibberish) is "und".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from functools import cache

import pycld2

from .base import Context
from .items import Item

UNDETERMINED = "und"
MAX_DETECT_CHARS = 2000  # the first paragraphs say the language; the rest only costs time
_CLD2_REJECTS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_URLS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)  # URLs read as English to CLD2


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


def detect_language(text: str) -> str:
    """The primary language subtag of the text, or "und"."""
    _keep_heap_top()
    text = text[:MAX_DETECT_CHARS]
    if "://" in text or "www." in text:
        text = _URLS.sub(" ", text)
    try:
        reliable, _, details = pycld2.detect(text, isPlainText=True)
    except (pycld2.error, UnicodeError):  # control characters, lone surrogates
        try:
            reliable, _, details = pycld2.detect(_CLD2_REJECTS.sub(" ", text), isPlainText=True)
        except (pycld2.error, UnicodeError):
            return UNDETERMINED
    code = details[0][1]
    if not reliable or code in ("un", "xxx", "xx"):
        return UNDETERMINED
    return code.split("-")[0]


def language(batch: list[Item], context: Context) -> list[Item]:
    for item in batch:
        if not item.language:
            item.language = detect_language(f"{item.title}\n{item.text}")
    return batch
