"""seed_demo gives every demo client a believable roadmap."""

from collections import Counter

from accounts.demo import seed_practice
from accounts.models import Membership, Role
from roadmaps.models import Goal, Initiative, InitiativeStatusChange


def test_every_demo_client_gets_goals_and_a_spread_of_initiatives(db):
    world, _ = seed_practice("Demo Roadmaps Practice")
    consultants = set(
        Membership.objects.for_practice(world.practice)
        .filter(role=Role.CONSULTANT)
        .values_list("user_id", flat=True)
    )
    for client in world.clients:
        goals = Goal.objects.for_practice(world.practice).filter(client=client)
        initiatives = Initiative.objects.for_practice(world.practice).filter(client=client)
        assert 3 <= goals.count() <= 5
        assert 12 <= initiatives.count() <= 20
        statuses = Counter(initiatives.values_list("status", flat=True))
        assert {"proposed", "approved", "in_progress", "done", "deferred"} <= set(statuses)
        assert len(set(initiatives.values_list("category", flat=True))) >= 5
        assert len(set(initiatives.values_list("target_start", flat=True))) >= 4
        assert set(initiatives.values_list("owner_id", flat=True)) <= consultants
        assert all(
            i.sponsor.client_id == client.pk for i in initiatives.select_related("sponsor") if i.sponsor
        )
        assert sum(i.one_time_cost for i in initiatives) > 0
    # the statuses were reached through the workflow, so their history exists
    assert InitiativeStatusChange.objects.for_practice(world.practice).filter(to_status="done").exists()
