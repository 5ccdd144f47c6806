from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "earful.community"
    label = "community"
    verbose_name = "Support community"
