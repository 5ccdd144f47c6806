"""language: detect the language with CLD2 where the source did not declare it."""

from __future__ import annotations

import re

import pycld2

from .base import Context
from .items import Item

UNDETERMINED = "und"
_CLD2_REJECTS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def detect_language(text: str) -> str:
    text = _CLD2_REJECTS.sub(" ", text)
    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:
        return UNDETERMINED
    code = details[0][1]
    if not reliable or code in ("un", "xxx"):
        return UNDETERMINED
    return code.split("-")[0] if code not in ("zh-Hant",) else "zh"


def language(batch: list[Item], context: Context) -> list[Item]:
    for item in batch:
        if not item.language:
            item.language = detect_language(f"{item.title}\n{item.text}")
    return batch
