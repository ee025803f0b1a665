"""Reminders through a real Celery worker on real Redis: never duplicated, never lost.

Each test commits real rows (transaction=True), runs the sweep in this process with real
task queueing, and counts what a worker process sent: emails as files named after their
Message-ID (one per delivery), in-app notifications as rows.
"""

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from accounts.parties import Parties
from config.celery import app
from core.testing import WorkerProcess, wait_for
from deadlines import services
from deadlines.models import DeadlineKind, Delivery, Notification

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CASES = 12  # deadlines; each reaches 5 email and 3 in-app recipients


@pytest.fixture
def mailbox(tmp_path, monkeypatch):
    folder = tmp_path / "mail"
    monkeypatch.setenv("DJANGO_EMAIL_BACKEND", "deadlines.tests.slow_email_backend.EmailBackend")
    monkeypatch.setenv("DJANGO_EMAIL_FILE_PATH", str(folder))
    return folder


@pytest.fixture
def real_queue(settings):
    settings.DEADLINES_REQUEUE_AFTER_SECONDS = 2
    app.conf.task_always_eager = False
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.flushdb()
    yield broker
    app.conf.task_always_eager = True
    broker.flushdb()


@pytest.fixture
def due_reminders(subject, parties):
    """CASES reply deadlines, each on its own subject, whose opening notices are due now."""
    from accounts.tests.factories import AuthorisationFactory

    for n in range(CASES):
        services.deadline_open(
            subject=AuthorisationFactory(),
            kind=DeadlineKind.REPLY_TO_DETENTION_NOTICE,
            trigger_date=dt.date.today(),
            count=3,
            parties=Parties(parties["holder_a"].pk, parties["ningbo"].pk, f"Case {n}"),
        )


def sent_counts(folder: Path) -> dict[str, int]:
    if not folder.exists():
        return {}
    return {path.stem: path.read_text().count("\n--\n") for path in folder.glob("*.eml")}


def sweep_until_all_sent(expected_total: int, timeout: float = 120):
    def done():
        services.sweep()
        return Delivery.objects.filter(status="sent").count() == expected_total

    wait_for(done, timeout=timeout, interval=1, message="not every delivery was sent")


def assert_exactly_once(folder: Path):
    deliveries = Delivery.objects.all()
    email_ids = deliveries.filter(channel="email").values_list("pk", flat=True)
    emails = {f"delivery-{pk}@customs-ipr" for pk in email_ids}
    counts = sent_counts(folder)
    assert set(counts) == emails, "an email delivery was lost or an unknown one sent"
    duplicates = {key: count for key, count in counts.items() if count > 1}
    assert not duplicates, f"sent more than once: {duplicates}"
    in_app = deliveries.filter(channel="in_app").count()
    assert Notification.objects.count() == in_app
    assert Notification.objects.values("delivery").distinct().count() == in_app


def test_no_duplicate_and_no_loss_after_redis_is_flushed(real_queue, mailbox, due_reminders):
    first = services.sweep()
    total = first.deliveries_created
    assert total == first.deliveries_queued > 0
    assert real_queue.llen("celery") == total  # every send task is waiting in Redis
    real_queue.flushall()  # Redis loses all its data before any worker ran
    worker = WorkerProcess(name="flushed")
    try:
        sweep_until_all_sent(total)
    finally:
        worker.stop()
    assert_exactly_once(mailbox)


def test_no_duplicate_and_no_loss_when_the_worker_is_killed_mid_batch(
    real_queue, mailbox, due_reminders, monkeypatch
):
    """Killed while a message is in the mail server's hands: the transaction holding the
    delivery row dies with the worker, the row stays pending, and it is sent once later.
    (Only a kill in the instant between the server's acceptance and the COMMIT could
    repeat a message; its Message-ID, derived from the delivery, makes the repeat
    recognisable to mail systems.)"""
    monkeypatch.setenv("SLOW_EMAIL_SECONDS", "0.5")
    total = services.sweep().deliveries_created
    worker = WorkerProcess(name="doomed", concurrency=1)
    try:
        wait_for(
            lambda: (
                Delivery.objects.filter(status="sent").count() >= 3
                and any(mailbox.glob("*.inflight"))
            ),
            timeout=60,
            interval=0.05,
            message="the first worker sent nothing",
        )
    finally:
        worker.kill()  # SIGKILL: main process and pool, mid-batch and mid-send
    sent_before = Delivery.objects.filter(status="sent").count()
    assert 0 < sent_before < total
    monkeypatch.setenv("SLOW_EMAIL_SECONDS", "0")
    survivor = WorkerProcess(name="survivor")
    try:
        sweep_until_all_sent(total)
    finally:
        survivor.stop()
    assert_exactly_once(mailbox)


def test_no_duplicate_when_two_sweeps_run_at_once(real_queue, mailbox, due_reminders):
    barrier = threading.Barrier(2)
    results = []

    def sweep_in_thread():
        barrier.wait()
        try:
            results.append(services.sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Delivery.objects.count()
    assert sum(r.deliveries_created for r in results) == total
    assert sum(r.deliveries_queued for r in results) == total
    assert real_queue.llen("celery") == total  # each delivery queued once, not twice
    worker = WorkerProcess(name="concurrent")
    try:
        sweep_until_all_sent(total)
    finally:
        worker.stop()
    assert_exactly_once(mailbox)
    assert os.environ.get("DJANGO_EMAIL_BACKEND", "").endswith("slow_email_backend.EmailBackend")
    assert settings.DEADLINES_REQUEUE_AFTER_SECONDS == 2
