"""Let the newsroom's writers read and take wire copy, and editors manage source feeds."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Reporters": ["wire.view_wireitem", "wire.take_wireitem", "sources.view_sourcefeed"],
    "Editors": [
        "wire.view_wireitem",
        "wire.take_wireitem",
        "sources.view_sourcefeed",
        "sources.add_sourcefeed",
        "sources.change_sourcefeed",
        "sources.delete_sourcefeed",
    ],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            for dotted in codenames:
                app_label, codename = dotted.split(".")
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("wire", "0001_initial"),
        ("sources", "0002_source_feeds_language_country_notes"),
        # After the workflow set the groups' permissions exactly, not before.
        ("articles", "0006_editorial_group_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
