"""Benchmark: does `make run` hold 50 concurrent connections on loopback? Target: 0 resets.

    .venv/bin/python benchmarks/concurrent_connections.py [--connections 50] [--rounds 3]
        [--port 8765] [--path /api/v1/public/recordals/?q=a]

Starts the service exactly as `make run` does (`python -m config.launcher`: migrate,
seed_demo, web, Celery worker and beat) on its own throwaway embedded PostgreSQL/Redis
and port, waits for /healthz, then opens --connections connections at once, --rounds
times, each sending one GET and reading the whole response. Prints the statuses, the
connections reset or refused, the slowest answer, and PASS (0 resets, no 5xx) or FAIL.
Stops the launcher with SIGINT (as Ctrl-C does) at the end.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_request(host: str, port: int, path: str, barrier: threading.Barrier, out: list) -> None:
    started = time.monotonic()
    try:
        barrier.wait(timeout=30)
        with socket.create_connection((host, port), timeout=60) as sock:
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
            )
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        head = b"".join(chunks).split(b"\r\n", 1)[0].decode(errors="replace")
        status = head.split(" ")[1] if head.startswith("HTTP/") else "garbled"
        out.append((status, time.monotonic() - started))
    except (ConnectionResetError, BrokenPipeError):
        out.append(("reset", time.monotonic() - started))
    except ConnectionRefusedError:
        out.append(("refused", time.monotonic() - started))
    except OSError as exc:
        out.append((f"error:{type(exc).__name__}", time.monotonic() - started))


def wait_healthy(url: str, launcher: subprocess.Popen, timeout: float = 300) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if launcher.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--path", default="/api/v1/public/recordals/?q=a")
    args = parser.parse_args()

    import tempfile

    from config.embedded import ensure_services

    state = Path(tempfile.mkdtemp(prefix="customs-ipr-bench-conn-"))
    atexit.register(shutil.rmtree, state, True)  # last: after the embedded servers stop
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    ensure_services(state, throwaway=True)
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"],
        REDIS_URL=os.environ["REDIS_URL"],
        HOST="127.0.0.1",
        PORT=str(args.port),
        API_PUBLIC_THROTTLE="100000/minute",  # the throttle is not what is measured
    )
    log = (state / "launcher.log").open("w")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "config.launcher"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        if not wait_healthy(f"http://127.0.0.1:{args.port}/healthz", launcher):
            print("FAIL: the launcher did not become healthy; its output:")
            print((state / "launcher.log").read_text()[-4000:])
            return 1
        results: list = []
        for _ in range(args.rounds):
            barrier = threading.Barrier(args.connections)
            threads = [
                threading.Thread(
                    target=one_request, args=("127.0.0.1", args.port, args.path, barrier, results)
                )
                for _ in range(args.connections)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        statuses = Counter(status for status, _ in results)
        resets = statuses["reset"] + statuses["refused"]
        server_errors = sum(n for s, n in statuses.items() if s.startswith("5"))
        print(f"{args.rounds} rounds x {args.connections} concurrent connections to {args.path}")
        print(f"statuses: {dict(sorted(statuses.items()))}")
        print(f"resets: {resets}")
        print(f"server errors: {server_errors}")
        print(f"slowest: {max(t for _, t in results) * 1000:.0f} ms")
        ok = resets == 0 and server_errors == 0 and statuses["200"] == len(results)
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        launcher.send_signal(signal.SIGINT)
        try:
            launcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            launcher.kill()


if __name__ == "__main__":
    sys.exit(main())
