"""`make run`: migrate, load demo data, then run web, Celery worker and Celery beat together.

Each child runs in its own process group, so Ctrl-C reaches only this launcher, which
then stops the children in order (beat, worker, web), waits for them, kills any that
hang, and finally stops the embedded PostgreSQL/Redis it started. Nothing is left behind.

The web server is gunicorn (threads) with whitenoise for static files; DEBUG stays off
unless asked for (DEBUG=1), and mail goes to the console.

Environment: HOST (default 127.0.0.1), PORT (default 8000), DATABASE_URL and REDIS_URL
(embedded servers when unset), WORKER_CONCURRENCY (default 2), WEB_WORKERS (default 3),
WEB_THREADS (default 8), DEBUG (default off).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from config.embedded import ensure_services

STOP_TIMEOUT = 20


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    ensure_services()
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "config"]

    for step in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run([python, "manage.py", *step], check=True)

    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    concurrency = os.environ.get("WORKER_CONCURRENCY", "2")
    commands = {
        "web": web_command(python, host, port),
        "worker": [
            *celery,
            "worker",
            "-l",
            "INFO",
            "-n",
            "worker@%h",
            "--concurrency",
            concurrency,
        ],
        "beat": [*celery, "beat", "-l", "INFO"],
    }
    for name, command in commands.items():
        children[name] = subprocess.Popen(command, start_new_session=True)

    url = f"http://{host}:{port}"
    if _wait_healthy(f"{url}/healthz", children, lambda: stopping):
        _banner(url)
    exit_code = 0
    while not stopping:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"\n{name} exited with code {child.returncode}; stopping the rest.")
                exit_code = child.returncode or 1
                stopping = True
        time.sleep(0.3)

    print("\nStopping beat, worker and web ...", flush=True)
    for name in ("beat", "worker", "web"):
        _terminate(children[name])
    print("Stopped.")
    return exit_code


def web_command(python: str, host: str, port: str) -> list[str]:
    """The production server, as docker-compose.yml runs it (gunicorn, whitenoise for
    static files), with threads so that many concurrent connections wait in the backlog
    instead of being reset (benchmarks/concurrent_connections.py)."""
    return [
        python,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        os.environ.get("WEB_WORKERS", "3"),
        "--threads",
        os.environ.get("WEB_THREADS", "8"),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
    ]


def _terminate(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    except ProcessLookupError:
        pass


def _wait_healthy(url: str, children, stopping, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stopping():
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def _banner(url: str) -> None:
    import django

    django.setup()
    from accounts.demo import ACCOUNTS, DEMO_PASSWORD

    lines = [
        "",
        "Customs IPR protection is running.",
        f"  API docs   {url}/api/docs/",
        f"  Admin      {url}/admin/        (officers)",
        f"  Health     {url}/healthz",
        f"  Demo logins, password {DEMO_PASSWORD}:",
        *(f"    {name}" for name in ACCOUNTS),
        "Press Ctrl-C to stop web, worker and beat.",
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
