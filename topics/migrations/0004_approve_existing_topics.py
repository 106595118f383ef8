"""Topics that existed before moderation were in public use: they stay approved."""

from django.db import migrations


def approve_existing_topics(apps, schema_editor):
    apps.get_model("topics", "Topic").objects.update(status="approved")


class Migration(migrations.Migration):
    dependencies = [("topics", "0003_moderation")]

    operations = [migrations.RunPython(approve_existing_topics, migrations.RunPython.noop)]
