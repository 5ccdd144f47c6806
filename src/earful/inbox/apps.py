from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "earful.inbox"
    label = "inbox"
    verbose_name = "Inbox"

    def ready(self) -> None:
        from earful.river.hooks import after_store

        from .actions import triage_stored

        after_store(triage_stored)
