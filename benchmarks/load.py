"""The loopback load run: gunicorn (2 sync workers, production settings) on the large world, and a
small Python client on the same machine.

- per case, `requests` requests one after the other (concurrency 1): p50, p95 and requests/second;
- a mixed run of every case at `concurrency` for `seconds`: overall throughput, p50 and p95.
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from .worlds import ROOT


@dataclass
class LoadResult:
    p50: float
    p95: float
    rps: float
    count: int
    errors: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Server:
    """gunicorn on a free loopback port; a context manager."""

    def __init__(self, env: dict, workers: int = 2):
        self.port = _free_port()
        self.env = env
        self.workers = workers

    def __enter__(self):
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "vcio.wsgi:application",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz", {})[0] == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited during start-up")
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def get(self, url: str, headers: dict) -> tuple[int, float]:
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", url, headers={"Host": "127.0.0.1", "Connection": "close", **headers})
            response = conn.getresponse()
            response.read()
            return response.status, time.perf_counter() - start
        finally:
            conn.close()


def sequential(server: Server, url: str, headers: dict, expected: int, requests: int) -> LoadResult:
    times, errors = [], 0
    for _ in range(2):  # one warm request per worker
        server.get(url, headers)
    started = time.perf_counter()
    for _ in range(requests):
        status, seconds = server.get(url, headers)
        errors += status != expected
        times.append(seconds)
    elapsed = time.perf_counter() - started
    return LoadResult(percentile(times, 0.5), percentile(times, 0.95), requests / elapsed, requests, errors)


def mixed(
    server: Server, requests: list[tuple[str, dict, int]], concurrency: int, seconds: float
) -> LoadResult:
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int):
        i = offset
        while time.perf_counter() < stop:
            url, headers, expected = requests[i % len(requests)]
            i += 1
            status, elapsed = server.get(url, headers)
            with lock:
                times.append(elapsed)
                errors[0] += status != expected

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if not times:
        return LoadResult(0, 0, 0, 0, errors[0])
    return LoadResult(
        statistics.median(times), percentile(times, 0.95), len(times) / elapsed, len(times), errors[0]
    )


def cpu_count() -> int:
    return os.cpu_count() or 1
