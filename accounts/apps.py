from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Staff accounts: the roles (`roles.py`), how a person is named (`people.py`), what
    each role may see of accounts (`admin.py`), and each person's admin language."""

    name = "accounts"

    def ready(self) -> None:
        from accounts import languages  # noqa: F401 - connects the login signal
        from accounts.roles import apply_roles

        # Once per migrate or flush (sent for this app only); apply_roles creates the
        # permissions it needs itself, so the order of INSTALLED_APPS does not matter.
        post_migrate.connect(apply_roles, sender=self, dispatch_uid="accounts.apply_roles")
