"""The admin's labels, translatable (no change to the database)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0004_record_rendition_sizes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="image",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "image",
                "verbose_name_plural": "images",
            },
        ),
        migrations.AlterField(
            model_name="image",
            name="caption",
            field=models.CharField(
                blank=True,
                help_text="Shown under the photo on the story’s page.",
                max_length=500,
                verbose_name="caption",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="image",
            name="credit",
            field=models.CharField(
                blank=True,
                help_text="Who took the photo, e.g. “Photo: Ukrinform”.",
                max_length=200,
                verbose_name="credit",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="height",
            field=models.PositiveIntegerField(editable=False, verbose_name="height"),
        ),
        migrations.AlterField(
            model_name="image",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="image",
            name="uploaded_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="uploaded by",
            ),
        ),
        migrations.AlterField(
            model_name="image",
            name="width",
            field=models.PositiveIntegerField(editable=False, verbose_name="width"),
        ),
    ]
