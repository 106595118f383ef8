from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: what each role may see of them (`admin.py`)."""

    name = "accounts"
