"""Scale data (`manage.py seed_scale`): many practices with their people, then every app's registered
scale seeder (`vcio.scale`), a few practices per transaction, through bulk inserts.

Practices are named `scale-0001` … and `scale-big` (the Big one: `big_factor`× the clients, each
`big_factor`× the rows, and `big_factor`× the people). Seeding again with more practices adds the
missing ones; existing ones are left alone. Everyone's password is the demo password.
"""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from vcio.demo import DEMO_PASSWORD
from vcio.scale import ScaleBatch, ScalePractice, ScaleSpec, new_batch, practice_rng, scale_seeders

from .member_services import hash_token
from .models import Invitation, Membership, Practice, Role, User

BIG_SLUG = "scale-big"
PRACTICES_PER_BATCH = 10
FIRST = ["Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Drew", "Sam"]
LAST = ["Nguyen", "Patel", "Garcia", "Okafor", "Schmidt", "Rossi", "Kim", "Larsen", "Dubois", "Cohen"]
TIME_ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "UTC"]
# people per practice besides its owner (times the factor: the Big practice's Members page is long)
PEOPLE = [(Role.ADMIN, 1), (Role.CONSULTANT, 3), (Role.VIEWER, 1)]

Progress = Callable[[float, float, str], None]


def scale_slug(index: int) -> str:
    return f"scale-{index:04d}"


def seed_scale(spec: ScaleSpec, *, progress: Progress | None = None) -> Counter:
    """Seed the practices of `spec` that do not exist yet; returns rows inserted per table."""
    wanted = [(scale_slug(i), f"Scale Practice {i:04d}", 1) for i in range(1, spec.practices + 1)]
    if spec.big_factor > 0:
        wanted.append((BIG_SLUG, "Scale Big Practice", spec.big_factor))
    existing = set(
        Practice.objects.filter(slug__in=[slug for slug, _, _ in wanted]).values_list("slug", flat=True)
    )
    todo = [w for w in wanted if w[0] not in existing]
    weight = {slug: spec.clients_per_practice * factor * factor for slug, _, factor in todo}
    total = float(sum(weight.values())) or 1.0
    groups: list[list[tuple[str, str, int]]] = []
    for item in todo:
        if item[2] > 1 or not groups or len(groups[-1]) >= PRACTICES_PER_BATCH or groups[-1][0][2] > 1:
            groups.append([])
        groups[-1].append(item)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    counts: Counter = Counter()
    done = 0.0
    seeders = scale_seeders()
    for group in groups:
        group_weight = sum(weight[slug] for slug, _, _ in group)
        with transaction.atomic():
            batch = _new_practices(spec, group, password)
            for step, seeder in enumerate(seeders, 1):
                seeder(batch)
                if progress:
                    progress(done + group_weight * step / len(seeders), total, seeder.__module__)
        counts.update(batch.counts)
        done += group_weight
    if progress:
        progress(total, total, "done")
    return counts


def _new_practices(spec: ScaleSpec, group, password: str) -> ScaleBatch:
    items = []
    for slug, name, factor in group:
        rng = practice_rng(spec, slug)
        practice = Practice(
            name=name,
            slug=slug,
            currency="USD",
            time_zone=rng.choice(TIME_ZONES),
            fiscal_year_start_month=rng.choice([1, 1, 1, 4, 7, 10]),
        )
        items.append(ScalePractice(practice=practice, factor=factor, rng=rng))
    batch = new_batch(spec, items)
    batch.extra["password"] = password
    batch.insert(Practice, [p.practice for p in items])
    return batch


def seed_people(batch: ScaleBatch) -> None:
    """Members of every role (with their audit rows), verified e-mail addresses and a few pending
    invitations."""
    from allauth.account.models import EmailAddress

    users, memberships, addresses, invitations = [], [], [], []
    member_history, practice_history, invitation_history = [], [], []
    for item in batch.practices:
        practice, rng, slug = item.practice, item.rng, item.practice.slug
        people = [(Role.OWNER, "")] + [(r, n) for r, per in PEOPLE for n in range(1, per * item.factor + 1)]
        for role, n in people:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{role}{n}@{slug}.example.com"
            user = User(
                email=email,
                password=batch.extra["password"],
                first_name=first,
                last_name=last,
                name=f"{first} {last}",
            )
            users.append(user)
            item.users.setdefault(role, []).append(user)
            addresses.append(EmailAddress(user=user, email=email, verified=True, primary=True))
            membership = Membership(practice=practice, user=user, role=role)
            memberships.append(membership)
            joined = batch.past(rng)
            if role != Role.OWNER and rng.random() < 0.3:  # a role change in the team history
                before = Role.VIEWER if role != Role.VIEWER else Role.CONSULTANT
                member_history.append(
                    {"obj": membership, "type": "+", "date": joined, "values": {"role": before}}
                )
                member_history.append({"obj": membership, "type": "~", "date": batch.after(rng, joined)})
            else:
                member_history.append({"obj": membership, "type": "+", "date": joined})
        owner = item.owner
        practice_history.append({"obj": practice, "type": "+", "date": batch.past(rng), "user": owner})
        for n in range(2 * item.factor):
            invitation = Invitation(
                practice=practice,
                email=f"invited{n}@{slug}.example.com",
                role=Role.CONSULTANT,
                token_hash=hash_token(f"{slug}-{n}-{rng.random()}"),
                invited_by=owner,
                expires_at=batch.now + timedelta(days=rng.randint(1, 14)),
            )
            invitations.append(invitation)
            invitation_history.append(
                {"obj": invitation, "type": "+", "date": batch.past(rng, 14), "user": owner}
            )
    batch.insert(User, users)
    batch.insert(EmailAddress, addresses)
    batch.insert(Membership, memberships)
    batch.insert(Invitation, invitations)
    batch.history(Membership, member_history)
    batch.history(Practice, practice_history)
    batch.history(Invitation, invitation_history)
