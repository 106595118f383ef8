"""Give the Topic moderators group the moderation permission and the vocabulary's new tables.

Reporters and editors keep what they had (propose topics while tagging, see the
vocabulary); only moderators approve, reject, rename, merge and delete.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Topic moderators"
PERMISSIONS = [
    "moderate_topic",
    "add_topicalias",
    "change_topicalias",
    "delete_topicalias",
    "view_topicalias",
    "view_topicredirect",
    "view_topiclogentry",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these are needed now.
    app_config = apps.get_app_config("topics")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="topics", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="topics", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0004_approve_existing_topics"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
