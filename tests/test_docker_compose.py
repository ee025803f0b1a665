"""No Docker engine runs here: check the compose file parses and names its services."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_defines_the_five_services_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_app_services_share_one_environment_and_wait_for_backing_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["REDIS_URL"].startswith("redis://")
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert "worker" in compose["services"]["worker"]["command"]
    assert "beat" in compose["services"]["beat"]["command"]


def test_dockerfile_builds_from_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "config.settings.production" in dockerfile


def test_web_and_worker_scale_with_compose():
    """`docker compose up --scale web=3 --scale worker=4` (issue 21): no fixed container
    name, and web's host port is a range, one port an instance."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):
        assert "container_name" not in compose["services"][name], name
    assert "ports" not in compose["services"]["worker"]
    (published,) = compose["services"]["web"]["ports"]
    host, container = published.rsplit(":", 1)
    assert container == "8000"
    first, last = host.removeprefix("${WEB_PORTS:-").removesuffix("}").split("-")
    assert int(last) - int(first) >= 2
    env = compose["x-app"]["environment"]
    assert env["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"
