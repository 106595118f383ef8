from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: what each role may see of them (`admin.py`), and their admin language."""

    name = "accounts"

    def ready(self) -> None:
        from accounts import languages  # noqa: F401 - connects the login signal
