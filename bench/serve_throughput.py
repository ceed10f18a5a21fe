"""Requests per second under gunicorn: the trainee's ledger page against a hello-world view.

    .venv/bin/python bench/serve_throughput.py [--smoke] [--seconds S] [--connections C]

Starts gunicorn (production settings: DEBUG=0, WhiteNoise, CSP, sessions in the database;
`bench/_serve_settings.py` adds `/bench/hello/`, a view that does nothing behind the same
middleware) on 127.0.0.1:8311 with WEB_CONCURRENCY processes (default: the number of cores),
signs the demo trainee 张明 in, then loads both URLs from a second process on loopback: C
keep-alive connections (default 8) for S seconds each (default 20), after a warm-up, in slices
of about 5 s that alternate between the two URLs (so the load of the shared machine falls on
both alike). The
database is BENCH_DATABASE_URL's (the demo is loaded into it, idempotently), by default the
SQLite file var/bench-serve.sqlite3. `--smoke`: 2 seconds per URL, 2 connections.

Prints per URL the requests per second, latency percentiles and the gunicorn workers' CPU time
per request (read from /proc before and after each run: what a request costs the server,
whatever else the shared machine runs), then
RESULT ledger_rps=… hello_rps=… ratio=… p95_ms=… ledger_cpu_ms=… hello_cpu_ms=… cpu_ratio=…
(p95 of the ledger page; cpu_ratio = hello's CPU per request over the ledger's), and
uncached_rps=… uncached_cpu_ms=…: the ledger page again from a gunicorn started with
CREDITS_LEDGER_CACHE_SECONDS=0 (its content evaluated and rendered on every request, what a
first visit costs).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _bench import PRODUCTION_ENV

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8311"))

ENV = {
    **PRODUCTION_ENV,
    "DJANGO_SETTINGS_MODULE": "bench._serve_settings",
    "DEMO": "1",  # load_demo with DEBUG off
}


def run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SESSION = """
import django; django.setup()
from django.test import Client
from apps.accounts.models import User
client = Client()
user = User.objects.get(role="trainee", person__name="张明", person__unit__name__contains="琥珀")
client.force_login(user, backend="apps.accounts.backends.PortalBackend")
print(client.cookies["sessionid"].value)
"""


def load(
    url: str, cookie: str, seconds: float, connections: int, queue: multiprocessing.Queue
) -> None:
    """The load generator (runs in its own process): keep-alive connections in threads."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop = time.monotonic() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
                    continue
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                continue
            latencies[i].append(time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    queue.put(([x for part in latencies for x in part], sum(errors), elapsed))


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's worker processes (Linux /proc):
    what a request costs the server, whatever else the machine's cores are busy with."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return float("nan")
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker restarted meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def warm_up(url: str, cookie: str, seconds: float, connections: int) -> None:
    """Every gunicorn process compiles its templates, opens its database connection and
    fills its cache before anything is counted."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    warm = multiprocessing.Process(
        target=load, args=(url, cookie, min(3.0, seconds), connections, queue)
    )
    warm.start()
    queue.get()
    warm.join()


def load_run(url: str, cookie: str, seconds: float, connections: int, master: int) -> tuple:
    """One load run: (latencies, errors, elapsed seconds, server CPU seconds)."""
    queue: multiprocessing.Queue = multiprocessing.Queue()
    proc = multiprocessing.Process(target=load, args=(url, cookie, seconds, connections, queue))
    cpu_before = server_cpu(master)
    proc.start()
    latencies, errors, elapsed = queue.get()
    cpu = server_cpu(master) - cpu_before
    proc.join()
    return latencies, errors, elapsed, cpu


def measure(
    urls: list[str], cookie: str, seconds: float, connections: int, master: int, rounds: int
) -> list[dict[str, float]]:
    """Each URL for `seconds` in all, in `rounds` alternating slices (ledger, hello, ledger,
    hello …), so a change in the shared machine's load falls on both alike."""
    for url in urls:
        warm_up(url, cookie, seconds, connections)
    runs: dict[str, list[tuple]] = {url: [] for url in urls}
    for _ in range(rounds):
        for url in urls:
            runs[url].append(load_run(url, cookie, seconds / rounds, connections, master))
    figures = []
    for url in urls:
        latencies = sorted(x for part in runs[url] for x in part[0])
        errors = sum(part[1] for part in runs[url])
        elapsed = sum(part[2] for part in runs[url])
        cpu = sum(part[3] for part in runs[url])
        if not latencies:
            sys.exit(f"{url}: no successful request ({errors} errors)")
        pick = lambda q, xs=latencies: xs[min(len(xs) - 1, int(q * len(xs)))] * 1000  # noqa: E731
        figures.append(
            {
                "rps": len(latencies) / elapsed,
                "p50": pick(0.50),
                "p95": pick(0.95),
                "p99": pick(0.99),
                "mean": statistics.fmean(latencies) * 1000,
                "errors": errors,
                "n": len(latencies),
                "cpu_ms": cpu * 1000 / len(latencies),
            }
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    seconds, connections = (2.0, 2) if args.smoke else (args.seconds, args.connections)
    rounds = 1 if args.smoke else max(1, int(seconds // 5))  # slices of about 5 s
    env = {**os.environ, **ENV}
    env.pop("REDIS_URL", None)
    # A database of its own (its ID numbers are encrypted with the benchmark's key).
    env.setdefault("BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-serve.sqlite3'}")
    env["DATABASE_URL"] = env["BENCH_DATABASE_URL"]
    cores = os.cpu_count() or 2
    workers = int(os.environ.get("WEB_CONCURRENCY", cores))

    run("manage.py", "migrate", "--no-input", "-v", "0", env=env)
    # The demo data is loaded as in development (its verification PDFs are signed by the
    # development root, which production settings refuse to generate); serving is production.
    run("manage.py", "load_demo", env={**env, "DEBUG": "1"})
    run("manage.py", "collectstatic", "--no-input", "-v", "0", env=env)
    cookie = run("-c", SESSION, env=env).strip().splitlines()[-1]

    def serve(extra: dict[str, str]) -> subprocess.Popen:
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "hefei_cpe.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**env, **extra},
        )
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz/")
                break
            except OSError:
                time.sleep(0.2)
        return server

    server = serve({})
    try:
        ledger, hello = measure(
            ["/ledger/", "/bench/hello/"], cookie, seconds, connections, server.pid, rounds
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The same page with its cache off: what a first visit (or one after a change) costs.
    server = serve({"CREDITS_LEDGER_CACHE_SECONDS": "0"})
    try:
        (uncached,) = measure(["/ledger/"], cookie, seconds, connections, server.pid, 1)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"gunicorn: {workers} processes on {cores} cores; client: {connections} keep-alive "
        f"connections from a second process, {seconds:g} s per URL; database: "
        f"{'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}"
    )
    print(
        f"{'url':<16}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'requests':>10}"
        f"{'errors':>8}{'cpu ms':>8}"
    )
    for name, m in (("/ledger/", ledger), ("/bench/hello/", hello), ("(no cache)", uncached)):
        print(
            f"{name:<16}{m['rps']:>9.1f}{m['p50']:>9.1f}{m['p95']:>9.1f}{m['p99']:>9.1f}"
            f"{m['n']:>10}{m['errors']:>8}{m['cpu_ms']:>8.2f}"
        )
    print(
        "cpu ms = CPU time of the gunicorn workers per request (/proc), unaffected by what else "
        "runs on the machine; cpu_ratio = hello's over the ledger's; (no cache) = /ledger/ again "
        "with CREDITS_LEDGER_CACHE_SECONDS=0, every request evaluating and rendering the ledger"
    )
    print(
        f"RESULT ledger_rps={ledger['rps']:.1f} hello_rps={hello['rps']:.1f} "
        f"ratio={ledger['rps'] / hello['rps']:.2f} p95_ms={ledger['p95']:.1f} "
        f"ledger_cpu_ms={ledger['cpu_ms']:.2f} hello_cpu_ms={hello['cpu_ms']:.2f} "
        f"cpu_ratio={hello['cpu_ms'] / ledger['cpu_ms']:.2f} "
        f"uncached_rps={uncached['rps']:.1f} uncached_cpu_ms={uncached['cpu_ms']:.2f}"
    )


if __name__ == "__main__":
    main()
