"""The practice's standards library (sidebar "Standards"): its own frameworks and their standards
(editors create, edit, import; everyone reads), and the shipped catalogs to browse and export
(read-only for everyone). A framework id in a URL is a shipped catalog or one of the practice's own;
edit pages know only the practice's own (a catalog's edit URL is a 404)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm, PracticeMixin
from vcio.forms import run_service
from vcio.listing import csv_response, safe_filename
from vcio.models import scoped_object_or_404

from . import catalog_io, catalog_selectors, standard_services
from .forms import ImportForm, StandardForm, StandardFrameworkForm
from .models import Standard, StandardFramework

CSV_HEADER = list(catalog_io.CSV_COLUMNS)


class LibraryMixin(PracticeMixin):
    nav = "standards"

    def url(self, name, *args):
        return reverse(f"compliance:{name}", args=[self.practice.slug, *args])


class LibraryView(LibraryMixin, TemplateView):
    template_name = "compliance/standards/library.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            own=list(catalog_selectors.standard_frameworks(practice=self.practice)),
            catalogs=list(catalog_selectors.catalog_frameworks()),
        )
        return ctx


class FrameworkView(LibraryMixin, TemplateView):
    """A framework's items as a tree; `?format=json` or `?format=csv` exports it in the catalog shape."""

    template_name = "compliance/standards/framework.html"

    def get(self, request, *args, **kwargs):
        self.framework = catalog_selectors.framework_for_practice(
            practice=self.practice, pk=kwargs["framework_pk"]
        )
        fmt = request.GET.get("format")
        if fmt in ("json", "csv"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def catalog(self):
        _, nodes = catalog_selectors.framework_tree(practice=self.practice, framework=self.framework)
        return catalog_io.catalog_of(
            meta=catalog_selectors.framework_meta(practice=self.practice, framework=self.framework),
            nodes=nodes,
        )

    def export(self, fmt):
        catalog = self.catalog()
        if fmt == "csv":
            return csv_response(f"{self.framework.slug}.csv", CSV_HEADER, catalog_io.csv_rows(catalog))
        response = HttpResponse(
            json.dumps(catalog, indent=2, ensure_ascii=False) + "\n",
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{safe_filename(self.framework.slug + ".json")}"'
        )
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        roots, nodes = catalog_selectors.framework_tree(practice=self.practice, framework=self.framework)
        ctx.update(
            framework=self.framework,
            rows=catalog_selectors.framework_rows(roots),
            item_count=len(nodes),
            assessable_count=sum(1 for n in nodes if n.assessable),
            editable=not self.framework.is_catalog and self.request.can.get("edit"),
        )
        return ctx


class OwnFrameworkMixin(LibraryMixin):
    """Pages that change a framework: only the practice's own (a shipped catalog is a 404 here)."""

    read_perm = Perm.EDIT

    def get_framework(self):
        if not hasattr(self, "_framework"):
            self._framework = scoped_object_or_404(
                StandardFramework, practice=self.practice, pk=self.kwargs["framework_pk"]
            )
        return self._framework


class FrameworkFormView(LibraryMixin, FormView):
    template_name = "compliance/standards/framework_form.html"
    form_class = StandardFrameworkForm
    read_perm = Perm.EDIT

    def get_framework(self):
        pk = self.kwargs.get("framework_pk")
        if pk is None:
            return None
        if not hasattr(self, "_framework"):
            self._framework = scoped_object_or_404(StandardFramework, practice=self.practice, pk=pk)
        return self._framework

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, instance=self.get_framework())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["framework"] = self.get_framework()
        return ctx

    def form_valid(self, form):
        framework = self.get_framework()
        if framework is None:
            result = run_service(
                form,
                standard_services.standard_framework_create,
                practice=self.practice,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            result = run_service(
                form,
                standard_services.standard_framework_update,
                framework=framework,
                actor=self.request.user,
                **form.cleaned_data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"“{result.name}” saved.")
        return redirect(self.url("framework", result.pk))


class FrameworkDeleteView(OwnFrameworkMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        framework = self.get_framework()
        try:
            standard_services.standard_framework_delete(framework=framework, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.url("framework", framework.pk))
        messages.success(request, f"“{framework.name}” deleted.")
        return redirect(self.url("standards"))


class StandardFormView(OwnFrameworkMixin, FormView):
    template_name = "compliance/standards/standard_form.html"
    form_class = StandardForm

    def get_standard(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        if not hasattr(self, "_standard"):
            queryset = Standard.objects.filter(framework=self.get_framework()).select_related("framework")
            self._standard = scoped_object_or_404(queryset, practice=self.practice, pk=pk)
        return self._standard

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, framework=self.get_framework(), instance=self.get_standard())
        if self.get_standard() is None and "parent" in self.request.GET:
            kwargs.setdefault("initial", {})["parent"] = self.request.GET.get("parent")
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(framework=self.get_framework(), standard=self.get_standard())
        return ctx

    def form_valid(self, form):
        standard = self.get_standard()
        data = dict(form.cleaned_data)
        if standard is None:
            result = run_service(
                form,
                standard_services.standard_create,
                framework=self.get_framework(),
                actor=self.request.user,
                **data,
            )
        else:
            result = run_service(
                form, standard_services.standard_update, standard=standard, actor=self.request.user, **data
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, f"{result.ref} “{result.title}” saved.")
        return redirect(self.url("framework", self.get_framework().pk))


class StandardDeleteView(OwnFrameworkMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        framework = self.get_framework()
        queryset = Standard.objects.filter(framework=framework).select_related("framework")
        standard = scoped_object_or_404(queryset, practice=self.practice, pk=kwargs["pk"])
        try:
            standard_services.standard_delete(standard=standard, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{standard.ref} “{standard.title}” deleted.")
        return redirect(self.url("framework", framework.pk))


class ImportView(LibraryMixin, FormView):
    """Import a framework of standards from catalog JSON or CSV — validated whole, all or nothing."""

    template_name = "compliance/standards/import.html"
    form_class = ImportForm
    read_perm = Perm.EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["practice"] = self.practice
        return kwargs

    def form_valid(self, form):
        framework = run_service(
            form,
            standard_services.standards_import,
            practice=self.practice,
            actor=self.request.user,
            data=form.cleaned_data["catalog"],
        )
        if framework is None:
            return self.form_invalid(form)
        count = len(form.cleaned_data["catalog"]["requirements"])
        messages.success(
            self.request, f"Imported “{framework.name}” with {count} item{'s' if count != 1 else ''}."
        )
        return redirect(self.url("framework", framework.pk))
