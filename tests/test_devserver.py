"""`make run` stops cleanly: the supervisor (`manage.py devserver`) stops the web server and the worker
once each, quietly, and exits 0 (SIGTERM) or 130 (Ctrl-C) — no signal storm, no crash."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp_path, *extra) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("VCIO_TESTING", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE, env=env, check=True)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", "--port", str(port), *extra],
        cwd=BASE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.5)
    process.kill()
    pytest.fail("the development server did not start:\n" + process.communicate()[0].decode()[-2000:])


def still_running(port: int) -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if f"127.0.0.1:{port}" in line and "devserver" not in line]


def test_sigterm_to_the_process_group_stops_web_and_worker_once_and_quietly(tmp_path):
    process, port = start(tmp_path)
    time.sleep(2)  # let the worker finish starting
    os.killpg(process.pid, signal.SIGTERM)  # what `kill -TERM -<pgid>` or a service manager does
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 0, output[-2000:]
    assert output.count("Warm shutdown") <= 1, output[-2000:]
    assert "Segmentation fault" not in output and "Traceback" not in output, output[-2000:]
    assert not still_running(port)


def test_ctrl_c_stops_with_status_130(tmp_path):
    process, port = start(tmp_path, "--no-worker")
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)  # an impatient second Ctrl-C changes nothing
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 130, output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    assert not still_running(port)
