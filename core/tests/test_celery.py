"""Celery is wired: JSON only, acks late, time limits, and a real worker answers."""

import pytest

from config.celery import app
from core.tasks import ping
from core.testing import WorkerProcess


def test_celery_configuration_is_json_only_and_acks_late():
    conf = app.conf
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_on_redis_runs_a_task(settings):
    worker = WorkerProcess(name="ping")
    app.conf.task_always_eager = False
    try:
        result = ping.apply_async()
        assert result.get(timeout=60) == "pong"
    finally:
        app.conf.task_always_eager = True
        worker.stop()
