"""`make run`'s process supervisor: the development web server and a Celery worker (with its beat
scheduler) side by side, stopped once each and quietly on Ctrl-C or SIGTERM.

The children run in their own sessions, so a Ctrl-C in the terminal reaches this command only; it
then asks each child to stop exactly once (SIGTERM), waits, and exits 130 (interrupted) or 0.
"""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

STOP_TIMEOUT = 15


class Command(BaseCommand):
    help = "Serve the app (runserver) with a Celery worker and beat beside it; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="Serve only the web app.")

    def handle(self, *args, host, port, no_worker, **options):
        env = {**os.environ}
        # Links in e-mails sent without a request (commands, tasks) point where the app really runs.
        env.setdefault("SITE_URL", f"http://{host}:{port}")
        python = sys.executable
        commands = [[python, "manage.py", "runserver", f"{host}:{port}"]]
        if not no_worker:
            celery = [python, "-m", "celery", "-A", "vcio", "worker", "--beat", "--loglevel=warning"]
            commands.append([*celery, "--concurrency=1", "--schedule=var/celerybeat-schedule"])
        children = [subprocess.Popen(cmd, env=env, start_new_session=True) for cmd in commands]  # noqa: S603
        stopping = {"signal": None}

        def stop(signum, frame):
            if stopping["signal"] is None:  # once: a second Ctrl-C changes nothing
                stopping["signal"] = signum

        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, stop)
        while stopping["signal"] is None and all(child.poll() is None for child in children):
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if stopping["signal"] is None:  # a child stopped by itself: report it
            failed = next((c for c in children if c.returncode), None)
            sys.exit(failed.returncode if failed else 0)
        sys.exit(130 if stopping["signal"] == signal.SIGINT else 0)
