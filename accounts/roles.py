"""The staff roles: each group and exactly the permissions it holds.

`ROLES` is the one place the roles are written down. `apply_roles` runs after
every `migrate` (and every `flush` that sends `post_migrate`): it creates the
missing groups and sets each group's permissions to exactly its entry here,
taking away anything added by hand. Superusers are not a role: they hold every
permission anyway.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router

ROLES: dict[str, frozenset[str]] = {
    "Reporters": frozenset(
        {
            "articles.add_article",
            "articles.change_article",
            "articles.delete_article",  # Own drafts only, recoverably: the workflow checks.
            "articles.view_article",
            "articles.view_section",
            "auth.view_user",
            "images.add_image",
            "images.change_image",
            "images.view_image",
            "sources.view_source",
            "sources.view_sourcefeed",
            "topics.add_topic",  # Proposing a topic while tagging.
            "topics.view_topic",
            "wire.take_wireitem",
            "wire.view_wireitem",
        }
    ),
    "Editors": frozenset(
        {
            "articles.add_article",
            "articles.add_section",
            "articles.change_article",
            "articles.change_section",
            "articles.delete_article",
            "articles.publish_article",
            "articles.view_article",
            "articles.view_section",
            "auth.view_user",
            "images.add_image",
            "images.change_image",
            "images.delete_image",
            "images.view_image",
            "sources.add_source",
            "sources.add_sourcefeed",
            "sources.change_source",
            "sources.change_sourcefeed",
            "sources.delete_sourcefeed",
            "sources.view_source",
            "sources.view_sourcefeed",
            "topics.add_topic",
            "topics.view_topic",
            "wire.take_wireitem",
            "wire.view_wireitem",
        }
    ),
    "Topic moderators": frozenset(
        {
            "articles.view_article",
            "topics.add_topic",
            "topics.add_topicalias",
            "topics.change_topic",
            "topics.change_topicalias",
            "topics.delete_topic",
            "topics.delete_topicalias",
            "topics.moderate_topic",
            "topics.view_topic",
            "topics.view_topicalias",
            "topics.view_topiclogentry",
            "topics.view_topicredirect",
        }
    ),
    "Partner managers": frozenset(
        {
            "partners.add_endpoint",
            "partners.add_partner",
            "partners.add_partnerkey",
            "partners.change_delivery",  # Resending a delivery.
            "partners.change_endpoint",
            "partners.change_partner",
            "partners.change_partnerkey",
            "partners.delete_endpoint",
            "partners.view_delivery",
            "partners.view_endpoint",
            "partners.view_partner",
            "partners.view_partnerkey",
        }
    ),
}


def apply_roles(using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """Give every group of `ROLES` exactly its permissions, creating what is missing.

    A `post_migrate` receiver; `apps` is the migrated project's state. Running it
    again changes nothing and costs a handful of queries.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:  # auth unapplied (migrating backwards).
        return
    if not router.allow_migrate_model(using, Group):
        return

    wanted = set().union(*ROLES.values())
    app_labels = {dotted.split(".")[0] for dotted in wanted}

    def permission_ids() -> dict[str, int]:
        rows = Permission.objects.using(using).filter(content_type__app_label__in=app_labels)
        return {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in rows.values_list(
                "pk", "content_type__app_label", "codename"
            )
        }

    ids = permission_ids()
    if not wanted <= ids.keys():
        # post_migrate reaches the apps in INSTALLED_APPS order, so the apps after
        # this one have no permissions yet on a fresh database: create them now.
        migrated = {app_config.label for app_config in apps.get_app_configs()}
        for app_label in app_labels & migrated:
            create_permissions(
                global_apps.get_app_config(app_label), verbosity=0, using=using, apps=apps
            )
        ids = permission_ids()

    groups = {group.name: group for group in Group.objects.using(using).filter(name__in=ROLES)}
    missing = [Group(name=name) for name in ROLES if name not in groups]
    for group in Group.objects.using(using).bulk_create(missing):
        groups[group.name] = group
    for name, permissions in ROLES.items():
        # A permission of an app migrated back to zero has no row: leave it out.
        groups[name].permissions.set([ids[dotted] for dotted in permissions if dotted in ids])
