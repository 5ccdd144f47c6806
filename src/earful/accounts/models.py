from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Console(models.Model):
    """No table: it only carries the console's permissions, which roles (groups) grant."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "See the dashboard"),
            ("search_mentions", "Search and read mentions"),
            ("manage_topics", "Create and change topics"),
            ("triage_inbox", "Work the inbox: assign, tag, note, reply, correct labels"),
            ("manage_sources", "Add and change sources"),
            ("manage_users", "Manage users and their roles"),
            ("write_posts", "Write and publish blog posts"),
            ("moderate_comments", "Moderate blog comments and linkbacks"),
            ("manage_ideas", "Manage the ideas board: statuses, notes, moderation"),
            ("manage_community", "Run the community: official answers, moderation, ambassadors"),
            ("manage_tours", "Plan tours and stops, announce them, post live updates"),
        ]

    def __str__(self) -> str:
        return "console"
