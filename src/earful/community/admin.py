"""The community's settings in the admin: product lines (categories) and tags, what each
event is worth, the levels and the privileges they unlock, and the badges.

Everything else is shown, not changed: the ledger is append-only (a correction is a new
line, `reputation.adjust`), members' points are the ledger's sum (`earful community
recount`), and posts, flags and ambassador reports change through the community's own
pages and actions, which keep the river and the counters in step."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from .badges import RULES
from .defaults import POINTS
from .models import (
    AmbassadorApplication,
    AmbassadorReport,
    Answer,
    Badge,
    BadgeAward,
    Category,
    Comment,
    Flag,
    Level,
    Member,
    ModerationLog,
    PointRule,
    Question,
    ReputationEvent,
    Tag,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and viewable by staff, never added, changed or deleted here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- settings ----------------------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "description")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class PointRuleForm(forms.ModelForm):
    kind = forms.ChoiceField(
        choices=[(kind, kind.replace("_", " ")) for kind in POINTS],
        help_text="Reversals and staff adjustments carry their own points.",
    )

    class Meta:
        model = PointRule
        fields = ("kind", "points", "capped")
        help_texts = {
            "capped": "Positive points of capped kinds stop at the daily cap "
            "(EARFUL_COMMUNITY_DAILY_CAP). New points apply to new events only.",
        }


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    form = PointRuleForm
    list_display = ("kind", "points", "capped")
    list_editable = ("points", "capped")


class LevelForm(forms.ModelForm):
    privileges = forms.MultipleChoiceField(
        choices=Level.Privilege.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Unlocked at this level; members keep the privileges of lower levels.",
    )

    class Meta:
        model = Level
        fields = ("number", "name", "threshold", "privileges", "posts_per_hour")
        help_texts = {
            "threshold": "Points needed. After changing thresholds, run "
            "`earful community recount` to move existing members.",
            "posts_per_hour": "Questions, answers and comments together.",
        }


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    form = LevelForm
    list_display = ("number", "name", "threshold", "privilege_list", "posts_per_hour")

    @admin.display(description="privileges")
    def privilege_list(self, level: Level) -> str:
        return ", ".join(level.privileges or []) or "-"


class BadgeForm(forms.ModelForm):
    rule = forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in RULES],
        help_text="What earns it; the worker checks every few minutes.",
    )

    class Meta:
        model = Badge
        fields = ("slug", "name", "description", "tier", "rule", "threshold", "active")


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    form = BadgeForm
    list_display = ("name", "tier", "rule", "threshold", "active")
    list_filter = ("tier", "active", "rule")
    prepopulated_fields = {"slug": ("name",)}


# --- shown, not changed --------------------------------------------------------------------


@admin.register(ReputationEvent)
class ReputationEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "kind", "points", "rule_points", "key", "note")
    list_filter = ("kind", "toward_cap")
    search_fields = ("user__username", "key", "note")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = (
        "user", "points", "level", "questions", "answers", "accepted_answers",
        "is_ambassador", "suspended_until",
    )  # fmt: skip
    list_filter = ("level", "is_ambassador")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    ordering = ("-points",)


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnlyAdmin):
    list_display = ("awarded_at", "badge", "user")
    list_filter = ("badge",)
    search_fields = ("user__username",)
    list_select_related = ("badge", "user")


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "author", "category", "state", "score", "answer_count")
    list_filter = ("state", "category")
    search_fields = ("title",)
    list_select_related = ("author", "category")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ("id", "question", "author", "state", "score", "is_accepted", "is_official")
    list_filter = ("state", "is_accepted", "is_official")
    list_select_related = ("question", "author")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("id", "author", "state", "created_at", "body")
    list_filter = ("state",)
    list_select_related = ("author",)
    show_full_result_count = False


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "reason", "outcome", "question", "answer", "comment")
    list_filter = ("reason", "outcome")
    list_select_related = ("user", "question", "answer", "comment")


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "target", "summary", "reason")
    list_filter = ("action",)
    search_fields = ("target", "summary", "reason")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"


@admin.register(AmbassadorApplication)
class AmbassadorApplicationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "state", "decided_by", "decided_at")
    list_filter = ("state",)
    list_select_related = ("user", "decided_by")


@admin.register(AmbassadorReport)
class AmbassadorReportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "place", "product", "state", "decided_at")
    list_filter = ("state", "product")
    list_select_related = ("user", "product")
