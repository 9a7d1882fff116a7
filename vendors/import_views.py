"""The vendors app's CSV import pages (one client's, or the practice's for any client): upload,
preview, confirm — thin views over `vendors.imports`; access and scoping as in `vendors.views`."""

import csv
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView, View

from accounts.access import Perm
from clients.mixins import ClientMixin

from . import imports, services
from .forms import ImportConfirmForm, ImportForm
from .views import ClientVendorsMixin, VendorPageMixin

# --- CSV import -------------------------------------------------------------------------------------------

SESSION_KEY = "vendors_import"


class ImportMixin:
    """The import pages, for one client (`ClientVendorsMixin`) or the whole practice. The uploaded
    text waits in the session (size-capped) between the preview and the confirmation, which
    validates it again before anything is written."""

    template_name = "vendors/import.html"
    read_perm = Perm.EDIT

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

    def stash(self, name: str, text: str) -> str:
        token = secrets.token_hex(16)
        uploads = self.request.session.get(SESSION_KEY, {})
        uploads = {
            k: v
            for k, v in uploads.items()
            if k.split(":")[0] != str(self.practice.pk) or k == self.scope_key()
        }
        uploads[self.scope_key()] = {"token": token, "name": name[:120], "text": text}
        self.request.session[SESSION_KEY] = uploads
        return token

    def stashed(self, token: str) -> dict | None:
        upload = self.request.session.get(SESSION_KEY, {}).get(self.scope_key())
        if not upload or not token or not secrets.compare_digest(str(upload.get("token", "")), str(token)):
            return None
        return upload

    def drop(self) -> None:
        uploads = self.request.session.get(SESSION_KEY, {})
        uploads.pop(self.scope_key(), None)
        self.request.session[SESSION_KEY] = uploads

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
        response = HttpResponse(content_type="text/csv; charset=utf-8")  # small: not streamed
        response["Content-Disposition"] = content_disposition_header(True, "contracts-import-template.csv")
        response.write("\ufeff")  # a byte-order mark, like every CSV of the app: Excel reads UTF-8 then
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerow(example)
        return response


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
