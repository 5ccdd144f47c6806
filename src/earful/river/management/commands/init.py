from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Create or migrate the database; safe to run any number of times."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        settings = connection.settings_dict
        where = settings["NAME"] if connection.vendor == "sqlite" else settings["HOST"]
        self.stdout.write(f"database ready: {connection.vendor} {where}")
