"""Pages of the initiative library: the practice's templates (list, search, CSV export and import,
create, edit, delete), "Add from library" on a client's roadmap and "Save as template" on an
initiative. Thin views: access through the mixins, reads through selectors, writes through
`library_services`. A template named in a URL comes through the practice-scoped lookup (else 404)."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from vcio.forms import run_service
from vcio.listing import csv_file_response, csv_response, paginate
from vcio.models import scoped_object_or_404

from . import library_csv, library_selectors, library_services, selectors
from .library_forms import AddFromLibraryForm, InitiativeTemplateForm, TemplateFilterForm, TemplateImportForm
from .models import Initiative, InitiativeTemplate
from .views import RoadmapPageMixin

IMPORT_MAX_AGE = 3600  # seconds a checked file may wait for "Import"


class LibraryMixin(PracticeMixin):
    nav = "library"

    def template_obj(self) -> InitiativeTemplate:
        if not hasattr(self, "_template"):
            self._template = scoped_object_or_404(
                InitiativeTemplate, practice=self.practice, pk=self.kwargs["template_pk"]
            )
        return self._template

    def library_url(self, name="library", *args):
        return reverse(f"roadmaps:{name}", args=[self.practice.slug, *args])


class LibraryListView(LibraryMixin, TemplateView):
    template_name = "roadmaps/library_list.html"

    def get(self, request, *args, **kwargs):
        self.filter_form = TemplateFilterForm(request.GET or None)
        if request.GET.get("format") == "csv":
            qs, _ = self.queryset()
            return csv_response(
                f"{self.practice.slug}-initiative-library.csv",
                library_csv.HEADER,
                library_csv.export_rows(qs.iterator(chunk_size=500)),
            )
        return super().get(request, *args, **kwargs)

    def queryset(self):
        return library_selectors.template_list(
            practice=self.practice, sort=self.request.GET.get("sort", ""), **self.filter_form.filters()
        )

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


class TemplateDetailView(LibraryMixin, TemplateView):
    template_name = "roadmaps/library_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        template = self.template_obj()
        ctx.update(template=template, history=library_selectors.template_history(template=template))
        return ctx


class TemplateFormView(LibraryMixin, FormView):
    template_name = "roadmaps/library_form.html"
    form_class = InitiativeTemplateForm
    read_perm = Perm.EDIT

    def get_template(self):
        return self.template_obj() if "template_pk" in self.kwargs else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.get_template())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["template"] = self.get_template()
        return ctx

    def form_valid(self, form):
        template = self.get_template()
        if template is None:
            result = run_service(
                form,
                library_services.template_create,
                practice=self.practice,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            result = run_service(
                form,
                library_services.template_update,
                template=template,
                actor=self.request.user,
                **form.cleaned_data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"Template “{result.title}” saved.")
        return redirect(self.library_url("library_detail", result.pk))


class TemplateDeleteView(LibraryMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        template = self.template_obj()
        library_services.template_delete(template=template, actor=request.user)
        messages.success(request, f"Template “{template.title}” deleted.")
        return redirect(self.library_url())


class TemplateImportView(LibraryMixin, TemplateView):
    """GET: the upload form. POST a file: the preview (every row checked, nothing written). POST
    `confirm` with the signed, checked file: import it all, or nothing when a row is refused."""

    template_name = "roadmaps/library_import.html"
    read_perm = Perm.EDIT

    def salt(self) -> str:
        return f"roadmaps.library-import.{self.practice.pk}.{self.request.user.pk}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", TemplateImportForm())
        ctx["columns"] = library_csv.HEADER
        return ctx

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.confirm(request.POST["payload"])
        form = TemplateImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        raw = library_csv.decode(form.cleaned_data["file"].read())
        preview = library_csv.parse(raw, practice=self.practice)
        payload = signing.dumps(raw, salt=self.salt(), compress=True) if preview.valid else ""
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, payload=payload),
            status=200 if preview.valid else 400,
        )

    def confirm(self, payload: str):
        try:
            raw = signing.loads(payload, salt=self.salt(), max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            messages.error(self.request, "That check has expired; choose the file again.")
            return redirect(self.library_url("library_import"))
        preview = library_csv.parse(raw, practice=self.practice)
        if not preview.valid:  # the library changed since the check: show what is wrong now
            return self.render_to_response(self.get_context_data(preview=preview), status=400)
        form = TemplateImportForm()
        result = run_service(
            form,
            library_services.templates_import,
            practice=self.practice,
            actor=self.request.user,
            rows=preview.service_rows(),
        )
        if result is None:
            preview.errors.extend(form.non_field_errors())
            return self.render_to_response(self.get_context_data(preview=preview), status=400)
        created, updated = result
        messages.success(
            self.request,
            f"Imported {created} new template{'s' if created != 1 else ''}"
            + (f" and updated {updated}." if updated else "."),
        )
        return redirect(self.library_url())


class TemplateSampleView(LibraryMixin, View):
    """The sample CSV: the import's columns and two example rows."""

    def get(self, request, *args, **kwargs):
        return csv_file_response("initiative-library-sample.csv", library_csv.HEADER, library_csv.SAMPLE_ROWS)


class AddFromLibraryView(RoadmapPageMixin, FormView):
    """On a client's roadmap: choose templates and a quarter; one initiative per template."""

    template_name = "roadmaps/library_add.html"
    form_class = AddFromLibraryForm
    section = "library"
    read_perm = Perm.EDIT

    def get(self, request, *args, **kwargs):
        self.filter_form = TemplateFilterForm(request.GET or None)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.filter_form = TemplateFilterForm(None)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["client"] = self.client_obj
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        qs, _ = library_selectors.template_list(practice=self.practice, **self.filter_form.filters())
        shown = list(qs[: library_selectors.ADD_PAGE_LIMIT + 1])
        chosen = {str(v) for v in (form.data.getlist("templates") if form.is_bound else [])}
        ctx.update(
            templates=shown[: library_selectors.ADD_PAGE_LIMIT],
            more=len(shown) > library_selectors.ADD_PAGE_LIMIT,
            chosen=chosen,
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters()),
            library_empty=not shown and not self.filter_form.filters(),
            goals=list(form.fields["goals"].queryset),
        )
        return ctx

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        created = run_service(
            form,
            library_services.templates_apply,
            client=self.client_obj,
            templates=form.cleaned_data["templates"],
            target_start=form.cleaned_data["target_start"],
            goals=form.cleaned_data["goals"],
            actor=self.request.user,
        )
        if created is None:
            return self.form_invalid(form)
        quarter = form.cleaned_data["target_start"].label
        if len(created) == 1:
            messages.success(self.request, f"Added “{created[0].title}” to the roadmap in {quarter}.")
        else:
            messages.success(self.request, f"Added {len(created)} initiatives to the roadmap in {quarter}.")
        return redirect(self.url("timeline") + self.shift_for(form.cleaned_data["target_start"]))

    def shift_for(self, quarter) -> str:
        """The timeline shows the last 2 and the next 8 quarters (the current one first among them):
        move it by whole years when the new initiatives start outside that window."""
        ahead = quarter - selectors.current_quarter(self.client_obj)
        return f"?shift={((ahead + 2) // 4) * 4}" if not -2 <= ahead <= 7 else ""


class SaveAsTemplateView(RoadmapPageMixin, FormView):
    """On an initiative: a template form filled from it; saving adds it to the practice's library."""

    template_name = "roadmaps/library_save.html"
    form_class = InitiativeTemplateForm
    section = "list"
    read_perm = Perm.EDIT

    def get_initiative(self) -> Initiative:
        if not hasattr(self, "_initiative"):
            self._initiative = self.scoped(Initiative, self.kwargs["pk"])
        return self._initiative

    def get_initial(self):
        initiative = self.get_initiative()
        initial = {f: getattr(initiative, f) for f in library_services.COPIED_FIELDS}
        initial["tags"] = initiative.get_category_display().lower()
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["practice"] = self.practice
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["initiative"] = self.get_initiative()
        return ctx

    def form_valid(self, form):
        template = run_service(
            form,
            library_services.template_from_initiative,
            initiative=self.get_initiative(),
            actor=self.request.user,
            **form.cleaned_data,
        )
        if template is None:
            return self.form_invalid(form)
        messages.success(self.request, f"“{template.title}” saved to the initiative library.")
        return redirect(self.url("detail", self.get_initiative().pk))
