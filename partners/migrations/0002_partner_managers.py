"""Create the "Partner managers" group: the staff who manage partners, keys and endpoints."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Partner managers": [
        "partners.add_partner",
        "partners.change_partner",
        "partners.view_partner",
        "partners.add_partnerkey",
        "partners.change_partnerkey",
        "partners.view_partnerkey",
        "partners.add_endpoint",
        "partners.change_endpoint",
        "partners.delete_endpoint",
        "partners.view_endpoint",
        "partners.view_delivery",
        "partners.change_delivery",  # Resending a delivery.
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this group
    # needs them now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
