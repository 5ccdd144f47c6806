from django.urls import path

from .views.dashboard import dashboard
from .views.mention import mention_detail
from .views.search import export_csv, save_as_topic, search
from .views.sources import source_action, sources

urlpatterns = [
    path("", dashboard, name="console-dashboard"),
    path("search", search, name="console-search"),
    path("search/export.csv", export_csv, name="console-search-export"),
    path("search/save", save_as_topic, name="console-search-save"),
    path("mentions/<int:mention_id>", mention_detail, name="console-mention"),
    path("sources/", sources, name="console-sources"),
    path("sources/<int:source_id>", source_action, name="console-source-action"),
]
