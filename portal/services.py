"""Every write of the portal app: the practice chooses which portal sections a client's executives
see. (The portal itself writes nothing: its views are read-only.)"""

from django.db import transaction

from accounts.models import User
from clients.models import Client
from vcio.services import audit

from .models import PortalSettings
from .sections import hideable_sections


@transaction.atomic
def portal_settings_update(
    *, client: Client, actor: User | None, hidden_sections: list[str]
) -> PortalSettings:
    """Hide these sections of the client's portal (and show every other one). Keys are kept in the
    registry's order; an unknown key, or the dashboard, is a ValidationError."""
    row = PortalSettings.objects.for_client(client).select_for_update().first()
    if row is None:
        row = PortalSettings(practice_id=client.practice_id, client=client)
    wanted = list(dict.fromkeys(hidden_sections))
    order = {s.key: n for n, s in enumerate(hideable_sections())}
    row.hidden_sections = sorted(wanted, key=lambda k: (order.get(k, len(order)), k))
    row.full_clean()
    audit(row, actor)
    row.save()
    return row
