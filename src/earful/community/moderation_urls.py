"""URLs of the community's moderation pages (included by community/urls.py)."""

urlpatterns: list = []
