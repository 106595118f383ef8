"""How the site names a person: on bylines, in feeds and the API, on the desk."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser


def display_name(user: AbstractBaseUser) -> str:
    """Return the person's full name, or their username when they gave none."""
    return user.get_full_name() or user.get_username()
