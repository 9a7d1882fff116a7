"""QBR report speed: data gathering against WeasyPrint, peak memory, and reports per minute.

    python benchmarks/qbr_report.py [--initiatives 50] [--clients 25] [--workers 2] [--broker redis://127.0.0.1:6379/11]

It builds a throwaway SQLite database in a temporary folder (never your own), with one practice
and clients of the size the issue names (50 initiatives each, goals, action items, a planned QBR),
then measures, for one client:

- gathering: every registered report section's `gather` (the queries and Python), against a floor —
  the same client's rows read with raw SQL in the same run (the ratio is the number to watch);
- the HTML: rendering the report template from the gathered data;
- WeasyPrint: the same HTML to PDF (`qbr.rendering.render_pdf`, the app's one call);
- peak memory: the maximum resident set size of a fresh process that makes one whole report;

and then the throughput: `--clients` reports made by `--workers` processes — real Celery workers
when `--broker` names a Redis database, else a process pool calling the same service.

Budget lines, requirement responses and contracts are counted in once the budgets, compliance and
vendors apps register their report sections; until then their sections are not in the report.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))


def setup(db_path: Path, media: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "vcio.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def build(n_clients: int, n_initiatives: int):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Membership, Practice, Role, User
    from clients.models import Client, Contact
    from qbr import services
    from roadmaps.models import Goal, Initiative, InitiativeGoal
    from vcio.fiscal import fiscal_quarter

    practice = Practice.objects.create(name="Benchmark Partners", slug="bench", time_zone="UTC")
    owner = User.objects.create_user(email="owner@bench.example.com", password="x" * 12, name="Olivia Owner")
    Membership.objects.create(practice=practice, user=owner, role=Role.OWNER)
    today = timezone.localdate()
    statuses = ["proposed", "approved", "in_progress", "done", "deferred"]
    clients = []
    for c in range(n_clients):
        client = Client.objects.create(
            practice=practice, name=f"Client {c:02d} Holdings", primary_consultant=owner
        )
        contact = Contact.objects.create(practice=practice, client=client, name=f"CEO {c}", is_executive=True)
        goals = [
            Goal.objects.create(
                practice=practice, client=client, title=f"Goal {g}", fiscal_year=today.year + 1
            )
            for g in range(6)
        ]
        current = fiscal_quarter(today, client.fiscal_year_start_month)
        for i in range(n_initiatives):
            status = statuses[i % len(statuses)]
            start = current.add(i % 8 - 2)
            initiative = Initiative.objects.create(
                practice=practice,
                client=client,
                title=f"Initiative {i} of client {c}",
                status=status,
                priority=["critical", "high", "medium", "low"][i % 4],
                category="security",
                target_start=start.key,
                target_end=start.add(1).key,
                one_time_cost=1000 + i,
                recurring_monthly_cost=10 * i,
                completed_at=timezone.now() - timedelta(days=i) if status == "done" else None,
                owner=owner,
            )
            InitiativeGoal.objects.create(
                practice=practice, initiative=initiative, goal=goals[i % len(goals)]
            )
        meeting = services.meeting_create(
            client=client,
            actor=owner,
            scheduled_at=timezone.now() + timedelta(days=5),
            members=[owner],
            contacts=[contact],
        )
        for a in range(12):
            services.action_item_create(
                meeting=meeting, actor=owner, description=f"Action {a}", owner_member=owner
            )
        clients.append(client)
    return practice, clients


def timed(fn, repeat: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure_one(practice, client) -> dict:
    from django.db import connection
    from django.utils import timezone

    from qbr import report_services
    from qbr.rendering import render_pdf, report_html, report_scope
    from qbr.report_sections import gather_report

    period, meeting = report_services.report_target(client=client, practice=practice)
    scope = report_scope(
        practice=practice, client=client, period=period, today=timezone.localdate(), meeting=meeting
    )

    def floor():
        with connection.cursor() as cursor:
            for table in ("roadmaps_initiative", "roadmaps_goal", "qbr_actionitem", "qbr_agendaitem"):
                column = "meeting_id" if table == "qbr_agendaitem" else "client_id"
                value = meeting.pk.hex if table == "qbr_agendaitem" else client.pk.hex
                cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [value])  # noqa: S608
                cursor.fetchall()

    floor_s, _ = timed(floor)
    gather_s, data = timed(lambda: gather_report(scope))
    html_s, html = timed(lambda: report_html(data))
    pdf_s, pdf = timed(lambda: render_pdf(html), repeat=3)
    return {"floor": floor_s, "gather": gather_s, "html": html_s, "pdf": pdf_s, "bytes": len(pdf)}


def peak_memory(db_path: Path, media: Path, client_id) -> float:
    """MB of the largest resident set of a fresh process making one whole report."""
    command = [sys.executable, __file__, "--one-report", str(db_path), str(media), str(client_id)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def one_report(db_path: str, media: str, client_id: str) -> None:
    """(In the child process of `peak_memory`.) Make one report; print the peak RSS in KB."""
    setup(Path(db_path), Path(media))
    from clients.models import Client
    from qbr import report_services

    client = Client.objects.get(pk=client_id)
    report = report_services.report_request(client=client, actor=None, enqueue=False)
    report_services.report_generate(practice_id=client.practice_id, report_id=report.pk)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _pool_generate(args) -> None:
    db_path, media, practice_id, report_id = args
    setup(Path(db_path), Path(media))
    from django.db import OperationalError

    from qbr import report_services

    for attempt in range(5):  # like the task's retries: SQLite may be busy with the other process
        try:
            report_services.report_generate(
                practice_id=practice_id, report_id=report_id, task_id=f"pool-{report_id}"
            )
            return
        except OperationalError:
            time.sleep(0.5 * (attempt + 1))


def throughput(db_path: Path, media: Path, practice, clients, workers: int, broker: str | None) -> float:
    """Reports per minute for every client, made by `workers` processes."""
    from multiprocessing import get_context

    from qbr import report_services
    from qbr.models import QBRReport, ReportStatus

    reports = [report_services.report_request(client=c, actor=None, enqueue=False) for c in clients]
    ids = [str(r.pk) for r in reports]
    start = time.perf_counter()
    if broker:
        env = {
            **os.environ,
            "CELERY_BROKER_URL": broker,
            "DATABASE_URL": f"sqlite:///{db_path}",
            "MEDIA_ROOT": str(media),
        }
        worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vcio",
                "worker",
                "-c",
                str(workers),
                "-Q",
                "qbr-bench",
                "-l",
                "WARNING",
            ],
            cwd=BASE,
            env=env,
            start_new_session=True,
        )
        try:
            from celery import Celery

            sender = Celery("bench", broker=broker)
            for report_id in ids:
                sender.send_task(
                    "qbr.tasks.qbr_report_generate_task",
                    kwargs={"practice_id": str(practice.pk), "report_id": report_id},
                    queue="qbr-bench",
                )
            while QBRReport.objects.filter(pk__in=ids, status=ReportStatus.DONE).count() < len(ids):
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    else:
        with get_context("spawn").Pool(workers) as pool:
            pool.map(_pool_generate, [(str(db_path), str(media), str(practice.pk), i) for i in ids])
    _ = time.perf_counter() - start  # (includes starting the processes; not counted below)
    from django.db.models import Count, Max, Min

    span = QBRReport.objects.filter(pk__in=ids, status=ReportStatus.DONE).aggregate(
        first=Min("started_at"), last=Max("finished_at"), n=Count("pk")
    )
    assert span["n"] == len(ids), f"{span['n']} of {len(ids)} reports done"
    # From the first report started to the last one finished: the processes' start-up is not counted.
    return len(ids) / (span["last"] - span["first"]).total_seconds() * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=50)
    parser.add_argument("--clients", type=int, default=25)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--broker", default="", help="a Redis URL: real Celery workers (default: a process pool)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and PDFs")
    parser.add_argument("--one-report", nargs=3, metavar=("DB", "MEDIA", "CLIENT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_report:
        one_report(*args.one_report)
        return
    folder = Path(tempfile.mkdtemp(prefix="vcio-qbr-bench-"))
    db_path, media = folder / "bench.sqlite3", folder / "media"
    setup(db_path, media)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
    practice, clients = build(args.clients, args.initiatives)
    one = measure_one(practice, clients[0])
    memory = peak_memory(db_path, media, clients[0].pk)
    rate = throughput(db_path, media, practice, clients, args.workers, args.broker or None)
    print(f"QBR report, one client with {args.initiatives} initiatives ({one['bytes'] // 1024} KB PDF):")
    print(f"  floor (raw SQL, same rows)  {one['floor'] * 1000:8.1f} ms")
    print(
        f"  gathering (sections)        {one['gather'] * 1000:8.1f} ms   {one['gather'] / one['floor']:6.1f} × floor"
    )
    print(f"  HTML (template)             {one['html'] * 1000:8.1f} ms")
    print(
        f"  WeasyPrint (same HTML)      {one['pdf'] * 1000:8.1f} ms   {one['pdf'] / one['gather']:6.1f} × gathering"
    )
    print(f"  whole report                {(one['gather'] + one['html'] + one['pdf']):8.2f} s")
    print(f"  peak memory (one report)    {memory:8.0f} MB")
    how = "Celery workers" if args.broker else "processes"
    print(f"{args.clients} clients, {args.workers} {how}: {rate:.1f} reports per minute")
    if args.keep:
        print(f"(data kept in {folder})")
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
