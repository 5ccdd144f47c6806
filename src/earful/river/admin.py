from django.contrib import admin

from . import actions
from .models import Author, ImportRun, Mention, Source, Topic


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "enabled", "poll_every_minutes", "last_ok_at", "last_error_at")
    list_filter = ("kind", "enabled")
    search_fields = ("name",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "query")
    list_filter = ("kind",)

    def delete_model(self, request, obj: Topic) -> None:
        actions.delete_topic(obj)

    def delete_queryset(self, request, queryset) -> None:
        for topic in queryset:
            actions.delete_topic(topic)


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("handle", "name", "source", "reach", "mention_count", "last_seen")
    search_fields = ("handle", "name")
    list_select_related = ("source",)


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("id", "published_at", "source", "author", "sentiment", "language", "text")
    list_filter = ("sentiment", "source", "language", "owned")
    list_select_related = ("source", "author")
    raw_id_fields = ("author", "parent", "duplicate_of")
    date_hierarchy = "published_at"
    show_full_result_count = False
    # The daily counts follow these; change sentiment and topics from the console's
    # inbox (corrections), which keeps the counts in step.
    readonly_fields = ("source", "published_at", "sentiment", "language", "spam_score")

    def delete_model(self, request, obj: Mention) -> None:
        actions.delete_mentions([obj])

    def delete_queryset(self, request, queryset) -> None:
        actions.delete_mentions(queryset)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("path", "source", "rows_done", "imported", "duplicates", "rejected")
