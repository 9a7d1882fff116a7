"""Pages under a client: `ClientMixin` extends the practice's access mixin with the client, fetched
through the one scoped lookup (another practice's client is a 404)."""

from accounts.access import PracticeMixin
from vcio.models import scoped_object_or_404
from vcio.registry import client_tabs

from .models import Client


class ClientMixin(PracticeMixin):
    """For every page under a client: the client comes from the practice-scoped queryset or 404."""

    client_select_related = ("primary_consultant",)

    def resolve(self, request, *args, **kwargs) -> None:
        super().resolve(request, *args, **kwargs)
        queryset = Client.objects.select_related(*self.client_select_related)
        self.client_obj = scoped_object_or_404(queryset, practice=self.practice, pk=kwargs["client_pk"])
        request.client_obj = self.client_obj

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["client"] = self.client_obj
        return ctx

    def scoped(self, model_or_queryset, pk):
        """An object of this client named in the URL, or 404."""
        return scoped_object_or_404(model_or_queryset, practice=self.practice, pk=pk, client=self.client_obj)


class ClientPageMixin(ClientMixin):
    """A page of the client (one tab): header and tab bar context."""

    tab = "overview"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tabs"] = [t for t in client_tabs() if self.request.can.get(t.perm, False)]
        ctx["active_tab"] = self.tab
        return ctx
