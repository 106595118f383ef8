"""Create the newsroom's groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Reporters": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_section",
        "sources.view_source",
        "topics.add_topic",
        "topics.view_topic",
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
        "topics.add_topic",
        "topics.view_topic",
        "auth.view_user",
    ],
    "Topic moderators": [
        "topics.add_topic",
        "topics.change_topic",
        "topics.delete_topic",
        "topics.view_topic",
        "articles.view_article",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; these groups
    # need them now, on a fresh database too.
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
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("topics", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
