"""Load the demo data. Running it twice changes nothing (every step keys on natural keys)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.demo import ACCOUNTS, DEMO_PASSWORD
from campaigns import demo as campaigns_demo
from deadlines import demo as deadlines_demo
from detentions import demo as detentions_demo
from recordals import demo as recordals_demo


class Command(BaseCommand):
    help = "Load demo organisations, accounts and cases (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            parties = accounts_demo.seed()
            recordals_demo.seed(parties)
            detentions_demo.seed(parties)
            campaigns_demo.seed(parties)
            sweep = deadlines_demo.seed(parties)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"Deadline sweep: {sweep['deadlines_closed']} closed, "
            f"{sweep['deliveries_created']} reminder deliveries queued."
        )
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(ACCOUNTS))
