"""Give the newsroom's groups exactly the permissions of the editorial workflow.

Reporters may now delete (the workflow lets them delete only their own drafts,
recoverably) and both writing groups handle photos. For the apps listed in
`MANAGED_APPS` each group ends up with exactly the permissions below; topic
permissions belong to the topics app and are left as they are.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGED_APPS = ("articles", "images", "sources", "auth")

GROUP_PERMISSIONS = {
    "Reporters": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.view_section",
        "images.add_image",
        "images.change_image",
        "images.view_image",
        "sources.view_source",
        "auth.view_user",
    ],
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "images.add_image",
        "images.change_image",
        "images.delete_image",
        "images.view_image",
        "sources.add_source",
        "sources.change_source",
        "sources.view_source",
        "auth.view_user",
    ],
    "Topic moderators": [
        "articles.view_article",
    ],
}

# What 0002_editorial_groups gave, for migrating backwards.
PREVIOUS_PERMISSIONS = {
    "Reporters": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_section",
        "sources.view_source",
        "auth.view_user",
    ],
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "sources.add_source",
        "sources.change_source",
        "sources.view_source",
        "auth.view_user",
    ],
    "Topic moderators": ["articles.view_article"],
}


def set_permissions(apps, table):
    # Permissions are normally created after all migrations ran; the photos
    # app's are needed now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in table.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = set()
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        kept = group.permissions.exclude(content_type__app_label__in=MANAGED_APPS)
        group.permissions.set([*kept, *wanted])


def forwards(apps, schema_editor):
    set_permissions(apps, GROUP_PERMISSIONS)


def backwards(apps, schema_editor):
    set_permissions(apps, PREVIOUS_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_workflow_revisions_photos_previews"),
        ("images", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
