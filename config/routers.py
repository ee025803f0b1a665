"""Reads of the reports and statistics go to a replica when DATABASE_REPLICA_URL is set
(issue 21); every write, every migration and every other read stay on the primary.

The statistics tolerate a replica's lag (they are as of its last replayed transaction);
the monthly rollup's marks travel with the cases they mark, so the report there is still
exactly the live count of what the replica holds (reports/models.py). Nothing else reads
the replica: a case just changed must be read back from where it was written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
REPLICA_APPS = {"reports"}  # app labels whose reads the replica answers


def replica_configured() -> bool:
    return bool(getattr(settings, "DATABASE_REPLICA_URL", "")) and REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICA_APPS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two connections to it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema
