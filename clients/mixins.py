"""Pages under a client: `ClientMixin` extends the practice's access mixin with the client, fetched
through the one scoped lookup (another practice's client is a 404)."""

from django.http import Http404
from django.middleware.csrf import get_token

from accounts.access import Perm, PracticeMixin
from accounts.context_processors import NavLink
from vcio.listing import DEFAULT_PAGE_SIZE, paginate, paginate_kept
from vcio.models import scoped_object_or_404
from vcio.prepared import Prepared
from vcio.registry import client_tabs
from vcio.row_urls import row_reverse

from .models import Client

_CLIENT_READS: dict[tuple[str, ...], Prepared] = {}


def _client_read(select_related: tuple[str, ...]) -> Prepared:
    """The client of a page's URL, of the request's practice, with `select_related`: a prepared read
    (`vcio.prepared`) of the query `scoped_object_or_404` runs, one per set of related models."""
    read = _CLIENT_READS.get(select_related)
    if read is None:
        read = _CLIENT_READS[select_related] = Prepared(
            lambda practice_id, pk: (
                Client.objects.select_related(*select_related).filter(practice_id=practice_id).filter(pk=pk)
            ),
            [Client._meta.get_field("practice"), Client._meta.pk],
        )
    return read


class ClientMixin(PracticeMixin):
    """For every page under a client: the client comes from the practice-scoped queryset or 404."""

    client_select_related = ("primary_consultant",)

    def resolve(self, request, *args, **kwargs) -> None:
        super().resolve(request, *args, **kwargs)
        found = _client_read(tuple(self.client_select_related)).instances(
            self.practice.pk, kwargs["client_pk"]
        )
        if found is None:
            queryset = Client.objects.select_related(*self.client_select_related)
            found = [scoped_object_or_404(queryset, practice=self.practice, pk=kwargs["client_pk"])]
        if not found:
            raise Http404("No such client.")
        self.client_obj = found[0]
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
        slug, pk = self.practice.slug, self.client_obj.pk
        ctx["tabs"] = [
            NavLink(t, row_reverse(t.url_name, slug, pk), True)
            for t in client_tabs()
            if self.request.can.get(t.perm, False)
        ]
        ctx["active_tab"] = self.tab
        return ctx

    def page_with_rows(self, rows, rows_html, *, per_page: int = DEFAULT_PAGE_SIZE, load=list, **options):
        """A list page's context: `page`, a page of `rows` (made into what they show by `load`), and
        `rows_html`, those rows written by `rows_html` — a `*_html` module's function — for this
        client and the request's role, with `options`.

        `rows` is a queryset (or a list), or what makes the list for any client, `build(client)`, reading nothing
        of the client but its ids: then the page's statement is kept under this view's name
        (`vcio.listing.paginate_kept`)."""
        if callable(rows):
            view = type(self)
            key = f"{view.__module__}.{view.__qualname__}"
            page = paginate_kept(self.request, key, self.client_obj, rows, per_page=per_page)
        else:
            page = paginate(self.request, rows, per_page=per_page)
        page.object_list = load(page.object_list)
        html = rows_html(
            page.object_list,
            practice=self.practice,
            client=self.client_obj,
            can_edit=self.request.can[Perm.EDIT],
            csrf_token=get_token(self.request),
            **options,
        )
        return {"page": page, "rows_html": html}
