"""The practice's "require two-factor" rule, checked without a query on most requests.

Whether a signed-in user has a TOTP authenticator, and whether any of their practices requires one,
is looked up once and kept in the session for RECHECK_SECONDS (a minute) while nothing is required
of them; while something is required, it is looked up on every request (so activating TOTP lets
the user through at once).

A practice page knows its practice (loaded with the membership): when that practice requires
two-factor and the cached answer says the user has no TOTP, the page refuses at once — so a
practice that turns the rule on catches its members on their next page of it, and everywhere else
within a minute.
"""

import time

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from .models import Membership, User

SESSION_KEY = "_two_factor"
RECHECK_SECONDS = 60


# Other ways a person belongs to a practice whose rule then applies to them too (e.g. a client
# executive's portal access, registered by the clients app): fn() -> a queryset of that model
# filtered to the practices that require two-factor, with a `user` field.
_BELONGINGS: list = []


def register_two_factor_belonging(fn) -> None:
    if fn not in _BELONGINGS:
        _BELONGINGS.append(fn)


def _lookup(user) -> dict:
    """One query: {"totp": has a TOTP authenticator, "required": a practice they belong to — as a
    member, or in a registered way such as a client executive's portal access — requires it}."""
    required = Exists(Membership.objects.filter(user=OuterRef("pk"), practice__require_two_factor=True))
    for belonging in _BELONGINGS:
        required |= Exists(belonging().filter(user=OuterRef("pk")))
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)),
            required=required,
        )
        .values("totp", "required")
        .first()
    )
    return row or {"totp": False, "required": False}


def must_set_up(request) -> bool:
    """Must this signed-in user set up two-factor before anything else? (At most one query a minute
    while the answer is no.)"""
    session = request.session
    state = session.get(SESSION_KEY)
    if state and state.get("until", 0) > time.time():
        return False
    state = _lookup(request.user)
    if state["required"] and not state["totp"]:
        session.pop(SESSION_KEY, None)
        return True
    session[SESSION_KEY] = {"totp": state["totp"], "until": int(time.time()) + RECHECK_SECONDS}
    return False


def blocked_by_practice(request, practice) -> bool:
    """On a page of `practice` (already loaded): does it require two-factor of a user who, as far as
    the session knows, has none? Forgets the cached answer then, so the next request looks again."""
    if not practice.require_two_factor:
        return False
    state = request.session.get(SESSION_KEY) or {}
    if state.get("totp"):
        return False
    request.session.pop(SESSION_KEY, None)
    return True
