"""Pages of the vendors app: thin views that check access (PracticeMixin / ClientMixin), call a
selector or a service, render. Objects named in a URL come through the scoped lookup (else 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from clients.mixins import ClientMixin, ClientPageMixin
from vcio.forms import run_service
from vcio.listing import csv_response, page_number, paginate
from vcio.models import scoped_object_or_404
from vcio.tenancy import activate_practice

from . import directory_selectors, feeds, renewal_calendar, renewals, selectors, services
from .calendar_html import calendar_entries_html
from .client_contracts_html import contract_rows_html
from .forms import (
    CalendarFilterForm,
    ContractFilterForm,
    ContractForm,
    InteractionForm,
    VendorFilterForm,
    VendorForm,
)
from .models import Contract, Interaction, Vendor
from .tokens import feed_token


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _date(value) -> str:
    return value.isoformat() if value else ""


# --- the directory --------------------------------------------------------------------------------------


class VendorPageMixin(PracticeMixin):
    nav = "vendors"

    def vendor(self, pk, queryset=None) -> Vendor:
        return scoped_object_or_404(
            queryset if queryset is not None else Vendor, practice=self.practice, pk=pk
        )

    def today(self):
        return selectors.practice_today(self.practice)


class VendorDirectoryView(VendorPageMixin, TemplateView):
    template_name = "vendors/directory.html"

    def get(self, request, *args, **kwargs):
        self.filter_form = VendorFilterForm(request.GET or None)
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def queryset(self):
        return directory_selectors.vendor_directory(
            practice=self.practice,
            sort=self.request.GET.get("sort", "name"),
            today=self.today(),
            **self.filter_form.filters(),
        )

    def export(self):
        qs, _ = self.queryset()
        vendors = directory_selectors.with_directory_figures(
            list(qs), practice=self.practice, today=self.today()
        )
        currency = self.practice.currency
        rows = (
            [
                v.name,
                v.get_category_display(),
                v.website,
                v.account_manager_name,
                v.account_manager_email,
                v.account_manager_phone,
                v.support_contact,
                "; ".join(c.name for c in v.clients),
                v.contract_count,
                renewals.money(v.annual_spend),
                currency,
            ]
            for v in vendors
        )
        header = [
            "Name",
            "Category",
            "Website",
            "Account manager",
            "Account manager e-mail",
            "Account manager phone",
            "Support",
            "Clients",
            "Active contracts",
            "Annual spend",
            "Currency",
        ]
        return csv_response(f"{self.practice.slug}-vendors.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs, sort = self.queryset()
        page = paginate(self.request, qs)
        page.object_list = directory_selectors.with_directory_figures(
            list(page.object_list), practice=self.practice, today=self.today()
        )
        ctx.update(
            page=page,
            sort=sort,
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters()),
        )
        return ctx


class VendorFormView(VendorPageMixin, FormView):
    template_name = "vendors/vendor_form.html"
    form_class = VendorForm
    read_perm = Perm.EDIT

    def get_vendor(self):
        if not hasattr(self, "_vendor"):
            pk = self.kwargs.get("pk")
            self._vendor = self.vendor(pk) if pk else None
        return self._vendor

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.get_vendor())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["vendor"] = self.get_vendor()
        return ctx

    def form_valid(self, form):
        vendor = self.get_vendor()
        if vendor is None:
            result = run_service(
                form,
                services.vendor_create,
                practice=self.practice,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            result = run_service(
                form, services.vendor_update, vendor=vendor, actor=self.request.user, **form.cleaned_data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Vendor “{result.name}” saved.")
        return redirect("vendors:detail", practice_slug=self.practice.slug, pk=result.pk)


class VendorDetailView(VendorPageMixin, TemplateView):
    template_name = "vendors/vendor_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        vendor = self.vendor(self.kwargs["pk"])
        contracts = selectors.vendor_contracts(vendor=vendor, today=self.today())
        running = [c for c in contracts if c.info.state == "active"]
        ctx.update(
            vendor=vendor,
            contracts=contracts,
            running_count=len(running),
            annual_spend=sum((c.info.annual_cost for c in running), selectors.ZERO),
            client_count=len({c.client_id for c in running}),
            interactions=selectors.vendor_interactions(vendor=vendor),
            history=selectors.vendor_history(vendor=vendor),
        )
        if self.request.can.get(Perm.EDIT):
            ctx.setdefault(
                "interaction_form",
                InteractionForm(practice=self.practice, vendor=vendor, initial={"who": self.request.user.pk}),
            )
        return ctx


class VendorDeleteView(VendorPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        vendor = self.vendor(kwargs["pk"])
        try:
            services.vendor_delete(vendor=vendor, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("vendors:detail", practice_slug=self.practice.slug, pk=vendor.pk)
        messages.success(request, f"Vendor “{vendor.name}” deleted.")
        return redirect("vendors:directory", practice_slug=self.practice.slug)


class InteractionCreateView(VendorDetailView):
    """POST a log entry. htmx gets the log card back (the list and a fresh form, or the form with its
    errors); a plain form post goes back to the vendor page (or shows it with the form's errors)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        vendor = self.vendor(kwargs["pk"])
        form = InteractionForm(request.POST, practice=self.practice, vendor=vendor)
        saved = None
        if form.is_valid():
            saved = run_service(
                form, services.interaction_create, vendor=vendor, actor=request.user, **form.cleaned_data
            )
        if request.htmx:
            if saved is not None:
                form = InteractionForm(
                    practice=self.practice, vendor=vendor, initial={"who": request.user.pk}
                )
            ctx = {
                "practice": self.practice,
                "vendor": vendor,
                "interactions": selectors.vendor_interactions(vendor=vendor),
                "interaction_form": form,
                "saved": saved,
                "can": request.can,
            }
            return TemplateResponse(request, "vendors/_interactions.html", ctx)
        if saved is None:
            return self.render_to_response(self.get_context_data(interaction_form=form), status=400)
        messages.success(request, "Added to the relationship log.")
        return redirect("vendors:detail", practice_slug=self.practice.slug, pk=vendor.pk)


class InteractionDeleteView(VendorPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        interaction = scoped_object_or_404(
            Interaction.objects.select_related("vendor"), practice=self.practice, pk=kwargs["pk"]
        )
        services.interaction_delete(interaction=interaction, actor=request.user)
        messages.success(request, "Log entry deleted.")
        return redirect("vendors:detail", practice_slug=self.practice.slug, pk=interaction.vendor_id)


# --- the renewals calendar and its feed -----------------------------------------------------------------


class RenewalCalendarView(PracticeMixin, TemplateView):
    template_name = "vendors/renewals.html"
    nav = "renewals"

    def get(self, request, *args, **kwargs):
        self.filter_form = CalendarFilterForm(request.GET or None, practice=self.practice)
        if request.GET.get("format") == "csv":
            return self.export(
                renewal_calendar.calendar_entries(practice=self.practice, **self.filter_form.filters())
            )
        self.calendar = renewal_calendar.renewal_calendar(
            practice=self.practice, page=page_number(request), **self.filter_form.filters()
        )
        return super().get(request, *args, **kwargs)

    def export(self, entries):
        currency = self.practice.currency
        rows = (
            [
                e.event.day.isoformat(),
                e.event.label,
                e.contract.client.name,
                e.contract.vendor.name,
                e.contract.name,
                _date(e.event.renewal.next_renewal or e.event.renewal.expires_on),
                _date(e.event.renewal.notice_deadline),
                e.event.renewal.annual_cost,
                currency,
                _yes(e.highlight),
            ]
            for e in entries
        )
        header = [
            "Date",
            "Event",
            "Client",
            "Vendor",
            "Contract",
            "Renews or ends",
            "Notice deadline",
            "Annual cost",
            "Currency",
            "In notice window",
        ]
        return csv_response(f"{self.practice.slug}-renewals.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        feed = selectors.live_feed(practice=self.practice, user=self.request.user)
        ctx.update(
            calendar=self.calendar,
            # each month on the page with its entries' markup (rendered in Python: vendors.calendar_html)
            page_months=[
                (month, calendar_entries_html(month.entries, practice=self.practice))
                for month in self.calendar.page_months
            ],
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters()),
            feed=feed,
            feed_url=self.request.build_absolute_uri(feeds.feed_path(feed_token(feed))) if feed else "",
        )
        return ctx


class FeedActionView(PracticeMixin, View):
    """POST: get (create) or reset one's own calendar link — members who may do client work (a
    viewer changes nothing, not even a link of their own)."""

    http_method_names = ["post"]
    action = "create"

    def post(self, request, *args, **kwargs):
        if self.action == "reset":
            services.calendar_feed_reset(practice=self.practice, user=request.user, actor=request.user)
            messages.success(request, "New calendar link made; the old one no longer works.")
        else:
            services.calendar_feed_create(practice=self.practice, user=request.user, actor=request.user)
            messages.success(request, "Your calendar link is ready: subscribe to it in your calendar.")
        return redirect(reverse("vendors:renewals", args=[self.practice.slug]) + "#calendar-feed")


@require_safe
@never_cache
def calendar_feed(request, token: str):
    """The `.ics` feed of a secret link (no login: calendar apps cannot log in). An unknown or revoked
    link, or one of a member who has left, is a 404."""
    feed = selectors.feed_for_token_all_practices(token)
    if feed is None:
        raise Http404("No such calendar.")
    activate_practice(feed.practice)
    entries = renewal_calendar.feed_entries(practice=feed.practice)
    body = feeds.render_ics(
        practice=feed.practice,
        entries=entries,
        link=lambda c: request.build_absolute_uri(feeds.contract_path(c)),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="renewals.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# --- a client's Vendors tab ----------------------------------------------------------------------------


class ClientVendorsMixin(ClientPageMixin):
    tab = "vendors"

    def url(self, name, *args):
        return reverse(f"vendors:{name}", args=[self.practice.slug, self.client_obj.pk, *args])

    def today(self):
        return selectors.practice_today(self.practice)


class ClientContractsView(ClientVendorsMixin, TemplateView):
    template_name = "vendors/client_contracts.html"

    def get(self, request, *args, **kwargs):
        self.filter_form = ContractFilterForm(request.GET or None)
        filters = self.filter_form.filters()
        self.everything, self.rows = selectors.client_contract_rows(
            client=self.client_obj, today=self.today(), q=filters["q"], state=filters["state"]
        )
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        currency = self.practice.currency
        rows = (
            [
                c.vendor.name,
                c.name,
                c.get_contract_type_display(),
                c.info.state,
                _date(c.start_date),
                _date(c.end_date),
                c.term_months or "",
                _yes(c.auto_renew),
                c.renewal_term_months or "",
                c.notice_days,
                _date(c.info.next_renewal),
                _date(c.info.notice_deadline),
                _date(c.info.expires_on or c.info.ends_on),
                c.get_billing_frequency_display(),
                c.cost,
                c.quantity,
                c.info.annual_cost,
                currency,
                c.owner.display_name if c.owner else "",
                c.document_url,
            ]
            for c in selectors.whole_contracts(client=self.client_obj, rows=self.rows)
        )
        header = [
            "Vendor",
            "Contract",
            "Type",
            "Status",
            "Start date",
            "End date",
            "Term (months)",
            "Auto-renew",
            "Renewal term (months)",
            "Notice (days)",
            "Next renewal",
            "Notice deadline",
            "Ends",
            "Billing",
            "Cost per period",
            "Quantity",
            "Annual cost",
            "Currency",
            "Owner",
            "Document",
        ]
        name = slugify(self.client_obj.name)[:40].strip("-") or "client"
        return csv_response(f"{name}-contracts.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filters = self.filter_form.filters()
        show_state = filters["state"] != "active"  # the active list needs no status column
        ctx.update(
            self.page_with_rows(
                self.rows,
                contract_rows_html,
                load=lambda rows: selectors.whole_contracts(client=self.client_obj, rows=list(rows)),
                show_state=show_state,
            ),
            filter_form=self.filter_form,
            filtered=filters != {"q": "", "state": "active"},
            show_state=show_state,
            summary=selectors.contract_summary(self.everything),
            interactions=selectors.client_interactions(client=self.client_obj, limit=8),
            today=self.today(),
        )
        return ctx


class ContractDetailView(ClientVendorsMixin, TemplateView):
    template_name = "vendors/contract_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            contract = selectors.contract_detail(client=self.client_obj, pk=self.kwargs["pk"])
        except (Contract.DoesNotExist, ValidationError, ValueError):
            raise Http404("No such contract.") from None
        contract.info = contract.renewal(self.today())
        ctx.update(
            contract=contract,
            interactions=selectors.contract_interactions(contract=contract),
            history=selectors.contract_history(contract=contract),
        )
        return ctx


class ContractFormView(ClientVendorsMixin, FormView):
    template_name = "vendors/contract_form.html"
    form_class = ContractForm
    read_perm = Perm.EDIT

    def get_contract(self):
        if not hasattr(self, "_contract"):
            pk = self.kwargs.get("pk")
            self._contract = (
                self.scoped(Contract.objects.select_related("client", "vendor"), pk) if pk else None
            )
        return self._contract

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj, instance=self.get_contract())
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        vendor = self.request.GET.get("vendor")
        if vendor and not self.kwargs.get("pk"):
            initial["vendor"] = vendor  # offered only if it is one of the practice's (the form's choices)
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contract"] = self.get_contract()
        ctx["has_vendors"] = selectors.vendor_choices(practice=self.practice).exists()
        return ctx

    def form_valid(self, form):
        contract = self.get_contract()
        if contract is None:
            result = run_service(
                form,
                services.contract_create,
                client=self.client_obj,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            result = run_service(
                form,
                services.contract_update,
                contract=contract,
                actor=self.request.user,
                **form.cleaned_data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Contract “{result.name}” saved.")
        return redirect(self.url("contract_detail", result.pk))


class ContractActionView(ClientMixin, View):
    """POST: cancel, reactivate or delete a contract (the buttons confirm first)."""

    http_method_names = ["post"]
    action = "cancel"

    def post(self, request, *args, **kwargs):
        contract = self.scoped(Contract.objects.select_related("client", "vendor"), kwargs["pk"])
        target = reverse(
            "vendors:contract_detail", args=[self.practice.slug, self.client_obj.pk, contract.pk]
        )
        try:
            if self.action == "delete":
                services.contract_delete(contract=contract, actor=request.user)
                messages.success(request, f"Contract “{contract.name}” deleted.")
                target = reverse("vendors:client_contracts", args=[self.practice.slug, self.client_obj.pk])
            elif self.action == "reactivate":
                services.contract_reactivate(contract=contract, actor=request.user)
                messages.success(request, f"“{contract.name}” is active again.")
            else:
                services.contract_cancel(contract=contract, actor=request.user)
                messages.success(request, f"“{contract.name}” cancelled: it will not renew.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(target)
