"""The board's console pages, mounted at /console/ideas/ in the project's urls.py:
path("console/ideas/", include("earful.board.console_urls"))."""

from django.urls import path

from .console import evidence

app_name = "board-console"

urlpatterns = [
    path("evidence/<int:mention_id>", evidence.choose, name="evidence"),
    path("evidence/<int:mention_id>/link", evidence.link, name="link"),
    path("evidence/<int:mention_id>/unlink", evidence.unlink, name="unlink"),
    path("evidence/<int:mention_id>/quote", evidence.quote, name="quote"),
]
