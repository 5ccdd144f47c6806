from django.apps import AppConfig


class RiverConfig(AppConfig):
    name = "earful.river"
    label = "river"
    verbose_name = "River"
