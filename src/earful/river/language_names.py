"""Language codes as people read them ("fr" -> "French (fr)"), from Django's own table."""

from __future__ import annotations

from django.conf.locale import LANG_INFO


def language_name(code: str) -> str:
    """English name and code of a primary language subtag; the code alone if unknown."""
    code = (code or "").strip().lower()
    if code in ("", "und"):
        return "an undetermined language"
    info = LANG_INFO.get(code, {})
    name = info.get("name")
    if not name and "fallback" in info:
        name = LANG_INFO.get(info["fallback"][0], {}).get("name")
    return f"{name} ({code})" if name else code
