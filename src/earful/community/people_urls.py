"""URLs of the community's people pages (included by community/urls.py)."""

urlpatterns: list = []
