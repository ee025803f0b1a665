"""A file-based email backend that takes its time: lets a test kill a worker mid-send.

Writes one file per message into EMAIL_FILE_PATH, named after the Message-ID, so a test
can count exactly how many times each delivery reached "the mail server"."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("SLOW_EMAIL_SECONDS", "0"))
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            message_id = message.extra_headers["Message-ID"].strip("<>")
            inflight = folder / f"{message_id}.inflight"
            inflight.touch()  # "the mail server is receiving this message now"
            time.sleep(delay)
            # Appending, so that a duplicate shows as a second copy in the same file.
            with open(folder / f"{message_id}.eml", "a") as fh:
                fh.write(message.message().as_string() + "\n--\n")
            inflight.unlink()
        return len(email_messages)
