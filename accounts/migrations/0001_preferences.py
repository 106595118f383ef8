"""Each staff member's preferences: the language of their admin screens."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import articles.languages


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Preferences",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="preferences",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        help_text="The language of the admin screens; empty for the browser’s.",
                        max_length=12,
                        validators=[articles.languages.validate_language],
                        verbose_name="admin language",
                    ),
                ),
            ],
            options={
                "verbose_name": "preferences",
                "verbose_name_plural": "preferences",
            },
        ),
    ]
