"""The QBR report pages of a client: the HTML preview (the very template the PDF is made from, for
any fiscal quarter), generating the PDF (a Celery task), its page while it is made (polled), the
download, and a retry of a failed one. Thin views on the QBR tab's frame (`QbrPageMixin`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from accounts.access import Perm
from vcio.fiscal import FiscalQuarter, fiscal_quarter, parse_quarter, quarter_range

from . import report_services
from .models import QBRReport
from .rendering import report_html, report_scope
from .report_sections import gather_report
from .views import POLL_SECONDS, QbrPageMixin


def _period_param(value) -> FiscalQuarter | None:
    try:
        return parse_quarter(value) if value else None
    except ValueError:
        return None


class ReportPreviewView(QbrPageMixin, View):
    """The report as HTML in the browser — the very template the PDF is made from. `?period=` picks
    the fiscal quarter (default: the one of the next planned QBR, else today's)."""

    def get(self, request, *args, **kwargs):
        client = self.client_obj
        period, meeting = report_services.report_target(
            client=client, practice=self.practice, period=_period_param(request.GET.get("period"))
        )
        today = report_services.local_today(self.practice)
        scope = report_scope(
            practice=self.practice, client=client, period=period, today=today, meeting=meeting
        )
        current = fiscal_quarter(today, client.fiscal_year_start_month)
        choices = sorted({*quarter_range(current.add(-4), current.add(4)), period})
        extra = {"period_choices": choices, "can_generate": request.can.get(Perm.EDIT, False)}
        return HttpResponse(report_html(gather_report(scope), preview=True, request=request, extra=extra))


class ReportGenerateView(QbrPageMixin, View):
    """“Generate now”: queue the client's report (optionally `period`) and follow its progress."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = report_services.report_request(
            client=self.client_obj, actor=request.user, period=_period_param(request.POST.get("period"))
        )
        return redirect(self.url("report", report.pk))


class ReportDetailView(QbrPageMixin, TemplateView):
    """A report: live progress while it is made (htmx polls this page's status card), then the PDF."""

    template_name = "qbr/report_detail.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["qbr/_report_status.html"]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = self.scoped(
            QBRReport.objects.select_related("requested_by", "meeting", "client"), self.kwargs["report_pk"]
        )
        ctx.update(report=report, stale=report_services.is_stale(report), poll=POLL_SECONDS)
        return ctx


class ReportDownloadView(QbrPageMixin, View):
    def get(self, request, *args, **kwargs):
        report = self.scoped(QBRReport.objects.select_related("client"), kwargs["report_pk"])
        if not report.is_done or not report.pdf:
            raise Http404("This report has no PDF yet.")
        name = (
            slugify(f"{self.client_obj.name} qbr {report.period_label} v{report.version}")[:80]
            or "qbr-report"
        )
        return FileResponse(
            report.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=f"{name}.pdf"
        )


class ReportRetryView(QbrPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = self.scoped(QBRReport, kwargs["report_pk"])
        try:
            report_services.report_retry(report=report, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.url("report", report.pk))
