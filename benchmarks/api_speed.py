"""Benchmark (issue 21): the case API's speed against a bare Django JSON view on the same
stack (gunicorn, 3 workers, the same middleware and database). Targets: a detail GET at
least 0.25 of the bare view's requests a second, a list GET (50 a page) at least 0.3.

    .venv/bin/python benchmarks/api_speed.py [--detentions 100000] [--reuse] [--keep]
        [--seconds 12] [--rounds 4] [--clients 6] [--port 8791] [--profile 20]

Uses the national data of benchmarks/national_data.py in `customs_ipr_bench_api` (or,
with --reuse, a database kept earlier). Signs a GACC officer in (a session cookie: sees
every case), starts gunicorn on --port with benchmarks/api_settings.py, and for each URL
sends GETs from --clients threads for --seconds an endpoint, in --rounds interleaved
rounds (bare, detail, list, bare, ...: load from elsewhere on the machine falls on all
three alike): requests a second, p50 and p95, statuses. A database reused stays.
Then profiles --profile detail and list requests in this process (cProfile, the top
functions by own time and by cumulative time): where the time goes, to cut next.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import os
import pstats
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.benchdb import BenchDatabase  # noqa: E402

BENCH = BenchDatabase("customs_ipr_bench_api")
TARGETS = {"detail": 0.25, "list": 0.30}


def officer_session() -> tuple[str, object]:
    """A GACC officer and a session key signed in as them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import Organisation, User

    gacc = Organisation.objects.get(kind="customs", customs_code="0000")
    user, _ = User.objects.get_or_create(
        username="bench.gacc", defaults={"organisation": gacc, "is_staff": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key, user


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.api_settings",
        "BENCH_DATABASE": BENCH.name,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "3", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def load(port: int, path: str, cookie: str, *, seconds: float, clients: int) -> dict:
    """GETs of `path` from `clients` threads for `seconds`."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = connection.getresponse()
            response.read()
            connection.close()
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summary(latencies, statuses, elapsed)


def summary(latencies: list[float], statuses: dict[int, int], elapsed: float) -> dict:
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(ordered),
        "p95": ordered[max(int(len(ordered) * 0.95) - 1, 0)],
        "statuses": statuses,
        "latencies": latencies,
        "elapsed": elapsed,
    }


def merged(runs: list[dict]) -> dict:
    """One endpoint's rounds as one run: all requests over all the rounds' time."""
    statuses: dict[int, int] = {}
    for run in runs:
        for code, n in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    latencies = [latency for run in runs for latency in run["latencies"]]
    return summary(latencies, statuses, sum(run["elapsed"] for run in runs))


def profile(user, paths: dict[str, str], n: int) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")  # an allowed host of the local settings
    client.force_login(user)
    for path in paths.values():
        client.get(path)  # warm: imports, caches
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(n):
            response = client.get(path)
        profiler.disable()
        each = (time.perf_counter() - started) / n
        print(f"\nProfile of {n} GET {path} in this process ({response.status_code}): "
              f"{each * 1000:.1f} ms each")  # fmt: skip
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(18)
            lines = [line for line in out.getvalue().splitlines() if line.strip()]
            start = next(i for i, line in enumerate(lines) if "ncalls" in line)
            print(f"  by {order}:")
            for line in lines[start : start + 19]:
                print(f"    {line[:150]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detentions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--seconds", type=float, default=12.0, help="per endpoint, in all")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--profile", type=int, default=20, help="requests profiled (0: none)")
    args = parser.parse_args()

    BENCH.setup_django()
    from django.db import connection

    from detentions.models import Detention

    reused = args.reuse and BENCH.exists()
    BENCH.national_data(detentions=args.detentions, seed=args.seed, reuse=args.reuse)
    cookie, user = officer_session()
    case = Detention.objects.order_by("-opened_on", "-id").first()
    paths = {
        "bare": f"/bench/bare/{case.pk}/",
        "detail": f"/api/v1/detentions/{case.pk}/",
        "list": "/api/v1/detentions/?page_size=50",
    }
    connection.close()
    server = start_gunicorn(args.port)
    try:
        for path in paths.values():  # each worker warm
            load(args.port, path, cookie, seconds=1, clients=args.clients)
        # Interleaved: --rounds rounds of (bare, detail, list), so that other load on the
        # machine falls on all three alike; each endpoint's figures over all its rounds.
        rounds = {name: [] for name in paths}
        for _ in range(args.rounds):
            for name, path in paths.items():
                rounds[name].append(load(args.port, path, cookie, clients=args.clients,
                                         seconds=args.seconds / args.rounds))  # fmt: skip
        results = {name: merged(runs) for name, runs in rounds.items()}
        for name, path in paths.items():
            r = results[name]
            each = ", ".join(f"{run['rps']:,.0f}" for run in rounds[name])
            print(f"GET {path}: {r['rps']:,.0f} req/s, p50 {r['p50'] * 1000:.1f} ms, "
                  f"p95 {r['p95'] * 1000:.1f} ms, statuses {r['statuses']} "
                  f"(the rounds: {each})")  # fmt: skip
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    if args.profile:
        profile(user, {k: v for k, v in paths.items() if k != "bare"}, args.profile)

    bare = results["bare"]["rps"]
    print("\n| measure | project | reference in the same run | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    verdict = "PASS"
    for name in ("detail", "list"):
        r = results[name]
        ratio = r["rps"] / bare
        ok = ratio >= TARGETS[name] and set(r["statuses"]) == {200}
        verdict = verdict if ok else "FAIL"
        print(
            f"| GET {paths[name]} | {r['rps']:,.0f} req/s, p50 {r['p50'] * 1000:.0f} ms | "
            f"bare Django JSON view: {bare:,.0f} req/s | {ratio:.3f} | >= {TARGETS[name]} |"
        )
    print(f"\n{verdict}")
    if not (args.keep or reused):  # a database kept earlier stays
        BENCH.drop()
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
