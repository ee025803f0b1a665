"""Settings of benchmarks/api_speed.py's gunicorn: the local settings on the benchmark's
database, with the bare reference view mounted beside the API (benchmarks/api_urls.py)."""

import os

from config.settings.local import *  # noqa: F403
from config.settings.local import DATABASES

DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE"]
ROOT_URLCONF = "benchmarks.api_urls"
DEBUG = False
