"""Who may see a client's portal: the client comes from the signed-in user's `PortalAccess` — checked
on every request, so removing the access takes effect at the executive's next request.

`/portal/<client_pk>/…`: no access to that client (another client, another practice, a malformed id,
a revoked access) is a 404, the same answer as "no such client". Portal views are read-only:
`http_method_names` is GET, HEAD and OPTIONS, so POST, PUT, PATCH and DELETE are answered 405 and run
no code of ours. A section the practice hides for the client is a 404 too.

PostgreSQL row-level security: the request starts with no practice (`app.user_id` only); the access
is read through the `tenant_user_read` policy (a person reads their own portal accesses), and then
its practice is activated for the rest of the request, so everything else reads that practice only.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property

from accounts.two_factor import blocked_by_practice
from clients.models import Client, PortalAccess
from vcio.models import scoped_object_or_404
from vcio.tenancy import activate_practice

from . import selectors
from .sections import portal_sections

READ_ONLY = ["get", "head", "options"]


def portal_access_of(user, client_pk) -> PortalAccess:
    """The user's access to the client with this id, with its practice — or 404. Reads the user's own
    rows only (row-level security: `tenant_user_read`), one query."""
    try:
        access = (
            PortalAccess.objects.select_related("practice")
            .filter(user_id=user.pk, client_id=client_pk)
            .first()
        )
    except (ValueError, TypeError):
        access = None
    if access is None:
        raise Http404("No such client.")
    return access


class PortalReadOnlyMixin(LoginRequiredMixin):
    """Every portal view: signed in, read-only."""

    http_method_names = READ_ONLY


class PortalMixin(PortalReadOnlyMixin):
    """For every page of one client's portal. `section`: the portal section the view belongs to
    (`portal.sections`); a hidden one is a 404."""

    section = "dashboard"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.resolve(request, *args, **kwargs)
        if blocked_by_practice(request, self.practice):  # the practice requires two-factor of its portal too
            return redirect(reverse("mfa_activate_totp"))
        return super().dispatch(request, *args, **kwargs)

    def resolve(self, request, *args, **kwargs) -> None:
        access = portal_access_of(request.user, kwargs["client_pk"])
        self.practice = access.practice
        activate_practice(self.practice)  # this practice's rows only, its time zone
        self.client_obj = scoped_object_or_404(Client, practice=self.practice, pk=access.client_id)
        self.client_obj.practice = self.practice
        self.settings = selectors.portal_settings(client=self.client_obj)
        if not self.settings.shows(self.section):
            raise Http404("This section is not shown.")

    @cached_property
    def nav(self) -> list[dict]:
        return [
            {
                "key": s.key,
                "label": s.label,
                "icon": s.icon,
                "url": reverse(s.url_name, args=[self.client_obj.pk]),
            }
            for s in portal_sections()
            if self.settings.shows(s.key)
        ]

    def shows(self, key: str) -> bool:
        return self.settings.shows(key)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            practice=self.practice,
            client=self.client_obj,
            portal_nav=self.nav,
            active_section=self.section,
            shows={s.key: self.settings.shows(s.key) for s in portal_sections()},
        )
        return ctx

    def scoped(self, model_or_queryset, pk):
        """An object of this client named in the URL, or 404."""
        return scoped_object_or_404(model_or_queryset, practice=self.practice, pk=pk, client=self.client_obj)
