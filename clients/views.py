"""Pages of the clients app: thin views that check access (PracticeMixin), call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from accounts.forms import HistoryFilterForm
from vcio.forms import run_service
from vcio.history import client_history, parse_before
from vcio.listing import csv_response, paginate, paginate_kept
from vcio.registry import client_columns, overview_panels

from . import selectors, services
from .contacts_html import contact_rows_html
from .forms import ClientForm, ContactForm
from .list_html import client_rows_html
from .mixins import ClientMixin, ClientPageMixin
from .models import Contact, Industry

LIST_AS_OPENED = {"q": "", "status": "active", "industry": "", "sort": "name"}


class ClientListView(PracticeMixin, TemplateView):
    template_name = "clients/client_list.html"

    def filters(self):
        """The list's filters and order; LIST_AS_OPENED without any."""
        g = self.request.GET
        return {
            "q": g.get("q", "").strip()[:100],
            "status": g.get("status", "active"),
            "industry": g.get("industry", "") if g.get("industry", "") in Industry.values else "",
            "sort": g.get("sort", "name"),
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        columns = client_columns()
        header = [
            "Name",
            "Industry",
            "Headcount",
            "Locations",
            "Fiscal year starts",
            "QBR cadence (months)",
            "Primary consultant",
            "Status",
            "Contacts",
            *[f"{c.label} ({self.practice.currency})" if c.kind == "money" else c.label for c in columns],
        ]
        rows = (
            [
                c.name,
                c.get_industry_display(),
                c.headcount,
                c.locations,
                c.get_fiscal_year_start_month_display(),
                c.qbr_cadence_months,
                c.primary_consultant.display_name if c.primary_consultant else "",
                c.get_status_display(),
                c.contact_count,
                # dates as ISO 8601, money as a plain amount, percentages to one decimal
                *[_csv_value(col.kind, values[col.key]) for col in columns],
            ]
            for c, values in selectors.client_export(
                practice=self.practice, columns=columns, **self.filters()
            )
        )
        return csv_response(f"{self.practice.slug}-clients.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filters = self.filters()
        columns = client_columns()
        by_key = {c.key: c for c in columns}
        wanted = filters["sort"].lstrip("-")
        if wanted in by_key:
            # A column another app computes: every matching client is read (one query), its values
            # computed for all of them (a fixed number of queries), sorted here (no value last).
            rows = list(selectors.client_list(practice=self.practice, **filters)[0])
            values = by_key[wanted].values(self.practice, rows)
            present = sorted(
                (c for c in rows if c.pk in values),
                key=lambda c: values[c.pk],
                reverse=filters["sort"].startswith("-"),
            )
            page = paginate(self.request, present + [c for c in rows if c.pk not in values])
            sort = filters["sort"]
        elif filters == LIST_AS_OPENED:  # its page statement is kept
            build = lambda practice: selectors.client_list(practice=practice)[0]  # noqa: E731
            page = paginate_kept(self.request, "clients.list", self.practice, build)
            sort = filters["sort"]
        else:
            qs, sort = selectors.client_list(practice=self.practice, **filters)
            page = paginate(self.request, qs)
        shown = list(page.object_list)
        found = {c.key: c.values(self.practice, shown) if shown else {} for c in columns}
        for row in shown:
            row.extra = [(c, found[c.key].get(row.pk)) for c in columns]
        page.object_list = shown
        ctx.update(
            page=page,
            rows_html=client_rows_html(
                shown,
                practice=self.practice,
                can_edit=self.request.can[Perm.EDIT],
                csrf_token=get_token(self.request),
                next_url=self.request.get_full_path(),
            ),
            columns=columns,
            filters=filters,
            sort=sort,
            industries=Industry.choices,
            statuses=[("active", "Active"), ("archived", "Archived"), ("all", "All")],
        )
        return ctx


class ClientCreateView(PracticeMixin, FormView):
    template_name = "clients/client_form.html"
    form_class = ClientForm
    read_perm = Perm.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["practice"] = self.practice
        kwargs.setdefault("initial", {}).update(
            fiscal_year_start_month=self.practice.fiscal_year_start_month,
            primary_consultant=self.request.user,
        )
        return kwargs

    def form_valid(self, form):
        client = run_service(
            form, services.client_create, practice=self.practice, actor=self.request.user, **form.cleaned_data
        )
        if client is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Client “{client.name}” created.")
        return redirect("clients:overview", practice_slug=self.practice.slug, client_pk=client.pk)


class ClientEditView(ClientMixin, FormView):
    template_name = "clients/client_form.html"
    form_class = ClientForm
    read_perm = Perm.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.client_obj)
        return kwargs

    def form_valid(self, form):
        # The ModelForm has already applied cleaned data to the instance; the service re-validates and saves.
        client = run_service(
            form, services.client_update, client=self.client_obj, actor=self.request.user, **form.cleaned_data
        )
        if client is None:
            return self.form_invalid(form)
        messages.success(self.request, "Client saved.")
        return redirect("clients:overview", practice_slug=self.practice.slug, client_pk=client.pk)


class ClientStatusView(ClientMixin, View):
    """POST only: archive or restore."""

    action = "archive"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        service = services.client_archive if self.action == "archive" else services.client_restore
        try:
            service(client=self.client_obj, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"“{self.client_obj.name}” {'archived' if self.action == 'archive' else 'restored'}."
            )
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)
        return redirect("clients:overview", practice_slug=self.practice.slug, client_pk=self.client_obj.pk)


class ClientOverviewView(ClientPageMixin, TemplateView):
    template_name = "clients/client_overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contacts"] = selectors.client_contacts(client=self.client_obj)[:6]
        ctx["panels"] = [
            {"template": p.template, **p.context(self.request, self.client_obj)} for p in overview_panels()
        ]
        return ctx


class ContactListView(ClientPageMixin, TemplateView):
    template_name = "clients/contact_list.html"
    tab = "contacts"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            rows = (
                [c.name, c.title, c.email, c.phone, "yes" if c.is_executive else "no"]
                for c in selectors.client_contacts(client=self.client_obj)
            )
            return csv_response(
                f"{self.client_obj.name[:40]}-contacts.csv",
                ["Name", "Title", "E-mail", "Phone", "Executive"],
                rows,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            self.page_with_rows(
                lambda client: selectors.client_contacts(client=client), contact_rows_html, per_page=50
            )
        )
        return ctx


class ContactFormView(ClientPageMixin, FormView):
    template_name = "clients/contact_form.html"
    form_class = ContactForm
    tab = "contacts"
    read_perm = Perm.EDIT

    def dispatch(self, request, *args, **kwargs):
        self.contact = None
        return super().dispatch(request, *args, **kwargs)

    def get_contact(self):
        if "contact_pk" in self.kwargs and self.contact is None:
            self.contact = self.scoped(Contact, self.kwargs["contact_pk"])
        return self.contact

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.get_contact())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contact"] = contact = self.get_contact()
        if contact is not None:
            ctx["entries"] = selectors.contact_history(
                contact=contact, before=parse_before(self.request.GET.get("before"))
            )
        return ctx

    def form_valid(self, form):
        contact = self.get_contact()
        if contact is None:
            result = run_service(
                form,
                services.contact_create,
                client=self.client_obj,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            result = run_service(
                form, services.contact_update, contact=contact, actor=self.request.user, **form.cleaned_data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Contact “{result.name}” saved.")
        return redirect("clients:contacts", practice_slug=self.practice.slug, client_pk=self.client_obj.pk)


class ContactDeleteView(ClientMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        contact = self.scoped(Contact, kwargs["contact_pk"])
        services.contact_delete(contact=contact, actor=request.user)
        messages.success(request, f"Contact “{contact.name}” deleted.")
        return redirect("clients:contacts", practice_slug=self.practice.slug, client_pk=self.client_obj.pk)


class ClientHistoryView(ClientPageMixin, TemplateView):
    template_name = "clients/client_history.html"
    tab = "history"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = HistoryFilterForm(self.request.GET or None, practice=self.practice)
        filters = form.cleaned_data if form.is_valid() else {}
        user = filters.get("user")
        ctx["entries"] = client_history(
            client=self.client_obj,
            user_id=user.pk if user else None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            before=parse_before(self.request.GET.get("before")),
        )
        ctx["filter_form"] = form
        return ctx


def _csv_value(kind: str, value) -> str:
    if value is None:
        return ""
    if kind == "date":
        return value.isoformat()
    if kind == "percent":
        return f"{value:.1f}"
    return str(value)
