from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "earful.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_create_roles, sender=self)


def _create_roles(sender, using="default", **kwargs) -> None:
    from .actions import ensure_roles

    ensure_roles()
