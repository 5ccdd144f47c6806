from django.conf import settings


def blog(request) -> dict:
    return {
        "blog_title": settings.EARFUL_BLOG_TITLE,
        "edit_minutes": settings.EARFUL_BLOG_EDIT_MINUTES,
    }
