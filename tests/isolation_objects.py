"""What the project-wide isolation walk (tests/test_url_isolation.py) puts into URLs and API routes.

**When your app adds a URL (page or API route) with a new object id, add a factory here.**

Each entry maps a key to `factory(scope) -> model object` (its pk goes into the URL). The walk calls
every factory three times, with three scopes, so one factory serves every check:

- practice B (another practice) and its client — must be a 404 for practice A;
- practice A and its *other* client — must be a 404 under A's first client (same practice, other client);
- practice A and its first client — the caller's own object: must NOT be a 404 (the positive control).

`scope` has `practice`, `owner` (an owner of that practice), `client` (the client to put the object
under) and `canary(kind)`: a unique, recognisable name ("CANARY-b-initiative-…") to use as the object's
name or title, so the walk can check that no other scope's object ever shows up in a response.

Keys are looked up, most specific first, as "<namespace>:<url name>:<kwarg>", then the longest
"<path before it>/<kwarg>" the route ends with (for generic names such as `pk`: "initiatives/pk"), then
"<kwarg>". For API routes (`/api/v1/<prefix>/{pk}/`) the key is "api:<prefix>".
"""

from accounts.apikey_services import api_key_create
from accounts.member_services import invitation_create
from accounts.models import Membership, Role
from clients.models import PortalAccess
from clients.portal_services import portal_invitation_create

from .factories import (
    ContactFactory,
    GoalFactory,
    InitiativeFactory,
    MembershipFactory,
    StandardFactory,
    StandardFrameworkFactory,
    UserFactory,
    compliance_assessment,
)

OBJECTS = {
    # clients
    "client_pk": lambda s: s.client,
    "contact_pk": lambda s: ContactFactory(client=s.client, name=s.canary("contact")),
    "portal-access/invitations/invitation_pk": lambda s: portal_invitation_create(
        client=s.client, actor=s.owner, email=f"{s.canary('exec').lower()}@example.com"
    )[0],
    "access_pk": lambda s: PortalAccess.objects.create(
        practice=s.practice,
        client=s.client,
        user=UserFactory(email=f"{s.canary('portal').lower()}@example.com"),
    ),
    # accounts (practice-level: the client is not used)
    "key_pk": lambda s: api_key_create(
        practice=s.practice, actor=s.owner, name=s.canary("key"), read_only=True
    )[0],
    "membership_pk": lambda s: MembershipFactory(
        practice=s.practice,
        role=Role.VIEWER,
        user=UserFactory(email=f"{s.canary('member').lower()}@example.com"),
    ),
    "invitations/invitation_pk": lambda s: invitation_create(
        practice=s.practice,
        actor=s.owner,
        email=f"{s.canary('invitee').lower()}@example.com",
        role=Role.CONSULTANT,
    )[0],
    # roadmaps
    "initiatives/pk": lambda s: InitiativeFactory(client=s.client, title=s.canary("initiative")),
    "goals/pk": lambda s: GoalFactory(client=s.client, title=s.canary("goal")),
    # compliance: the client's adoption, assessment and answers (of a framework of the practice's own
    # standards), and the practice's standards library. The shipped catalogs are global (the same for
    # every practice, read-only): they are never "another practice's object", so no factory makes one.
    "adoption_pk": lambda s: compliance_assessment(s.client, title=s.canary("standards"))[0],
    "assessment_pk": lambda s: compliance_assessment(s.client, title=s.canary("standards"))[1],
    "answers/pk": lambda s: compliance_assessment(s.client, title=s.canary("standards"))[2][0],
    "framework_pk": lambda s: StandardFrameworkFactory(practice=s.practice, name=s.canary("standards")),
    "items/pk": lambda s: StandardFactory(framework__practice=s.practice, title=s.canary("standard")),
}

# API routes: "api:<prefix>" -> factory (the same scopes).
OBJECTS.update(
    {
        "api:clients": OBJECTS["client_pk"],
        "api:contacts": OBJECTS["contact_pk"],
        "api:goals": OBJECTS["goals/pk"],
        "api:initiatives": OBJECTS["initiatives/pk"],
        "api:frameworks": OBJECTS["framework_pk"],
        "api:requirements": OBJECTS["items/pk"],
        "api:standard-frameworks": OBJECTS["framework_pk"],
        "api:standards": OBJECTS["items/pk"],
        "api:adoptions": OBJECTS["adoption_pk"],
        "api:assessments": OBJECTS["assessment_pk"],
        "api:responses": OBJECTS["answers/pk"],
    }
)

_ = Membership  # (kept for factories that need an existing membership)
