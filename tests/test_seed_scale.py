"""seed_scale: many practices of complete data through bulk inserts, extended by every app's
registered scale seeder; a practice's data depends only on its slug."""

import io

import pytest
from django.core.management import call_command

from accounts.models import Membership, Practice, User
from clients.models import Client, Contact
from roadmaps.models import Goal, Initiative, InitiativeGoal, InitiativeStatusChange

pytestmark = pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction


def seed(**options) -> str:
    err = io.StringIO()
    call_command("seed_scale", stdout=io.StringIO(), stderr=err, **options)
    return err.getvalue()


def fingerprint(slug: str) -> tuple:
    practice = Practice.objects.get(slug=slug)
    return (
        sorted(Client.objects.for_practice(practice).values_list("name", "industry", "headcount")),
        sorted(Initiative.objects.for_practice(practice).values_list("title", "status", "target_start")),
        sorted(User.objects.filter(memberships__practice=practice).values_list("email", "name")),
    )


def test_seed_scale_fills_every_app_and_a_big_practice():
    progress = seed(practices=2, clients_per_practice=2, big_factor=2)
    assert "100%" in progress and "Inserted" in progress
    assert set(Practice.objects.values_list("slug", flat=True)) == {"scale-0001", "scale-0002", "scale-big"}
    small, big = Practice.objects.get(slug="scale-0001"), Practice.objects.get(slug="scale-big")
    assert Client.objects.for_practice(small).count() == 2
    assert Client.objects.for_practice(big).count() == 4
    assert set(Membership.objects.for_practice(small).values_list("role", flat=True)) == {
        "owner",
        "admin",
        "consultant",
        "viewer",
    }
    assert Membership.objects.for_practice(big).count() == 1 + 2 * 5  # the owner, and twice the team
    for practice, factor in ((small, 1), (big, 2)):
        for client in Client.objects.for_practice(practice):
            assert Contact.objects.for_client(client).count() >= 2 * factor
            assert Goal.objects.for_client(client).count() >= 3 * factor
            assert Initiative.objects.for_client(client).count() >= 12 * factor
    assert InitiativeGoal.objects.for_practice(small).exists()
    assert InitiativeStatusChange.objects.for_practice(small).filter(to_status="done").exists()
    # the audit rows the History tab reads, spread over time, with the changes of the workflow
    assert Client.history.filter(practice_id=small.pk).count() >= 2
    changed = Initiative.history.filter(practice_id=small.pk, history_type="~")
    assert changed.exists() and changed.exclude(history_change_reason="").exists()
    assert (
        len(set(Initiative.history.filter(practice_id=small.pk).values_list("history_date", flat=True))) > 10
    )
    # only the members' own practices' objects are linked
    for i in Initiative.objects.for_practice(small).select_related("sponsor", "owner"):
        assert i.sponsor is None or i.sponsor.practice_id == small.pk
        assert Membership.objects.filter(practice=small, user=i.owner).exists()


def test_seeding_again_adds_only_what_is_missing_and_a_practice_is_the_same_whatever_else_is_seeded():
    seed(practices=1, clients_per_practice=2, big_factor=0)
    alone = fingerprint("scale-0001")
    rows = Initiative.objects.count()
    seed(practices=1, clients_per_practice=2, big_factor=0)
    assert Initiative.objects.count() == rows  # nothing new
    seed(practices=3, clients_per_practice=2, big_factor=0)
    assert Practice.objects.filter(slug__startswith="scale-").count() == 3
    assert fingerprint("scale-0001") == alone
    Practice.objects.filter(slug__startswith="scale-").delete()
    User.objects.filter(email__endswith=".example.com").delete()
    seed(practices=2, clients_per_practice=2, big_factor=0)  # another order, another neighbour
    assert fingerprint("scale-0001") == alone
