"""Test helpers that start real components: a Celery worker process on the test database,
on the test suite's clock.

`python -m core.testing <celery arguments>` runs Celery with the clock moved as far ahead
as the suite's (`pytest --clock-days=N` exports it in TEST_CLOCK_DAYS), so a worker and the
tests agree on what today is."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import time_machine
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
CLOCK_DAYS = "TEST_CLOCK_DAYS"


def moved_clock(days: int) -> time_machine.travel:
    """The clock `days` ahead of the real one, ticking (start it, stop it when done)."""
    return time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=days), tick=True)


def test_database_url() -> str:
    """A DATABASE_URL for the test database pytest-django created (e.g. test_customs_ipr)."""
    cfg = connection.settings_dict
    user = cfg["USER"] or "postgres"
    auth = f"{user}:{cfg['PASSWORD']}" if cfg["PASSWORD"] else user
    if str(cfg["HOST"]).startswith("/"):
        return f"postgres://{auth}@/{cfg['HOST']}/{cfg['NAME']}"
    port = f":{cfg['PORT']}" if cfg["PORT"] else ""
    return f"postgres://{auth}@{cfg['HOST'] or 'localhost'}{port}/{cfg['NAME']}"


class WorkerProcess:
    """`celery -A config worker` as a child process, with its own process group."""

    def __init__(self, *, concurrency: int = 2, queues: str | None = None, name: str = "test"):
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            CELERY_TASK_ALWAYS_EAGER="false",
            DATABASE_URL=test_database_url(),
        )
        command = [sys.executable, "-m", "core.testing", "-A", "config", "worker", "-l", "WARNING",
                   "--concurrency", str(concurrency), "-n", f"{name}-{os.getpid()}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
        if queues:
            command += ["-Q", queues]
        (ROOT / ".local").mkdir(exist_ok=True)
        self.log = open(ROOT / ".local" / f"celery-{name}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool): the 'killed mid-send' case."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout}s")


if __name__ == "__main__":
    days = int(os.environ.get(CLOCK_DAYS) or 0)
    if days:
        moved_clock(days).start()
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
