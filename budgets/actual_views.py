"""Pages of the client's Budget tab for actual spend: the list (with its CSV export), the form that
adds or edits a payment, its deletion, and the CSV import (upload, map the columns, preview,
confirm) with its template. Thin views like the rest of the tab (`budgets.views`, whose frame they
share): check access, call a selector or a service, render; an actual named in a URL comes through
the scoped lookup (another practice's or client's is a 404)."""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from accounts.access import Perm
from vcio.forms import run_service
from vcio.listing import chosen_sort, csv_file_response, csv_response, paginate, paginate_kept
from vcio.uploads import StashedUploadMixin

from . import actual_selectors, actual_services, exports, imports, phasing, selectors
from .actuals_html import actual_rows_html
from .forms import (
    ActualFilterForm,
    ActualForm,
    ImportMappingForm,
    ImportUploadForm,
)
from .models import Actual
from .views import BudgetTabMixin, _name

# --- actuals -------------------------------------------------------------------------------------------


class ActualsMixin(BudgetTabMixin):
    section = "actuals"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = selectors.current_fiscal_year(self.client_obj, self.today())
        with contextlib.suppress(TypeError, ValueError):
            year = int(self.request.GET.get("year", year))
        budget = (
            selectors.budget_of(client=self.client_obj, fiscal_year=year) if 2000 <= year <= 2100 else None
        )
        ctx.update(self.frame(budget, year))
        ctx["editable"] = self.request.can.get(Perm.EDIT, False)
        return ctx


class ActualListView(ActualsMixin, TemplateView):
    template_name = "budgets/actuals.html"

    def get(self, request, *args, **kwargs):
        self.filter_form = ActualFilterForm(request.GET or None)
        if request.GET.get("format") == "csv":
            header, rows = exports.actual_rows(self.actuals()[0])
            return csv_response(
                f"{_name(self.client_obj)}-actual-spend.csv",
                [*header, "Currency"],
                ([*r, self.practice.currency] for r in rows),
            )
        return super().get(request, *args, **kwargs)

    def actuals(self):
        return actual_selectors.actual_list(
            client=self.client_obj, sort=self.request.GET.get("sort", ""), **self.filter_form.filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        default = actual_selectors.ACTUAL_DEFAULT_SORT
        sort = chosen_sort(self.request.GET.get("sort", ""), actual_selectors.ACTUAL_SORTS, default)
        if not self.filter_form.filters() and sort == default:
            # the list as it opens: its page statement is kept
            build = lambda client: actual_selectors.actual_list(client=client)[0]  # noqa: E731
            page = paginate_kept(self.request, "budgets.actuals", self.client_obj, build, per_page=50)
        else:
            queryset, sort = self.actuals()
            page = paginate(self.request, queryset, per_page=50)
        page.object_list = shown = list(page.object_list)
        ctx.update(
            page=page,
            rows_html=actual_rows_html(
                shown,
                practice=self.practice,
                client=self.client_obj,
                can_edit=self.request.can.get(Perm.EDIT, False),
                csrf_token=get_token(self.request),
            ),
            sort=sort,
            filter_form=self.filter_form,
            filtered=bool(self.filter_form.filters()),
            page_total=sum((a.amount for a in shown), phasing.ZERO),
        )
        return ctx


class ActualFormView(ActualsMixin, FormView):
    template_name = "budgets/actual_form.html"
    form_class = ActualForm
    read_perm = Perm.EDIT

    def get_actual(self):
        if not hasattr(self, "_actual"):
            pk = self.kwargs.get("actual_pk")
            self._actual = (
                self.scoped(Actual.objects.select_related("vendor", "budget_line"), pk) if pk else None
            )
        return self._actual

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(practice=self.practice, client=self.client_obj, instance=self.get_actual())
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["actual"] = self.get_actual()
        return ctx

    def form_valid(self, form):
        actual = self.get_actual()
        if actual is None:
            result = run_service(
                form,
                actual_services.actual_create,
                client=self.client_obj,
                actor=self.request.user,
                **form.cleaned_data,
            )
        else:
            fresh = self.scoped(Actual, actual.pk)
            result = run_service(
                form,
                actual_services.actual_update,
                actual=fresh,
                actor=self.request.user,
                **form.cleaned_data,
            )
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, "Actual spend saved.")
        return redirect(self.url("actuals"))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActualDeleteView(ActualsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        actual = self.scoped(Actual, kwargs["actual_pk"])
        actual_services.actual_delete(actual=actual, actor=request.user)
        messages.success(request, "Actual spend deleted.")
        return redirect(self.url("actuals"))


# --- actuals import -------------------------------------------------------------------------------------

SESSION_KEY = "budgets_import"


class ImportMixin(StashedUploadMixin, ActualsMixin):
    """Upload a CSV, map its columns, preview, confirm. The uploaded text waits in the session
    (`StashedUploadMixin`: server-side, size-capped) between the steps; the confirmation validates it again before anything
    is written, and writes every row or none."""

    template_name = "budgets/import.html"
    read_perm = Perm.EDIT
    upload_session_key = SESSION_KEY

    def scope_key(self) -> str:
        return f"{self.practice.pk}:{self.client_obj.pk}"

    def mapping_form(self, header, data=None, token=""):
        initial = {
            f"map_{k}": ("" if v is None else str(v)) for k, v in imports.guess_mapping(header).items()
        }
        initial.update(date_format="iso", upload=token)
        return ImportMappingForm(
            data, initial=initial, header=header, fields=imports.TARGETS, date_formats=imports.DATE_FORMATS
        )

    @staticmethod
    def mapping_of(form) -> tuple[dict, str]:
        mapping = {}
        for target in imports.TARGETS:
            value = form.cleaned_data.get(f"map_{target.name}")
            mapping[target.name] = int(value) if value not in (None, "") else None
        return mapping, form.cleaned_data.get("date_format") or "iso"

    def posted_preview(self, request):
        """The stashed upload parsed with the posted mapping: (None, the page's context, the
        preview) — or (the answer, None, None) when it cannot be: the upload has expired (back to the
        upload step) or the mapping has errors (the page again, 400)."""
        upload = self.stashed(request.POST.get("upload", ""))
        if upload is None:
            messages.error(request, "That upload has expired or was replaced; upload the file again.")
            return redirect(self.url("actual_import")), None, None
        header, _ = imports.read(upload["text"])
        form = self.mapping_form(header, request.POST)
        page = {
            "upload_form": ImportUploadForm(),
            "mapping_form": form,
            "file_name": upload["name"],
            "header": header,
            "token": upload["token"],
        }
        if not form.is_valid():
            return self.render_page(status=400, **page), None, None
        mapping, date_format = self.mapping_of(form)
        preview = imports.parse(
            upload["text"], client=self.client_obj, mapping=mapping, date_format=date_format
        )
        return None, page, preview

    def preview_page(self, page, preview):
        return self.render_page(status=200 if preview.ok else 400, preview=preview, **page)

    def render_page(self, status=200, **ctx):
        ctx.update(targets=imports.TARGETS, template_url=self.url("actual_import_template"))
        return self.render_to_response(self.get_context_data(**ctx), status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(upload_form=ImportUploadForm())

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(upload_form=form, status=400)
        upload = form.cleaned_data["file"]
        try:
            text = imports.decode(upload.read(imports.MAX_BYTES + 1))
            header, _ = imports.read(text)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.render_page(upload_form=form, status=400)
        token = self.stash(upload.name, text)
        mapping_form = self.mapping_form(header, token=token)
        guessed = dict(imports.guess_mapping(header).items())
        preview = imports.parse(text, client=self.client_obj, mapping=guessed)
        return self.render_page(
            upload_form=ImportUploadForm(),
            mapping_form=mapping_form,
            preview=preview,
            file_name=upload.name,
            header=header,
            token=token,
        )


class ActualImportView(ImportMixin, TemplateView):
    pass


class ActualImportPreviewView(ImportMixin, TemplateView):
    """POST the column mapping: preview again with it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        answer, page, preview = self.posted_preview(request)
        return answer or self.preview_page(page, preview)


class ActualImportConfirmView(ImportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        # Validated again: the directory or the budgets may have changed since the preview.
        answer, page, preview = self.posted_preview(request)
        if answer or not preview.ok:
            return answer or self.preview_page(page, preview)
        try:
            made = actual_services.actuals_import(
                client=self.client_obj, actor=request.user, rows=preview.service_rows()
            )
        except ValidationError as exc:  # pragma: no cover - validated just above
            messages.error(request, "Nothing was imported: " + " ".join(exc.messages))
            return redirect(self.url("actual_import"))
        self.drop()
        messages.success(request, f"Imported {len(made)} payment{'s' if len(made) != 1 else ''}.")
        return redirect(self.url("actuals"))


class ActualImportTemplateView(BudgetTabMixin, View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        header, example = imports.template_rows()
        return csv_file_response("actual-spend-import-template.csv", header, [example])
