from urllib.parse import urlsplit

from django import template

from ..language_names import language_name

register = template.Library()


@register.filter
def safe_url(url: str) -> str:
    """The URL if it is http(s), else "": stored URLs come from the internet, and a
    javascript: link in a staff console is an attack."""
    try:
        scheme = urlsplit(url or "").scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


@register.filter
def no_sentiment_model(language: str) -> str:
    """Why a mention has no sentiment label: "no model for Japanese (ja)"."""
    return f"no model for {language_name(language)}"
