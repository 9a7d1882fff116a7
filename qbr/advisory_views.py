"""Pages of advisories (/p/<practice>/advisories/): the list (filters, sorting, pagination, CSV), the
form, the detail, publish / unpublish, delete, and "Make an initiative". Thin views: access through
PracticeMixin (a viewer reads, every POST needs Perm.EDIT), objects through the scoped lookup (another
practice's advisory is a 404), writes through qbr.advisory_services."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from vcio.forms import run_service
from vcio.listing import csv_response, paginate
from vcio.models import scoped_object_or_404

from . import advisory_selectors as selectors
from . import advisory_services as services
from .advisory_forms import AdvisoryFilterForm, AdvisoryForm, MakeInitiativeForm
from .advisory_models import Advisory
from .markdown import plain_text


class AdvisoryPageMixin(PracticeMixin):
    nav = "advisories"

    def advisory(self) -> Advisory:
        if not hasattr(self, "_advisory"):
            self._advisory = scoped_object_or_404(
                Advisory, practice=self.practice, pk=self.kwargs["advisory_pk"]
            )
        return self._advisory

    def to_detail(self, advisory):
        return redirect("qbr:advisory", practice_slug=self.practice.slug, advisory_pk=advisory.pk)


class AdvisoryListView(AdvisoryPageMixin, TemplateView):
    template_name = "qbr/advisories/list.html"

    def get(self, request, *args, **kwargs):
        self.filter_form = AdvisoryFilterForm(request.GET or None)
        if request.GET.get("format") == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def queryset(self):
        return selectors.advisory_list(
            practice=self.practice,
            sort=self.request.GET.get("sort", "-published"),
            **self.filter_form.filters(),
        )

    def export(self):
        qs, _ = self.queryset()
        header = [
            "Title",
            "Category",
            "Severity",
            "Status",
            "Published",
            "Shown to",
            "Industries",
            "Link",
            "Summary",
        ]
        rows = (
            [
                a.title,
                a.get_category_display(),
                a.get_severity_display(),
                a.status,
                a.published_on.isoformat() if a.published_on else "",
                a.get_targeting_display(),
                "; ".join(a.industry_labels),
                a.link,
                plain_text(a.body, 500),
            ]
            for a in qs.iterator()
        )
        return csv_response(f"{self.practice.slug}-advisories.csv", header, rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs, sort = self.queryset()
        ctx.update(
            page=paginate(self.request, qs),
            sort=sort,
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters()),
        )
        return ctx


class AdvisoryFormView(AdvisoryPageMixin, FormView):
    template_name = "qbr/advisories/form.html"
    form_class = AdvisoryForm
    read_perm = Perm.EDIT

    def get_instance(self):
        return self.advisory() if "advisory_pk" in self.kwargs else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.get_instance())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["advisory"] = self.get_instance()
        return ctx

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        advisory = self.get_instance()
        if advisory is None:
            result = run_service(
                form, services.advisory_create, practice=self.practice, actor=self.request.user, **data
            )
        else:
            result = run_service(
                form, services.advisory_update, advisory=advisory, actor=self.request.user, **data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Advisory “{result.title}” saved.")
        return self.to_detail(result)


class AdvisoryDetailView(AdvisoryPageMixin, TemplateView):
    template_name = "qbr/advisories/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        advisory = self.advisory()
        ctx.update(
            advisory=advisory,
            chosen_clients=selectors.chosen_clients(advisory),
            history=selectors.advisory_history(advisory=advisory),
        )
        if self.request.can.get(Perm.EDIT):
            ctx.setdefault("initiative_form", MakeInitiativeForm(advisory=advisory))
        return ctx


class AdvisoryPublishView(AdvisoryPageMixin, View):
    http_method_names = ["post"]
    publish = True

    def post(self, request, *args, **kwargs):
        advisory = self.advisory()
        if self.publish:
            services.advisory_publish(advisory=advisory, actor=request.user)
            messages.success(request, f"Advisory “{advisory.title}” published.")
        else:
            services.advisory_unpublish(advisory=advisory, actor=request.user)
            messages.success(request, f"Advisory “{advisory.title}” is a draft again.")
        return self.to_detail(advisory)


class AdvisoryDeleteView(AdvisoryPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        advisory = self.advisory()
        services.advisory_delete(advisory=advisory, actor=request.user)
        messages.success(request, f"Advisory “{advisory.title}” deleted.")
        return redirect("qbr:advisories", practice_slug=self.practice.slug)


class AdvisoryInitiativeView(AdvisoryDetailView):
    """POST: make a proposed initiative on a targeted client's roadmap, then open it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        advisory = self.advisory()
        form = MakeInitiativeForm(request.POST, advisory=advisory)
        initiative = None
        if form.is_valid():
            url = request.build_absolute_uri(reverse("qbr:advisory", args=[self.practice.slug, advisory.pk]))
            initiative = run_service(
                form,
                services.advisory_make_initiative,
                advisory=advisory,
                client=form.cleaned_data["client"],
                actor=request.user,
                advisory_url=url,
            )
        if initiative is None:
            return self.render_to_response(self.get_context_data(initiative_form=form), status=400)
        messages.success(
            request, f"Initiative “{initiative.title}” added to {initiative.client.name}'s roadmap."
        )
        return redirect(
            "roadmaps:detail",
            practice_slug=self.practice.slug,
            client_pk=initiative.client_id,
            pk=initiative.pk,
        )
