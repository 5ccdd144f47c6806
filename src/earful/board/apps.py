from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "earful.board"
    label = "board"
    verbose_name = "Ideas board"

    def ready(self) -> None:
        from earful.inbox.publishing import register_publisher

        from .replies import publish_inbox_reply

        register_publisher("board", publish_inbox_reply)
