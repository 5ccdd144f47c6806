"""The board's settings in the admin: statuses (name, kind, order, colour) and categories.
Ideas, votes and notices change only through the board's own pages and actions."""

from django.contrib import admin

from .models import Category, Status


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "order", "colour")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
