from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "earful.events"
    label = "events"
    verbose_name = "Event tours"
