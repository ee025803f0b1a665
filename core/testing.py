"""Test helpers that start real components: a Celery worker process on the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


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
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "WARNING",
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
