from django.contrib import admin

from .models import LabelCorrection, Note, Reply, Tag, Triage


@admin.register(Triage)
class TriageAdmin(admin.ModelAdmin):
    list_display = ("id", "mention", "status", "assignee", "negative", "question", "high_reach")
    list_filter = ("status", "negative", "question", "high_reach")
    raw_id_fields = ("mention", "assignee")


@admin.register(LabelCorrection)
class LabelCorrectionAdmin(admin.ModelAdmin):
    list_display = ("id", "mention", "kind", "machine_value", "old_value", "new_value", "user")
    list_filter = ("kind",)
    raw_id_fields = ("mention",)


admin.site.register(Tag)
admin.site.register(Note)
admin.site.register(Reply)
