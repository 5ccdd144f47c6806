from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "earful.blog"
    label = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from earful.inbox.publishing import register_publisher

        from .replies import publish_inbox_reply

        register_publisher("blog", publish_inbox_reply)
