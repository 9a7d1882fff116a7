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
    ActionItemFactory,
    AgendaItemFactory,
    ContactFactory,
    GoalFactory,
    InitiativeFactory,
    MeetingFactory,
    MembershipFactory,
    QBRReportFactory,
    ReportBatchFactory,
    UserFactory,
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
    # qbr (agenda items and action items sit under a meeting of the scope's client)
    "meeting_pk": lambda s: MeetingFactory(client=s.client, title=s.canary("meeting")),
    "agenda/item_pk": lambda s: AgendaItemFactory(meeting__client=s.client, title=s.canary("agenda")),
    "action_pk": lambda s: ActionItemFactory(meeting__client=s.client, description=s.canary("action")),
    "report_pk": lambda s: QBRReportFactory(client=s.client, ready=True),
    "batch_pk": lambda s: ReportBatchFactory(practice=s.practice),
}

# API routes: "api:<prefix>" -> factory (the same scopes).
OBJECTS.update(
    {
        "api:clients": OBJECTS["client_pk"],
        "api:contacts": OBJECTS["contact_pk"],
        "api:goals": OBJECTS["goals/pk"],
        "api:initiatives": OBJECTS["initiatives/pk"],
        "api:meetings": OBJECTS["meeting_pk"],
        "api:action-items": OBJECTS["action_pk"],
        "api:qbr-reports": OBJECTS["report_pk"],
    }
)

_ = Membership  # (kept for factories that need an existing membership)
