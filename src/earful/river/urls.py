from django.urls import path

from .views.dashboard import dashboard
from .views.mention import mention_detail
from .views.search import export_csv, save_as_topic, search

urlpatterns = [
    path("", dashboard, name="console-dashboard"),
    path("search", search, name="console-search"),
    path("search/export.csv", export_csv, name="console-search-export"),
    path("search/save", save_as_topic, name="console-search-save"),
    path("mentions/<int:mention_id>", mention_detail, name="console-mention"),
]
