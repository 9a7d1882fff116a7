"""Settings → API keys: list, create (the key is shown once, on the page that answers the form) and
revoke. Owners and admins only (`Perm.MANAGE_SETTINGS`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.generic import FormView, TemplateView, View

from vcio.forms import run_service
from vcio.history import parse_before
from vcio.listing import paginate

from . import apikey_services
from .access import Perm, PracticeMixin
from .apikey_forms import ApiKeyForm
from .apikey_selectors import api_key_list
from .models import ApiKey
from .selectors import api_key_history


class ApiKeySettingsMixin(PracticeMixin):
    read_perm = Perm.MANAGE_SETTINGS
    write_perm = Perm.MANAGE_SETTINGS
    nav = "settings"


class ApiKeyListView(ApiKeySettingsMixin, TemplateView):
    template_name = "accounts/apikeys/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["page"] = paginate(self.request, api_key_list(practice=self.practice))
        ctx["entries"] = api_key_history(
            practice=self.practice, before=parse_before(self.request.GET.get("before"))
        )
        return ctx


class ApiKeyCreateView(ApiKeySettingsMixin, FormView):
    template_name = "accounts/apikeys/create.html"
    form_class = ApiKeyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["practice"] = self.practice
        return kwargs

    def form_valid(self, form):
        result = run_service(
            form,
            apikey_services.api_key_create,
            practice=self.practice,
            actor=self.request.user,
            **form.service_kwargs(),
        )
        if result is None:
            return self.form_invalid(form)
        key, raw = result
        messages.success(self.request, f"API key “{key.name}” created. Copy it now: it is shown only once.")
        # Rendered, not redirected: the raw key lives in this one response and nowhere else.
        response = TemplateResponse(
            self.request,
            "accounts/apikeys/created.html",
            self.get_context_data(api_key=key, raw_key=raw),
        )
        add_never_cache_headers(response)
        return response


class ApiKeyRevokeView(ApiKeySettingsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        key = get_object_or_404(ApiKey.objects.for_practice(self.practice), pk=kwargs["key_pk"])
        try:
            apikey_services.api_key_revoke(api_key=key, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"API key “{key.name}” revoked. Requests with it are refused from now on."
            )
        return redirect("accounts:apikeys", practice_slug=self.practice.slug)
