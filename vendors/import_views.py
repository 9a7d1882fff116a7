"""The vendors app's CSV import pages (one client's, or the practice's for any client): upload,
preview, confirm — thin views over `vendors.imports`; access and scoping as in `vendors.views`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from accounts.access import Perm
from clients.mixins import ClientMixin
from vcio.listing import csv_file_response
from vcio.uploads import StashedUploadMixin

from . import imports, services
from .forms import ImportConfirmForm, ImportForm
from .views import ClientVendorsMixin, VendorPageMixin

# --- CSV import -------------------------------------------------------------------------------------------

SESSION_KEY = "vendors_import"


class ImportMixin(StashedUploadMixin):
    """The import pages, for one client (`ClientVendorsMixin`) or the whole practice. The uploaded
    text waits in the session (`StashedUploadMixin`, size-capped) between the preview and the confirmation, which
    validates it again before anything is written."""

    template_name = "vendors/import.html"
    read_perm = Perm.EDIT
    upload_session_key = SESSION_KEY

    @property
    def import_client(self):
        return getattr(self, "client_obj", None)

    def scope_key(self) -> str:
        client = self.import_client
        return f"{self.practice.pk}:{client.pk if client else 'practice'}"

    def urls(self) -> dict:
        slug = self.practice.slug
        if self.import_client is not None:
            args = [slug, self.import_client.pk]
            return {
                "upload": reverse("vendors:client_import", args=args),
                "confirm": reverse("vendors:client_import_confirm", args=args),
                "template": reverse("vendors:client_import_template", args=args),
                "done": reverse("vendors:client_contracts", args=args),
            }
        return {
            "upload": reverse("vendors:import", args=[slug]),
            "confirm": reverse("vendors:import_confirm", args=[slug]),
            "template": reverse("vendors:import_template", args=[slug]),
            "done": reverse("vendors:renewals", args=[slug]),
        }

    def render_page(self, status=200, **ctx):
        ctx.update(
            practice=self.practice,
            urls=self.urls(),
            columns=imports.columns_for(self.import_client is not None),
            import_client=self.import_client,
        )
        context = self.get_context_data(**ctx)
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(form=ImportForm())

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form=form, status=400)
        upload = form.cleaned_data["file"]
        try:
            text = imports.decode(upload.read(imports.MAX_BYTES + 1))
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.render_page(form=form, status=400)
        preview = imports.parse(text, practice=self.practice, client=self.import_client)
        token = self.stash(upload.name, text) if preview.ok else ""
        if not preview.ok:
            self.drop()
        return self.render_page(form=ImportForm(), preview=preview, upload_token=token, file_name=upload.name)


class ImportConfirmMixin(ImportMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ImportConfirmForm(request.POST)
        upload = self.stashed(form.data.get("upload", "")) if form.is_valid() else None
        if upload is None:
            messages.error(request, "That upload has expired or was replaced; upload the file again.")
            return redirect(self.urls()["upload"])
        # Validate again: the directory, the clients or the members may have changed since the preview.
        preview = imports.parse(upload["text"], practice=self.practice, client=self.import_client)
        if not preview.ok:
            return self.render_page(form=ImportForm(), preview=preview, file_name=upload["name"], status=400)
        try:
            created = services.contracts_import(rows=preview.service_rows(), actor=request.user)
        except ValidationError as exc:  # pragma: no cover - validated just above
            messages.error(request, "Nothing was imported: " + " ".join(exc.messages))
            return redirect(self.urls()["upload"])
        self.drop()
        messages.success(request, f"Imported {len(created)} contract{'s' if len(created) != 1 else ''}.")
        return redirect(self.urls()["done"])


class ImportTemplateMixin:
    read_perm = Perm.VIEW

    def get(self, request, *args, **kwargs):
        client = getattr(self, "client_obj", None)
        header, example = imports.template_rows(client is not None)
        return csv_file_response("contracts-import-template.csv", header, [example])


class PracticeImportView(ImportMixin, VendorPageMixin, TemplateView):
    nav = "renewals"


class PracticeImportConfirmView(ImportConfirmMixin, VendorPageMixin, TemplateView):
    nav = "renewals"


class PracticeImportTemplateView(ImportTemplateMixin, VendorPageMixin, View):
    pass


class ClientImportView(ImportMixin, ClientVendorsMixin, TemplateView):
    pass


class ClientImportConfirmView(ImportConfirmMixin, ClientVendorsMixin, TemplateView):
    pass


class ClientImportTemplateView(ImportTemplateMixin, ClientMixin, View):
    pass
