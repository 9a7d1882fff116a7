"""`python manage.py qbr_generate --practice SLUG [--client ID] [--period "FY2027 Q2"] [--wait]`

Queues the same worker task as “Generate now” (for one client, or every active client of the
practice); with `--wait`, waits for the reports and prints each PDF's path (exit status 1 if one
failed or the wait timed out). For scripts and for checking a deployment's worker.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Practice
from clients.models import Client, ClientStatus
from qbr import report_services
from qbr.models import QBRReport, ReportStatus
from vcio.fiscal import parse_quarter


class Command(BaseCommand):
    help = "Queue QBR report generation for a practice's clients; --wait prints the PDF paths."

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="The practice's slug (/p/SLUG/).")
        parser.add_argument("--client", help="One client's id (default: every active client).")
        parser.add_argument("--period", help='A fiscal quarter such as "FY2027 Q2" (default: next QBR\'s).')
        parser.add_argument(
            "--wait", action="store_true", help="Wait for the reports and print the PDF paths."
        )
        parser.add_argument(
            "--timeout", type=int, default=600, help="Seconds to wait with --wait (default 600)."
        )

    def handle(self, *args, practice, client, period, wait, timeout, **options):
        found = Practice.objects.filter(slug=practice).first()
        if found is None:
            raise CommandError(f"No practice with the slug “{practice}”.")
        clients = Client.objects.for_practice(found)
        if client:
            try:
                targets = [clients.get(pk=client)]
            except (Client.DoesNotExist, ValidationError, ValueError):
                raise CommandError(f"No client {client} in {found.name}.") from None
        else:
            targets = list(clients.filter(status=ClientStatus.ACTIVE).order_by("name"))
        quarter = None
        if period:
            try:
                quarter = parse_quarter(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        reports = [report_services.report_request(client=c, actor=None, period=quarter) for c in targets]
        for report in reports:
            self.stderr.write(
                f"Queued {report.client.name} {report.period_label} v{report.version} ({report.pk})"
            )
        if not wait:
            return
        deadline = time.monotonic() + timeout
        pending = {r.pk for r in reports}
        failed = False
        while pending and time.monotonic() < deadline:
            for report in (
                QBRReport.objects.for_practice(found).filter(pk__in=pending).select_related("client")
            ):
                if report.status == ReportStatus.DONE:
                    self.stdout.write(report.pdf.path if _is_local(report) else report.pdf.url)
                    pending.discard(report.pk)
                elif report.status == ReportStatus.FAILED:
                    self.stderr.write(f"FAILED {report.client.name}: {report.error}")
                    pending.discard(report.pk)
                    failed = True
            if pending:
                time.sleep(0.5)
        if pending:
            raise CommandError(f"Timed out waiting for {len(pending)} report(s); is a worker running?")
        if failed:
            raise CommandError("Some reports failed.")


def _is_local(report) -> bool:
    try:
        report.pdf.path  # noqa: B018 - local file storage has a path; remote storage raises
    except NotImplementedError:
        return False
    return True
