"""The staff roles: after every migrate the groups hold exactly what `ROLES` says."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from accounts.roles import ROLES, apply_roles

pytestmark = pytest.mark.django_db


def held() -> dict[str, set[str]]:
    """Each group's permissions, as "app_label.codename"."""
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.all()
    }


def test_after_migrate_each_group_holds_exactly_its_roles_permissions():
    assert held() == ROLES


def test_every_permission_of_the_table_exists():
    # A typo in the table would otherwise be left out without a word.
    existing = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert set().union(*ROLES.values()) <= existing


def test_applying_the_roles_again_changes_nothing_in_a_few_queries(
    django_assert_max_num_queries,
):
    before = held()
    # The permissions, the groups, and each group's permissions (read, nothing to change).
    with django_assert_max_num_queries(2 + 2 * len(ROLES)):
        apply_roles()
    with django_assert_max_num_queries(2 + 2 * len(ROLES)):
        apply_roles()
    assert held() == before == ROLES


def test_migrate_puts_back_a_tampered_group():
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="delete_user"))
    editors.permissions.remove(Permission.objects.get(codename="publish_article"))
    assert held()["Editors"] != ROLES["Editors"]

    call_command("migrate", verbosity=0)

    assert held() == ROLES


def test_migrate_creates_a_missing_group():
    Group.objects.filter(name="Partner managers").delete()
    call_command("migrate", verbosity=0)
    assert held() == ROLES


def test_a_group_outside_the_table_is_left_alone():
    desk = Group.objects.create(name="Night desk")
    desk.permissions.add(Permission.objects.get(codename="view_article"))
    apply_roles()
    assert held()["Night desk"] == {"articles.view_article"}


def test_the_table_keeps_the_workflows_lines():
    # Editors do all a reporter does, and more; publishing and moderating stay with one role each.
    assert ROLES["Reporters"] < ROLES["Editors"]
    publishers = {name for name, perms in ROLES.items() if "articles.publish_article" in perms}
    moderators = {name for name, perms in ROLES.items() if "topics.moderate_topic" in perms}
    assert (publishers, moderators) == ({"Editors"}, {"Topic moderators"})
    assert all(perm.startswith("partners.") for perm in ROLES["Partner managers"])
