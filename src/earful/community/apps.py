from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "earful.community"
    label = "community"
    verbose_name = "Support community"

    def ready(self) -> None:
        from earful.inbox.publishing import register_publisher

        from .replies import publish_inbox_reply
        from .river_link import APP

        register_publisher(APP, publish_inbox_reply)
