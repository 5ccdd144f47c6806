"""The points, levels and badges a new community starts with (community/defaults.py)."""

from django.db import migrations

from earful.community.defaults import BADGES, LEVELS, POINTS


def seed(apps, schema_editor):
    PointRule = apps.get_model("community", "PointRule")
    Level = apps.get_model("community", "Level")
    Badge = apps.get_model("community", "Badge")
    for kind, (points, capped) in POINTS.items():
        PointRule.objects.get_or_create(kind=kind, defaults={"points": points, "capped": capped})
    for number, name, threshold, _privileges, per_hour in LEVELS:
        held = [p for level in LEVELS if level[0] <= number for p in level[3]]
        Level.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "threshold": threshold,
                "privileges": held,
                "posts_per_hour": per_hour,
            },
        )
    for slug, name, description, tier, rule, threshold in BADGES:
        Badge.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "tier": tier,
                "rule": rule,
                "threshold": threshold,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
