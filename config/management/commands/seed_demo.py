"""Load the demo data. Running it twice changes nothing (every step keys on natural keys).

The demo tells the same story on any day: history is fixed, work in progress is dated
relative to today (core/demo_dates.py). `--check` then verifies what the story promises
(every state shown, live deadlines open, overdue ones escalated ...), as each app's demo
module states it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as accounts_demo
from accounts.demo import ACCOUNTS, DEMO_PASSWORD
from campaigns import demo as campaigns_demo
from core.timezone import local_today
from deadlines import demo as deadlines_demo
from detentions import demo as detentions_demo
from recordals import demo as recordals_demo
from screening import demo as screening_demo


class Command(BaseCommand):
    help = "Load demo organisations, accounts and cases (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Then verify what the demo promises on today's date (fails listing what not).",
        )

    def handle(self, *args, check=False, **options):
        with transaction.atomic():
            parties = accounts_demo.seed()
            recordals_demo.seed(parties)
            detentions_demo.seed(parties)
            campaigns_demo.seed(parties)
            sweep = deadlines_demo.seed(parties)
            screening_demo.seed(parties)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded for {local_today()}."))
        self.stdout.write(
            f"Deadline sweep: {sweep['deadlines_closed']} closed, "
            f"{sweep['deliveries_created']} reminder deliveries queued."
        )
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(ACCOUNTS))
        if check:
            problems = [
                *accounts_demo.check(),
                *recordals_demo.check(),
                *detentions_demo.check(),
                *campaigns_demo.check(),
                *deadlines_demo.check(),
                *screening_demo.check(),
            ]
            if problems:
                raise CommandError(
                    f"The demo does not hold on {local_today()}:\n- " + "\n- ".join(problems)
                )
            self.stdout.write(self.style.SUCCESS(f"Demo checks passed on {local_today()}."))
