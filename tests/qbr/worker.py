"""A real Celery worker for the integration tests (`python -m tests.qbr.worker`), configured from the
environment the test gives it: the same database and media folder as the test, its own queue on the
test Redis, e-mail to files, and optionally one injected fault:

- `QBR_TEST_FAULT=pause:<dir>`: the first report pauses half-way (after its HTML, before the PDF) and
  says so by creating `<dir>/paused` — the test then kills the worker with SIGKILL;
- `QBR_TEST_FAULT=db_error_once:<dir>`: the first time a report is being marked done, the database
  "fails" (OperationalError) — the task must retry and finish the report, never half-written.
- `QBR_TEST_FAULT=mail_fail_once:<dir>:<address>`: the first e-mail to `<address>` fails (the mail
  server drops the connection) — the reminder task must retry and send the rest, repeating none.

`QBR_TEST_VISIBILITY=<seconds>` shortens Redis's visibility timeout, so this worker redelivers a
message whose worker died (production keeps the default hour, longer than any report's time limit).
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vcio.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import OperationalError  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402

from vcio.celery import app  # noqa: E402


def _once(folder: str, name: str) -> bool:
    """True the first time it is asked (across processes: an exclusive file create)."""
    try:
        os.close(os.open(os.path.join(folder, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        return False


def install_pause(folder: str) -> None:
    from qbr import rendering

    real = rendering.render_pdf

    def paused_render_pdf(html):
        if _once(folder, "paused"):
            time.sleep(600)  # killed here
        return real(html)

    rendering.render_pdf = paused_render_pdf


def install_db_error_once(folder: str) -> None:
    def fail_done_once(execute, sql, params, many, context):
        if (
            sql.startswith('UPDATE "qbr_qbrreport"')
            and params
            and "done" in [str(p) for p in params]
            and _once(folder, "db-error")
        ):
            raise OperationalError("simulated: the database connection was lost")
        return execute(sql, params, many, context)

    def on_connect(sender, connection, **kwargs):
        if fail_done_once not in connection.execute_wrappers:
            connection.execute_wrappers.append(fail_done_once)

    connection_created.connect(on_connect, weak=False)


def install_mail_fail_once(folder: str, address: str) -> None:
    import smtplib

    from django.core.mail.backends.filebased import EmailBackend

    real = EmailBackend.send_messages

    def send_messages(self, messages):
        if any(address in m.to for m in messages) and _once(folder, "mail-fail"):
            raise smtplib.SMTPServerDisconnected("simulated: the mail server went away")
        return real(self, messages)

    EmailBackend.send_messages = send_messages


def main() -> None:
    queue = os.environ["QBR_TEST_QUEUE"]
    fault = os.environ.get("QBR_TEST_FAULT", "")
    kind, _, folder = fault.partition(":")
    if kind == "pause":
        install_pause(folder)
    elif kind == "db_error_once":
        install_db_error_once(folder)
    elif kind == "mail_fail_once":
        folder, _, address = folder.partition(":")
        install_mail_fail_once(folder, address)
    if os.environ.get("QBR_TEST_MAIL_DIR"):
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = os.environ["QBR_TEST_MAIL_DIR"]
    options = {}
    if os.environ.get("QBR_TEST_VISIBILITY"):
        options = {
            "visibility_timeout": int(os.environ["QBR_TEST_VISIBILITY"]),
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
    app.conf.update(
        task_always_eager=False,
        task_default_queue=queue,
        broker_transport_options=options,
        worker_hijack_root_logger=False,
    )
    app.worker_main(
        [
            "worker",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ]
    )


if __name__ == "__main__":
    main()
