"""The default statuses: open, under review, planned, in progress, done, declined."""

from django.db import migrations

DEFAULTS = [
    # name, slug, kind, order, colour
    ("Open", "open", "open", 10, "#64748b"),
    ("Under review", "under-review", "open", 20, "#0891b2"),
    ("Planned", "planned", "active", 30, "#7c3aed"),
    ("In progress", "in-progress", "active", 40, "#d97706"),
    ("Done", "done", "closed_done", 50, "#16a34a"),
    ("Declined", "declined", "closed_declined", 60, "#dc2626"),
]


def create_defaults(apps, schema_editor):
    Status = apps.get_model("board", "Status")
    for name, slug, kind, order, colour in DEFAULTS:
        Status.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "order": order, "colour": colour}
        )


def remove_defaults(apps, schema_editor):
    Status = apps.get_model("board", "Status")
    Status.objects.filter(slug__in=[slug for _, slug, *_ in DEFAULTS], ideas__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("board", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
