"""Take docs/statistics-admin.png: the admin's statistics page, signed in as the GACC demo
officer, in headless Chromium. Standard library only (no Playwright, no npm): Chromium is
driven over its DevTools protocol on a pipe (--remote-debugging-pipe).

    make run                                   # in another shell: the app with the demo
    python docs/screenshot_statistics.py       # then this; --help for the options

The sign-in is an ordinary POST to /admin/login/; its session cookie is handed to Chromium.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def sign_in(base: str, username: str, password: str) -> str:
    """The session id of a signed-in admin user."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/admin/login/"
    page = opener.open(login, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(login, data=form, headers={"Referer": login})
    opener.open(request, timeout=30).read()
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if session is None:
        sys.exit(f"Signing in as {username} failed: check the user and the password.")
    return session


class DevTools:
    """Chromium's DevTools protocol over --remote-debugging-pipe: JSON messages ending in
    NUL, commands written to the browser's fd 3, answers and events read from its fd 4."""

    def __init__(self, chromium: str, width: int, height: int):
        self.profile = tempfile.mkdtemp(prefix="statistics-screenshot-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        args = [
            chromium,
            "--headless",
            "--no-sandbox",  # needed as root in a container
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--remote-debugging-pipe",
            f"--user-data-dir={self.profile}",
            f"--window-size={width},{height}",
        ]

        def pipe_ends_on_fd_3_and_4():
            # Out of the way first (either end may itself be fd 3 or 4), then in place; the
            # duplicates are inheritable, every other descriptor here is not (PEP 446).
            reading = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            writing = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            args,
            close_fds=False,  # closing would take fd 3 and 4 away again
            preexec_fn=pipe_ends_on_fd_3_and_4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(index)
            self.events.append(self._read())
        raise TimeoutError(method)

    def _read(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe.")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


def screenshot(*, url: str, session_id: str, out: Path, chromium: str, width: int, height: int):
    browser = DevTools(chromium, width, height)
    try:
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        page = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        host = urllib.parse.urlsplit(url).hostname
        browser.send("Network.enable", page)
        browser.send(
            "Network.setCookie", page, name="sessionid", value=session_id, domain=host, path="/"
        )
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            page,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.send("Page.enable", page)
        browser.send("Page.navigate", page, url=url)
        browser.wait_for("Page.loadEventFired")
        shot = browser.send(
            "Page.captureScreenshot",
            page,
            format="png",
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            captureBeyondViewport=True,
        )
        out.write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="where `make run` serves")
    parser.add_argument("--year", type=int, default=2024, help="the year shown (demo: 2024)")
    parser.add_argument("--username", default="officer.gacc")
    parser.add_argument("--password", default="customs-demo-2024")
    parser.add_argument("--out", type=Path, default=DOCS / "statistics-admin.png")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=2400)
    options = parser.parse_args()

    base = options.base.rstrip("/")
    session_id = sign_in(base, options.username, options.password)
    url = f"{base}/admin/reports/statistics/?year={options.year}"
    screenshot(
        url=url,
        session_id=session_id,
        out=options.out,
        chromium=options.chromium,
        width=options.width,
        height=options.height,
    )
    sys.stdout.write(f"{url} -> {options.out}\n")


if __name__ == "__main__":
    main()
